import { data } from "taskstack";

/** Nightly backups of the order platform's databases, kept two weeks, with alerts to on-call. */
export function spannerBackups() {
  const backups = new data.SpannerScheduledBackup("commerce-backup", {
    project: "acme-shop-prod",
    region: "europe-west1",
    instance: "commerce-prod",
    // Our instance is declared with defaultBackupScheduleType: NONE, so no default schedule doubles ours.
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
