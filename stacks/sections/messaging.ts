import { z } from "zod";
import {
  pubSubSubscriptionRules,
  pubSubSubscriptionShape,
  pubSubTopicDerivedNames,
  pubSubTopicName,
  pubSubTopicRules,
  pubSubTopicSettingsShape,
} from "../../components/messaging/pubsub-topic-schema";
import {
  cloudTasksQueueDerivedNames,
  cloudTasksQueueRules,
  cloudTasksQueueShape,
  queueName,
} from "../../components/messaging/cloud-tasks-queue-schema";
import { always, expected, gcpRegion, iamMember } from "../../components/shared/schema";
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

/**
 * A stack file's Cloud Tasks queue: CloudTasksQueue's args (its `name` is the component's and the
 * queue's id; `location` defaults to the stack's region) plus who may enqueue.
 */
const queue = z
  .strictObject({
    ...cloudTasksQueueShape,
    name: queueName,
    location: gcpRegion.optional(),
    /** IAM members that create tasks (`roles/cloudtasks.enqueuer`; actAs only on a per-task token account). */
    enqueuers: members,
  })
  .superRefine(cloudTasksQueueRules, always);

/** `taskstack:messaging`: Pub/Sub topics and Cloud Tasks queues. */
export const messagingSection = z
  .strictObject({
    topics: z.array(topic, expected("a list of topics")).default([]),
    queues: z.array(queue, expected("a list of queues")).default([]),
  })
  .default({ topics: [], queues: [] });

export type MessagingConfig = z.output<typeof messagingSection>;
export type TopicConfig = MessagingConfig["topics"][number];
export type QueueConfig = MessagingConfig["queues"][number];

const key = "taskstack:messaging";

export function messagingRules(m: MessagingConfig, rules: StackRules): void {
  // One invoker account per queue: each gets run.invoker on its own handler only, and a shared
  // account would carry one queue's tokens to every other queue's handler.
  const invokers = new Map<string, string>();
  m.queues.forEach((q, i) => {
    const email = q.invokerServiceAccountEmail;
    if (email === undefined) return;
    const first = invokers.get(email);
    if (first !== undefined) {
      rules.problem(
        [key, "queues", i, "invokerServiceAccountEmail"],
        `an invoker account of this queue's own (queue ${first} uses this one)`,
        email,
        "Create one service account per queue",
      );
    }
    invokers.set(email, q.name);
  });
  m.queues.forEach((q, i) => {
    const at = [key, "queues", i, "name"];
    const location = q.location ?? "(the stack's region)";
    for (const derived of cloudTasksQueueDerivedNames(q.name, location, q.queueName ?? q.name)) {
      rules.claim(derived.kind, derived.name, at, `queues[${i}] (${q.name})`, q.name);
    }
    if (rules.environment === "prod" && q.protect === false) {
      rules.problem(
        [key, "queues", i, "protect"],
        "true or unset in prod (a deleted queue's id cannot be reused for days)",
        false,
      );
    }
  });
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
