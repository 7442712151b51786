export { PubSubTopic, validatePubSubTopicArgs } from "./pubsub-topic";
export type { PubSubTopicArgs, PubSubSubscriptionArgs } from "./pubsub-topic";
export {
  pubSubTopicArgsSchema,
  pubSubSubscriptionArgsSchema,
  pubSubTopicDerivedNames,
} from "./pubsub-topic-schema";
export type { DerivedName } from "./pubsub-topic-schema";
export { CloudTasksQueue, validateCloudTasksQueueArgs } from "./cloud-tasks-queue";
export type { CloudTasksQueueArgs } from "./cloud-tasks-queue";
export {
  cloudTasksQueueArgsSchema,
  cloudTasksQueueDerivedNames,
  queuePresets,
  queueDefaults,
} from "./cloud-tasks-queue-schema";
export type { QueuePreset } from "./cloud-tasks-queue-schema";
export { RabbitMqCluster, validateRabbitMqClusterArgs } from "./rabbitmq-cluster";
export type {
  RabbitMqClusterArgs,
  RabbitMqExchangeArgs,
  RabbitMqQueueArgs,
  RabbitMqQueueBindingArgs,
} from "./rabbitmq-cluster";
export {
  rabbitMqClusterArgsSchema,
  rabbitMqClusterDerivedNames,
  rabbitMqClusterShape,
  rabbitMqClusterRules,
  topicMatches,
} from "./rabbitmq-cluster-schema";
export {
  renderRabbitMqConf,
  renderEnabledPlugins,
  renderDefinitions,
  rabbitPasswordHash,
  parseRabbitMqVersion,
} from "./rabbitmq-config";
