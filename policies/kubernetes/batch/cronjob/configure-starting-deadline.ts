import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { shortestIntervalSeconds } from "../../../../lib/kubernetes-cron";
import { show } from "../../../gcp/pubsub/references";

/** The controller checks CronJobs every 10 seconds: a shorter deadline can skip runs. */
const controllerPeriodSeconds = 10;

/**
 * Without `startingDeadlineSeconds`, a CronJob that missed more than 100 runs (a controller
 * outage, a long suspension) logs "too many missed start times" and never schedules again. Below
 * 10 s the controller can skip a run; at or above the schedule's shortest interval a late run
 * starts after the next one was due.
 */
export const kubernetesBatchCronjobConfigureStartingDeadline: ResourceValidationPolicy = {
  name: "kubernetes-batch-cronjob-configure-starting-deadline",
  description:
    "CronJobs must set spec.startingDeadlineSeconds, at least 10 and shorter than the schedule's shortest interval.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(
    k8s.batch.v1.CronJob,
    (cronJob, _args, reportViolation) => {
      const deadline = cronJob.spec?.startingDeadlineSeconds;
      if (deadline === undefined || deadline === null) {
        reportViolation(
          "CronJob spec.startingDeadlineSeconds is undefined, so after 100 missed runs the CronJob stops scheduling for good. Set it to at least 10 and less than the schedule's interval.",
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
