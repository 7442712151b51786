import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import {
  alertPolicyArgs,
  logCountAboveCondition,
  logCountBelowOneCondition,
} from "../monitoring/alert-policies";
import { logMetricType } from "../monitoring/log-metrics";
import { whenResolved } from "../shared/resolved";
import { failureOutcomes, logEvent } from "../../lib/spanner-backup-function/handler";
import { checkEvent } from "../../lib/spanner-backup-function/checker";

// The log filters, metrics and alert conditions of SpannerScheduledBackup, as pure functions so
// tests can assert them exactly.
//
// Which signal is whose:
// - Documented by Google: the `CreateBackup` method name in Spanner's audit log (cloud.google.com/
//   spanner/docs/logs) and the `cloud_scheduler_job` log of a failed job.
// - Ours: the backup function's `taskstack.spanner-backup` lines (function mode) and the backup
//   checker's `taskstack.spanner-backup-check` heartbeats (native mode). Spanner documents no log
//   entry or metric for a backup a schedule made, so native mode's success signal is the checker,
//   which reads the backups themselves through the documented ListBackups API.

/** Spanner's audit log method of a backup request (cloud.google.com/spanner/docs/logs). */
export const createBackupMethod = "google.spanner.admin.database.v1.DatabaseAdmin.CreateBackup";

/** The Spanner client libraries' session-pool metrics, as their OpenCensus exporter names them. */
export const defaultSessionPoolMetricTypes = {
  acquisitionTimeouts:
    "custom.googleapis.com/opencensus/cloud.google.com/java/spanner/get_session_timeouts",
  inUseSessions:
    "custom.googleapis.com/opencensus/cloud.google.com/java/spanner/max_in_use_sessions",
} as const;

/**
 * `CreateBackup` failures on the instance (a request someone or the function made). A backup a
 * native schedule fails to make logs nothing documented: the checker's heartbeat stops instead.
 * An instance given as an Output (a `gcp.spanner.Instance`'s `name`) gives an Output of the filter.
 */
export function createBackupErrorsFilter(instance: string): string;
export function createBackupErrorsFilter(instance: pulumi.Input<string>): pulumi.Input<string>;
export function createBackupErrorsFilter(instance: pulumi.Input<string>): pulumi.Input<string> {
  return whenResolved(instance, (i) => {
    return `resource.type="spanner_instance" AND resource.labels.instance_id="${i}" AND protoPayload.methodName="${createBackupMethod}" AND severity>=ERROR`;
  });
}

/** Cloud Scheduler's log of a job whose attempt failed. */
export function schedulerErrorsFilter(jobNames: readonly string[]): string {
  const ids = jobNames.map((j) => `"${j}"`).join(" OR ");
  return `resource.type="cloud_scheduler_job" AND resource.labels.job_id=(${ids}) AND severity>=ERROR`;
}

/**
 * The function's own failure events (outcome poison, failed or gave-up), and nothing else of its
 * Cloud Run service: the platform logs 429 "no available instance" at ERROR whenever two jobs fire
 * together against `maxInstanceCount: 1`, and Pub/Sub redelivers those requests, so they are not
 * failures. A crash logs no outcome; the per-database "no backup" absence alert covers it.
 */
export function functionErrorsFilter(functionName: string): string {
  const outcomes = failureOutcomes.map((o) => `"${o}"`).join(" OR ");
  return `resource.type="cloud_run_revision" AND resource.labels.service_name="${functionName}" AND jsonPayload.event="${logEvent}" AND jsonPayload.outcome=(${outcomes})`;
}

/**
 * The success signal of one database. Native mode: the checker's `fresh` heartbeat for the
 * database (ours, see the top of this file). Function mode: a completed backup in Spanner's audit
 * log, the last entry of the `CreateBackup` operation of `schedule-<db>-<yyyymmdd>-<hhmmss>`, as
 * cloudspannerecosystem/scheduled-backups filters it. An instance or database path given as an
 * Output gives an Output of the filter.
 */
export function backupSucceededFilter(
  mode: "native" | "function",
  instance: string,
  database: string,
  checker?: { readonly checkerFunctionName: string; readonly database: string },
): string;
export function backupSucceededFilter(
  mode: "native" | "function",
  instance: pulumi.Input<string>,
  database: string,
  checker?: { readonly checkerFunctionName: string; readonly database: pulumi.Input<string> },
): pulumi.Input<string>;
export function backupSucceededFilter(
  mode: "native" | "function",
  instance: pulumi.Input<string>,
  database: string,
  checker?: { readonly checkerFunctionName: string; readonly database: pulumi.Input<string> },
): pulumi.Input<string> {
  if (mode === "native") {
    if (checker === undefined) throw new Error("native mode: the checker's names are required");
    return whenResolved(checker.database, (path) => {
      return `resource.type="cloud_run_revision" AND resource.labels.service_name="${checker.checkerFunctionName}" AND jsonPayload.event="${checkEvent}" AND jsonPayload.outcome="fresh" AND jsonPayload.database="${path}"`;
    });
  }
  return whenResolved(instance, (i) => {
    const base = `resource.type="spanner_instance" AND resource.labels.instance_id="${i}"`;
    return `${base} AND protoPayload.methodName="${createBackupMethod}" AND operation.last="true" AND severity<ERROR AND protoPayload.resourceName=~"/backups/schedule-${database}-[0-9]{8}-[0-9]{6}$"`;
  });
}

/** A log-based metric's filter in an alert condition. */
export function metricFilter(metricName: string, resourceType: string): string {
  return `metric.type="${logMetricType(metricName)}" AND resource.type="${resourceType}"`;
}

/** Whole minutes, rounded up: Cloud Monitoring takes durations in minutes. */
const minutes = (seconds: number): number => Math.ceil(seconds / 60) * 60;

/**
 * "No backup of this database completed within `windowSeconds`", in one PromQL form for every
 * window (see `logCountBelowOneCondition`): it fires when the metric never had a point, which a
 * metric-absence condition never does, and it has no 23.5-hour ceiling.
 */
export function backupMissingCondition(
  metricName: string,
  database: string,
  windowSeconds: number,
): gcp.types.input.monitoring.AlertPolicyCondition {
  const window = minutes(windowSeconds);
  return logCountBelowOneCondition({
    displayName: `No completed backup of ${database} for ${window / 3600} hours`,
    metricName,
    resourceType: "spanner_instance",
    windowSeconds: window,
  });
}

/**
 * Native mode: no `fresh` heartbeat of the checker within `heartbeatWindowSeconds`. The checker
 * runs every 30 minutes and writes one only while the newest scheduled backup is younger than the
 * backup window, so this fires when backups stop (after the window) and when the checker stops.
 */
export function checkerHeartbeatCondition(
  metricName: string,
  database: string,
  windowHours: number,
  heartbeatWindowSeconds: number,
): gcp.types.input.monitoring.AlertPolicyCondition {
  return logCountBelowOneCondition({
    displayName: `No heartbeat of a backup of ${database} younger than ${windowHours} hours`,
    metricName,
    resourceType: "cloud_run_revision",
    windowSeconds: heartbeatWindowSeconds,
  });
}

/** Any matching log entry within 5 minutes, on a log-based metric created in the same update. */
export function errorsCondition(
  displayName: string,
  metricName: string,
  resourceType: string,
): gcp.types.input.monitoring.AlertPolicyCondition {
  return logCountAboveCondition({ displayName, metricName, resourceType, windowSeconds: 300 });
}

export interface AlertContext {
  readonly project?: pulumi.Input<string>;
  readonly notificationChannels: readonly pulumi.Input<string>[];
  readonly labels: Readonly<Record<string, string>>;
}

/** An alert policy in taskstack's shape. */
export function backupAlertPolicyArgs(
  ctx: AlertContext,
  displayName: pulumi.Input<string>,
  documentation: pulumi.Input<string>,
  conditions: pulumi.Input<pulumi.Input<gcp.types.input.monitoring.AlertPolicyCondition>[]>,
  severity: "CRITICAL" | "ERROR" | "WARNING" = "ERROR",
): gcp.monitoring.AlertPolicyArgs {
  return alertPolicyArgs({
    project: ctx.project,
    displayName,
    documentation,
    conditions,
    notificationChannels: ctx.notificationChannels,
    labels: ctx.labels,
    severity,
  });
}

/** What each alert tells the person it reaches. */
export const runbooks = {
  createBackupErrors: (instance: string) =>
    `Spanner refused or failed a backup on instance ${instance}. Open Logs Explorer with this policy's filter to see the database and the status. PERMISSION_DENIED: restore roles/spanner.backupWriter of the backup service account. FAILED_PRECONDITION: another backup of the database is still running (a schedule too tight for the database's size). RESOURCE_EXHAUSTED: the instance's backup quota. Then check that the next scheduled backup completes.`,
  schedulerErrors: (jobs: readonly string[]) =>
    `A Cloud Scheduler job (${jobs.join(", ")}) failed to publish a backup request after its retries, so that run's backup was never started. Check the job's log entry (status and HTTP code); a 403 means its service account lost roles/pubsub.publisher on the topic. Run the job once by hand (gcloud scheduler jobs run) after fixing it.`,
  functionErrors: (fn: string) =>
    `The backup function ${fn} did not start a backup and will not retry it: a malformed or foreign request (jsonPayload.outcome "poison"), a permanent Spanner error ("failed"), or transient errors past the retry window ("gave-up"). jsonPayload.outcome and jsonPayload.error say which. Fix the cause, then start the missed backup by running the database's scheduler job. Only these events count: the service's own request errors (429 "no available instance" when jobs fire together) are redelivered by Pub/Sub, and a function that crashes or never runs logs no outcome; the "No recent backup" alert of each database fires for those.`,
  backupMissing: (database: string, hours: number) =>
    `No backup of ${database} completed in the last ${hours} hours, the schedule's longest interval plus slack: backups have stopped. Check the error alerts of this backup, the schedule (native: gcloud spanner backup-schedules list; function: the scheduler job is enabled and its last attempt succeeded), and the Spanner audit log. Start a backup by hand if the gap matters (gcloud spanner backups create). A database created moments ago alerts until its first backup completes.`,
  backupMissingNative: (database: string, hours: number, checker: string) =>
    `For the last 3 hours the backup checker ${checker} has not seen a complete scheduled backup of ${database} created within ${hours} hours (the schedule's longest interval plus slack), or has not run at all. Open the checker's logs (jsonPayload.event="${checkEvent}"): outcome "stale" means backups stopped (check gcloud spanner backup-schedules list and gcloud spanner backups list --filter="database:${database}"); outcome "error" is the checker's own error (a 403 means it lost its backup-lister role on the instance); no line at all means its scheduler job or the function is broken. Start a backup by hand if the gap matters (gcloud spanner backups create). A database created moments ago alerts until its first scheduled backup completes.`,
  sessionTimeouts: (instance: string) =>
    `Spanner clients of instance ${instance} timed out waiting for a session from their pool: requests are failing. The pool is exhausted (raise maxSessions, or find a session leak: transactions and result sets not closed).`,
  sessionsNearMax: (instance: string, limit: number) =>
    `Spanner clients of instance ${instance} use more than ${limit} sessions of their pool: close to exhaustion, after which requests wait and time out. Raise the pool's maxSessions or reduce concurrency before it runs out.`,
} as const;
