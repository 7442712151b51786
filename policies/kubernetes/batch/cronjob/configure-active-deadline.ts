import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { show } from "../../../gcp/pubsub/references";

const fix =
  "Set spec.jobTemplate.spec.activeDeadlineSeconds to the longest a run may take (at most the schedule's interval).";

/**
 * A Job without `activeDeadlineSeconds` may run forever: a run stuck on a lock or a dead
 * connection holds its resources, and with `concurrencyPolicy: Forbid` every later run is skipped
 * while it hangs, so the CronJob stops doing its work without failing. The deadline makes a stuck
 * run fail (and alert) instead.
 */
export const kubernetesBatchCronjobConfigureActiveDeadline: ResourceValidationPolicy = {
  name: "kubernetes-batch-cronjob-configure-active-deadline",
  description:
    "CronJobs must set spec.jobTemplate.spec.activeDeadlineSeconds, so a stuck run is stopped.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    k8s.batch.v1.CronJob,
    (cronJob, _args, reportViolation) => {
      const deadline = cronJob.spec?.jobTemplate?.spec?.activeDeadlineSeconds;
      if (deadline === undefined || deadline === null) {
        reportViolation(
          `CronJob spec.jobTemplate.spec.activeDeadlineSeconds is undefined, so a stuck run never ends and, with Forbid, blocks every later run. ${fix}`,
        );
      } else if (typeof deadline !== "number" || !Number.isInteger(deadline) || deadline < 1) {
        reportViolation(
          `CronJob spec.jobTemplate.spec.activeDeadlineSeconds is ${show(deadline)}; expected a positive number of seconds. ${fix}`,
        );
      }
    },
  ),
};
