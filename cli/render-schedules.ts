import { nextRuns } from "../lib/cron";
import type { PlannedResource } from "../testing/plan";

// The plan's "next runs" line under each Cloud Scheduler job: the engine records inputs only, so
// the runs are computed here from the job's own `schedule` and `timeZone` inputs (hand-written
// jobs get them too). `now` is injectable so tests are deterministic.

const jobType = "gcp:cloudscheduler/job:Job";

/** Extra lines shown under a resource: the next three runs of a Cloud Scheduler job. */
export function scheduleLines(resource: PlannedResource, now: Date): string[] {
  if (resource.type !== jobType) return [];
  const schedule = resource.inputs["schedule"];
  const tz = resource.inputs["timeZone"];
  if (typeof schedule !== "string" || typeof tz !== "string") return [];
  try {
    return [`next runs (${tz}): ${nextRuns(schedule, tz, 3, now).join(", ")}`];
  } catch {
    // Not unix cron: an imported App Engine schedule, which only Cloud Scheduler evaluates.
    return [`next runs: computed by Cloud Scheduler (App Engine schedule format: "${schedule}")`];
  }
}
