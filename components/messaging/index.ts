export { PubSubTopic, validatePubSubTopicArgs } from "./pubsub-topic";
export type { PubSubTopicArgs, PubSubSubscription, PubSubSubscriptionArgs } from "./pubsub-topic";
export type { DerivedName } from "../shared/claims";
export { CloudTasksQueue, validateCloudTasksQueueArgs } from "./cloud-tasks-queue";
export type { CloudTasksQueueArgs } from "./cloud-tasks-queue";
export { QueuePreset } from "./cloud-tasks-queue-types";
export {
  AntiAffinity,
  RabbitMqCluster,
  ZoneSpread,
  validateRabbitMqClusterArgs,
} from "./rabbitmq-cluster";
export type {
  RabbitMqBrokerSecret,
  RabbitMqClusterArgs,
  RabbitMqExchange,
  RabbitMqExchangeArgs,
  RabbitMqQueue,
  RabbitMqQueueArgs,
  RabbitMqQueueBinding,
  RabbitMqQueueBindingArgs,
} from "./rabbitmq-cluster";
export {
  ExchangeType,
  QueueType,
  renderRabbitMqConf,
  renderEnabledPlugins,
  renderDefinitions,
  rabbitPasswordHash,
  parseRabbitMqVersion,
} from "./rabbitmq-config";
