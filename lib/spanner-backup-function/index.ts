// The Cloud Functions (2nd gen, Node.js) entry point of SpannerScheduledBackup's function mode.
// It runs only inside Cloud Functions, where the archive's package.json installs
// @google-cloud/functions-framework and @google-cloud/spanner: both are required lazily here, so
// taskstack itself never depends on them. The logic lives in handler.ts, tested without them.
import { handleBackupEvent } from "./handler";
import type { BackupAdmin, LogEntry, PubSubCloudEvent } from "./handler";

/** The entry point name the component deploys (`buildConfig.entryPoint`). */
export const entryPoint = "spannerScheduledBackup";

interface FunctionsFramework {
  cloudEvent(name: string, handler: (event: PubSubCloudEvent) => Promise<unknown>): void;
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
