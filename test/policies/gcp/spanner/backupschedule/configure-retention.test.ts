import { describe, expect, it } from "vitest";
import { gcpSpannerBackupscheduleConfigureRetention as policy } from "../../../../../policies/gcp/spanner/backupschedule/configure-retention";
import { fixtureResource, policyCases } from "../../../../../testing";

const SCHEDULE = "gcp:spanner/backupSchedule:BackupSchedule";
const fixture = () => [
  fixtureResource(SCHEDULE, "orders-schedule", {
    instance: "commerce",
    database: "orders",
    name: "taskstack-full",
    retentionDuration: "1209600s",
    spec: { cronSpec: { text: "0 2 * * *" } },
    fullBackupSpec: {},
  }),
];

describe(policy.name, () => {
  it("is mandatory with a typed minimum", () => {
    expect(policy.name).toBe("gcp-spanner-backupschedule-configure-retention");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties?.["minimumRetentionSeconds"]).toEqual({
      type: "number",
      minimum: 21_600,
      maximum: 31_622_400,
      default: 21_600,
    });
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "orders-schedule",
      cases: [
        {
          title: "retention unset",
          set: { retentionDuration: undefined },
          messages: [
            'BackupSchedule retentionDuration is nothing; expected seconds such as "1209600s" (14 days).',
          ],
        },
        {
          title: "retention in days",
          set: { retentionDuration: "14d" },
          messages: [
            'BackupSchedule retentionDuration is "14d"; expected seconds such as "1209600s" (14 days).',
          ],
        },
        {
          title: "retention under 6 hours",
          set: { retentionDuration: "3600s" },
          messages: [
            'BackupSchedule retentionDuration "3600s" is outside 21600s to 31622400s (366 days). Keep backups at least 21600s.',
          ],
        },
        {
          title: "retention over 366 days",
          set: { retentionDuration: "31622401s" },
          messages: [
            'BackupSchedule retentionDuration "31622401s" is outside 21600s to 31622400s (366 days). Keep backups at least 21600s.',
          ],
        },
        {
          title: "retention shorter than the interval",
          set: { retentionDuration: "43200s" },
          messages: [
            'BackupSchedule retentionDuration "43200s" is shorter than the 86400s between backups of "0 2 * * *", so for part of each interval no backup exists. Keep backups at least "86400s".',
          ],
        },
        {
          title: "a weekly schedule with daily retention",
          set: { retentionDuration: "86400s", "spec.cronSpec.text": "0 2 * * 0" },
          messages: [
            'BackupSchedule retentionDuration "86400s" is shorter than the 604800s between backups of "0 2 * * 0", so for part of each interval no backup exists. Keep backups at least "604800s".',
          ],
        },
        {
          title: "no cron spec (retention range only)",
          set: { spec: undefined, retentionDuration: "43200s" },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "orders-schedule",
      config: { minimumRetentionSeconds: 2_592_000 },
      cases: [
        {
          title: "under the stack's 30-day minimum",
          set: {},
          messages: [
            'BackupSchedule retentionDuration "1209600s" is outside 2592000s to 31622400s (366 days). Keep backups at least 2592000s.',
          ],
        },
      ],
    }).slice(1),
  )("with a stack minimum: $title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
