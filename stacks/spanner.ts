import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { data } from "../components";
import { gcpApis } from "../components/project/project-apis";
import type { StackApis } from "./apis";
import { gcpSection } from "./config";
import type { StackConfig } from "./config";
import { backupComponentName } from "./sections/spanner";
import type { SpannerInstanceConfig } from "./sections/spanner";

/** What the Spanner part of a stack exports. */
export interface SpannerOutputs {
  /** `projects/<p>/instances/<i>/databases/<d>` by `<instance>/<database>`. */
  readonly databases: Record<string, string>;
  /** Function mode: the backup function's URL by instance. */
  readonly backupFunctions: Record<string, pulumi.Output<string>>;
}

/** The args the stack gives an instance's SpannerScheduledBackup (the section test checks them too). */
export function backupArgs(
  config: StackConfig,
  inst: SpannerInstanceConfig,
  channelIds: readonly pulumi.Input<string>[],
): data.SpannerScheduledBackupArgs {
  const { project, region, labels } = gcpSection(config);
  return {
    project,
    region,
    instance: inst.name,
    instanceDefaultBackupScheduleType: "NONE",
    ...inst.backup,
    alertNotificationChannels: [...channelIds],
    labels: { environment: config["taskstack:environment"], ...labels },
    protect: config["taskstack:deletionProtection"],
  };
}

/**
 * Declares `taskstack:spanner`: each instance with `defaultBackupScheduleType: NONE` (Spanner
 * would otherwise give every new database a daily schedule of its own beside ours), its databases
 * with deletion protection when the stack protects stateful resources, and their scheduled
 * backups with alerts to the stack's channels. The stack declares the instances rather than
 * referencing existing ones so that the stack file is the whole truth: a backup of a database
 * the file does not declare is refused when the file is read, before anything is declared.
 */
export function declareSpanner(
  config: StackConfig,
  channelIds: readonly pulumi.Output<string>[],
  apis: StackApis,
): SpannerOutputs {
  const { project, labels: stackLabels } = gcpSection(config);
  const protect = config["taskstack:deletionProtection"];
  const labels = { environment: config["taskstack:environment"], ...stackLabels };
  const databases: Record<string, string> = {};
  const backupFunctions: Record<string, pulumi.Output<string>> = {};
  for (const inst of config["taskstack:spanner"].instances) {
    const instance = new gcp.spanner.Instance(
      inst.name,
      {
        project,
        name: inst.name,
        displayName: inst.displayName ?? inst.name,
        config: inst.config,
        processingUnits: inst.processingUnits,
        defaultBackupScheduleType: "NONE",
        labels,
      },
      { protect, ...apis.opts([gcpApis.spanner]) },
    );
    const declared = inst.databases.map(
      (db) =>
        new gcp.spanner.Database(
          `${inst.name}-${db}`,
          {
            project,
            instance: instance.name,
            name: db,
            deletionProtection: protect,
            enableDropProtection: protect,
          },
          { protect },
        ),
    );
    for (const db of inst.databases) {
      databases[`${inst.name}/${db}`] =
        `projects/${project}/instances/${inst.name}/databases/${db}`;
    }
    const args = backupArgs(config, inst, channelIds);
    const { dependsOn = [] } = apis.opts(data.SpannerScheduledBackup.requiredApis(args));
    const backup = new data.SpannerScheduledBackup(backupComponentName(inst.name), args, {
      dependsOn: [...dependsOn, instance, ...declared],
    });
    if (backup.function) backupFunctions[inst.name] = backup.function.url;
  }
  return { databases, backupFunctions };
}
