export { PubSubTopic, validatePubSubTopicArgs } from "./pubsub-topic";
export type { PubSubTopicArgs, PubSubSubscriptionArgs } from "./pubsub-topic";
