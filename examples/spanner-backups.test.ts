import { describe, expect, it } from "vitest";
import { runProgram } from "taskstack/testing";
import { spannerBackups } from "./spanner-backups";

describe("spanner backups", () => {
  it("schedules each database and alerts on failures and on missing backups", async () => {
    const plan = await runProgram(spannerBackups);

    plan.hasResource("gcp:spanner/backupSchedule:BackupSchedule", {
      project: "acme-shop-prod",
      instance: "commerce-prod",
      database: "orders",
      retentionDuration: "1209600s",
      spec: { cronSpec: { text: "0 2 * * *" } },
      fullBackupSpec: {},
    });
    plan.hasResource("gcp:spanner/backupSchedule:BackupSchedule", {
      database: "events",
      incrementalBackupSpec: {},
      encryptionConfig: { encryptionType: "GOOGLE_DEFAULT_ENCRYPTION" },
    });
    expect(plan.resourceCount("gcp:logging/metric:Metric")).toBe(3); // errors + one success per database
    plan.hasResource("gcp:monitoring/alertPolicy:AlertPolicy", {
      displayName: "No recent backup of commerce-prod/orders",
      notificationChannels: ["projects/acme-shop-prod/notificationChannels/4711"],
    });
    expect(plan.outputs["schedules"]).toEqual(["orders", "events"]);
  });
});
