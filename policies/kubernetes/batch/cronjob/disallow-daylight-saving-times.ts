import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { cronProblem, daylightSavingHazard, isTimeZone } from "../../../../lib/cron";

/** The annotation with which a CronJob keeps the controller's behaviour on purpose. */
export const allowDaylightSavingAnnotation = "taskstack.dev/allow-daylight-saving-transitions";

/**
 * The CronJob controller evaluates schedules with robfig/cron v3 (pkg/controller/cronjob/utils.go):
 * a local time in the zone's daylight-saving gap does not run that day, one in the overlap runs
 * twice (checked against the library in test/lib/robfig-cron.differential.test.ts).
 * A nightly job at 02:00 in Europe/Paris skips a night in March and runs twice in October.
 */
export const kubernetesBatchCronjobDisallowDaylightSavingTimes: ResourceValidationPolicy = {
  name: "kubernetes-batch-cronjob-disallow-daylight-saving-times",
  description:
    "CronJobs must not fire at local times their zone skips or repeats at a daylight-saving change.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    k8s.batch.v1.CronJob,
    (cronJob, _args, reportViolation) => {
      const schedule = cronJob.spec?.schedule;
      const tz = cronJob.spec?.timeZone ?? "Etc/UTC";
      if (cronJob.metadata?.annotations?.[allowDaylightSavingAnnotation] === "true") return;
      if (typeof schedule !== "string" || typeof tz !== "string" || !isTimeZone(tz)) return;
      if (cronProblem(schedule, { macros: true }) !== undefined) return;
      const hazard = daylightSavingHazard(schedule, tz, { macros: true });
      if (hazard === undefined) return;
      const effects = [
        ...(hazard.skipped ? [`skips the run on ${hazard.skipped}`] : []),
        ...(hazard.repeated ? [`runs it twice on ${hazard.repeated}`] : []),
      ].join(" and ");
      reportViolation(
        `CronJob spec.schedule "${schedule}" fires at ${hazard.windows.join(", ")} in ${tz}, inside its daylight-saving changes: the controller ${effects}. Pick a time outside ${hazard.windows.join(", ")}, use spec.timeZone Etc/UTC, or annotate the CronJob ${allowDaylightSavingAnnotation}: "true" to keep that behaviour.`,
      );
    },
  ),
};
