export { PubSubTopic, validatePubSubTopicArgs } from "./pubsub-topic";
export type { PubSubTopicArgs, PubSubSubscriptionArgs } from "./pubsub-topic";
export {
  pubSubTopicArgsSchema,
  pubSubSubscriptionArgsSchema,
  pubSubTopicDerivedNames,
} from "./pubsub-topic-schema";
export type { DerivedName } from "./pubsub-topic-schema";
