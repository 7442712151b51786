import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { messaging, monitoring, scheduling } from "../components";
import type { StackConfig } from "./config";
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
  const { project, region, labels } = config["taskstack:gcp"];
  const protect = config["taskstack:deletionProtection"];
  const queues: Record<string, pulumi.Output<string>> = {};
  for (const { name, enqueuers, ...q } of config["taskstack:messaging"].queues) {
    const queue = new messaging.CloudTasksQueue(name, {
      ...q,
      project,
      location: q.location ?? region,
      protect: q.protect ?? protect,
      alertNotificationChannels: channelIds,
    });
    for (const member of enqueuers) queue.grantEnqueue(member);
    queues[name] = queue.queueId;
  }

  const jobs: Record<string, pulumi.Output<string>> = {};
  const section = config["taskstack:scheduling"];
  for (const j of section.jobs) {
    jobs[j.name] = declareJob(j, project, region, channelIds).job.name;
  }
  if (section.appEngineCron !== undefined) {
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

function declareJob(
  { name, topic, ...j }: JobConfig,
  project: string,
  region: string,
  channelIds: readonly pulumi.Output<string>[],
): scheduling.CloudSchedulerJob {
  return new scheduling.CloudSchedulerJob(name, {
    ...j,
    project,
    region: j.region ?? region,
    ...(topic === undefined
      ? {}
      : { topic: topic.startsWith("projects/") ? topic : `projects/${project}/topics/${topic}` }),
    alertNotificationChannels: channelIds,
  });
}
