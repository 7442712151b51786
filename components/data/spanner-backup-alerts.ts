import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import {
  alertPolicyArgs,
  logCountAboveCondition,
  logCountBelowOneCondition,
} from "../monitoring/alert-policies";
import { logMetricType } from "../monitoring/log-metrics";
import { failureOutcomes, logEvent } from "../../lib/spanner-backup-function/handler";

// The log filters, metrics and alert conditions of SpannerScheduledBackup, as pure functions so
// tests can assert them exactly.

export const createBackupMethod = "google.spanner.admin.database.v1.DatabaseAdmin.CreateBackup";
/**
 * The audit log method of a backup a native schedule makes. UNCONFIRMED: no Google document or
 * public code shows this method name or `protoPayload.metadata.backupSchedules`; the README says
 * what to check on a real project (the first scheduled backup's audit entry).
 */
export const scheduledBackupMethod = "CreateScheduledBackup";

/** The Spanner client libraries' session-pool metrics, as their OpenCensus exporter names them. */
export const defaultSessionPoolMetricTypes = {
  acquisitionTimeouts:
    "custom.googleapis.com/opencensus/cloud.google.com/java/spanner/get_session_timeouts",
  inUseSessions:
    "custom.googleapis.com/opencensus/cloud.google.com/java/spanner/max_in_use_sessions",
} as const;

/** `CreateBackup` (and scheduled backup) failures on the instance. */
export function createBackupErrorsFilter(instance: string): string {
  return `resource.type="spanner_instance" AND resource.labels.instance_id="${instance}" AND protoPayload.methodName=("${createBackupMethod}" OR "${scheduledBackupMethod}") AND severity>=ERROR`;
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
 * A completed backup of one database, from Spanner's audit log: the last entry of the
 * long-running operation, not an error. Native schedules log `CreateScheduledBackup` naming their
 * schedule; the function's backups are `CreateBackup` of `schedule-<db>-<yyyymmdd>-<hhmmss>`.
 */
export function backupSucceededFilter(
  mode: "native" | "function",
  instance: string,
  database: string,
): string {
  const base = `resource.type="spanner_instance" AND resource.labels.instance_id="${instance}"`;
  if (mode === "native") {
    return `${base} AND protoPayload.methodName="${scheduledBackupMethod}" AND operation.last="true" AND severity<ERROR AND protoPayload.metadata.backupSchedules:"/databases/${database}/backupSchedules/"`;
  }
  return `${base} AND protoPayload.methodName="${createBackupMethod}" AND operation.last="true" AND severity<ERROR AND protoPayload.resourceName=~"/backups/schedule-${database}-[0-9]{8}-[0-9]{6}$"`;
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
  displayName: string,
  documentation: string,
  conditions: gcp.types.input.monitoring.AlertPolicyCondition[],
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
  sessionTimeouts: (instance: string) =>
    `Spanner clients of instance ${instance} timed out waiting for a session from their pool: requests are failing. The pool is exhausted (raise maxSessions, or find a session leak: transactions and result sets not closed).`,
  sessionsNearMax: (instance: string, limit: number) =>
    `Spanner clients of instance ${instance} use more than ${limit} sessions of their pool: close to exhaustion, after which requests wait and time out. Raise the pool's maxSessions or reduce concurrency before it runs out.`,
} as const;
