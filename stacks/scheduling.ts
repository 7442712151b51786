import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { messaging, monitoring, scheduling } from "../components";
import { gcpSection } from "./config";
import type { StackConfig } from "./config";
import type { QueueConfig } from "./sections/messaging";
import { gcpApis } from "../components/project/project-apis";
import type { StackApis } from "./apis";
import { importedJobs, importedQueues } from "./sections/scheduling";
import type { JobConfig } from "./sections/scheduling";

/** What the queues, jobs and their alerts add to a stack's outputs. */
export interface SchedulingOutputs {
  /** Queue ids (`projects/<p>/locations/<l>/queues/<q>`) by name. */
  readonly queues: Record<string, pulumi.Output<string>>;
  /** Cloud Scheduler job names by component name. */
  readonly schedulerJobs: Record<string, pulumi.Output<string>>;
}

/**
 * Declares the stack's Cloud Tasks queues (`taskstack:messaging.queues` and an imported App Engine
 * queue.yaml), Cloud Scheduler jobs
 * (`taskstack:scheduling.jobs` and an imported App Engine cron.yaml) and the backlog alerts on
 * its subscriptions, every one alerting `channelIds`.
 */
export function declareScheduling(
  config: StackConfig,
  channelIds: readonly pulumi.Output<string>[],
  apis: StackApis,
  topics: Readonly<Record<string, messaging.PubSubTopic>> = {},
): SchedulingOutputs {
  const { project, labels } = gcpSection(config);
  const queues: Record<string, pulumi.Output<string>> = {};
  for (const q of config["taskstack:messaging"].queues) {
    const args = queueArgsFor(q, config, channelIds);
    const queue = new messaging.CloudTasksQueue(
      q.name,
      args,
      apis.opts(messaging.CloudTasksQueue.requiredApis(args)),
    );
    for (const member of q.enqueuers) queue.grantEnqueue(member);
    queues[q.name] = queue.queueId;
  }
  const queueImport = config["taskstack:scheduling"].appEngineQueue;
  if (queueImport !== undefined) {
    for (const entry of importedQueues(queueImport, gcpSection(config).region)) {
      const args: messaging.CloudTasksQueueArgs = {
        ...entry.args,
        project,
        protect: config["taskstack:deletionProtection"],
        alertNotificationChannels: [...channelIds],
        notes: [...entry.notes],
      };
      const queue = new messaging.CloudTasksQueue(
        entry.name,
        args,
        apis.opts(messaging.CloudTasksQueue.requiredApis(args)),
      );
      for (const member of queueImport.enqueuers) queue.grantEnqueue(member);
      queues[entry.name] = queue.queueId;
    }
  }

  const jobs: Record<string, pulumi.Output<string>> = {};
  for (const { name, args, topic } of stackJobArgs(config, channelIds)) {
    const { dependsOn = [] } = apis.opts(scheduling.CloudSchedulerJob.requiredApis(args));
    // A Pub/Sub job publishes to its topic from its first run: it waits for the topic the stack
    // declares (the stack schema refuses a topic of this project it does not declare).
    const target = topic === undefined ? undefined : topics[topic];
    jobs[name] = new scheduling.CloudSchedulerJob(name, args, {
      dependsOn: [...dependsOn, ...(target ? [target] : [])],
    }).job.name;
  }

  const backlogSeconds = config["taskstack:monitoring"].subscriptionBacklogAlertSeconds;
  if (channelIds.length > 0) {
    for (const t of config["taskstack:messaging"].topics) {
      for (const sub of t.subscriptions) {
        new gcp.monitoring.AlertPolicy(
          `${t.name}-${sub.name}-backlog-alert`,
          monitoring.oldestUnackedAgeAlertArgs({
            project,
            subscriptionName: `${t.name}-${sub.name}`,
            maxAgeSeconds: backlogSeconds,
            notificationChannels: channelIds,
            labels: {
              "managed-by": "taskstack",
              environment: config["taskstack:environment"],
              ...labels,
            },
          }),
          apis.opts([gcpApis.monitoring]),
        );
      }
    }
  }
  return { queues, schedulerJobs: jobs };
}

/**
 * Every Cloud Scheduler job of the stack, declared (`taskstack:scheduling.jobs`) or imported from
 * an App Engine cron.yaml, as CloudSchedulerJob args; `topic` is the stack topic a job publishes
 * to, by name, when it is one of this project's.
 */
export function stackJobArgs(
  config: StackConfig,
  channelIds: readonly pulumi.Input<string>[],
): { name: string; args: scheduling.CloudSchedulerJobArgs; topic?: string }[] {
  const { project, region } = gcpSection(config);
  const section = config["taskstack:scheduling"];
  const out: { name: string; args: scheduling.CloudSchedulerJobArgs; topic?: string }[] = [];
  for (const j of section.jobs) {
    const topic = j.topic === undefined ? undefined : stackTopicName(j.topic, project);
    out.push({
      name: j.name,
      args: jobArgsFor(j, config, channelIds),
      ...(topic === undefined ? {} : { topic }),
    });
  }
  if (section.appEngineCron !== undefined) {
    for (const entry of importedJobs(section.appEngineCron, region)) {
      out.push({
        name: entry.name,
        args: {
          ...entry.args,
          project,
          alertNotificationChannels: [...channelIds],
          notes: [...entry.notes],
        },
      });
    }
  }
  return out;
}

/** The name of a job's topic when it is in `project` (a bare name, or this project's full id). */
export function stackTopicName(topic: string, project: string): string | undefined {
  if (!topic.startsWith("projects/")) return topic;
  const prefix = `projects/${project}/topics/`;
  return topic.startsWith(prefix) ? topic.slice(prefix.length) : undefined;
}

/** A stack file's queue as CloudTasksQueue args: the stack's project, region and protection. */
export function queueArgsFor(
  { name: _name, enqueuers: _enqueuers, ...q }: QueueConfig,
  config: StackConfig,
  channelIds: readonly pulumi.Input<string>[],
): messaging.CloudTasksQueueArgs {
  return {
    ...q,
    project: gcpSection(config).project,
    location: q.location ?? gcpSection(config).region,
    protect: q.protect ?? config["taskstack:deletionProtection"],
    alertNotificationChannels: [...channelIds],
  };
}

/** A stack file's job as CloudSchedulerJob args: a topic name becomes the project's topic id. */
export function jobArgsFor(
  { name: _name, topic, ...j }: JobConfig,
  config: StackConfig,
  channelIds: readonly pulumi.Input<string>[],
): scheduling.CloudSchedulerJobArgs {
  const { project, region } = gcpSection(config);
  return {
    ...j,
    project,
    region: j.region ?? region,
    ...(topic === undefined
      ? {}
      : { topic: topic.startsWith("projects/") ? topic : `projects/${project}/topics/${topic}` }),
    alertNotificationChannels: [...channelIds],
  };
}
