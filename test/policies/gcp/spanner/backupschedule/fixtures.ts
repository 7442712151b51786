import { data } from "../../../../../components";
import { runProgram } from "../../../../../testing";
import type { Plan } from "../../../../../testing";

/**
 * The plan of a SpannerScheduledBackup declaring each kind of schedule the backup-schedule
 * policies must pass: twice-daily full, full with a customer-managed key, and 4-hourly incremental.
 */
export function componentSchedulesPlan(): Promise<Plan> {
  return runProgram(() => {
    new data.SpannerScheduledBackup("backups", {
      project: "acme-shop-test",
      region: "europe-west1",
      instance: "commerce",
      databases: [
        { name: "orders", schedule: "30 1,13 * * *", retentionSeconds: 604_800 },
        {
          name: "ledger",
          schedule: "0 2 * * *",
          retentionSeconds: 604_800,
          kmsKeyName: "projects/k/locations/europe-west1/keyRings/r/cryptoKeys/spanner",
        },
        {
          name: "events",
          schedule: "0 */4 * * *",
          retentionSeconds: 86_400,
          type: "incremental",
        },
      ],
    });
  });
}
