import { z } from "zod";
import { nativeMinIntervalSeconds } from "../../lib/spanner-backup";
import { cronSchedule, normalizeTimeZone, scheduleIntervals, timeZone } from "../../lib/cron";
import {
  always,
  bool,
  expected,
  gcpLabels,
  gcpProjectId,
  gcpRegion,
  int,
  num,
  pattern,
  problem,
} from "../shared/schema";

// SpannerScheduledBackup's one args schema: the component validates with it, and the stack file's
// `taskstack:spanner` section is built from its shapes and rules (stacks/sections/spanner.ts).

/** Spanner's bounds on a backup's retention: 6 hours to 366 days. */
export const retentionBounds = { min: 21_600, max: 31_622_400 } as const;

export { nativeMinIntervalSeconds } from "../../lib/spanner-backup";

/**
 * Default slack on top of the schedule's longest interval before "no backup" alerts. Native
 * schedules start a backup up to 4 hours after its version time, and a large database takes a
 * while to copy; a function-mode backup starts when the job fires.
 */
export const defaultAbsenceSlackSeconds = { native: 21_600, function: 7_200 } as const;

/** A Spanner database id: 2–30 characters, `[a-z][a-z0-9_-]*[a-z0-9]`. */
export const spannerDatabaseId = pattern(
  /^[a-z][a-z0-9_-]{0,28}[a-z0-9]$/,
  "a Spanner database id: 2–30 lowercase letters, digits, _ or -, starting with a letter",
);

/** A Spanner instance id: 6–30 characters, `[a-z][a-z0-9-]*[a-z0-9]`. */
export const spannerInstanceId = pattern(
  /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
  "a Spanner instance id: 6–30 lowercase letters, digits or -, starting with a letter",
);

const kmsKeyName = pattern(
  /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
  "a Cloud KMS key name: projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>",
);

/** One database's backup settings. */
export const spannerBackupDatabaseShape = {
  name: spannerDatabaseId,
  schedule: cronSchedule(),
  retentionSeconds: int(retentionBounds.min, retentionBounds.max),
  type: z.enum(["full", "incremental"], expected('"full" or "incremental"')).optional(),
  kmsKeyName: kmsKeyName.optional(),
  absenceSlackSeconds: int(0, 604_800).optional(),
};

const metricType = pattern(/^[a-z0-9.-]+\.[a-z]+\/\S+$/, "a Cloud Monitoring metric type");

const clientsExportMetricsExpected = expected(
  "true, stating that your application's Spanner clients export these metrics (the default metric types exist only after a Java client enabled its OpenCensus exporter, which is off by default: googleapis/java-spanner README); without them the alerts never fire",
);

export const sessionPoolAlertsShape = {
  // The prerequisite, stated where the alerts are asked for: without it the metrics never exist.
  // A boolean in the types (Pulumi's component analyzer maps no literal `true` to Python or Go),
  // accepted only when true.
  clientsExportMetrics: z
    .boolean(clientsExportMetricsExpected)
    .refine((v) => v, clientsExportMetricsExpected)
    // Stack files' JSON Schema still tells editors that only true is valid.
    .meta({ const: true }),
  maxSessions: int(1, 1_000_000),
  nearMaxRatio: num(0.1, 1).optional(),
  acquisitionTimeoutsMetricType: metricType.optional(),
  inUseSessionsMetricType: metricType.optional(),
};

/** The settings a stack file holds beside the databases (the stack decides project and channels). */
export const spannerBackupSettingsShape = {
  mode: z.enum(["native", "function"], expected('"native" or "function"')).optional(),
  timeZone: timeZone.optional(),
  retryWindowSeconds: int(600, 86_400).optional(),
  sessionPoolAlerts: z
    .strictObject(
      sessionPoolAlertsShape,
      expected("a mapping with clientsExportMetrics: true and maxSessions"),
    )
    .optional(),
};

type Rec = Record<string, unknown>;

// Parsing a schedule is repeated for every database that shares it; each is checked once.
const validCron = new Map<string, boolean>();

/** The time zone schedules run in: native schedules always in UTC. */
export function scheduleTimeZone(mode: unknown, tz: unknown): string {
  return mode === "function" && typeof tz === "string" ? normalizeTimeZone(tz) : "Etc/UTC";
}

/** Rules that span a backup's fields and its databases; `at` is where the databases list sits. */
export function spannerBackupRules(a: Rec, ctx: z.RefinementCtx): void {
  const mode = a["mode"] ?? "native";
  const tz = a["timeZone"];
  if (mode === "native" && typeof tz === "string" && normalizeTimeZone(tz) !== "Etc/UTC") {
    problem(
      ctx,
      ["timeZone"],
      "Etc/UTC in native mode (Spanner runs backup schedules in UTC only)",
      tz,
      'Write the schedule in UTC, or use mode: "function"',
    );
  }
  if (mode === "native" && a["retryWindowSeconds"] !== undefined) {
    problem(
      ctx,
      ["retryWindowSeconds"],
      "no retryWindowSeconds in native mode (it configures the function)",
      a["retryWindowSeconds"],
    );
  }
  const databases = Array.isArray(a["databases"]) ? (a["databases"] as unknown[]) : [];
  const seen = new Set<string>();
  databases.forEach((d, i) => {
    if (typeof d !== "object" || d === null) return;
    const db = d as Rec;
    const at = ["databases", i];
    if (typeof db["name"] === "string") {
      // Metric names replace - by _ (PromQL names allow no -), so orders-eu and orders_eu collide.
      const key = db["name"].replace(/-/g, "_");
      if (seen.has(key)) {
        problem(
          ctx,
          [...at, "name"],
          "a database listed once (names differing only in - and _ count as one)",
          db["name"],
        );
      }
      seen.add(key);
    }
    const type = db["type"] ?? "full";
    if (type === "incremental" && db["kmsKeyName"] !== undefined) {
      problem(
        ctx,
        [...at, "kmsKeyName"],
        "no kmsKeyName for an incremental backup (incremental backups use Google-managed encryption only)",
        db["kmsKeyName"],
        'Use type: "full" with a customer-managed key',
      );
    }
    if (mode === "function" && type === "incremental") {
      problem(
        ctx,
        [...at, "type"],
        '"full" in function mode (CreateBackup makes full backups only)',
        type,
        'Use mode: "native" for incremental backups',
      );
    }
    if (mode === "function" && db["kmsKeyName"] !== undefined) {
      problem(
        ctx,
        [...at, "kmsKeyName"],
        "no kmsKeyName in function mode (its backups use the database's encryption)",
        db["kmsKeyName"],
      );
    }
    const schedule = db["schedule"];
    const retention = db["retentionSeconds"];
    if (typeof schedule !== "string") return;
    let valid = validCron.get(schedule);
    if (valid === undefined) {
      valid = cronSchedule().safeParse(schedule).success;
      validCron.set(schedule, valid);
    }
    if (!valid) return;
    if (typeof tz === "string" && !timeZone.safeParse(tz).success) return;
    const { minSeconds, maxSeconds } = scheduleIntervals(schedule, scheduleTimeZone(mode, tz));
    if (mode === "native" && (type === "full" || type === "incremental")) {
      const floor = nativeMinIntervalSeconds[type];
      if (minSeconds < floor) {
        problem(
          ctx,
          [...at, "schedule"],
          `${type} backups at least ${floor / 3600} hours apart (Spanner's limit), not ${minSeconds / 3600} hours`,
          schedule,
        );
      }
    }
    if (
      typeof retention === "number" &&
      retention >= retentionBounds.min &&
      retention < maxSeconds
    ) {
      problem(
        ctx,
        [...at, "retentionSeconds"],
        `at least ${maxSeconds} (the schedule's longest interval), or one backup expires before the next exists`,
        retention,
      );
    }
  });
}

export const spannerBackupDatabaseArgsSchema = z.strictObject(
  spannerBackupDatabaseShape,
  expected("a database: a mapping with name, schedule and retentionSeconds"),
);

/** SpannerScheduledBackup's args, as its constructor checks them. */
export const spannerScheduledBackupArgsSchema = z
  .strictObject(
    {
      project: gcpProjectId.optional(),
      region: gcpRegion.optional(),
      instance: spannerInstanceId,
      instanceDefaultBackupScheduleType: z
        .enum(["NONE", "AUTOMATIC"], expected('"NONE" or "AUTOMATIC"'))
        .optional(),
      ...spannerBackupSettingsShape,
      databases: z
        .array(spannerBackupDatabaseArgsSchema, expected("a list of databases"))
        .min(1, expected("at least one database")),
      alertNotificationChannels: z
        .array(z.string(expected("a notification channel name")), expected("a list of channels"))
        .optional(),
      labels: gcpLabels.optional(),
      protect: bool.optional(),
    },
    expected("SpannerScheduledBackup args: a mapping"),
  )
  .superRefine((a, ctx) => {
    spannerBackupRules(a, ctx);
    if (a.instanceDefaultBackupScheduleType === "AUTOMATIC") {
      problem(
        ctx,
        ["instanceDefaultBackupScheduleType"],
        '"NONE": an AUTOMATIC instance gives each new database its own daily schedule, so these databases would be backed up twice',
        "AUTOMATIC",
        "Set defaultBackupScheduleType: NONE on the instance (and delete the default schedules it already made)",
      );
    }
    if (a.project === undefined) {
      // Both modes deploy a function that names projects/<project>/instances/… (function mode:
      // the backups it may start; native mode: the databases its checker lists): the provider's
      // default project is not known when they are written.
      problem(
        ctx,
        ["project"],
        (a.mode ?? "native") === "function"
          ? "a project in function mode (each job's message and the function's allowed databases name projects/<project>/instances/…)"
          : "a project in native mode (the backup checker lists the backups of projects/<project>/instances/…)",
        undefined,
        "Set project to the instance's project (a stack sets it from taskstack:gcp.project)",
      );
    }
    if (a.region === undefined) {
      problem(
        ctx,
        ["region"],
        (a.mode ?? "native") === "function"
          ? "a region for the function, its scheduler jobs and its bucket"
          : "a region for the backup checker, its scheduler job and its bucket",
        undefined,
      );
    }
  }, always);
