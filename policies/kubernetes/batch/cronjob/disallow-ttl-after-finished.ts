import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";

/**
 * The CronJob controller cleans up its own Jobs through the history limits. A TTL deletes them
 * behind its back: the failed run you need to inspect is gone, and with `Forbid` a Job deleted
 * while the controller still tracks it can make it miss a schedule.
 */
export const kubernetesBatchCronjobDisallowTtlAfterFinished: ResourceValidationPolicy = {
  name: "kubernetes-batch-cronjob-disallow-ttl-after-finished",
  description:
    "CronJobs must not set ttlSecondsAfterFinished on their job template; successfulJobsHistoryLimit and failedJobsHistoryLimit clean up.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    k8s.batch.v1.CronJob,
    (cronJob, _args, reportViolation) => {
      const ttl = cronJob.spec?.jobTemplate?.spec?.ttlSecondsAfterFinished;
      if (ttl !== undefined && ttl !== null) {
        reportViolation(
          `CronJob spec.jobTemplate.spec.ttlSecondsAfterFinished is ${ttl}, so finished Jobs are deleted behind the controller's back. Remove it and set successfulJobsHistoryLimit and failedJobsHistoryLimit instead.`,
        );
      }
    },
  ),
};
