import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { cronProblem, daylightSavingHazard, isTimeZone } from "../../../../lib/cron";

/**
 * Cloud Scheduler "runs on wall clock time"; for a time that a daylight-saving change skips or
 * repeats Google documents only that jobs "may run or not run unexpectedly", and recommends UTC
 * (cloud.google.com/scheduler/docs/configuring/cron-job-schedules, "Time zone"). Advisory: a job
 * has no label to record that its owner accepts that, and CloudSchedulerJob's
 * allowDaylightSavingTransitions already asks for it explicitly.
 */
export const gcpCloudschedulerJobDisallowDaylightSavingTimes: ResourceValidationPolicy = {
  name: "gcp-cloudscheduler-job-disallow-daylight-saving-times",
  description:
    "Cloud Scheduler jobs should not fire at local times their zone skips or repeats at a daylight-saving change.",
  enforcementLevel: "advisory",
  severity: "medium",
  validateResource: validateResourceOfType(gcp.cloudscheduler.Job, (_j, args, reportViolation) => {
    const schedule = args.props["schedule"];
    const tz = args.props["timeZone"] ?? "Etc/UTC";
    if (typeof schedule !== "string" || typeof tz !== "string" || !isTimeZone(tz)) return;
    // An App Engine-format schedule is evaluated by App Engine's own rules, not unix cron's.
    if (cronProblem(schedule) !== undefined) return;
    const hazard = daylightSavingHazard(schedule, tz);
    if (hazard === undefined) return;
    const dates = [hazard.skipped, hazard.repeated].filter((d) => d !== undefined).join(" and ");
    reportViolation(
      `Job schedule "${schedule}" fires at ${hazard.windows.join(", ")} in ${tz}, inside its daylight-saving changes (first on ${dates}), where Google documents only that a job may run or not run. Pick a time outside ${hazard.windows.join(", ")} or use timeZone "Etc/UTC".`,
    );
  }),
};
