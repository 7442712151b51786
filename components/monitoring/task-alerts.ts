import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { alertPolicyArgs, thresholdCondition } from "./alert-policies";
import { logCounterMetricArgs, logMetricType } from "./log-metrics";

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
  inputs: Common & { readonly queueId: string; readonly threshold: number },
): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    ...inputs,
    displayName: `Cloud Tasks queue ${inputs.queueId} is backing up`,
    severity: "WARNING",
    conditions: [
      thresholdCondition({
        displayName: `more than ${inputs.threshold} tasks waiting for 5 minutes`,
        filter: pulumi.interpolate`resource.type = "cloud_tasks_queue" AND resource.labels.queue_id = "${inputs.queueId}" AND metric.type = "cloudtasks.googleapis.com/queue/depth"`,
        threshold: inputs.threshold,
        durationSeconds: 300,
      }),
    ],
    documentation: `Tasks are piling up on this Cloud Tasks queue faster than they are dispatched. Check the handler's latency and errors (a slow or failing handler holds every concurrent slot), and the queue's rate limits (maxDispatchesPerSecond, maxConcurrentDispatches) against the load. Pause producers if the backlog threatens task age limits.`,
  });
}

/** Fires when attempts on a queue's tasks fail (any response code other than OK). */
export function queueTaskFailureAlertArgs(
  inputs: Common & { readonly queueId: string },
): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    ...inputs,
    displayName: `Cloud Tasks queue ${inputs.queueId} has failing tasks`,
    conditions: [
      thresholdCondition({
        displayName: "task attempts failed in the last 5 minutes",
        filter: pulumi.interpolate`resource.type = "cloud_tasks_queue" AND resource.labels.queue_id = "${inputs.queueId}" AND metric.type = "cloudtasks.googleapis.com/queue/task_attempt_count" AND metric.labels.response_code != "OK"`,
        threshold: 0,
        alignmentPeriodSeconds: 300,
        aligner: "ALIGN_DELTA",
      }),
    ],
    documentation: `Attempts to dispatch tasks from this queue failed. The handler's logs (and the queue's logs, sampled by loggingSamplingRatio) give the response code per task. Tasks are retried with backoff until maxAttempts; after that they are dropped, so fix the handler or the downstream API before the attempts run out.`,
  });
}

/** A log-based counter of Cloud Scheduler job errors, in one project. */
export function schedulerErrorMetricArgs(inputs: {
  readonly project?: pulumi.Input<string>;
  readonly name: string;
  readonly jobName: string;
}): gcp.logging.MetricArgs {
  return logCounterMetricArgs({
    project: inputs.project,
    name: inputs.name,
    description: `Failed attempts of Cloud Scheduler job ${inputs.jobName}`,
    filter: pulumi.interpolate`resource.type = "cloud_scheduler_job" AND resource.labels.job_id = "${inputs.jobName}" AND severity >= ERROR`,
  });
}

/** Fires when a Cloud Scheduler job logs an error (a failed attempt), from its log metric. */
export function schedulerFailureAlertArgs(
  inputs: Common & { readonly jobName: string; readonly metricName: string },
): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    ...inputs,
    displayName: `Cloud Scheduler job ${inputs.jobName} failed`,
    conditions: [
      thresholdCondition({
        displayName: `${inputs.jobName} logged an error`,
        filter: `resource.type = "cloud_scheduler_job" AND metric.type = "${logMetricType(inputs.metricName)}"`,
        threshold: 0,
        alignmentPeriodSeconds: 300,
        aligner: "ALIGN_DELTA",
      }),
    ],
    documentation: `A run of Cloud Scheduler job ${inputs.jobName} failed: its target returned an error or did not answer within the attempt deadline. The job's logs in Cloud Logging (resource cloud_scheduler_job) give the status; check the target's own logs, then run the job again with "Force run" once it is fixed.`,
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
