import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { messaging, monitoring, scheduling } from "../components";
import { gcpSection } from "./config";
import type { StackConfig } from "./config";
import type { QueueConfig } from "./sections/messaging";
import { importedJobs } from "./sections/scheduling";
import type { JobConfig } from "./sections/scheduling";

/** What the queues, jobs and their alerts add to a stack's outputs. */
export interface SchedulingOutputs {
  /** Queue ids (`projects/<p>/locations/<l>/queues/<q>`) by name. */
  readonly queues: Record<string, pulumi.Output<string>>;
  /** Cloud Scheduler job names by component name. */
  readonly schedulerJobs: Record<string, pulumi.Output<string>>;
}

/**
 * Declares the stack's Cloud Tasks queues (`taskstack:messaging.queues`), Cloud Scheduler jobs
 * (`taskstack:scheduling.jobs` and an imported App Engine cron.yaml) and the backlog alerts on
 * its subscriptions, every one alerting `channelIds`.
 */
export function declareScheduling(
  config: StackConfig,
  channelIds: readonly pulumi.Output<string>[],
): SchedulingOutputs {
  const { project, labels } = gcpSection(config);
  const queues: Record<string, pulumi.Output<string>> = {};
  for (const q of config["taskstack:messaging"].queues) {
    const queue = new messaging.CloudTasksQueue(q.name, queueArgsFor(q, config, channelIds));
    for (const member of q.enqueuers) queue.grantEnqueue(member);
    queues[q.name] = queue.queueId;
  }

  const jobs: Record<string, pulumi.Output<string>> = {};
  const section = config["taskstack:scheduling"];
  for (const j of section.jobs) {
    jobs[j.name] = new scheduling.CloudSchedulerJob(
      j.name,
      jobArgsFor(j, config, channelIds),
    ).job.name;
  }
  if (section.appEngineCron !== undefined) {
    const region = gcpSection(config).region;
    for (const entry of importedJobs(section.appEngineCron, region)) {
      jobs[entry.name] = new scheduling.CloudSchedulerJob(entry.name, {
        ...entry.args,
        project,
        alertNotificationChannels: channelIds,
      }).job.name;
    }
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
        );
      }
    }
  }
  return { queues, schedulerJobs: jobs };
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
    alertNotificationChannels: channelIds,
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
    alertNotificationChannels: channelIds,
  };
}
