import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { show } from "../../../gcp/pubsub/references";

/**
 * The default `Allow` starts a new run while the previous one still runs: a slow backup or report
 * piles up copies of itself until the node gives out. `Forbid` skips the overlapping run;
 * `Replace` stops the old one.
 */
export const kubernetesBatchCronjobConfigureConcurrencyPolicy: ResourceValidationPolicy = {
  name: "kubernetes-batch-cronjob-configure-concurrency-policy",
  description:
    'CronJobs must set spec.concurrencyPolicy to "Forbid" or "Replace" (unset means "Allow": runs pile up).',
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    k8s.batch.v1.CronJob,
    (cronJob, _args, reportViolation) => {
      const policy = cronJob.spec?.concurrencyPolicy;
      if (policy !== "Forbid" && policy !== "Replace") {
        reportViolation(
          `CronJob spec.concurrencyPolicy is ${show(policy)}${policy === undefined ? ' (the default, "Allow")' : ""}, so overlapping runs pile up. Set it to "Forbid".`,
        );
      }
    },
  ),
};
