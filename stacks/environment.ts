import * as pulumi from "@pulumi/pulumi";
import { messaging, monitoring } from "../components";
import { gcpSection } from "./config";
import type { StackConfig, TopicConfig } from "./config";
import { declareScheduling } from "./scheduling";
import type { SchedulingOutputs } from "./scheduling";
import {
  declareKubernetesNamespace,
  declareRabbitMq,
  rabbitMqOutputs,
} from "./kubernetes-rabbitmq";
import { declareWorkloads } from "./kubernetes-workloads";
import type { WorkloadsOutputs } from "./kubernetes-workloads";
import { declareEdge } from "./edge";
import type { EdgeOutputs } from "./edge";
import { declareSpanner } from "./spanner";
import type { SpannerOutputs } from "./spanner";

/** What a stack exports: the names other repos and the on-call need. */
export interface EnvironmentOutputs extends SchedulingOutputs, WorkloadsOutputs {
  readonly environment: string;
  readonly topics: Record<string, pulumi.Output<string>>;
  readonly subscriptions: Record<string, pulumi.Output<string>>;
  readonly deadLetterSubscriptions: Record<string, pulumi.Output<string>>;
  readonly notificationChannels: pulumi.Output<string>[];
  /** The RabbitMQ cluster's names, when the stack declares one. */
  readonly rabbitmq?: ReturnType<typeof rabbitMqOutputs>["rabbitmq"];
  /** Its AMQP URL, a secret. */
  readonly rabbitmqAmqpUrl?: pulumi.Output<string>;
  readonly spanner: SpannerOutputs;
}

/**
 * Declares one environment from its validated config, through components only. dev, staging and
 * prod run this same code; they differ only in their stack files.
 */
export function buildEnvironment(config: StackConfig): EnvironmentOutputs & EdgeOutputs {
  // Without taskstack:gcp the stack declares no Google Cloud resource (the schema sees to it):
  // an AWS-only stack has its Kubernetes and edge parts only.
  const gcp = config["taskstack:gcp"];
  const channels = gcp
    ? new monitoring.NotificationChannels("alerts", {
        project: gcp.project,
        emails: config["taskstack:monitoring"].notificationChannels,
        pagerDuty: config["taskstack:monitoring"].pagerDuty,
        slack: config["taskstack:monitoring"].slack,
      })
    : undefined;
  const channelIds = channels?.ids ?? [];

  const topics: Record<string, pulumi.Output<string>> = {};
  const subscriptions: Record<string, pulumi.Output<string>> = {};
  const deadLetterSubscriptions: Record<string, pulumi.Output<string>> = {};
  for (const topicConfig of config["taskstack:messaging"].topics) {
    const topic = declareTopic(topicConfig, config, channelIds);
    topics[topicConfig.name] = topic.topicId;
    for (const [subName, sub] of Object.entries(topic.subscriptions)) {
      subscriptions[`${topicConfig.name}/${subName}`] = sub.id;
    }
    if (topic.deadLetterSubscription) {
      deadLetterSubscriptions[topicConfig.name] = topic.deadLetterSubscription.id;
    }
  }

  const queuesAndJobs = gcp
    ? declareScheduling(config, channelIds)
    : { queues: {}, schedulerJobs: {} };
  const namespace = declareKubernetesNamespace(config);
  const rabbitmq = declareRabbitMq(config, namespace);
  // Workers and CronJobs go into the namespace once it exists.
  const workloads = declareWorkloads(config, namespace ? { dependsOn: [namespace] } : {});

  return {
    ...queuesAndJobs,
    ...workloads,
    environment: config["taskstack:environment"],
    ...(rabbitmq ? rabbitMqOutputs(rabbitmq, config) : {}),
    topics,
    subscriptions,
    deadLetterSubscriptions,
    notificationChannels: channelIds,
    ...declareEdge(config),
    spanner: gcp ? declareSpanner(config, channelIds) : { databases: {}, backupFunctions: {} },
  };
}

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
    alertNotificationChannels: channelIds,
    protect: config["taskstack:deletionProtection"],
    subscriptions: t.subscriptions.map(({ subscribers: _subscribers, ...sub }) => sub),
  };
}

function declareTopic(
  t: TopicConfig,
  config: StackConfig,
  channelIds: pulumi.Output<string>[],
): messaging.PubSubTopic {
  const topic = new messaging.PubSubTopic(t.name, pubSubTopicArgsFor(t, config, channelIds));
  for (const member of t.publishers) topic.grantPublish(member);
  for (const sub of t.subscriptions) {
    for (const member of sub.subscribers) topic.grantSubscribe(sub.name, member);
  }
  return topic;
}
