import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import {
  alertPolicyArgs,
  logCountAboveCondition,
  promQlCondition,
  thresholdCondition,
} from "./alert-policies";
import { logCounterMetricArgs } from "./log-metrics";

// The alerts Cloud Tasks queues, Cloud Scheduler jobs and Pub/Sub subscriptions need, built from
// the shared blocks (alertPolicyArgs, thresholdCondition, logCounterMetricArgs). Each states what
// it means and what to do, because an alert nobody can act on is noise.

interface Common {
  readonly project?: pulumi.Input<string>;
  readonly notificationChannels: readonly pulumi.Input<string>[];
  readonly labels: Readonly<Record<string, string>>;
}

/** Fires when more than `threshold` tasks wait on a queue for 5 minutes: dispatch is not keeping up. */
export function queueDepthAlertArgs(
  inputs: Common & {
    readonly queueId: string;
    readonly location: string;
    readonly threshold: number;
  },
): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    ...inputs,
    displayName: `Cloud Tasks queue ${inputs.queueId} is backing up`,
    severity: "WARNING",
    conditions: [
      thresholdCondition({
        displayName: `more than ${inputs.threshold} tasks waiting for 5 minutes`,
        filter: `resource.type = "cloud_tasks_queue" AND resource.labels.location = "${inputs.location}" AND resource.labels.queue_id = "${inputs.queueId}" AND metric.type = "cloudtasks.googleapis.com/queue/depth"`,
        threshold: inputs.threshold,
        durationSeconds: 300,
      }),
    ],
    documentation: `Tasks are piling up on this Cloud Tasks queue faster than they are dispatched. Check the handler's latency and errors (a slow or failing handler holds every concurrent slot), and the queue's rate limits (maxDispatchesPerSecond, maxConcurrentDispatches) against the load. Pause producers if the backlog threatens task age limits.`,
  });
}

/** The failure-ratio alert's defaults: documented on CloudTasksQueueArgs. */
export const taskFailureAlertDefaults = { ratio: 0.5, windowSeconds: 1800, durationSeconds: 600 };

/**
 * Fires when more than `ratio` of a queue's task attempts failed over `windowSeconds`, for
 * `durationSeconds`: a handler or downstream that keeps failing, so tasks will run out of attempts
 * and be dropped. A single failed attempt is noise on a queue that retries (a 429 from a
 * rate-limited partner, a 503 while Cloud Run scales), so it never pages on its own. The metric's
 * `response_code` label is compared with "OK"; UNCONFIRMED: no Google page lists its values (the
 * README says what to check on a real project).
 */
export function queueTaskFailureAlertArgs(
  inputs: Common & {
    readonly queueId: string;
    readonly location: string;
    /** @default 0.5 */
    readonly ratio?: number;
  },
): gcp.monitoring.AlertPolicyArgs {
  const ratio = inputs.ratio ?? taskFailureAlertDefaults.ratio;
  const { windowSeconds, durationSeconds } = taskFailureAlertDefaults;
  const attempts = (extra: string) =>
    `sum(increase(cloudtasks_googleapis_com:queue_task_attempt_count{monitored_resource="cloud_tasks_queue",location=${JSON.stringify(inputs.location)},queue_id=${JSON.stringify(inputs.queueId)}${extra}}[${windowSeconds}s]))`;
  return alertPolicyArgs({
    ...inputs,
    displayName: `Cloud Tasks queue ${inputs.queueId} is failing tasks`,
    conditions: [
      promQlCondition({
        displayName: `more than ${Math.round(ratio * 100)}% of attempts failed over ${windowSeconds / 60} minutes, for ${durationSeconds / 60} minutes`,
        query: `${attempts(',response_code!="OK"')} / ${attempts("")} > ${ratio}`,
        durationSeconds,
      }),
    ],
    documentation: `More than ${Math.round(ratio * 100)}% of the attempts to dispatch tasks from queue ${inputs.queueId} (${inputs.location}) failed over the last ${windowSeconds / 60} minutes, for ${durationSeconds / 60} minutes. Tasks are retried with backoff until maxAttempts; after that they are dropped and lost. The handler's logs (and the queue's logs, sampled by loggingSamplingRatio) give the response code per task: fix the handler or the downstream API before the attempts run out, or pause the queue (gcloud tasks queues pause) to keep the tasks.`,
  });
}

/** The log metric name of a Cloud Scheduler job's failed attempts: one per region and job id. */
export function schedulerErrorMetricName(region: string, jobName: string): string {
  return `taskstack/scheduler-errors/${region}/${jobName}`.slice(0, 100);
}

/** A log-based counter of a Cloud Scheduler job's failed attempts, in one project and region. */
export function schedulerErrorMetricArgs(inputs: {
  readonly project?: pulumi.Input<string>;
  readonly name: string;
  readonly jobName: string;
  readonly region: string;
}): gcp.logging.MetricArgs {
  return logCounterMetricArgs({
    project: inputs.project,
    name: inputs.name,
    description: `Failed attempts of Cloud Scheduler job ${inputs.jobName} in ${inputs.region}`,
    filter: `resource.type = "cloud_scheduler_job" AND resource.labels.location = "${inputs.region}" AND resource.labels.job_id = "${inputs.jobName}" AND severity >= ERROR`,
  });
}

/**
 * Fires when a Cloud Scheduler job's run failed after its retries: more than `retryCount` failed
 * attempts within `windowSeconds` (the span of one run's attempts and backoffs, plus slack). A
 * failed attempt whose retry succeeds does not page. PromQL with metric validation off, so it can
 * be created in the same update as its log metric.
 */
export function schedulerFailureAlertArgs(
  inputs: Common & {
    readonly jobName: string;
    readonly region: string;
    readonly metricName: string;
    readonly retryCount: number;
    readonly windowSeconds: number;
  },
): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    ...inputs,
    displayName: `Cloud Scheduler job ${inputs.jobName} (${inputs.region}) failed`,
    conditions: [
      logCountAboveCondition({
        displayName: `${inputs.jobName}: ${inputs.retryCount + 1} failed attempts within ${Math.ceil(inputs.windowSeconds / 60)} minutes (a run and all its retries)`,
        metricName: inputs.metricName,
        resourceType: "cloud_scheduler_job",
        windowSeconds: inputs.windowSeconds,
        threshold: inputs.retryCount,
      }),
    ],
    documentation: `A run of Cloud Scheduler job ${inputs.jobName} (${inputs.region}) failed after its ${inputs.retryCount} retries: its target returned an error or did not answer within the attempt deadline, every time. The job's logs in Cloud Logging (resource cloud_scheduler_job) give the status; check the target's own logs, then run the job again with "Force run" once it is fixed.`,
  });
}

/** Fires when a subscription's oldest unacked message is older than `maxAgeSeconds`. */
export function oldestUnackedAgeAlertArgs(
  inputs: Common & {
    readonly subscriptionName: string;
    readonly maxAgeSeconds: number;
  },
): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    ...inputs,
    displayName: `Pub/Sub subscription ${inputs.subscriptionName} is falling behind`,
    severity: "WARNING",
    conditions: [
      thresholdCondition({
        displayName: `oldest unacked message older than ${inputs.maxAgeSeconds}s`,
        filter: pulumi.interpolate`resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${inputs.subscriptionName}" AND metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age"`,
        threshold: inputs.maxAgeSeconds,
        durationSeconds: 300,
      }),
    ],
    documentation: `Messages on this subscription wait longer than expected to be acknowledged: its consumers are down, too slow, or failing on some messages (which are then redelivered until dead-lettered). Check the consumers' health and logs, and scale them out if the backlog grows.`,
  });
}
