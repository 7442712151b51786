import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backupFilter,
  checkBackups,
  checkDatabase,
  isScheduledBackupOf,
  parseCheckedDatabases,
} from "../../lib/spanner-backup-function/checker";
import type {
  BackupLister,
  CheckLogEntry,
  ListedBackup,
} from "../../lib/spanner-backup-function/checker";
import { listedBackup, registerChecker } from "../../lib/spanner-backup-function/index";

const db = "projects/acme/instances/commerce/databases/orders";
const schedule = `${db}/backupSchedules/taskstack-full`;
const now = new Date("2026-12-03T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const backup = (over: Partial<ListedBackup> = {}): ListedBackup => ({
  name: "projects/acme/instances/commerce/backups/b1",
  database: db,
  state: "READY",
  createTime: hoursAgo(5),
  backupSchedules: [schedule],
  ...over,
});

/** A lister that returns `backups` and records what it was asked. */
function lister(backups: readonly ListedBackup[] | Error) {
  const calls: { parent: string; filter: string }[] = [];
  const l: BackupLister = {
    listBackups(parent, filter) {
      calls.push({ parent, filter });
      return backups instanceof Error ? Promise.reject(backups) : Promise.resolve(backups);
    },
  };
  return { lister: l, calls };
}

async function check(backups: readonly ListedBackup[] | Error, maxAgeSeconds = 30 * 3600) {
  const logs: CheckLogEntry[] = [];
  const { lister: l, calls } = lister(backups);
  const outcome = await checkDatabase(
    { database: db, maxAgeSeconds },
    { lister: l, log: (e) => logs.push(e), now: () => now },
  );
  return { outcome, logs, calls };
}

describe("backup checker", () => {
  it("asks ListBackups for the instance's READY backups of the database since the window start", async () => {
    const { calls } = await check([backup()]);
    // The filter grammar: fields database, state, create_time (YYYY-MM-DDTHH:MM:SSZ), `:` is
    // "contains" (cloud.google.com/spanner/docs/reference/rest/v1/projects.instances.backups/list).
    expect(calls).toEqual([
      {
        parent: "projects/acme/instances/commerce",
        filter: `(database:"${db}") AND (state:READY) AND (create_time >= "2026-12-02T06:00:00Z")`,
      },
    ]);
  });

  it("logs one fresh heartbeat naming the newest scheduled backup and its age", async () => {
    const { outcome, logs } = await check([
      backup({ name: "old", createTime: hoursAgo(20) }),
      backup({ name: "new", createTime: hoursAgo(2) }),
    ]);
    expect(outcome).toBe("fresh");
    expect(logs).toEqual([
      {
        event: "taskstack.spanner-backup-check",
        database: db,
        maxAgeSeconds: 108_000,
        severity: "INFO",
        outcome: "fresh",
        backup: "new",
        backupCreateTime: "2026-12-03T10:00:00.000Z",
        ageSeconds: 7200,
        message: `Newest scheduled backup of ${db} is new, 7200s old`,
      },
    ]);
  });

  it.each<[string, ListedBackup[]]>([
    ["no backup at all", []],
    ["only an on-demand backup (no backupSchedules)", [backup({ backupSchedules: [] })]],
    ["only a backup still CREATING", [backup({ state: "CREATING" })]],
    // `database:` contains: orders-eu's backups match a filter on orders.
    [
      "only a backup of another database whose name contains it",
      [backup({ database: `${db}-eu`, backupSchedules: [`${db}-eu/backupSchedules/s`] })],
    ],
    [
      "only a backup of another database's schedule",
      [backup({ backupSchedules: [`${db}-eu/backupSchedules/s`] })],
    ],
    [
      "only a backup older than the window (a server that ignored the time bound)",
      [backup({ createTime: hoursAgo(31) })],
    ],
    ["only a backup without a create time", [backup({ createTime: undefined })]],
  ])("is stale, logged at ERROR, with %s", async (_case, backups) => {
    const { outcome, logs } = await check(backups);
    expect(outcome).toBe("stale");
    expect(logs).toEqual([
      {
        event: "taskstack.spanner-backup-check",
        database: db,
        maxAgeSeconds: 108_000,
        severity: "ERROR",
        outcome: "stale",
        message: `No complete scheduled backup of ${db} was created in the last 108000s (since 2026-12-02T06:00:00Z)`,
      },
    ]);
  });

  it("counts a backup that several schedules collapsed into one (backupSchedules lists each)", async () => {
    const { outcome } = await check([
      backup({ backupSchedules: [`${db}/backupSchedules/other`, schedule] }),
    ]);
    expect(outcome).toBe("fresh");
  });

  it("logs a listing error at ERROR, never a heartbeat", async () => {
    const { outcome, logs } = await check(new Error("7 PERMISSION_DENIED: spanner.backups.list"));
    expect(outcome).toBe("error");
    expect(logs).toEqual([
      {
        event: "taskstack.spanner-backup-check",
        database: db,
        maxAgeSeconds: 108_000,
        severity: "ERROR",
        outcome: "error",
        error: "7 PERMISSION_DENIED: spanner.backups.list",
        message: `Could not list the backups of ${db}: 7 PERMISSION_DENIED: spanner.backups.list`,
      },
    ]);
  });

  it("checks every database, one line each, and one failure does not stop the others", async () => {
    const logs: CheckLogEntry[] = [];
    const l: BackupLister = {
      listBackups: (_parent, filter) =>
        filter.includes("/databases/payments")
          ? Promise.reject(new Error("14 UNAVAILABLE"))
          : Promise.resolve([backup()]),
    };
    const outcomes = await checkBackups(
      [
        { database: db, maxAgeSeconds: 108_000 },
        { database: "projects/acme/instances/commerce/databases/payments", maxAgeSeconds: 108_000 },
      ],
      { lister: l, log: (e) => logs.push(e), now: () => now },
    );
    expect(outcomes).toEqual(["fresh", "error"]);
    expect(logs.map((e) => [e.database, e.outcome])).toEqual([
      [db, "fresh"],
      ["projects/acme/instances/commerce/databases/payments", "error"],
    ]);
  });

  it("is fresh exactly when a READY scheduled backup of the database is within the window", async () => {
    const arb = fc.array(
      fc.record({
        ageHours: fc.integer({ min: 0, max: 60 }),
        state: fc.constantFrom("READY", "CREATING"),
        own: fc.boolean(),
        scheduled: fc.boolean(),
      }),
      { maxLength: 5 },
    );
    await fc.assert(
      fc.asyncProperty(arb, async (specs) => {
        const backups = specs.map((b, i) =>
          backup({
            name: `b${i}`,
            createTime: hoursAgo(b.ageHours),
            state: b.state,
            database: b.own ? db : `${db}-eu`,
            backupSchedules: b.scheduled ? [`${b.own ? db : `${db}-eu`}/backupSchedules/s`] : [],
          }),
        );
        const expected = specs.some(
          (b) => b.ageHours <= 30 && b.state === "READY" && b.own && b.scheduled,
        );
        const { outcome } = await check(backups);
        expect(outcome).toBe(expected ? "fresh" : "stale");
      }),
      { numRuns: 200 },
    );
  });

  it("reads the Node client's Backup messages (longs as strings, enums as names or numbers)", () => {
    expect(
      listedBackup({
        name: "n",
        database: db,
        state: "READY",
        createTime: { seconds: "1796299200", nanos: 500_000_000 },
        backupSchedules: [schedule],
      }),
    ).toEqual({
      name: "n",
      database: db,
      state: "READY",
      createTime: new Date(1_796_299_200_500),
      backupSchedules: [schedule],
    });
    expect(listedBackup({ state: 2 }).state).toBe("READY");
    expect(listedBackup({ state: 1 }).state).toBe("1");
    expect(listedBackup({}).createTime).toBeUndefined();
    expect(
      isScheduledBackupOf(
        listedBackup({ database: db, state: 2, backupSchedules: [schedule] }),
        db,
      ),
    ).toBe(true);
  });

  it.each<[string, string | undefined, string]>([
    ["nothing", undefined, "CHECK_DATABASES: expected JSON, got null"],
    [
      "an empty list",
      "[]",
      "CHECK_DATABASES: expected a non-empty list of {database, maxAgeSeconds}",
    ],
    [
      "a bare database id",
      '[{"database":"orders","maxAgeSeconds":60}]',
      'CHECK_DATABASES[0].database: expected projects/<p>/instances/<i>/databases/<d>, got "orders"',
    ],
    [
      "a fractional age",
      `[{"database":"${db}","maxAgeSeconds":1.5}]`,
      "CHECK_DATABASES[0].maxAgeSeconds: expected a positive whole number of seconds, got 1.5",
    ],
  ])("refuses a configuration with %s", (_case, text, message) => {
    expect(() => parseCheckedDatabases(text)).toThrow(message);
  });

  it("builds the filter with the timestamp form the API documents", () => {
    expect(backupFilter(db, new Date("2026-01-02T03:04:05.678Z"))).toBe(
      `(database:"${db}") AND (state:READY) AND (create_time >= "2026-01-02T03:04:05Z")`,
    );
  });

  it("registers an HTTP entry point that lists through DatabaseAdminClient and answers 200", async () => {
    let handler: ((req: unknown, res: unknown) => Promise<void>) | undefined;
    const requests: unknown[] = [];
    const registered: string[] = [];
    const load = (id: string): unknown => {
      if (id === "@google-cloud/functions-framework") {
        return {
          http: (name: string, h: typeof handler) => {
            registered.push(name);
            handler = h;
          },
        };
      }
      if (id === "@google-cloud/spanner") {
        return {
          v1: {
            DatabaseAdminClient: class {
              listBackups(r: unknown) {
                requests.push(r);
                return Promise.resolve([
                  [
                    {
                      name: "b",
                      database: db,
                      state: "READY",
                      createTime: { seconds: String(Math.floor(Date.now() / 1000) - 60) },
                      backupSchedules: [schedule],
                    },
                  ],
                ]);
              }
            },
          },
        };
      }
      throw new Error(`unexpected module ${id}`);
    };
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    let status = 0;
    let body = "";
    try {
      registerChecker(load, {
        CHECK_DATABASES: JSON.stringify([{ database: db, maxAgeSeconds: 3600 }]),
      });
      const res = {
        status(c: number) {
          status = c;
          return res;
        },
        send(b: string) {
          body = b;
        },
      };
      await handler?.({}, res);
    } finally {
      process.stdout.write = write;
    }
    expect(requests).toEqual([
      {
        parent: "projects/acme/instances/commerce",
        filter: expect.stringMatching(/^\(database:"/) as unknown,
      },
    ]);
    expect(registered).toEqual(["spannerBackupCheck"]);
    expect([status, body]).toEqual([200, '{"outcomes":["fresh"]}']);
    expect(written.map((w) => (JSON.parse(w) as CheckLogEntry).outcome)).toEqual(["fresh"]);
  });

  it("refuses to register with a bad CHECK_DATABASES, so the deploy fails, not a run", () => {
    const load = () => ({ http: () => undefined });
    expect(() => registerChecker(load, {})).toThrow("CHECK_DATABASES: expected JSON, got null");
  });
});
