import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parseRequest } from "../../../../lib/spanner-backup-function/handler";
import { dependenciesOfType, isUnknown, known, reportUndecided } from "../../../shared/preview";
import type { Unknown } from "../../../shared/preview";
import { stackIndex } from "../../../shared/stack-index";

const databaseType = "gcp:spanner/database:Database";
const scheduleType = "gcp:spanner/backupSchedule:BackupSchedule";
const jobType = "gcp:cloudscheduler/job:Job";
const instanceType = "gcp:spanner/instance:Instance";

const databasePath = /^projects\/[^/]+\/instances\/([^/]+)\/databases\/([^/]+)$/;

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function decodeJson(base64: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64, "base64").toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The base64 requests a job sends: a Pub/Sub target's data; each message of a Pub/Sub API publish
 * body (`{"messages": [{"data": …}]}`), as SpannerScheduledBackup sends them; or an HTTP body that
 * is the request itself (a job calling an HTTP-triggered function).
 */
function requestData(job: Record<string, unknown>): string[] {
  const out: string[] = [];
  const data = text((job["pubsubTarget"] as { data?: unknown } | undefined)?.data);
  if (data !== undefined) out.push(data);
  const body = text((job["httpTarget"] as { body?: unknown } | undefined)?.body);
  if (body === undefined) return out;
  const messages = (decodeJson(body) as { messages?: unknown } | null | undefined)?.messages;
  if (!Array.isArray(messages)) {
    out.push(body);
    return out;
  }
  for (const m of messages) {
    const d = text((m as { data?: unknown } | null)?.data);
    if (d !== undefined) out.push(d);
  }
  return out;
}

/** What one message asks for: the database it names, and why it is no backup request if it isn't. */
function request(data: string): { database: string; problem?: string } | undefined {
  const body = decodeJson(data);
  const path = text((body as { database?: unknown } | null | undefined)?.database);
  const match = path === undefined ? null : databasePath.exec(path);
  if (!match) return undefined;
  const database = `${match[1]}/${match[2]}`;
  try {
    // The function's own parser: a message it would acknowledge as poison backs nothing up.
    parseRequest({ data: { message: { data } } });
    return { database };
  } catch (err) {
    return { database, problem: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * A database nobody backs up is lost to the first bad migration or stray delete: every Spanner
 * database in the stack must have a backup schedule, native (`gcp.spanner.BackupSchedule`) or the
 * function architecture (an active Cloud Scheduler job whose message requests backups of it with
 * an expiry, `{"database": "projects/…/databases/<d>", "expire": "<duration>"}`).
 */
/**
 * How the policy names an instance: its `name` when known, else the instance resource the input
 * was computed from (an instance being created has no name until then, but the engine records
 * the dependency); an `Unknown` when neither tells.
 */
function instanceKey(r: PolicyResource, key: string): string | Unknown {
  const value = known(() => r.props[key]);
  if (!isUnknown(value)) return text(value) ?? "";
  const from = dependenciesOfType(r, key, instanceType);
  return from.length === 1 && from[0] !== undefined ? `urn:${from[0].urn}` : value;
}

/** The job's targets, where a Cloud Scheduler job carries its message. */
const jobTargets = ["pubsubTarget", "httpTarget"] as const;

export const gcpSpannerDatabaseEnableBackupSchedule: StackValidationPolicy = {
  name: "gcp-spanner-database-enable-backup-schedule",
  description:
    "Every Spanner database in the stack must be backed up on a schedule: a gcp.spanner.BackupSchedule, or an active Cloud Scheduler job whose message requests its backup with an expiry.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const databases = index.ofType(databaseType);
    if (databases.length === 0) args.notApplicable("no Spanner databases in the stack");
    // Covered databases, by `<instance>/<database>` (names as written, or the instance's URN
    // while its name is unknown) and, for inputs computed from a database, by the resource.
    const covered = new Set<string>();
    const coveredDatabases = new Set<PolicyResource>();
    // What a preview cannot read yet: per database a job's message may name, else for all.
    const maybe = new Map<PolicyResource, Unknown>();
    let undecided: Unknown | undefined;
    // Why a job that names a database does not cover it, by database (the first such job).
    const notes = new Map<string, string>();
    for (const s of index.ofType(scheduleType)) {
      for (const d of dependenciesOfType(s, "database", databaseType)) coveredDatabases.add(d);
      const instance = instanceKey(s, "instance");
      const database = known(() => s.props["database"]);
      if (isUnknown(instance) || isUnknown(database)) {
        if (dependenciesOfType(s, "database", databaseType).length === 0) {
          undecided ??= isUnknown(instance) ? instance : (database as Unknown);
        }
        continue;
      }
      covered.add(`${instance}/${text(database) ?? ""}`);
    }
    for (const job of index.ofType(jobType)) {
      const read = known(() => {
        const props = job.props as Record<string, unknown>;
        return {
          paused: props["paused"] === true || props["state"] === "PAUSED",
          data: requestData(props),
        };
      });
      if (isUnknown(read)) {
        const named = jobTargets.flatMap((t) => dependenciesOfType(job, t, databaseType));
        if (named.length === 0) undecided ??= read;
        for (const d of named) if (!maybe.has(d)) maybe.set(d, read);
        continue;
      }
      for (const data of read.data) {
        const r = request(data);
        if (r === undefined) continue;
        if (!read.paused && r.problem === undefined) {
          covered.add(r.database);
          continue;
        }
        if (notes.has(r.database)) continue;
        notes.set(
          r.database,
          read.paused
            ? `Cloud Scheduler job ${job.name} requests its backups but is paused. Resume the job (paused: false).`
            : `Cloud Scheduler job ${job.name} names it, but its message is no backup request (${r.problem}). Publish {"database": "projects/<p>/instances/<i>/databases/<d>", "expire": "<seconds>s"}, the request taskstack's backup function takes.`,
        );
      }
    }
    // An instance whose defaultBackupScheduleType is AUTOMATIC gives every new database a full
    // backup every 24 hours, kept 7 days (cloud.google.com/spanner/docs/backup/
    // backup-schedules#default-backup-schedules).
    const automatic = new Set<PolicyResource>();
    const automaticNames = new Set<string>();
    for (const i of index.ofType(instanceType)) {
      if (known(() => i.props["defaultBackupScheduleType"]) !== "AUTOMATIC") continue;
      automatic.add(i);
      const name = known(() => i.props["name"]);
      if (typeof name === "string") automaticNames.add(name);
    }
    for (const db of databases) {
      if (coveredDatabases.has(db)) continue;
      if (dependenciesOfType(db, "instance", instanceType).some((i) => automatic.has(i))) continue;
      const instance = instanceKey(db, "instance");
      const name = known(() => db.props["name"]);
      if (typeof instance === "string" && automaticNames.has(instance)) continue;
      const unknown = isUnknown(instance) ? instance : isUnknown(name) ? name : undefined;
      const key = unknown ? undefined : `${String(instance)}/${text(name) ?? ""}`;
      if (key !== undefined && covered.has(key)) continue;
      const why = unknown ?? maybe.get(db) ?? undecided;
      if (why !== undefined) {
        reportUndecided(
          reportViolation,
          db,
          why,
          "whether a backup schedule or a scheduled backup job covers it cannot be told yet",
        );
        continue;
      }
      const shown = `${textOf(db, "instance")}/${text(name) ?? ""}`;
      const note = key === undefined ? undefined : notes.get(key);
      reportViolation(
        note === undefined
          ? `Spanner database ${shown} has no backup schedule: no gcp.spanner.BackupSchedule and no Cloud Scheduler job requests its backups, so nothing backs it up. Add a gcp.spanner.BackupSchedule on its instance and database, or set defaultBackupScheduleType "AUTOMATIC" on its instance.`
          : `Spanner database ${shown} is not backed up: ${note}`,
        db.urn,
      );
    }
  },
};

/** An input as a message shows it: its value, or the logical name of the resource it comes from. */
function textOf(r: PolicyResource, key: string): string {
  const value = known(() => r.props[key]);
  if (!isUnknown(value)) return text(value) ?? "";
  const from = dependenciesOfType(r, key, instanceType)[0];
  return from ? `<${from.name}>` : "<unknown>";
}
