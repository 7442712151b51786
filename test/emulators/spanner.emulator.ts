// The Spanner rules taskstack's schemas encode, judged by the Spanner emulator of the Google Cloud
// SDK (its REST gateway): instance and database ids, processing units, the instances and
// databases the stacks plan. And what the emulator does not serve: backups and backup schedules,
// so SpannerScheduledBackup's checker is judged by unit tests only (test/lib/spanner-backup-checker).
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  spannerDatabaseId,
  spannerInstanceId,
} from "../../components/data/spanner-scheduled-backup-schema";
import { spannerSection } from "../../stacks/sections/spanner";
import { runProgram } from "../../testing";
import { main } from "../../stacks/program";
import { locateEmulators, sdkVersion, startSpanner } from "./emulators";

const found = locateEmulators();
if (found.spanner === undefined) {
  console.warn(`SKIP (real part absent): the Spanner emulator: ${found.spannerMissing}`);
}

const project = "taskstack-emulator";
const runs = Number(process.env["TASKSTACK_EMULATOR_RUNS"] ?? 60);

describe.skipIf(found.spanner === undefined)(`Spanner emulator (${sdkVersion(found.sdk)})`, () => {
  let stop: (() => Promise<void>) | undefined;
  let rest = "";
  let serial = 0;

  beforeAll(async () => {
    const emulator = await startSpanner(found.spanner as string);
    stop = emulator.stop;
    rest = emulator.rest;
    await call("POST", `projects/${project}/instances`, {
      instanceId: "taskstack-ids",
      instance: { config: config(), displayName: "taskstack ids", processingUnits: 100 },
    });
  });
  afterAll(async () => {
    await stop?.();
  });

  const config = () => `projects/${project}/instanceConfigs/emulator-config`;

  /** One REST call; resolves with the HTTP status and the decoded body. */
  async function call(method: string, resource: string, body?: unknown) {
    const res = await fetch(`${rest}/${resource}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: { code?: number; message?: string } = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      json = { message: text };
    }
    return { status: res.status, body: json };
  }

  /** true when the emulator created it, false when it refused the request as invalid (code 3). */
  async function created(method: string, resource: string, body: unknown): Promise<boolean> {
    const r = await call(method, resource, body);
    if (r.status === 200) return true;
    if (r.body.code === 3) return false;
    throw new Error(`${method} ${resource}: ${r.status} ${JSON.stringify(r.body)}`);
  }

  const idChars = fc.constantFrom(..."abz09-_A.");

  it("instance ids: what we accept the emulator accepts; we refuse 2–5 and 31–64 characters, the provider's rule", async () => {
    // The API takes `[a-z][-a-z0-9]*[a-z0-9]`, 2–64 characters (the emulator's own message);
    // the Pulumi/Terraform provider that `pulumi up` runs allows a name "between 6 and 30
    // characters" (@pulumi/gcp spanner.Instance name), and taskstack follows the provider.
    const id = fc.oneof(
      fc.string({ unit: idChars, minLength: 1, maxLength: 8 }),
      fc.string({ unit: idChars, minLength: 28, maxLength: 66 }),
    );
    await fc.assert(
      fc.asyncProperty(id, async (i) => {
        const emulator = await created("POST", `projects/${project}/instances`, {
          instanceId: i,
          instance: { config: config(), displayName: "taskstack", processingUnits: 100 },
        });
        if (emulator) await call("DELETE", `projects/${project}/instances/${i}`);
        const ours = spannerInstanceId.safeParse(i).success;
        const providerRule = i.length >= 6 && i.length <= 30;
        expect([i, ours]).toEqual([i, emulator && providerRule]);
      }),
      { numRuns: runs },
    );
  });

  it("database ids: our rule accepts exactly what the emulator accepts (2–30 characters)", async () => {
    const id = fc.oneof(
      fc.string({ unit: idChars, minLength: 1, maxLength: 6 }),
      fc.string({ unit: idChars, minLength: 28, maxLength: 32 }),
    );
    await fc.assert(
      fc.asyncProperty(id, async (d) => {
        const emulator = await created(
          "POST",
          `projects/${project}/instances/taskstack-ids/databases`,
          { createStatement: `CREATE DATABASE \`${d}\`` },
        );
        if (emulator) {
          await call("DELETE", `projects/${project}/instances/taskstack-ids/databases/${d}`);
        }
        expect([d, spannerDatabaseId.safeParse(d).success]).toEqual([d, emulator]);
      }),
      { numRuns: runs },
    );
  });

  it("processing units: a stack file's rule accepts exactly what the emulator accepts", async () => {
    const units = fc.oneof(
      // Not 0: in proto3 a 0 is no value at all, and the emulator then picks its default.
      fc.integer({ min: 1, max: 3000 }),
      fc.integer({ min: 1, max: 100 }).map((n) => n * 100),
      fc
        .tuple(fc.integer({ min: 1, max: 20 }), fc.constantFrom(0, 100, 500))
        .map(([n, extra]) => n * 1000 + extra),
      fc.constantFrom(1, 99, 100, 900, 950, 1000, 1100, 2000),
    );
    await fc.assert(
      fc.asyncProperty(units, async (u) => {
        const id = `units-${++serial}`;
        const emulator = await created("POST", `projects/${project}/instances`, {
          instanceId: id,
          instance: { config: config(), displayName: "taskstack", processingUnits: u },
        });
        if (emulator) await call("DELETE", `projects/${project}/instances/${id}`);
        const ours = spannerSection.safeParse({
          instances: [
            {
              name: "commerce-units",
              config: "regional-europe-west1",
              processingUnits: u,
              databases: ["orders"],
              backup: {
                databases: [{ name: "orders", schedule: "0 2 * * *", retentionSeconds: 86_400 }],
              },
            },
          ],
        }).success;
        // Our upper bound (100 000) is below what the emulator would take.
        expect([u, ours]).toEqual([u, emulator && u <= 100_000]);
      }),
      { numRuns: runs },
    );
  });

  it.each(["dev", "staging", "prod"])(
    "creates the instances and databases the %s stack plans",
    async (stack) => {
      const plan = await runProgram(main, {
        stack,
        stackDir: path.join(__dirname, "..", "..", "stacks"),
        project: "taskstack",
      });
      const instances = plan.findResources("gcp:spanner/instance:Instance");
      expect(instances.length).toBeGreaterThan(0);
      for (const inst of instances) {
        const i = inst.inputs;
        // The emulator has one instance configuration (emulator-config) and its REST gateway
        // does not know defaultBackupScheduleType; the rest is sent as planned.
        const name = `${stack}-${i["name"] as string}`.slice(0, 30);
        const r = await call("POST", `projects/${project}/instances`, {
          instanceId: name,
          instance: {
            config: config(),
            displayName: i["displayName"],
            processingUnits: i["processingUnits"],
            labels: i["labels"],
          },
        });
        expect([name, r.status, r.body.message]).toEqual([name, 200, undefined]);
        const databases = plan
          .findResources("gcp:spanner/database:Database")
          .filter((d) => d.inputs["instance"] === i["name"]);
        expect(databases.length).toBeGreaterThan(0);
        for (const d of databases) {
          const db = d.inputs["name"] as string;
          const c = await call("POST", `projects/${project}/instances/${name}/databases`, {
            createStatement: `CREATE DATABASE \`${db}\``,
          });
          expect([db, c.status, c.body.message]).toEqual([db, 200, undefined]);
        }
      }
    },
  );

  it("does not serve backups or backup schedules (so the backup checker is not judged here)", async () => {
    await call("POST", `projects/${project}/instances/taskstack-ids/databases`, {
      createStatement: "CREATE DATABASE `orders`",
    });
    const db = `projects/${project}/instances/taskstack-ids/databases/orders`;
    const results = {
      createBackup: await call(
        "POST",
        `projects/${project}/instances/taskstack-ids/backups?backupId=b1`,
        { database: db, expireTime: new Date(Date.now() + 86_400_000).toISOString() },
      ),
      listBackups: await call(
        "GET",
        `projects/${project}/instances/taskstack-ids/backups?filter=${encodeURIComponent(`(database:"${db}") AND (state:READY)`)}`,
      ),
      createBackupSchedule: await call(
        "POST",
        `${db}/backupSchedules?backupScheduleId=taskstack-full`,
        {
          spec: { cronSpec: { text: "0 2 * * *" } },
          retentionDuration: "86400s",
          fullBackupSpec: {},
        },
      ),
    };
    console.warn(
      "SKIP (real part absent): the Spanner emulator answers CreateBackup and ListBackups with UNIMPLEMENTED and knows no backup schedules; SpannerScheduledBackup's backup checker is tested against a fake lister only (test/lib/spanner-backup-checker.test.ts)",
    );
    // If a newer SDK serves them, this fails: then test the checker here.
    expect({
      createBackup: results.createBackup.body.code,
      listBackups: results.listBackups.body.code,
      createBackupSchedule: results.createBackupSchedule.status,
    }).toEqual({ createBackup: 12, listBackups: 12, createBackupSchedule: 404 });
  });
});
