export { PubSubTopic, validatePubSubTopicArgs } from "./pubsub-topic";
export type { PubSubTopicArgs, PubSubSubscriptionArgs } from "./pubsub-topic";
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
  RabbitMqExchangeArgs,
  RabbitMqQueueArgs,
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
