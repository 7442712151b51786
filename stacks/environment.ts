import * as pulumi from "@pulumi/pulumi";
import { messaging, monitoring } from "../components";
import { declareApis, stackApis } from "./apis";
import { declareTopic } from "./messaging";
import type { StackConfig } from "./config";

export { pubSubTopicArgsFor } from "./messaging";
import { declareScheduling } from "./scheduling";
import type { SchedulingOutputs } from "./scheduling";
import type { rabbitMqOutputs } from "./kubernetes-rabbitmq";
import { declareKubernetes } from "./kubernetes";
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
  // Every API the stack's components call, enabled first; each component waits for its own.
  const apis = gcp
    ? declareApis(gcp.project, gcp.enableApis, stackApis(config))
    : { opts: () => ({}) };
  const channels = gcp
    ? new monitoring.NotificationChannels(
        "alerts",
        {
          project: gcp.project,
          emails: config["taskstack:monitoring"].notificationChannels,
          pagerDuty: config["taskstack:monitoring"].pagerDuty,
          slack: config["taskstack:monitoring"].slack,
        },
        apis.opts(monitoring.NotificationChannels.requiredApis()),
      )
    : undefined;
  const channelIds = channels?.ids ?? [];

  const topics: Record<string, pulumi.Output<string>> = {};
  const subscriptions: Record<string, pulumi.Output<string>> = {};
  const deadLetterSubscriptions: Record<string, pulumi.Output<string>> = {};
  const declared: Record<string, messaging.PubSubTopic> = {};
  for (const topicConfig of config["taskstack:messaging"].topics) {
    const topic = declareTopic(topicConfig, config, channelIds, apis);
    declared[topicConfig.name] = topic;
    topics[topicConfig.name] = topic.topicId;
    for (const [subName, sub] of Object.entries(topic.subscriptions)) {
      subscriptions[`${topicConfig.name}/${subName}`] = sub.id;
    }
    if (topic.deadLetterSubscription) {
      deadLetterSubscriptions[topicConfig.name] = topic.deadLetterSubscription.id;
    }
  }

  const queuesAndJobs = gcp
    ? declareScheduling(config, channelIds, apis, declared)
    : { queues: {}, schedulerJobs: {} };
  const kubernetes = declareKubernetes(config);

  return {
    ...queuesAndJobs,
    ...kubernetes,
    environment: config["taskstack:environment"],
    topics,
    subscriptions,
    deadLetterSubscriptions,
    notificationChannels: channelIds,
    ...declareEdge(config),
    spanner: gcp
      ? declareSpanner(config, channelIds, apis)
      : { databases: {}, backupFunctions: {} },
  };
}
