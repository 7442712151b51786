import { autoName, stableHash } from "./synthesize";
import type { ResourceSynthesizer, SynthResourceArgs } from "./synthesize";

// Provider outputs SpannerScheduledBackup reads back or a plan shows: the source bucket's
// generated name, the function's Cloud Run service and URL, database and schedule ids.

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function project(args: SynthResourceArgs): string {
  return str(args.inputs["project"]) ?? args.ctx.gcpProject;
}

export const spannerResourceSynthesizers: Record<string, ResourceSynthesizer> = {
  "gcp:storage/bucket:Bucket": (args) => {
    // Bucket names are global and lowercase; Pulumi auto-names them from the logical name.
    const name = str(args.inputs["name"]) ?? autoName(args).toLowerCase();
    return {
      id: name,
      state: {
        name,
        url: `gs://${name}`,
        selfLink: `https://www.googleapis.com/storage/v1/b/${name}`,
      },
    };
  },
  "gcp:storage/bucketObject:BucketObject": (args) => {
    const bucket = str(args.inputs["bucket"]) ?? "";
    const name = str(args.inputs["name"]) ?? autoName(args);
    return {
      id: `${bucket}-${name}`,
      state: {
        name,
        bucket,
        generation: 1_764_000_000_000_000,
        mediaLink: `https://storage.googleapis.com/download/storage/v1/b/${bucket}/o/${name}?alt=media`,
      },
    };
  },
  "gcp:cloudfunctionsv2/function:Function": (args) => {
    const p = project(args);
    const location = str(args.inputs["location"]) ?? args.ctx.gcpRegion;
    const name = str(args.inputs["name"]) ?? autoName(args);
    const url = `https://${location}-${p}.cloudfunctions.net/${name}`;
    return {
      id: `projects/${p}/locations/${location}/functions/${name}`,
      state: {
        name,
        url,
        // The HTTPS endpoint of the function's Cloud Run service.
        uri: `https://${name}-${stableHash(`${p}/${name}`, 10)}-ew.a.run.app`,
        state: "ACTIVE",
        environment: "GEN_2",
      },
    };
  },
  "gcp:spanner/database:Database": (args) => {
    const name = str(args.inputs["name"]) ?? autoName(args);
    const instance = str(args.inputs["instance"]) ?? "";
    return { id: `${instance}/${name}`, state: { name, instance, state: "READY" } };
  },
  "gcp:spanner/instance:Instance": (args) => {
    const name = str(args.inputs["name"]) ?? autoName(args);
    return { id: name, state: { name, state: "READY" } };
  },
  "gcp:spanner/backupSchedule:BackupSchedule": (args) => {
    const p = project(args);
    const name = str(args.inputs["name"]) ?? autoName(args);
    const id = `projects/${p}/instances/${str(args.inputs["instance"]) ?? ""}/databases/${str(args.inputs["database"]) ?? ""}/backupSchedules/${name}`;
    return { id, state: { name } };
  },
  "gcp:cloudscheduler/job:Job": (args) => {
    const p = project(args);
    const region = str(args.inputs["region"]) ?? args.ctx.gcpRegion;
    const name = str(args.inputs["name"]) ?? autoName(args);
    return {
      id: `projects/${p}/locations/${region}/jobs/${name}`,
      state: { name, state: "ENABLED" },
    };
  },
  "gcp:logging/metric:Metric": (args) => {
    const name = str(args.inputs["name"]) ?? autoName(args);
    return { id: name, state: { name } };
  },
};
