import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { shortestIntervalSeconds } from "../../../../lib/kubernetes-cron";
import { show } from "../../../gcp/pubsub/references";

/** The controller checks CronJobs every 10 seconds: a shorter deadline can skip runs. */
const controllerPeriodSeconds = 10;

/**
 * Without `startingDeadlineSeconds` a missed run may start arbitrarily late, and the controller
 * counts every missed run since the last one: past 100 it records a `TooManyMissedTimes` event
 * (and, since Kubernetes 1.21, still starts the latest run; the "stops for good" behaviour was the
 * pre-1.21 controller's; pkg/controller/cronjob/utils.go, mostRecentScheduleTime). The deadline
 * says how late a run may still start. Below 10 s the controller can skip a run; at or above the
 * schedule's shortest interval a late run starts after the next one was due.
 */
export const kubernetesBatchCronjobConfigureStartingDeadline: ResourceValidationPolicy = {
  name: "kubernetes-batch-cronjob-configure-starting-deadline",
  description:
    "CronJobs must set spec.startingDeadlineSeconds, at least 10 and shorter than the schedule's shortest interval.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    k8s.batch.v1.CronJob,
    (cronJob, _args, reportViolation) => {
      const deadline = cronJob.spec?.startingDeadlineSeconds;
      if (deadline === undefined || deadline === null) {
        reportViolation(
          "CronJob spec.startingDeadlineSeconds is undefined, so a run missed during a controller outage starts however late the controller comes back. Set it to at least 10 and less than the schedule's interval.",
        );
        return;
      }
      if (typeof deadline !== "number" || deadline < controllerPeriodSeconds) {
        reportViolation(
          `CronJob spec.startingDeadlineSeconds is ${show(deadline)}; the controller checks every ${controllerPeriodSeconds} s, so a shorter deadline can skip runs. Set it to at least ${controllerPeriodSeconds}.`,
        );
        return;
      }
      const interval = shortestIntervalSeconds(
        cronJob.spec?.schedule,
        cronJob.spec?.timeZone ?? "Etc/UTC",
      );
      if (interval !== undefined && deadline >= interval) {
        reportViolation(
          `CronJob spec.startingDeadlineSeconds is ${deadline}, not shorter than the schedule's shortest interval (${interval} s), so a late run can start after the next one was due. Lower it below ${interval}.`,
        );
      }
    },
  ),
};
