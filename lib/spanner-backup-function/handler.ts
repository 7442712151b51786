// The backup function's logic, free of Google client libraries so it can be tested against an
// injected admin client. `index.ts` wires it to the Functions Framework and the real
// DatabaseAdminClient at runtime, inside Cloud Functions only.
//
// The handler contract with the Pub/Sub trigger (retry policy RETRY_POLICY_RETRY):
// - returning acknowledges the event; throwing makes Eventarc redeliver it with backoff.
// - A message that can never succeed (malformed, a database this function may not back up, a
//   permission or not-found error) is acknowledged as poison and logged at ERROR, so the function
//   error alert fires and the message is never retried forever.
// - A transient error (unavailable, deadline, quota, a backup of the database still pending) is
//   thrown, until the event is older than the retry window: then it is acknowledged and logged
//   at ERROR as given up.

/** What the Cloud Scheduler job publishes (the data of the Pub/Sub message, as JSON). */
export interface BackupRequest {
  /** `projects/<p>/instances/<i>/databases/<d>`. */
  readonly database: string;
  /** How long to keep the backup: a duration such as `1209600s`, `336h` or `14d`. */
  readonly expire: string;
  /** The job's unix cron and time zone: the backup id is named after the scheduled run. */
  readonly schedule?: string;
  readonly timeZone?: string;
}

/** The slice of the Spanner DatabaseAdminClient the function uses. */
export interface BackupAdmin {
  /** Starts a backup; resolves with the long-running operation's name once it is accepted. */
  createBackup(request: {
    readonly parent: string;
    readonly backupId: string;
    readonly database: string;
    readonly expireTime: Date;
  }): Promise<string>;
}

/** A CloudEvent of type `google.cloud.pubsub.topic.v1.messagePublished`, as the framework passes it. */
export interface PubSubCloudEvent {
  readonly id?: string;
  /** When the message was published (RFC 3339). */
  readonly time?: string;
  readonly data?: { readonly message?: { readonly data?: string; readonly publishTime?: string } };
}

export interface HandlerOptions {
  readonly admin: BackupAdmin;
  /** Databases this function may back up (full names). Anything else is poison. */
  readonly allowedDatabases: ReadonlySet<string>;
  /** Transient errors are retried until the event is this old. */
  readonly retryWindowSeconds: number;
  /** Writes one structured log line (Cloud Logging reads JSON on stdout). */
  readonly log: (entry: LogEntry) => void;
  readonly now?: () => Date;
  /**
   * The latest run of `schedule` in `timeZone` at or before `at`. A Cloud Scheduler retry after
   * a publish that did succeed publishes a second message, later: naming the backup after the
   * scheduled run it belongs to (not the publish time) gives both the same id, and Spanner
   * refuses the second with ALREADY_EXISTS. @default - the publish time names the backup
   */
  readonly scheduledRun?: (schedule: string, timeZone: string, at: Date) => Date;
}

export type Outcome = "started" | "already-exists" | "poison" | "failed" | "retrying" | "gave-up";

/** The outcomes that mean a requested backup was not started and never will be: logged at ERROR. */
export const failureOutcomes = [
  "poison",
  "failed",
  "gave-up",
] as const satisfies readonly Outcome[];

/** The `event` of every line the function logs. */
export const logEvent = "taskstack.spanner-backup" as const;

export interface LogEntry {
  readonly severity: "INFO" | "WARNING" | "ERROR";
  readonly message: string;
  /** Log metrics and alerts filter on this: `jsonPayload.event="taskstack.spanner-backup"`. */
  readonly event: typeof logEvent;
  readonly outcome: Outcome;
  readonly database?: string;
  readonly backupId?: string;
  readonly expireTime?: string;
  readonly operation?: string;
  readonly error?: string;
  readonly eventId?: string;
}

/** Raised by `parseRequest`: the message can never be processed. */
export class PoisonMessageError extends Error {
  override readonly name = "PoisonMessageError";
}

const databasePattern =
  /^projects\/[a-z][a-z0-9.:-]*[a-z0-9]\/instances\/[a-z][a-z0-9-]*[a-z0-9]\/databases\/([a-z][a-z0-9_-]*[a-z0-9])$/;
const units: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** Spanner's bounds on a backup's expire time, from the time CreateBackup is processed. */
export const minRetentionSeconds = 6 * 3600;
export const maxRetentionSeconds = 366 * 86_400;
/**
 * The shortest expiry the function asks for: Spanner's 6 hours counts from when it processes the
 * request, a moment after the function reads its clock, so an expiry of exactly 6 hours is refused.
 */
export const minExpireSeconds = minRetentionSeconds + 600;

/** Seconds of a duration such as `1209600s`, `336h`, `14d`; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]{1,9})([smhd])$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (units[match[2] as string] as number);
}

/** The request in a Pub/Sub CloudEvent, or a PoisonMessageError saying why there is none. */
export function parseRequest(event: PubSubCloudEvent): BackupRequest {
  const encoded = event?.data?.message?.data;
  if (typeof encoded !== "string" || encoded.length === 0) {
    throw new PoisonMessageError("the Pub/Sub message has no data");
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
  } catch {
    throw new PoisonMessageError("the message data is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new PoisonMessageError('the message is not a JSON object {"database", "expire"}');
  }
  const { database, expire } = body as Record<string, unknown>;
  if (typeof database !== "string" || !databasePattern.test(database)) {
    throw new PoisonMessageError(
      `database: expected projects/<p>/instances/<i>/databases/<d>, got ${JSON.stringify(database) ?? "nothing"}`,
    );
  }
  const seconds = typeof expire === "string" ? parseDuration(expire) : undefined;
  if (seconds === undefined || seconds < minRetentionSeconds || seconds > maxRetentionSeconds) {
    throw new PoisonMessageError(
      `expire: expected a duration from 6h to 366d such as "1209600s", got ${JSON.stringify(expire) ?? "nothing"}`,
    );
  }
  const { schedule, timeZone } = body as Record<string, unknown>;
  return {
    database,
    expire: expire as string,
    ...(typeof schedule === "string" ? { schedule } : {}),
    ...(typeof timeZone === "string" ? { timeZone } : {}),
  };
}

/**
 * `schedule-<database id>-<yyyymmdd>-<hhmmss>` (UTC) of the scheduled run. Spanner backup ids are
 * `[a-z][a-z0-9_-]*[a-z0-9]`, 2–60 characters: with a database id of at most 30 characters this is
 * at most 55. Second precision never collides between runs of one schedule, and a redelivered
 * event (same publish time) maps to the same id, so a retry cannot make a second backup.
 */
export function backupId(database: string, at: Date): string {
  const id = databasePattern.exec(database)?.[1] ?? "";
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "")
    .replace(/[-:]/g, "")
    .replace("T", "-");
  return `schedule-${id}-${stamp}`;
}

/**
 * The expire time of a backup requested at `now`: now plus the retention, and at least 6 hours 10
 * minutes (`minExpireSeconds`) ahead.
 */
export function expireTime(now: Date, expire: string): Date {
  const seconds = Math.max(parseDuration(expire) ?? 0, minExpireSeconds);
  return new Date(now.getTime() + seconds * 1000);
}

/** gRPC status codes the Spanner admin API answers with. */
const code = {
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  INVALID_ARGUMENT: 3,
  UNAUTHENTICATED: 16,
};
const permanent = new Set([
  code.NOT_FOUND,
  code.PERMISSION_DENIED,
  code.INVALID_ARGUMENT,
  code.UNAUTHENTICATED,
]);

function errorCode(err: unknown): number | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === "number" ? c : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Handles one Pub/Sub CloudEvent: resolves to acknowledge it, rejects to have it redelivered (see
 * the contract at the top of this file). Logs exactly one line per event.
 */
export async function handleBackupEvent(
  event: PubSubCloudEvent,
  options: HandlerOptions,
): Promise<Outcome> {
  const now = (options.now ?? (() => new Date()))();
  const eventId = typeof event?.id === "string" ? event.id : undefined;
  const base = { event: logEvent, ...(eventId ? { eventId } : {}) };
  let request: BackupRequest;
  try {
    request = parseRequest(event);
  } catch (err) {
    options.log({
      ...base,
      severity: "ERROR",
      outcome: "poison",
      message: `Acknowledged a malformed backup request: ${errorText(err)}`,
      error: errorText(err),
    });
    return "poison";
  }
  const { database } = request;
  if (!options.allowedDatabases.has(database)) {
    const error = `${database} is not one of the databases this function backs up`;
    options.log({
      ...base,
      severity: "ERROR",
      outcome: "poison",
      database,
      message: `Acknowledged a backup request for another database: ${error}`,
      error,
    });
    return "poison";
  }
  const published = new Date(event.time ?? event.data?.message?.publishTime ?? now.toISOString());
  const scheduledAt = Number.isNaN(published.getTime()) ? now : published;
  let slot = scheduledAt;
  if (request.schedule !== undefined && options.scheduledRun !== undefined) {
    try {
      slot = options.scheduledRun(request.schedule, request.timeZone ?? "Etc/UTC", scheduledAt);
    } catch {
      slot = scheduledAt;
    }
  }
  const id = backupId(database, slot);
  const expires = expireTime(now, request.expire);
  const details = { ...base, database, backupId: id, expireTime: expires.toISOString() };
  try {
    const operation = await options.admin.createBackup({
      parent: database.replace(/\/databases\/[^/]+$/, ""),
      backupId: id,
      database,
      expireTime: expires,
    });
    options.log({
      ...details,
      severity: "INFO",
      outcome: "started",
      operation,
      message: `Started backup ${id} of ${database}`,
    });
    return "started";
  } catch (err) {
    const c = errorCode(err);
    const error = errorText(err);
    if (c === code.ALREADY_EXISTS) {
      // A redelivery of an event whose backup was already started: nothing left to do.
      options.log({
        ...details,
        severity: "INFO",
        outcome: "already-exists",
        error,
        message: `Backup ${id} of ${database} already exists`,
      });
      return "already-exists";
    }
    if (c !== undefined && permanent.has(c)) {
      options.log({
        ...details,
        severity: "ERROR",
        outcome: "failed",
        error,
        message: `Backup ${id} of ${database} failed and will not be retried: ${error}`,
      });
      return "failed";
    }
    const ageSeconds = (now.getTime() - scheduledAt.getTime()) / 1000;
    if (ageSeconds >= options.retryWindowSeconds) {
      options.log({
        ...details,
        severity: "ERROR",
        outcome: "gave-up",
        error,
        message: `Gave up on backup ${id} of ${database} after ${Math.round(ageSeconds)}s: ${error}`,
      });
      return "gave-up";
    }
    options.log({
      ...details,
      severity: "WARNING",
      outcome: "retrying",
      error,
      message: `Backup ${id} of ${database} failed, retrying: ${error}`,
    });
    throw err instanceof Error ? err : new Error(error);
  }
}
