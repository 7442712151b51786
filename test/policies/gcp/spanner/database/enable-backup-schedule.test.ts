import { describe, expect, it } from "vitest";
import { gcpSpannerDatabaseEnableBackupSchedule as policy } from "../../../../../policies/gcp/spanner/database/enable-backup-schedule";
import { fixtureResource, fixtureUrn, policyCases } from "../../../../../testing";
import type { PlannedResource } from "../../../../../testing";

const DB = "gcp:spanner/database:Database";
const SCHEDULE = "gcp:spanner/backupSchedule:BackupSchedule";
const JOB = "gcp:cloudscheduler/job:Job";

/** A scheduler job publishing through the Pub/Sub API, as SpannerScheduledBackup declares it. */
function publishBody(database: string): string {
  const message = Buffer.from(JSON.stringify({ database, expire: "259200s" })).toString("base64");
  return Buffer.from(JSON.stringify({ messages: [{ data: message }] })).toString("base64");
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
    httpTarget: { body: publishBody("projects/p/instances/commerce/databases/payments") },
  }),
  fixtureResource(JOB, "ledger-job", {
    schedule: "0 3 * * *",
    pubsubTarget: {
      topicName: "projects/p/topics/backups",
      data: Buffer.from(
        JSON.stringify({
          database: "projects/p/instances/commerce/databases/ledger",
          expire: "6h",
        }),
      ).toString("base64"),
    },
  }),
];

const missing = (db: string) =>
  `Spanner database commerce/${db} has no backup schedule: no gcp.spanner.BackupSchedule and no Cloud Scheduler job requests its backups, so nothing backs it up. Back it up with data.SpannerScheduledBackup (or a BackupSchedule on instance and database).`;

const without = (name: string) => (resources: PlannedResource[]) =>
  resources.filter((r) => r.name !== name);

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
            "Spanner database archive/orders has no backup schedule: no gcp.spanner.BackupSchedule and no Cloud Scheduler job requests its backups, so nothing backs it up. Back it up with data.SpannerScheduledBackup (or a BackupSchedule on instance and database).",
          ],
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
});
