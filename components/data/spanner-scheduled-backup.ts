import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { logCounterMetricArgs, logMetricType } from "../monitoring/log-metrics";
import { promQlCondition, promQlSeries } from "../monitoring/alert-policies";
import { scheduleIntervals } from "../../lib/cron";
import { gcpApis } from "../project/project-apis";
import type { GcpApi } from "../project/project-apis";
import { managedByLabels } from "../shared/labels";
import { childName } from "../shared/naming";
import { claimDerivedNamesWhenResolved } from "../shared/claims";
import { argsWhenResolved, checkedWhenResolved, whenResolved } from "../shared/resolved";
import { gcpProjectId, isKnown, validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import {
  checkerHeartbeatWindowSeconds,
  declareBackupChecker,
  declareFunctionSource,
} from "./spanner-backup-functions";
import type { SpannerBackupChecker } from "./spanner-backup-functions";
import {
  backupAlertPolicyArgs,
  backupMissingCondition,
  backupSucceededFilter,
  checkerHeartbeatCondition,
  createBackupErrorsFilter,
  defaultSessionPoolMetricTypes,
  errorsCondition,
  functionErrorsFilter,
  runbooks,
  schedulerErrorsFilter,
} from "./spanner-backup-alerts";
import { declareBackupFunction } from "./spanner-backup-function-mode";
import {
  databasePath,
  spannerScheduledBackupDerivedNames,
  spannerScheduledBackupNames,
} from "./spanner-backup-names";
import type { BackupTarget } from "./spanner-backup-names";
import {
  defaultAbsenceSlackSeconds,
  scheduleTimeZone,
  spannerInstanceId,
  spannerScheduledBackupArgsSchema,
} from "./spanner-scheduled-backup-schema";

/** Kinds of Spanner backup. */
export const BackupType = {
  /** Each backup holds the whole database. */
  Full: "full",
  /** Backups after the first in a chain hold only the changes (native mode, Google-managed encryption). */
  Incremental: "incremental",
} as const;
export type BackupType = (typeof BackupType)[keyof typeof BackupType];

/** One database's backups. */
export interface SpannerBackupDatabase {
  /** The database id in the instance. */
  readonly name: string;
  /** Unix cron of the backups (UTC in native mode, `timeZone` in function mode), e.g. `0 2 * * *`. */
  readonly schedule: string;
  /**
   * How long each backup is kept: 21600–31622400 seconds and at least the schedule's longest
   * interval. Function mode keeps each backup at least 22200 s (6 h 10 min): Spanner refuses an
   * expire time less than 6 hours after it processes CreateBackup, a moment after the function
   * computes it.
   */
  readonly retentionSeconds: number;
  /** Full backups, or incremental chains (native mode, Google-managed encryption only). @default "full" */
  readonly type?: BackupType;
  /** Cloud KMS key encrypting the backups (native, full backups). @default - the database's own encryption */
  readonly kmsKeyName?: string;
  /**
   * Seconds added to the schedule's longest interval before "no backup" alerts.
   * @default 21600 in native mode (backups start up to 4 h after their time), 7200 in function mode
   */
  readonly absenceSlackSeconds?: number;
}

/**
 * Alerts on the Spanner client libraries' session-pool metrics. The default metric types exist
 * only after a Java client enabled its OpenCensus exporter ("By default, the functionality is
 * disabled", googleapis/java-spanner README); other languages, OpenTelemetry clients and
 * multiplexed sessions never write them, and the alerts would never fire.
 */
export interface SessionPoolAlerts {
  /**
   * `true`: you state that your application's Spanner clients export these metrics (for the
   * defaults, a Java client with the OpenCensus exporter enabled). Required.
   */
  readonly clientsExportMetrics: boolean;
  /** The clients' configured pool maximum (`maxSessions`). */
  readonly maxSessions: number;
  /** Alert when in-use sessions pass this share of `maxSessions`. @default 0.9 */
  readonly nearMaxRatio?: number;
  /** @default "custom.googleapis.com/opencensus/cloud.google.com/java/spanner/get_session_timeouts" */
  readonly acquisitionTimeoutsMetricType?: string;
  /** @default "custom.googleapis.com/opencensus/cloud.google.com/java/spanner/max_in_use_sessions" */
  readonly inUseSessionsMetricType?: string;
}

/** An instance's `defaultBackupScheduleType`. */
export const BackupScheduleType = {
  /** New databases get no backup schedule of their own. */
  None: "NONE",
  /** Spanner gives every new database a daily full-backup schedule. */
  Automatic: "AUTOMATIC",
} as const;
export type BackupScheduleType = (typeof BackupScheduleType)[keyof typeof BackupScheduleType];

/** How SpannerScheduledBackup takes its backups. */
export const SpannerBackupMode = {
  /** A Spanner backup schedule per database, watched by a backup checker. */
  Native: "native",
  /** A Cloud Scheduler job per database publishes to a topic; a Cloud Function starts each backup. */
  Function: "function",
} as const;
export type SpannerBackupMode = (typeof SpannerBackupMode)[keyof typeof SpannerBackupMode];

export interface SpannerScheduledBackupArgs {
  /**
   * GCP project of the instance and of every resource, e.g. a `gcp.spanner.Instance`'s `project`.
   * Required (the schema says why when missing); an Output is checked once it resolves, and the
   * names the component derives are then claimed in the project it resolves to.
   */
  readonly project?: pulumi.Input<string>;
  /** Region of the functions (function mode: the backup function; native mode: the backup checker), their scheduler jobs and source bucket. Required. */
  readonly region?: string;
  /**
   * The Spanner instance id holding the databases, e.g. a `gcp.spanner.Instance`'s `name`; an
   * Output is checked once it resolves.
   */
  readonly instance: pulumi.Input<string>;
  /**
   * The instance's `defaultBackupScheduleType`, when you know it. `AUTOMATIC` is refused: Spanner
   * then gives every new database a daily schedule of its own, and these databases would be backed
   * up twice. Set the instance to `NONE`; an instance you do not declare is yours to check
   * (`gcloud spanner instances describe`, `gcloud spanner backup-schedules list`).
   * @default - unknown (not checked)
   */
  readonly instanceDefaultBackupScheduleType?: BackupScheduleType;
  /**
   * `native`: a Spanner backup schedule per database. `function`: a Cloud Scheduler job per
   * database publishes to a topic, and a Cloud Function starts each backup.
   * @default "native"
   */
  readonly mode?: SpannerBackupMode;
  /** Time zone of function-mode schedules (native schedules are UTC). @default "Etc/UTC" */
  readonly timeZone?: string;
  /** Function mode: how long transient errors are retried before the function gives up (600–86400 s). @default 3600 */
  readonly retryWindowSeconds?: number;
  /** Alert on the client session pools. @default - no session-pool alerts */
  readonly sessionPoolAlerts?: SessionPoolAlerts;
  /** The databases and their schedules (at least one). */
  readonly databases: SpannerBackupDatabase[];
  /** Channels of the error, absence and session alerts. @default [] (metrics only, no alert policies) */
  readonly alertNotificationChannels?: pulumi.Input<string>[];
  /** Labels on every resource that takes them, beside `managed-by: taskstack`. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Protect the backup schedules, topic, bucket and function from deletion. @default false */
  readonly protect?: boolean;
}

const argsMatchSchema: SameShape<
  Known<SpannerScheduledBackupArgs>,
  z.input<typeof spannerScheduledBackupArgsSchema>
> = true;
void argsMatchSchema;

/** Checks SpannerScheduledBackup args, throwing one TaskstackInputError listing every problem. */
export function validateSpannerScheduledBackupArgs(name: unknown, args: unknown): void {
  validateArgs("SpannerScheduledBackup", name, spannerScheduledBackupArgsSchema, args);
}

export { buildRoles } from "./spanner-backup-functions";
export { spannerScheduledBackupDerivedNames, spannerScheduledBackupNames };

/**
 * How long a database may go without a completed backup before it is missing: the schedule's
 * longest interval plus the database's slack.
 */
function backupWindowSeconds(
  mode: "native" | "function",
  timeZone: string | undefined,
  db: SpannerBackupDatabase,
): number {
  const slack = db.absenceSlackSeconds ?? defaultAbsenceSlackSeconds[mode];
  return scheduleIntervals(db.schedule, scheduleTimeZone(mode, timeZone)).maxSeconds + slack;
}

/**
 * Scheduled backups of a Spanner instance's databases, with the alerting that tells someone when
 * a backup fails and when none happened at all.
 */
export class SpannerScheduledBackup extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:data:SpannerScheduledBackup";

  /** The APIs backups with these args call (enable them first: see `project.ProjectApis`). */
  static requiredApis(args: SpannerScheduledBackupArgs): GcpApi[] {
    const fn = (args.mode ?? "native") === "function";
    // Both modes deploy a function (native mode: the backup checker) and a scheduler job.
    return [
      gcpApis.spanner,
      gcpApis.logging,
      ...((args.alertNotificationChannels ?? []).length > 0 ? [gcpApis.monitoring] : []),
      gcpApis.cloudScheduler,
      ...(fn ? [gcpApis.pubsub] : []),
      gcpApis.iam,
      gcpApis.cloudResourceManager,
      gcpApis.storage,
      gcpApis.cloudFunctions,
      gcpApis.run,
      gcpApis.cloudBuild,
      gcpApis.artifactRegistry,
      ...(fn ? [gcpApis.eventarc] : []),
    ];
  }

  readonly mode: SpannerBackupMode;
  /** Native mode: the backup schedule of each database. */
  readonly schedules: Readonly<Record<string, gcp.spanner.BackupSchedule>>;
  /** Function mode: the scheduler job of each database. */
  readonly jobs: Readonly<Record<string, gcp.cloudscheduler.Job>>;
  /** Native mode: the backup checker whose heartbeats are the success signal. */
  readonly checker?: SpannerBackupChecker;
  readonly topic?: gcp.pubsub.Topic;
  readonly bucket?: gcp.storage.Bucket;
  readonly archive?: gcp.storage.BucketObject;
  readonly function?: gcp.cloudfunctionsv2.Function;
  readonly schedulerServiceAccount?: gcp.serviceaccount.Account;
  readonly functionServiceAccount?: gcp.serviceaccount.Account;
  /** Function mode: the account Cloud Build builds the function as. */
  readonly buildServiceAccount?: gcp.serviceaccount.Account;
  /** Log-based metrics by role (`createBackupErrors`, `<db>-succeeded`, …). */
  readonly metrics: Readonly<Record<string, gcp.logging.Metric>>;
  /** Alert policies by role; empty without notification channels. */
  readonly alertPolicies: Readonly<Record<string, gcp.monitoring.AlertPolicy>>;

  constructor(
    name: string,
    args: SpannerScheduledBackupArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    validateSpannerScheduledBackupArgs(name, args);
    const mode = args.mode ?? "native";
    // Required by the schema, which has been checked: a known value now, an Output once it
    // resolves (the one message a known value gets), before its names are claimed in its project.
    const project = claimDerivedNamesWhenResolved(
      `SpannerScheduledBackup ${JSON.stringify(name)}`,
      spannerScheduledBackupDerivedNames(
        name,
        args.databases.map((d) => d.name),
        mode,
      ),
      checkedWhenResolved(
        "SpannerScheduledBackup",
        name,
        "project",
        gcpProjectId,
        args.project as pulumi.Input<string>,
      ),
    );
    const instance = checkedWhenResolved(
      "SpannerScheduledBackup",
      name,
      "instance",
      spannerInstanceId,
      args.instance,
    );
    super(SpannerScheduledBackup.__pulumiType, name, {}, opts);

    const protect = args.protect ?? false;
    const labels = { ...managedByLabels, ...(args.labels ?? {}) };
    const names = spannerScheduledBackupNames(
      name,
      args.databases.map((d) => d.name),
    );
    const channels = args.alertNotificationChannels ?? [];
    this.mode = mode;
    // Names, filters, queries and texts that contain the project or instance are built from
    // `target`: plain strings when both were given as strings, else Outputs of the same values.
    const target = backupTarget(project, instance);

    const schedules: Record<string, gcp.spanner.BackupSchedule> = {};
    const jobs: Record<string, gcp.cloudscheduler.Job> = {};
    // Required by the schema, which has been checked.
    const region = args.region as string;
    // The source bucket holds only the archive: protected with the function it builds in
    // function mode (as before), never for native mode's checker, which keeps no state.
    const source = declareFunctionSource(
      this,
      name,
      project,
      region,
      names,
      labels,
      mode === "function" && protect,
    );
    if (mode === "native") {
      for (const db of args.databases) {
        const type = db.type ?? "full";
        schedules[db.name] = new gcp.spanner.BackupSchedule(
          childName(name, db.name, "schedule"),
          {
            project,
            instance,
            database: db.name,
            name: `taskstack-${type}`,
            retentionDuration: `${db.retentionSeconds}s`,
            spec: { cronSpec: { text: db.schedule } },
            ...(type === "full" ? { fullBackupSpec: {} } : { incrementalBackupSpec: {} }),
            encryptionConfig:
              db.kmsKeyName !== undefined
                ? { encryptionType: "CUSTOMER_MANAGED_ENCRYPTION", kmsKeyName: db.kmsKeyName }
                : type === "incremental"
                  ? { encryptionType: "GOOGLE_DEFAULT_ENCRYPTION" }
                  : { encryptionType: "USE_DATABASE_ENCRYPTION" },
          },
          { parent: this, protect },
        );
      }
      this.checker = declareBackupChecker(this, name, {
        project,
        region,
        instance,
        databases: whenResolved(target, (t) =>
          args.databases.map((db) => ({
            database: databasePath(t, db.name),
            maxAgeSeconds: backupWindowSeconds(mode, args.timeZone, db),
          })),
        ),
        labels,
        source,
        names,
      });
    } else {
      const fn = declareBackupFunction(this, name, args, {
        checked: { project, instance, target },
        names,
        labels,
        protect,
        source,
      });
      this.topic = fn.topic;
      this.function = fn.function;
      this.schedulerServiceAccount = fn.schedulerAccount;
      this.functionServiceAccount = fn.functionAccount;
      Object.assign(jobs, fn.jobs);
    }
    this.bucket = source.bucket;
    this.archive = source.archive;
    this.buildServiceAccount = source.buildAccount;
    this.schedules = schedules;
    this.jobs = jobs;

    const metrics: Record<string, gcp.logging.Metric> = {};
    const alertPolicies: Record<string, gcp.monitoring.AlertPolicy> = {};
    const metric = (
      role: string,
      metricName: string,
      text: (t: BackupTarget) => { description: string; filter: string },
    ) => {
      metrics[role] = new gcp.logging.Metric(
        childName(name, role, "metric"),
        logCounterMetricArgs({
          project,
          name: metricName,
          ...argsWhenResolved(target, placeholderTarget, text),
        }),
        { parent: this },
      );
    };
    const ctx = { project, notificationChannels: channels, labels };
    const alert = (
      role: string,
      text: (t: BackupTarget) => {
        displayName: string;
        documentation: string;
        conditions: gcp.types.input.monitoring.AlertPolicyCondition[];
      },
      severity?: "CRITICAL" | "WARNING",
    ) => {
      if (channels.length === 0) return;
      const { displayName, documentation, conditions } = argsWhenResolved(
        target,
        placeholderTarget,
        text,
      );
      // No dependsOn on the metrics: a new log metric stays invisible to Cloud Monitoring for
      // minutes whatever the order, and the PromQL conditions do not need it to exist.
      alertPolicies[role] = new gcp.monitoring.AlertPolicy(
        childName(name, role, "alert"),
        backupAlertPolicyArgs(ctx, displayName, documentation, conditions, severity),
        { parent: this },
      );
    };

    metric("create-backup-errors", names.metrics.createBackupErrors, (t) => ({
      description: `Failed Spanner backups on instance ${t.instance}`,
      filter: createBackupErrorsFilter(t.instance),
    }));
    if (mode === "function") {
      const jobNames = args.databases.map((d) => names.job(d.name));
      metric("scheduler-errors", names.metrics.schedulerErrors, (t) => ({
        description: `Failed attempts of the backup jobs of ${t.instance}`,
        filter: schedulerErrorsFilter(jobNames),
      }));
      metric("function-errors", names.metrics.functionErrors, () => ({
        description: `Errors of the backup function ${names.functionName}`,
        filter: functionErrorsFilter(names.functionName),
      }));
    }
    for (const db of args.databases) {
      metric(`${db.name}-succeeded`, names.metrics.succeeded(db.name), (t) => ({
        description: `Completed backups of ${t.instance}/${db.name}`,
        filter: backupSucceededFilter(mode, t.instance, db.name, {
          checkerFunctionName: names.checkerFunctionName,
          database: databasePath(t, db.name),
        }),
      }));
    }

    alert("create-backup-errors", (t) => ({
      displayName: `Spanner backup failed on ${t.instance}`,
      documentation: runbooks.createBackupErrors(t.instance),
      conditions: [
        errorsCondition(
          `CreateBackup errors on ${t.instance}`,
          names.metrics.createBackupErrors,
          "spanner_instance",
        ),
      ],
    }));
    if (mode === "function") {
      const jobNames = args.databases.map((d) => names.job(d.name));
      alert("scheduler-errors", (t) => ({
        displayName: `Backup scheduler jobs of ${t.instance} failed`,
        documentation: runbooks.schedulerErrors(jobNames),
        conditions: [
          errorsCondition(
            "Scheduler job errors",
            names.metrics.schedulerErrors,
            "cloud_scheduler_job",
          ),
        ],
      }));
      alert("function-errors", () => ({
        displayName: `Backup function ${names.functionName} failed`,
        documentation: runbooks.functionErrors(names.functionName),
        conditions: [
          errorsCondition(
            "Backup function errors",
            names.metrics.functionErrors,
            "cloud_run_revision",
          ),
        ],
      }));
    }
    for (const db of args.databases) {
      const window = backupWindowSeconds(mode, args.timeZone, db);
      const hours = Math.ceil(window / 3600);
      alert(
        `${db.name}-backup-missing`,
        (t) => ({
          displayName: `No recent backup of ${t.instance}/${db.name}`,
          ...(mode === "native"
            ? {
                documentation: runbooks.backupMissingNative(
                  db.name,
                  hours,
                  names.checkerFunctionName,
                ),
                conditions: [
                  checkerHeartbeatCondition(
                    names.metrics.succeeded(db.name),
                    db.name,
                    hours,
                    checkerHeartbeatWindowSeconds,
                  ),
                ],
              }
            : {
                documentation: runbooks.backupMissing(db.name, hours),
                conditions: [
                  backupMissingCondition(names.metrics.succeeded(db.name), db.name, window),
                ],
              }),
        }),
        "CRITICAL",
      );
    }
    const pool = args.sessionPoolAlerts;
    if (pool !== undefined) {
      const series = (metricType: string, t: BackupTarget) =>
        promQlSeries(metricType, { instance_id: t.instance });
      const timeouts =
        pool.acquisitionTimeoutsMetricType ?? defaultSessionPoolMetricTypes.acquisitionTimeouts;
      const inUse = pool.inUseSessionsMetricType ?? defaultSessionPoolMetricTypes.inUseSessions;
      const limit = Math.floor(pool.maxSessions * (pool.nearMaxRatio ?? 0.9));
      // Custom metrics exist only once a client wrote them: PromQL with metric validation off, so
      // the policy can be created before the first point (a filter condition fails with 404).
      alert("session-timeouts", (t) => ({
        displayName: `Spanner session acquisition timeouts on ${t.instance}`,
        documentation: runbooks.sessionTimeouts(t.instance),
        conditions: [
          promQlCondition({
            displayName: "Session acquisition timeouts above zero",
            query: `sum(increase(${series(timeouts, t)}[300s])) > 0`,
            disableMetricValidation: true,
          }),
        ],
      }));
      alert(
        "sessions-near-max",
        (t) => ({
          displayName: `Spanner session pools near their maximum on ${t.instance}`,
          documentation: runbooks.sessionsNearMax(t.instance, limit),
          conditions: [
            promQlCondition({
              displayName: `In-use sessions above ${limit} of ${pool.maxSessions}`,
              query: `max(max_over_time(${series(inUse, t)}[60s])) > ${limit}`,
              durationSeconds: 300,
              disableMetricValidation: true,
            }),
          ],
        }),
        "WARNING",
      );
    }
    this.metrics = metrics;
    this.alertPolicies = alertPolicies;

    this.registerOutputs({
      mode,
      schedules: Object.fromEntries(Object.entries(schedules).map(([k, s]) => [k, s.id])),
      jobs: Object.fromEntries(Object.entries(jobs).map(([k, j]) => [k, j.id])),
      functionUri: this.function?.url,
      metricTypes: Object.fromEntries(
        Object.entries(metrics).map(([k, m]) => [k, m.name.apply(logMetricType)]),
      ),
    });
  }
}

/** Gives `argsWhenResolved` the keys of args built from a target. */
const placeholderTarget: BackupTarget = { project: "", instance: "" };

/** The target as plain strings when both are known, else an Output of them. */
function backupTarget(
  project: pulumi.Input<string>,
  instance: pulumi.Input<string>,
): pulumi.Input<BackupTarget> {
  if (isKnown(project) && isKnown(instance)) return { project, instance };
  return pulumi.all([project, instance]).apply(([p, i]) => ({ project: p, instance: i }));
}

/** @deprecated Renamed `SessionPoolAlerts`, its name in the Python, Go and .NET SDKs (where `SessionPoolAlertsArgs` is the input class). */
export type SessionPoolAlertsArgs = SessionPoolAlerts;

/** @deprecated Renamed `SpannerBackupDatabase`, its name in the Python, Go and .NET SDKs (where `SpannerBackupDatabaseArgs` is the input class). */
export type SpannerBackupDatabaseArgs = SpannerBackupDatabase;
