import type * as pulumi from "@pulumi/pulumi";
import { messaging } from "../components";
import type { StackApis } from "./apis";
import { gcpSection } from "./config";
import type { StackConfig, TopicConfig } from "./config";

/**
 * The PubSubTopic args a stack file's topic becomes: the property test in
 * test/stacks/config.test.ts checks that every topic the stack schema accepts maps to args the
 * component accepts.
 */
export function pubSubTopicArgsFor(
  t: TopicConfig,
  config: StackConfig,
  channelIds: readonly pulumi.Input<string>[],
): messaging.PubSubTopicArgs {
  const gcp = gcpSection(config);
  return {
    project: gcp.project,
    messageRetentionSeconds: t.messageRetentionSeconds,
    deadLetterRetentionSeconds: t.deadLetterRetentionSeconds,
    labels: { environment: config["taskstack:environment"], ...gcp.labels, ...(t.labels ?? {}) },
    kmsKeyName: t.kmsKeyName,
    allowedPersistenceRegions: t.allowedPersistenceRegions,
    alertNotificationChannels: [...channelIds],
    protect: config["taskstack:deletionProtection"],
    subscriptions: t.subscriptions.map(({ subscribers: _subscribers, ...sub }) => sub),
  };
}

/** Declares a stack file's topic, after its APIs, with its publishers and subscribers. */
export function declareTopic(
  t: TopicConfig,
  config: StackConfig,
  channelIds: readonly pulumi.Output<string>[],
  apis: StackApis,
): messaging.PubSubTopic {
  const args = pubSubTopicArgsFor(t, config, channelIds);
  const topic = new messaging.PubSubTopic(
    t.name,
    args,
    apis.opts(messaging.PubSubTopic.requiredApis(args)),
  );
  for (const member of t.publishers) topic.grantPublish(member);
  for (const sub of t.subscriptions) {
    for (const member of sub.subscribers) topic.grantSubscribe(sub.name, member);
  }
  return topic;
}
