import * as gcp from "@pulumi/gcp";
import { data } from "taskstack";

/** Nightly backups of the order platform's databases, kept two weeks, with alerts to on-call. */
export function spannerBackups() {
  // The instance, declared in the same program without a default backup schedule of its own.
  const instance = new gcp.spanner.Instance("commerce", {
    project: "acme-shop-prod",
    name: "commerce-prod",
    config: "regional-europe-west1",
    displayName: "Commerce",
    processingUnits: 1000,
    defaultBackupScheduleType: "NONE",
  });
  const backups = new data.SpannerScheduledBackup("commerce-backup", {
    // Outputs of the instance: checked once they resolve, as strings are when given.
    project: instance.project,
    instance: instance.name,
    region: "europe-west1",
    // As declared above, so no default schedule doubles ours.
    instanceDefaultBackupScheduleType: "NONE",
    databases: [
      { name: "orders", schedule: "0 2 * * *", retentionSeconds: 1_209_600 },
      { name: "events", schedule: "0 */4 * * *", retentionSeconds: 172_800, type: "incremental" },
    ],
    alertNotificationChannels: ["projects/acme-shop-prod/notificationChannels/4711"],
    protect: true,
  });
  return { schedules: Object.keys(backups.schedules) };
}
