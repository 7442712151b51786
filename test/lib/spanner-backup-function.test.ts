import { describe, expect, it } from "vitest";
import {
  PoisonMessageError,
  backupId,
  expireTime,
  failureOutcomes,
  handleBackupEvent,
  parseRequest,
} from "../../lib/spanner-backup-function/handler";
import type {
  BackupAdmin,
  LogEntry,
  PubSubCloudEvent,
} from "../../lib/spanner-backup-function/handler";
import { register, scheduledRun } from "../../lib/spanner-backup-function/index";
import { functionArchiveContents } from "../../components/data/spanner-backup-archive";

const orders = "projects/acme-shop-dev/instances/commerce-dev/databases/orders";
const published = "2026-11-25T02:00:00.123Z";
const now = new Date("2026-11-25T02:00:07Z");

function event(body: unknown, extra: Partial<PubSubCloudEvent> = {}): PubSubCloudEvent {
  const data =
    body === undefined
      ? undefined
      : Buffer.from(typeof body === "string" ? body : JSON.stringify(body)).toString("base64");
  return { id: "evt-1", time: published, data: { message: { data } }, ...extra };
}

function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Runs the handler against an admin client that answers with `answer`. */
async function run(e: PubSubCloudEvent, answer: () => Promise<string>, at: Date = now) {
  const calls: Parameters<BackupAdmin["createBackup"]>[0][] = [];
  const logs: LogEntry[] = [];
  const admin: BackupAdmin = {
    createBackup: (request) => {
      calls.push(request);
      return answer();
    },
  };
  const result = await handleBackupEvent(e, {
    admin,
    allowedDatabases: new Set([orders]),
    retryWindowSeconds: 3600,
    log: (entry) => logs.push(entry),
    now: () => at,
  }).then(
    (outcome) => ({ outcome, thrown: undefined }),
    (err: unknown) => ({ outcome: undefined, thrown: err }),
  );
  return { ...result, calls, logs };
}

describe("backup function: one backup per scheduled run", () => {
  it.each([
    // A Cloud Scheduler retry after a publish that did succeed publishes a second message minutes
    // later: both name the 02:00 run, so Spanner refuses the second CreateBackup (ALREADY_EXISTS).
    ["2026-11-25T02:00:00.123Z", "schedule-orders-20261125-020000"],
    ["2026-11-25T02:03:41Z", "schedule-orders-20261125-020000"],
    // In Berlin (UTC+1 in November) the 03:00 local run is 02:00 UTC.
    ["2026-11-25T02:11:00Z", "schedule-orders-20261125-020000", "0 3 * * *", "Europe/Berlin"],
  ])(
    "a message published at %s starts %s",
    async (time, id, schedule = "0 2 * * *", tz = "Etc/UTC") => {
      const calls: string[] = [];
      await handleBackupEvent(
        event({ database: orders, expire: "1209600s", schedule, timeZone: tz }, { time }),
        {
          admin: {
            createBackup: (r) => {
              calls.push(r.backupId);
              return Promise.resolve("op");
            },
          },
          allowedDatabases: new Set([orders]),
          retryWindowSeconds: 3600,
          log: () => undefined,
          now: () => new Date(time),
          scheduledRun: (s, z, at) => scheduledRun(require, s, z, at),
        },
      );
      expect(calls).toEqual([id]);
    },
  );
});

describe("backup function: ids and expiry", () => {
  it.each([
    [orders, "2026-11-25T02:00:00.123Z", "schedule-orders-20261125-020000"],
    [orders, "2026-11-25T08:00:00Z", "schedule-orders-20261125-080000"],
    [
      "projects/p-1/instances/i-123456/databases/a_b-c",
      "2027-01-02T23:59:59Z",
      "schedule-a_b-c-20270102-235959",
    ],
  ])("%s at %s is %s", (database, at, id) => {
    expect(backupId(database, new Date(at))).toBe(id);
  });

  it("never collides at a six-hour cadence and stays within Spanner's 60 characters", () => {
    const longest = `projects/p/instances/instance/databases/${"d".repeat(30)}`;
    const ids = Array.from({ length: 4 * 366 }, (_, i) =>
      backupId(longest, new Date(Date.UTC(2026, 0, 1) + i * 6 * 3600_000)),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9_-]{0,58}[a-z0-9]$/);
  });

  it.each([
    ["1209600s", "2026-12-09T02:00:07.000Z"],
    ["72h", "2026-11-28T02:00:07.000Z"],
    ["3d", "2026-11-28T02:00:07.000Z"],
    // Spanner refuses an expire time under 6 hours after it processes the request: the function
    // asks for at least 6 h 10 min.
    ["6h", "2026-11-25T08:10:07.000Z"],
    ["21600s", "2026-11-25T08:10:07.000Z"],
    ["360m", "2026-11-25T08:10:07.000Z"],
    ["22199s", "2026-11-25T08:10:07.000Z"],
    ["22201s", "2026-11-25T08:10:08.000Z"],
  ])("expire %s from now is %s", (expire, at) => {
    expect(expireTime(now, expire).toISOString()).toBe(at);
  });
});

describe("backup function: messages", () => {
  it("parses the scheduler's message", () => {
    expect(parseRequest(event({ database: orders, expire: "259200s" }))).toEqual({
      database: orders,
      expire: "259200s",
    });
  });

  it.each<[string, PubSubCloudEvent, string]>([
    ["no data", event(undefined), "the Pub/Sub message has no data"],
    ["not JSON", event("{database"), "the message data is not JSON"],
    ["an array", event([1]), 'the message is not a JSON object {"database", "expire"}'],
    [
      "a bare database id",
      event({ database: "orders", expire: "259200s" }),
      'database: expected projects/<p>/instances/<i>/databases/<d>, got "orders"',
    ],
    [
      "no expire",
      event({ database: orders }),
      'expire: expected a duration from 6h to 366d such as "1209600s", got nothing',
    ],
    [
      "an expire under 6 hours",
      event({ database: orders, expire: "5h" }),
      'expire: expected a duration from 6h to 366d such as "1209600s", got "5h"',
    ],
    [
      "an expire over 366 days",
      event({ database: orders, expire: "367d" }),
      'expire: expected a duration from 6h to 366d such as "1209600s", got "367d"',
    ],
  ])("refuses %s as poison", (_case, e, why) => {
    expect(() => parseRequest(e)).toThrow(new PoisonMessageError(why));
  });
});

describe("backup function: what it acks and what it retries", () => {
  const good = event({ database: orders, expire: "259200s" });

  it("starts the backup with the scheduled run's id, logs one INFO line and acks", async () => {
    const r = await run(good, () => Promise.resolve("operations/op-1"));
    expect(r.outcome).toBe("started");
    expect(r.calls).toEqual([
      {
        parent: "projects/acme-shop-dev/instances/commerce-dev",
        backupId: "schedule-orders-20261125-020000",
        database: orders,
        expireTime: new Date("2026-11-28T02:00:07Z"),
      },
    ]);
    expect(r.logs).toEqual([
      {
        event: "taskstack.spanner-backup",
        eventId: "evt-1",
        severity: "INFO",
        outcome: "started",
        database: orders,
        backupId: "schedule-orders-20261125-020000",
        expireTime: "2026-11-28T02:00:07.000Z",
        operation: "operations/op-1",
        message: `Started backup schedule-orders-20261125-020000 of ${orders}`,
      },
    ]);
  });

  it("asks for 6 h 10 min when the retention is Spanner's 6-hour minimum", async () => {
    const r = await run(event({ database: orders, expire: "21600s" }), () =>
      Promise.resolve("operations/op-2"),
    );
    expect(r.outcome).toBe("started");
    expect(r.calls).toEqual([
      {
        parent: "projects/acme-shop-dev/instances/commerce-dev",
        backupId: "schedule-orders-20261125-020000",
        database: orders,
        expireTime: new Date("2026-11-25T08:10:07Z"),
      },
    ]);
    expect(r.logs).toEqual([
      expect.objectContaining({ outcome: "started", expireTime: "2026-11-25T08:10:07.000Z" }),
    ]);
  });

  it.each<[string, PubSubCloudEvent, string]>([
    [
      "a malformed message",
      event("{database"),
      "Acknowledged a malformed backup request: the message data is not JSON",
    ],
    [
      "a database it does not back up",
      event({
        database: "projects/acme-shop-dev/instances/commerce-dev/databases/payments",
        expire: "259200s",
      }),
      "Acknowledged a backup request for another database: projects/acme-shop-dev/instances/commerce-dev/databases/payments is not one of the databases this function backs up",
    ],
  ])("acks %s as poison, logs ERROR, calls nothing", async (_case, e, message) => {
    const r = await run(e, () => Promise.resolve("never"));
    expect(r.outcome).toBe("poison");
    expect(r.calls).toEqual([]);
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]).toMatchObject({ severity: "ERROR", outcome: "poison", message });
  });

  it.each<[string, number, string, LogEntry["severity"]]>([
    ["already exists (a redelivery)", 6, "already-exists", "INFO"],
    ["permission denied", 7, "failed", "ERROR"],
    ["not found", 5, "failed", "ERROR"],
    ["invalid argument", 3, "failed", "ERROR"],
  ])("acks %s", async (_case, code, outcome, severity) => {
    const r = await run(good, () => Promise.reject(grpcError(code, `${code} boom`)));
    expect(r.thrown).toBeUndefined();
    expect(r.outcome).toBe(outcome);
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]).toMatchObject({ severity, outcome, error: `${code} boom` });
    // The function-errors metric counts exactly the outcomes logged at ERROR.
    expect((failureOutcomes as readonly string[]).includes(outcome)).toBe(severity === "ERROR");
  });

  it.each([
    ["unavailable", 14],
    ["deadline exceeded", 4],
    ["a backup still pending", 9],
    ["quota", 8],
  ])("retries %s by throwing, logging a WARNING", async (_case, code) => {
    const err = grpcError(code, "try later");
    const r = await run(good, () => Promise.reject(err));
    expect(r.thrown).toBe(err);
    expect(r.logs).toEqual([expect.objectContaining({ severity: "WARNING", outcome: "retrying" })]);
  });

  it("gives up on transient errors once the event is older than the retry window", async () => {
    const late = new Date("2026-11-25T03:00:01Z");
    const r = await run(good, () => Promise.reject(grpcError(14, "unavailable")), late);
    expect(r.thrown).toBeUndefined();
    expect(r.outcome).toBe("gave-up");
    expect(r.logs).toEqual([
      expect.objectContaining({
        severity: "ERROR",
        outcome: "gave-up",
        message: `Gave up on backup schedule-orders-20261125-020000 of ${orders} after 3601s: unavailable`,
      }),
    ]);
  });
});

describe("backup function: entry point and archive", () => {
  it("registers the handler under its entry point, configured from the environment", async () => {
    const registered: Record<string, (e: PubSubCloudEvent) => Promise<unknown>> = {};
    const created: unknown[] = [];
    class DatabaseAdminClient {
      createBackup(request: unknown) {
        created.push(request);
        return Promise.resolve([{ name: "operations/op-9" }]);
      }
    }
    const load = (id: string): unknown => {
      if (id === "@google-cloud/functions-framework") {
        return {
          cloudEvent: (n: string, h: (e: PubSubCloudEvent) => Promise<unknown>) =>
            (registered[n] = h),
        };
      }
      if (id === "@google-cloud/spanner") return { v1: { DatabaseAdminClient } };
      throw new Error(`unexpected ${id}`);
    };
    register(load, { BACKUP_DATABASES: orders, RETRY_WINDOW_SECONDS: "600" });
    expect(Object.keys(registered)).toEqual(["spannerScheduledBackup"]);
    const write = process.stdout.write.bind(process.stdout);
    const lines: string[] = [];
    process.stdout.write = ((chunk: string) => {
      lines.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(
        await registered["spannerScheduledBackup"]?.(event({ database: orders, expire: "6h" })),
      ).toBe("started");
    } finally {
      process.stdout.write = write;
    }
    expect(created).toEqual([
      {
        parent: "projects/acme-shop-dev/instances/commerce-dev",
        backupId: "schedule-orders-20261125-020000",
        backup: { database: orders, expireTime: { seconds: expect.any(Number) as number } },
      },
    ]);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ severity: "INFO", outcome: "started" });
  });

  it("ships a package.json with main and the runtime dependencies, and compiled JavaScript", () => {
    const { contents, hash } = functionArchiveContents();
    expect(Object.keys(contents).sort()).toEqual([
      "checker.js",
      "handler.js",
      "index.js",
      "package.json",
    ]);
    const pkg = JSON.parse(contents["package.json"] ?? "{}") as Record<string, unknown>;
    expect(pkg["main"]).toBe("index.js");
    expect(Object.keys(pkg["dependencies"] as object).sort()).toEqual([
      "@google-cloud/functions-framework",
      "@google-cloud/spanner",
      "cron-parser",
    ]);
    expect(contents["index.js"]).toContain('require("./handler")');
    expect(contents["handler.js"]).toContain("exports.handleBackupEvent");
    // Native mode's backup checker: its own entry point in the same archive.
    expect(contents["index.js"]).toContain('require("./checker")');
    expect(contents["checker.js"]).toContain("exports.checkBackups");
    expect(hash).toMatch(/^[0-9a-f]{12}$/);
  });
});
