import { describe, expect, it } from "vitest";
import { gcpSpannerBackupscheduleConfigureFrequency as policy } from "../../../../../policies/gcp/spanner/backupschedule/configure-frequency";
import { fixtureResource, policyCases, runPolicies } from "../../../../../testing";
import { componentSchedulesPlan } from "./fixtures";

const SCHEDULE = "gcp:spanner/backupSchedule:BackupSchedule";
const fixture = () => [
  fixtureResource(SCHEDULE, "orders-schedule", {
    instance: "commerce",
    database: "orders",
    name: "taskstack-full",
    retentionDuration: "1209600s",
    spec: { cronSpec: { text: "30 1,13 * * *" } },
    fullBackupSpec: {},
    encryptionConfig: { encryptionType: "USE_DATABASE_ENCRYPTION" },
  }),
];
const incremental = {
  fullBackupSpec: undefined,
  incrementalBackupSpec: {},
  "encryptionConfig.encryptionType": "GOOGLE_DEFAULT_ENCRYPTION",
};

describe(policy.name, () => {
  it("is a mandatory resource policy", () => {
    expect(policy.name).toBe("gcp-spanner-backupschedule-configure-frequency");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema).toBeUndefined();
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "orders-schedule",
      cases: [
        {
          title: "full backups every 6 hours",
          set: { "spec.cronSpec.text": "0 */6 * * *" },
          messages: [
            'BackupSchedule "0 */6 * * *" starts full backups 6 hours apart, and Spanner allows one every 12 hours at most. Space the cron\'s runs at least 12 hours apart (for example "0 2,14 * * *").',
          ],
        },
        {
          title: "full backups twice a day but 11 hours apart at the closest",
          set: { "spec.cronSpec.text": "0 2,13 * * *" },
          messages: [
            'BackupSchedule "0 2,13 * * *" starts full backups 11 hours apart, and Spanner allows one every 12 hours at most. Space the cron\'s runs at least 12 hours apart (for example "0 2,14 * * *").',
          ],
        },
        {
          title: "full backups every 12 hours (the limit)",
          set: { "spec.cronSpec.text": "0 */12 * * *" },
          messages: [],
        },
        {
          title: "incremental backups every 4 hours (the limit)",
          set: { ...incremental, "spec.cronSpec.text": "0 */4 * * *" },
          messages: [],
        },
        {
          title: "incremental backups every 2 hours",
          set: { ...incremental, "spec.cronSpec.text": "0 */2 * * *" },
          messages: [
            'BackupSchedule "0 */2 * * *" starts incremental backups 2 hours apart, and Spanner allows one every 4 hours at most. Space the cron\'s runs at least 4 hours apart (for example "0 */4 * * *").',
          ],
        },
        {
          title: "incremental backups every 30 minutes",
          set: { ...incremental, "spec.cronSpec.text": "*/30 * * * *" },
          messages: [
            'BackupSchedule "*/30 * * * *" starts incremental backups 30 minutes apart, and Spanner allows one every 4 hours at most. Space the cron\'s runs at least 4 hours apart (for example "0 */4 * * *").',
          ],
        },
        {
          title: "no spec (the service refuses it; not a frequency)",
          set: { spec: undefined },
          messages: [],
        },
        {
          title: "a cron the service cannot read (not a frequency)",
          set: { "spec.cronSpec.text": "0 2 * *" },
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
