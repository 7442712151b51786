// The Cloud Functions (2nd gen, Node.js) entry point of SpannerScheduledBackup's function mode.
// It runs only inside Cloud Functions, where the archive's package.json installs
// @google-cloud/functions-framework and @google-cloud/spanner: both are required lazily here, so
// taskstack itself never depends on them. The logic lives in handler.ts, tested without them.
import { handleBackupEvent } from "./handler";
import type { BackupAdmin, LogEntry, PubSubCloudEvent } from "./handler";
import { checkBackups, parseCheckedDatabases } from "./checker";
import type { BackupLister, CheckLogEntry, ListedBackup } from "./checker";

/** The entry point name the component deploys (`buildConfig.entryPoint`). */
export const entryPoint = "spannerScheduledBackup";
/** The backup checker's entry point (native mode). */
export const checkEntryPoint = "spannerBackupCheck";

interface HttpResponse {
  status(code: number): HttpResponse;
  send(body: string): void;
}

interface FunctionsFramework {
  cloudEvent(name: string, handler: (event: PubSubCloudEvent) => Promise<unknown>): void;
  http(name: string, handler: (req: unknown, res: HttpResponse) => Promise<void>): void;
}

interface DatabaseAdminClient {
  createBackup(request: {
    parent: string;
    backupId: string;
    backup: { database: string; expireTime: { seconds: number } };
  }): Promise<[{ name?: string | null }]>;
}

/** The real admin client, created on first use so a cold start that gets no event pays nothing. */
function realAdmin(load: (id: string) => unknown): BackupAdmin {
  let client: DatabaseAdminClient | undefined;
  return {
    async createBackup(request) {
      if (client === undefined) {
        const spanner = load("@google-cloud/spanner") as {
          v1: { DatabaseAdminClient: new () => DatabaseAdminClient };
        };
        client = new spanner.v1.DatabaseAdminClient();
      }
      const [operation] = await client.createBackup({
        parent: request.parent,
        backupId: request.backupId,
        backup: {
          database: request.database,
          expireTime: { seconds: Math.floor(request.expireTime.getTime() / 1000) },
        },
      });
      return operation.name ?? "";
    },
  };
}

/** A Backup message as the Node client returns it (longs as strings, enums as names). */
interface BackupMessage {
  name?: string | null;
  database?: string | null;
  state?: string | number | null;
  createTime?: { seconds?: string | number | null; nanos?: number | null } | null;
  backupSchedules?: string[] | null;
}

/** Backup.State's number for READY, in case a client hands enums back as numbers. */
const readyStateNumber = 2;

/** A listed backup as the checker reads it. */
export function listedBackup(b: BackupMessage): ListedBackup {
  const seconds = Number(b.createTime?.seconds ?? Number.NaN);
  const createTime = Number.isFinite(seconds)
    ? new Date(seconds * 1000 + Math.floor((b.createTime?.nanos ?? 0) / 1e6))
    : undefined;
  return {
    name: b.name ?? "",
    database: b.database ?? "",
    state: b.state === readyStateNumber ? "READY" : String(b.state ?? ""),
    ...(createTime ? { createTime } : {}),
    backupSchedules: b.backupSchedules ?? [],
  };
}

/** The real lister: DatabaseAdminClient.listBackups, every page. */
function realLister(load: (id: string) => unknown): BackupLister {
  let client:
    { listBackups(r: { parent: string; filter: string }): Promise<[BackupMessage[]]> } | undefined;
  return {
    async listBackups(parent, filter) {
      if (client === undefined) {
        const spanner = load("@google-cloud/spanner") as {
          v1: { DatabaseAdminClient: new () => NonNullable<typeof client> };
        };
        client = new spanner.v1.DatabaseAdminClient();
      }
      const [backups] = await client.listBackups({ parent, filter });
      return backups.map(listedBackup);
    },
  };
}

/** Registers the backup checker (HTTP, called by Cloud Scheduler) with the Functions Framework. */
export function registerChecker(
  load: (id: string) => unknown,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const framework = load("@google-cloud/functions-framework") as FunctionsFramework;
  // A bad configuration fails the deploy's health check, not a run at 3 a.m.
  const databases = parseCheckedDatabases(env["CHECK_DATABASES"]);
  const lister = realLister(load);
  const log = (entry: CheckLogEntry): void => {
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  };
  framework.http(checkEntryPoint, async (_req, res) => {
    const outcomes = await checkBackups(databases, { lister, log });
    // 200 whatever the outcome: the heartbeat lines are the signal, and a retry by Cloud
    // Scheduler would not make a missing backup appear.
    res.status(200).send(JSON.stringify({ outcomes }));
  });
}

interface CronParser {
  CronExpressionParser: {
    parse(text: string, options: { currentDate: Date; tz: string }): { prev(): { toDate(): Date } };
  };
}

/** The latest run of `schedule` at or before `at` (cron-parser, the parser taskstack plans with). */
export function scheduledRun(
  load: (id: string) => unknown,
  schedule: string,
  timeZone: string,
  at: Date,
): Date {
  const { CronExpressionParser } = load("cron-parser") as CronParser;
  // prev() is strictly before currentDate: one second on, a publish at the run's exact second
  // (the usual case) maps to that run.
  return CronExpressionParser.parse(schedule, {
    currentDate: new Date(at.getTime() + 1000),
    tz: timeZone,
  })
    .prev()
    .toDate();
}

/** Registers the handler with the Functions Framework, configured from the environment. */
export function register(
  load: (id: string) => unknown,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const framework = load("@google-cloud/functions-framework") as FunctionsFramework;
  const allowedDatabases = new Set(
    (env["BACKUP_DATABASES"] ?? "").split(",").filter((d) => d.length > 0),
  );
  const retryWindowSeconds = Number(env["RETRY_WINDOW_SECONDS"] ?? "3600");
  const admin = realAdmin(load);
  const log = (entry: LogEntry): void => {
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  };
  framework.cloudEvent(entryPoint, (event) =>
    handleBackupEvent(event, {
      admin,
      allowedDatabases,
      retryWindowSeconds,
      log,
      scheduledRun: (schedule, timeZone, at) => scheduledRun(load, schedule, timeZone, at),
    }),
  );
}

// Inside Cloud Functions the framework loads this file as the package's main module.
if (process.env["FUNCTION_TARGET"] === entryPoint) register(require, process.env);
if (process.env["FUNCTION_TARGET"] === checkEntryPoint) registerChecker(require, process.env);
