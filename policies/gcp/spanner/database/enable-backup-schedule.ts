import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy/policy";
import { parseRequest } from "../../../../lib/spanner-backup-function/handler";
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
    const covered = new Set<string>();
    // Why a job that names a database does not cover it, by database (the first such job).
    const notes = new Map<string, string>();
    for (const s of index.ofType(scheduleType)) {
      covered.add(`${text(s.props["instance"]) ?? ""}/${text(s.props["database"]) ?? ""}`);
    }
    for (const job of index.ofType(jobType)) {
      const props = job.props as Record<string, unknown>;
      const paused = props["paused"] === true || props["state"] === "PAUSED";
      for (const data of requestData(props)) {
        const r = request(data);
        if (r === undefined) continue;
        if (!paused && r.problem === undefined) {
          covered.add(r.database);
          continue;
        }
        if (notes.has(r.database)) continue;
        notes.set(
          r.database,
          paused
            ? `Cloud Scheduler job ${job.name} requests its backups but is paused. Resume the job (paused: false).`
            : `Cloud Scheduler job ${job.name} names it, but its message is no backup request (${r.problem}). Publish {"database": "projects/<p>/instances/<i>/databases/<d>", "expire": "<seconds>s"}, as data.SpannerScheduledBackup's jobs do.`,
        );
      }
    }
    // An instance whose defaultBackupScheduleType is AUTOMATIC gives every new database a full
    // backup every 24 hours, kept 7 days (cloud.google.com/spanner/docs/backup/
    // backup-schedules#default-backup-schedules).
    const automatic = new Set<PolicyResource>();
    const automaticNames = new Set<string>();
    for (const i of index.ofType(instanceType)) {
      if (i.props["defaultBackupScheduleType"] !== "AUTOMATIC") continue;
      automatic.add(i);
      const name = text(i.props["name"]);
      if (name !== undefined) automaticNames.add(name);
    }
    for (const db of databases) {
      const key = `${text(db.props["instance"]) ?? ""}/${text(db.props["name"]) ?? ""}`;
      if (covered.has(key)) continue;
      const instance = text(db.props["instance"]);
      if (instance !== undefined && automaticNames.has(instance)) continue;
      if ((db.propertyDependencies["instance"] ?? []).some((i) => automatic.has(i))) continue;
      const note = notes.get(key);
      reportViolation(
        note === undefined
          ? `Spanner database ${key} has no backup schedule: no gcp.spanner.BackupSchedule and no Cloud Scheduler job requests its backups, so nothing backs it up. Add a gcp.spanner.BackupSchedule on its instance and database, set defaultBackupScheduleType "AUTOMATIC" on its instance, or use taskstack's data.SpannerScheduledBackup.`
          : `Spanner database ${key} is not backed up: ${note}`,
        db.urn,
      );
    }
  },
};
