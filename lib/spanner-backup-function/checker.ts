// The backup checker of SpannerScheduledBackup's native mode: lists each database's backups
// through the Spanner admin API and logs one heartbeat line per database. Free of Google client
// libraries, so it is tested against an injected lister; `index.ts` wires it to the Functions
// Framework and the real DatabaseAdminClient, inside Cloud Functions only.
//
// Why a checker: Spanner documents no log entry or metric for a backup a backup schedule made
// (its audit log page lists the methods callers invoke; Cloud Monitoring's Spanner metrics have
// no backup count). What Spanner does document is the backup itself: ListBackups (permission
// `spanner.backups.list` on the instance), its filter on `database`, `state` and `create_time`
// (cloud.google.com/spanner/docs/reference/rest/v1/projects.instances.backups/list), and each
// backup's `backupSchedules`, "the list of backup schedule URIs that are associated with creating
// this backup", empty for on-demand backups (…/rest/v1/projects.instances.backups, Backup). So the
// success signal is ours: a heartbeat this checker writes when the newest READY scheduled backup
// of the database is recent enough. It cannot drift from an undocumented log shape; if the checker
// itself stops, its heartbeats stop too, and the same alert fires.

/** The `event` of every line the checker logs. */
export const checkEvent = "taskstack.spanner-backup-check" as const;

/** One database the checker watches. */
export interface CheckedDatabase {
  /** `projects/<p>/instances/<i>/databases/<d>`. */
  readonly database: string;
  /** A backup older than this (by `create_time`) is not recent: the schedule's longest interval plus slack. */
  readonly maxAgeSeconds: number;
}

/** A backup as the admin API lists it, reduced to what the check reads. */
export interface ListedBackup {
  readonly name: string;
  readonly database: string;
  /** `READY` once the backup is complete (`CREATING` before). */
  readonly state: string;
  readonly createTime?: Date;
  /** The schedules that made it; empty for an on-demand backup. */
  readonly backupSchedules: readonly string[];
}

/** The slice of the Spanner DatabaseAdminClient the checker uses. */
export interface BackupLister {
  /** Every backup of instance `parent` that matches `filter` (all pages). */
  listBackups(parent: string, filter: string): Promise<readonly ListedBackup[]>;
}

export type CheckOutcome = "fresh" | "stale" | "error";

export interface CheckLogEntry {
  readonly severity: "INFO" | "ERROR";
  readonly message: string;
  /** Log metrics filter on this: `jsonPayload.event="taskstack.spanner-backup-check"`. */
  readonly event: typeof checkEvent;
  /** `fresh` is the heartbeat the "no recent backup" alert counts. */
  readonly outcome: CheckOutcome;
  readonly database: string;
  readonly maxAgeSeconds: number;
  readonly backup?: string;
  readonly backupCreateTime?: string;
  readonly ageSeconds?: number;
  readonly error?: string;
}

export interface CheckOptions {
  readonly lister: BackupLister;
  readonly log: (entry: CheckLogEntry) => void;
  readonly now?: () => Date;
}

const databasePattern =
  /^projects\/[a-z][a-z0-9.:-]*[a-z0-9]\/instances\/[a-z][a-z0-9-]*[a-z0-9]\/databases\/[a-z][a-z0-9_-]*[a-z0-9]$/;

/** `YYYY-MM-DDTHH:MM:SSZ`, the timestamp form ListBackups' filter takes. */
export function filterTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The ListBackups filter for the READY backups of `database` created at or after `since`.
 * `database:` is the documented "contains" operator, so the caller also compares the name exactly
 * (`orders` is contained in `orders-eu`).
 */
export function backupFilter(database: string, since: Date): string {
  return `(database:"${database}") AND (state:READY) AND (create_time >= "${filterTimestamp(since)}")`;
}

/** Whether `backup` is a complete backup that one of `database`'s schedules made. */
export function isScheduledBackupOf(backup: ListedBackup, database: string): boolean {
  return (
    backup.database === database &&
    backup.state === "READY" &&
    backup.backupSchedules.some((s) => s.startsWith(`${database}/backupSchedules/`))
  );
}

/** Parses the checker's configuration (`CHECK_DATABASES`, JSON); throws naming what is wrong. */
export function parseCheckedDatabases(text: string | undefined): CheckedDatabase[] {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch {
    throw new Error(`CHECK_DATABASES: expected JSON, got ${JSON.stringify(text ?? null)}`);
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error("CHECK_DATABASES: expected a non-empty list of {database, maxAgeSeconds}");
  }
  return value.map((v: unknown, i) => {
    const { database, maxAgeSeconds } = (v ?? {}) as Record<string, unknown>;
    if (typeof database !== "string" || !databasePattern.test(database)) {
      throw new Error(
        `CHECK_DATABASES[${i}].database: expected projects/<p>/instances/<i>/databases/<d>, got ${JSON.stringify(database) ?? "nothing"}`,
      );
    }
    if (
      typeof maxAgeSeconds !== "number" ||
      !Number.isInteger(maxAgeSeconds) ||
      maxAgeSeconds < 1
    ) {
      throw new Error(
        `CHECK_DATABASES[${i}].maxAgeSeconds: expected a positive whole number of seconds, got ${JSON.stringify(maxAgeSeconds) ?? "nothing"}`,
      );
    }
    return { database, maxAgeSeconds };
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Checks one database: logs exactly one line and returns its outcome. */
export async function checkDatabase(
  checked: CheckedDatabase,
  options: CheckOptions,
): Promise<CheckOutcome> {
  const now = (options.now ?? (() => new Date()))();
  const { database, maxAgeSeconds } = checked;
  const since = new Date(now.getTime() - maxAgeSeconds * 1000);
  const base = { event: checkEvent, database, maxAgeSeconds };
  let backups: readonly ListedBackup[];
  try {
    const parent = database.replace(/\/databases\/[^/]+$/, "");
    backups = await options.lister.listBackups(parent, backupFilter(database, since));
  } catch (err) {
    const error = errorText(err);
    options.log({
      ...base,
      severity: "ERROR",
      outcome: "error",
      error,
      message: `Could not list the backups of ${database}: ${error}`,
    });
    return "error";
  }
  const newest = backups
    .filter((b) => isScheduledBackupOf(b, database) && b.createTime !== undefined)
    // The filter bounds create_time on the server; checked again here, so the heartbeat never
    // rests on a filter the server might read differently.
    .filter((b) => (b.createTime as Date).getTime() >= since.getTime())
    .sort((a, b) => (b.createTime as Date).getTime() - (a.createTime as Date).getTime())[0];
  if (newest === undefined) {
    options.log({
      ...base,
      severity: "ERROR",
      outcome: "stale",
      message: `No complete scheduled backup of ${database} was created in the last ${maxAgeSeconds}s (since ${filterTimestamp(since)})`,
    });
    return "stale";
  }
  const created = newest.createTime as Date;
  const ageSeconds = Math.round((now.getTime() - created.getTime()) / 1000);
  options.log({
    ...base,
    severity: "INFO",
    outcome: "fresh",
    backup: newest.name,
    backupCreateTime: created.toISOString(),
    ageSeconds,
    message: `Newest scheduled backup of ${database} is ${newest.name}, ${ageSeconds}s old`,
  });
  return "fresh";
}

/** Checks every database, one after another; resolves with each outcome in order. */
export async function checkBackups(
  databases: readonly CheckedDatabase[],
  options: CheckOptions,
): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const d of databases) outcomes.push(await checkDatabase(d, options));
  return outcomes;
}
