// Programs for scripts/spanner-outputs.sh: one SpannerScheduledBackup (function mode, and native
// mode) given its project and instance as strings, as Outputs of a gcp.spanner.Instance declared
// beside it, and as an Output that is not a valid instance id, run by the real Pulumi engine (scripts/real-pulumi/client.ts).
import * as gcp from "@pulumi/gcp";
import { data } from "../../components";
import type { SpannerScheduledBackupArgs } from "../../components/data";

const project = "acme-shop-test";

const args: Omit<SpannerScheduledBackupArgs, "project" | "instance"> = {
  region: "europe-west1",
  mode: "function",
  timeZone: "Europe/Paris",
  databases: [
    { name: "orders", schedule: "0 2 * * *", retentionSeconds: 1_209_600 },
    { name: "events", schedule: "0 */6 * * *", retentionSeconds: 172_800 },
  ],
  alertNotificationChannels: [`projects/${project}/notificationChannels/1`],
  sessionPoolAlerts: { clientsExportMetrics: true, maxSessions: 400 },
};

/** Native mode (the default): backup schedules and the backup checker. */
const nativeArgs: Omit<SpannerScheduledBackupArgs, "project" | "instance"> = {
  region: "europe-west1",
  instanceDefaultBackupScheduleType: "NONE",
  databases: [
    { name: "orders", schedule: "0 2 * * *", retentionSeconds: 1_209_600 },
    { name: "events", schedule: "0 */4 * * *", retentionSeconds: 172_800, type: "incremental" },
  ],
  alertNotificationChannels: [`projects/${project}/notificationChannels/1`],
  protect: false,
};

/** The instance, declared in the program: its `name` and `project` are Outputs. */
function instance(name: string | undefined) {
  return new gcp.spanner.Instance("commerce", {
    project,
    ...(name !== undefined ? { name } : {}),
    config: "regional-europe-west1",
    displayName: "Commerce",
    processingUnits: 100,
    defaultBackupScheduleType: "NONE",
  });
}

/** The same instance, its id and project written out as strings. */
export async function strings(): Promise<void> {
  instance("commerce");
  new data.SpannerScheduledBackup("backups", { ...args, project, instance: "commerce" });
}

export async function outputs(): Promise<void> {
  const i = instance("commerce");
  new data.SpannerScheduledBackup("backups", { ...args, project: i.project, instance: i.name });
}

export async function nativeStrings(): Promise<void> {
  instance("commerce");
  new data.SpannerScheduledBackup("backups", { ...nativeArgs, project, instance: "commerce" });
}

export async function nativeOutputs(): Promise<void> {
  const i = instance("commerce");
  new data.SpannerScheduledBackup("backups", {
    ...nativeArgs,
    project: i.project,
    instance: i.name,
  });
}

/** The instance's name left to the provider: unknown until `up` creates it. */
export async function unknownInPreview(): Promise<void> {
  const i = instance(undefined);
  new data.SpannerScheduledBackup("backups", { ...args, project: i.project, instance: i.name });
}

export async function badInstance(): Promise<void> {
  const i = instance("Commerce_DB");
  new data.SpannerScheduledBackup("backups", { ...args, project: i.project, instance: i.name });
}
