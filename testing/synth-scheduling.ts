import type { ResourceSynthesizer } from "./synthesize";

// Provider outputs for Cloud Tasks queues and Cloud Scheduler jobs: the ids the provider returns,
// which stacks export and producers use.

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

const located =
  (collection: "queues" | "jobs", locationKey: "location" | "region"): ResourceSynthesizer =>
  (args) => {
    const project = str(args.inputs["project"]) ?? args.ctx.gcpProject;
    const location = str(args.inputs[locationKey]) ?? args.ctx.gcpRegion;
    const name = str(args.inputs["name"]) ?? args.name;
    return {
      id: `projects/${project}/locations/${location}/${collection}/${name}`,
      state: { project, [locationKey]: location, name },
    };
  };

export const schedulingResourceSynthesizers: Record<string, ResourceSynthesizer> = {
  "gcp:cloudtasks/queue:Queue": located("queues", "location"),
  "gcp:cloudscheduler/job:Job": located("jobs", "region"),
};
