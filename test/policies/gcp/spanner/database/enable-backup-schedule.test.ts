import * as gcp from "@pulumi/gcp";
import { describe, expect, it } from "vitest";
import { data } from "../../../../../components";
import { gcpSpannerDatabaseEnableBackupSchedule as policy } from "../../../../../policies/gcp/spanner/database/enable-backup-schedule";
import {
  fixtureResource,
  fixtureUrn,
  policyCases,
  runPolicies,
  runProgram,
} from "../../../../../testing";
import type { PlannedResource } from "../../../../../testing";

const DB = "gcp:spanner/database:Database";
const SCHEDULE = "gcp:spanner/backupSchedule:BackupSchedule";
const JOB = "gcp:cloudscheduler/job:Job";

const payments = "projects/acme-shop-test/instances/commerce/databases/payments";

/** A scheduler job publishing through the Pub/Sub API, as SpannerScheduledBackup declares it. */
function publishBody(database: string, message: unknown = { database, expire: "259200s" }): string {
  const data = Buffer.from(JSON.stringify(message)).toString("base64");
  return Buffer.from(JSON.stringify({ messages: [{ data }] })).toString("base64");
}

const fixture = (): PlannedResource[] => [
  fixtureResource(DB, "commerce-orders", { instance: "commerce", name: "orders" }),
  fixtureResource(DB, "commerce-payments", { instance: "commerce", name: "payments" }),
  fixtureResource(DB, "commerce-ledger", { instance: "commerce", name: "ledger" }),
  fixtureResource(SCHEDULE, "orders-schedule", {
    instance: "commerce",
    database: "orders",
    retentionDuration: "1209600s",
  }),
  fixtureResource(JOB, "payments-job", {
    schedule: "0 2 * * *",
    httpTarget: { body: publishBody(payments) },
  }),
  fixtureResource(JOB, "ledger-job", {
    schedule: "0 3 * * *",
    pubsubTarget: {
      topicName: "projects/acme-shop-test/topics/backups",
      data: Buffer.from(
        JSON.stringify({
          database: "projects/acme-shop-test/instances/commerce/databases/ledger",
          expire: "6h",
        }),
      ).toString("base64"),
    },
  }),
];

const missing = (db: string) =>
  `Spanner database commerce/${db} has no backup schedule: no gcp.spanner.BackupSchedule and no Cloud Scheduler job requests its backups, so nothing backs it up. Add a gcp.spanner.BackupSchedule on its instance and database, or set defaultBackupScheduleType "AUTOMATIC" on its instance.`;

const without = (name: string) => (resources: PlannedResource[]) =>
  resources.filter((r) => r.name !== name);

/** The named resource with some inputs (and outputs) replaced. */
const patch =
  (name: string, props: Record<string, unknown>) =>
  (resources: PlannedResource[]): PlannedResource[] =>
    resources.map((r) =>
      r.name === name
        ? { ...r, inputs: { ...r.inputs, ...props }, outputs: { ...r.outputs, ...props } }
        : r,
    );

const paymentsUrn = fixtureUrn(DB, "commerce-payments");
const paused = (db: string, job: string) =>
  `Spanner database commerce/${db} is not backed up: Cloud Scheduler job ${job} requests its backups but is paused. Resume the job (paused: false).`;
const noRequest = (why: string) =>
  `Spanner database commerce/payments is not backed up: Cloud Scheduler job payments-job names it, but its message is no backup request (${why}). Publish {"database": "projects/<p>/instances/<i>/databases/<d>", "expire": "<seconds>s"}, the request taskstack's backup function takes.`;
const badExpire = (got: string) =>
  `expire: expected a duration from 6h to 366d such as "1209600s", got ${got}`;

describe(policy.name, () => {
  it("is a mandatory stack policy", () => {
    expect(policy.name).toBe("gcp-spanner-database-enable-backup-schedule");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "commerce-orders",
      cases: [
        {
          title: "a native schedule removed",
          change: without("orders-schedule"),
          messages: [missing("orders")],
        },
        {
          title: "a function-mode job removed",
          change: without("payments-job"),
          messages: [missing("payments")],
          urn: fixtureUrn(DB, "commerce-payments"),
        },
        {
          title: "a Pub/Sub-target job removed",
          change: without("ledger-job"),
          messages: [missing("ledger")],
          urn: fixtureUrn(DB, "commerce-ledger"),
        },
        {
          title: "a schedule of another instance's database of the same name",
          set: { instance: "archive" },
          messages: [
            'Spanner database archive/orders has no backup schedule: no gcp.spanner.BackupSchedule and no Cloud Scheduler job requests its backups, so nothing backs it up. Add a gcp.spanner.BackupSchedule on its instance and database, or set defaultBackupScheduleType "AUTOMATIC" on its instance.',
          ],
        },
        {
          title: "a paused function-mode job",
          change: patch("payments-job", { paused: true }),
          messages: [paused("payments", "payments-job")],
          urn: paymentsUrn,
        },
        {
          title: "a job paused outside Pulumi (state PAUSED)",
          change: patch("payments-job", { state: "PAUSED" }),
          messages: [paused("payments", "payments-job")],
          urn: paymentsUrn,
        },
        {
          title: "a paused Pub/Sub-target job",
          change: patch("ledger-job", { paused: true }),
          messages: [paused("ledger", "ledger-job")],
          urn: fixtureUrn(DB, "commerce-ledger"),
        },
        {
          title: "an explicitly enabled job (paused: false)",
          change: patch("payments-job", { paused: false, state: "ENABLED" }),
          messages: [],
        },
        {
          title: "a message without an expiry",
          change: patch("payments-job", {
            httpTarget: { body: publishBody(payments, { database: payments }) },
          }),
          messages: [noRequest(badExpire("nothing"))],
          urn: paymentsUrn,
        },
        {
          title: "a message whose expiry Spanner refuses",
          change: patch("payments-job", {
            httpTarget: { body: publishBody(payments, { database: payments, expire: "1h" }) },
          }),
          messages: [noRequest(badExpire('"1h"'))],
          urn: paymentsUrn,
        },
        {
          title: "a message that mentions the path but does not name the database",
          change: patch("payments-job", {
            httpTarget: {
              body: publishBody(payments, { note: `backs up ${payments}`, expire: "259200s" }),
            },
          }),
          messages: [missing("payments")],
          urn: paymentsUrn,
        },
        {
          title: "an HTTP job posting the request itself (an HTTP-triggered function)",
          change: patch("payments-job", {
            httpTarget: {
              body: Buffer.from(JSON.stringify({ database: payments, expire: "259200s" })).toString(
                "base64",
              ),
            },
          }),
          messages: [],
        },
        {
          title: "an HTTP body that is not JSON",
          change: patch("payments-job", {
            httpTarget: { body: Buffer.from(`backup ${payments}`).toString("base64") },
          }),
          messages: [missing("payments")],
          urn: paymentsUrn,
        },
        {
          title: "a paused job beside an active one for the same database",
          change: (rs) => [
            ...rs,
            fixtureResource(JOB, "payments-old-job", {
              schedule: "0 4 * * *",
              paused: true,
              httpTarget: { body: publishBody(payments) },
            }),
          ],
          messages: [],
        },
        {
          title: "no databases at all (not applicable)",
          change: (rs) => rs.filter((r) => r.type !== DB),
          messages: [],
        },
        {
          title: "an undefined instance",
          set: { instance: undefined },
          messages: [missing("orders").replace("commerce/orders", "/orders")],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it.each(["native", "function"] as const)(
    "counts SpannerScheduledBackup's own %s-mode backups as coverage",
    async (mode) => {
      const plan = await runProgram(() => {
        new gcp.spanner.Database("orders", { instance: "commerce", name: "orders" });
        new data.SpannerScheduledBackup("backups", {
          project: "acme-shop-test",
          region: "europe-west1",
          instance: "commerce",
          mode,
          databases: [{ name: "orders", schedule: "0 2 * * *", retentionSeconds: 21_600 * 4 }],
        });
      });
      const report = await runPolicies(plan, { policies: [policy], config: {} });
      expect(report.violations).toEqual([]);
    },
  );
});
