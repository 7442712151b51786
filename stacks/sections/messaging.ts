import { z } from "zod";
import {
  pubSubSubscriptionRules,
  pubSubSubscriptionShape,
  pubSubTopicDerivedNames,
  pubSubTopicName,
  pubSubTopicRules,
  pubSubTopicSettingsShape,
} from "../../components/messaging/pubsub-topic-schema";
import { always, expected, iamMember } from "../../components/shared/schema";
import type { StackRules } from "./rules";

const members = z.array(iamMember, expected("a list of IAM members")).default([]);

/** A stack file's subscription: PubSubTopic's subscription args plus who may pull from it. */
const subscription = z
  .strictObject({
    ...pubSubSubscriptionShape,
    /** IAM members that pull from this subscription (`roles/pubsub.subscriber`). */
    subscribers: members,
  })
  .superRefine(pubSubSubscriptionRules, always);

/**
 * A stack file's topic: PubSubTopic's args (its `name` is the component's and the topic's name)
 * plus who may publish, minus what a stack decides for every topic (project, channels, protect).
 */
const topic = z
  .strictObject({
    name: pubSubTopicName,
    ...pubSubTopicSettingsShape,
    /** IAM members that publish to the topic (`roles/pubsub.publisher`). */
    publishers: members,
    subscriptions: z.array(subscription, expected("a list of subscriptions")).default([]),
  })
  .superRefine(pubSubTopicRules("name"), always);

/** `taskstack:messaging`: Pub/Sub topics. */
export const messagingSection = z
  .strictObject({ topics: z.array(topic, expected("a list of topics")).default([]) })
  .default({ topics: [] });

export type MessagingConfig = z.output<typeof messagingSection>;
export type TopicConfig = MessagingConfig["topics"][number];

const key = "taskstack:messaging";

export function messagingRules(m: MessagingConfig, rules: StackRules): void {
  m.topics.forEach((t, i) => {
    const at = [key, "topics", i];
    for (const derived of pubSubTopicDerivedNames(t.name, t.name, t.subscriptions)) {
      rules.claim(derived.kind, derived.name, [...at, "name"], `topics[${i}] (${t.name})`, t.name);
    }
    if (rules.environment !== "prod") return;
    t.subscriptions.forEach((s, j) => {
      if (s.deadLetter === false) {
        rules.problem(
          [...at, "subscriptions", j, "deadLetter"],
          "true in prod (a poison message would otherwise be retried forever)",
          false,
        );
      }
    });
  });
}
