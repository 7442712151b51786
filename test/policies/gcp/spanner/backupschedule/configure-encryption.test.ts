import { describe, expect, it } from "vitest";
import { gcpSpannerBackupscheduleConfigureEncryption as policy } from "../../../../../policies/gcp/spanner/backupschedule/configure-encryption";
import { fixtureResource, policyCases, runPolicies } from "../../../../../testing";
import { componentSchedulesPlan } from "./fixtures";

const SCHEDULE = "gcp:spanner/backupSchedule:BackupSchedule";
const fixture = () => [
  fixtureResource(SCHEDULE, "events-schedule", {
    instance: "commerce",
    database: "events",
    name: "taskstack-incremental",
    retentionDuration: "172800s",
    spec: { cronSpec: { text: "0 */4 * * *" } },
    incrementalBackupSpec: {},
    encryptionConfig: { encryptionType: "GOOGLE_DEFAULT_ENCRYPTION" },
  }),
];

const refused = (type: string) =>
  `BackupSchedule makes incremental backups with encryptionConfig.encryptionType ${type}, which Spanner refuses. Set encryptionConfig: { encryptionType: "GOOGLE_DEFAULT_ENCRYPTION" }, or make full backups (fullBackupSpec) to use the database's or a customer-managed key.`;

describe(policy.name, () => {
  it("is a mandatory resource policy", () => {
    expect(policy.name).toBe("gcp-spanner-backupschedule-configure-encryption");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema).toBeUndefined();
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "events-schedule",
      cases: [
        {
          title: "incremental with the database's encryption",
          set: { "encryptionConfig.encryptionType": "USE_DATABASE_ENCRYPTION" },
          messages: [refused('"USE_DATABASE_ENCRYPTION"')],
        },
        {
          title: "incremental with a customer-managed key",
          set: {
            encryptionConfig: {
              encryptionType: "CUSTOMER_MANAGED_ENCRYPTION",
              kmsKeyName: "projects/k/locations/europe-west1/keyRings/r/cryptoKeys/spanner",
            },
          },
          messages: [refused('"CUSTOMER_MANAGED_ENCRYPTION"')],
        },
        {
          title: "incremental without encryptionConfig",
          set: { encryptionConfig: undefined },
          messages: [refused("nothing")],
        },
        {
          title: "incremental without an encryption type",
          set: { "encryptionConfig.encryptionType": undefined },
          messages: [refused("nothing")],
        },
        {
          title: "full backups with the database's encryption",
          set: {
            incrementalBackupSpec: undefined,
            fullBackupSpec: {},
            "encryptionConfig.encryptionType": "USE_DATABASE_ENCRYPTION",
          },
          messages: [],
        },
        {
          title: "full backups with a customer-managed key",
          set: {
            incrementalBackupSpec: undefined,
            fullBackupSpec: {},
            encryptionConfig: {
              encryptionType: "CUSTOMER_MANAGED_ENCRYPTION",
              kmsKeyName: "projects/k/locations/europe-west1/keyRings/r/cryptoKeys/spanner",
            },
          },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it("passes the schedules SpannerScheduledBackup declares, full and incremental", async () => {
    const plan = await componentSchedulesPlan();
    expect(plan.resourceCount("gcp:spanner/backupSchedule:BackupSchedule")).toBe(3);
    const report = await runPolicies(plan, { policies: [policy], config: {} });
    expect(report.violations).toEqual([]);
  });
});
