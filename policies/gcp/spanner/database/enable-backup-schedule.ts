import type { StackValidationPolicy } from "@pulumi/policy";
import { stackIndex } from "../../../shared/stack-index";

const databaseType = "gcp:spanner/database:Database";
const scheduleType = "gcp:spanner/backupSchedule:BackupSchedule";
const jobType = "gcp:cloudscheduler/job:Job";

const databasePath = /projects\/[^/"]+\/instances\/([^/"]+)\/databases\/([^/"]+)/;

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The database a scheduler job requests a backup of: its message names the full path. */
function requestedDatabase(job: Record<string, unknown>): string | undefined {
  const http = job["httpTarget"] as { body?: unknown } | undefined;
  const pubsub = job["pubsubTarget"] as { data?: unknown } | undefined;
  for (const encoded of [text(http?.body), text(pubsub?.data)]) {
    if (encoded === undefined) continue;
    let decoded = Buffer.from(encoded, "base64").toString("utf8");
    // A Pub/Sub API publish body wraps the message data in base64 once more.
    const inner = /"data"\s*:\s*"([A-Za-z0-9+/=]+)"/.exec(decoded);
    if (inner?.[1]) decoded += Buffer.from(inner[1], "base64").toString("utf8");
    const match = databasePath.exec(decoded);
    if (match) return `${match[1]}/${match[2]}`;
  }
  return undefined;
}

/**
 * A database nobody backs up is lost to the first bad migration or stray delete: every Spanner
 * database in the stack must have a backup schedule, native (`gcp.spanner.BackupSchedule`) or the
 * function architecture (a Cloud Scheduler job requesting backups of it).
 */
export const gcpSpannerDatabaseEnableBackupSchedule: StackValidationPolicy = {
  name: "gcp-spanner-database-enable-backup-schedule",
  description:
    "Every Spanner database in the stack must be backed up on a schedule: a gcp.spanner.BackupSchedule, or a Cloud Scheduler job whose message requests its backup.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const databases = index.ofType(databaseType);
    if (databases.length === 0) args.notApplicable("no Spanner databases in the stack");
    const covered = new Set<string>();
    for (const s of index.ofType(scheduleType)) {
      covered.add(`${text(s.props["instance"]) ?? ""}/${text(s.props["database"]) ?? ""}`);
    }
    for (const job of index.ofType(jobType)) {
      const db = requestedDatabase(job.props as Record<string, unknown>);
      if (db !== undefined) covered.add(db);
    }
    for (const db of databases) {
      const key = `${text(db.props["instance"]) ?? ""}/${text(db.props["name"]) ?? ""}`;
      if (covered.has(key)) continue;
      reportViolation(
        `Spanner database ${key} has no backup schedule: no gcp.spanner.BackupSchedule and no Cloud Scheduler job requests its backups, so nothing backs it up. Back it up with data.SpannerScheduledBackup (or a BackupSchedule on instance and database).`,
        db.urn,
      );
    }
  },
};
