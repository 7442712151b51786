import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { show } from "../../../gcp/pubsub/references";

const fix = 'Set spec.timeZone to an IANA zone such as "Etc/UTC" or "Europe/Paris".';

/**
 * Without `spec.timeZone` the schedule is read in the kube-controller-manager's local zone,
 * which nobody reviewing the CronJob sees and which moves with the control plane. A `CRON_TZ=` or
 * `TZ=` prefix in the schedule was never supported: the API server refuses it beside `timeZone`,
 * and warns or silently misreads it otherwise. The `timeZone` field is the one way to say it.
 */
export const kubernetesBatchCronjobConfigureTimeZone: ResourceValidationPolicy = {
  name: "kubernetes-batch-cronjob-configure-time-zone",
  description: "CronJobs must set spec.timeZone and keep CRON_TZ=/TZ= out of spec.schedule.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    k8s.batch.v1.CronJob,
    (cronJob, _args, reportViolation) => {
      const schedule = cronJob.spec?.schedule;
      const prefix =
        typeof schedule === "string" ? /^\s*((?:CRON_)?TZ)=(\S*)/.exec(schedule) : null;
      if (prefix) {
        reportViolation(
          `CronJob spec.schedule ${show(schedule)} carries a ${prefix[1]}= prefix, which Kubernetes does not support. Remove it and set spec.timeZone: ${show(prefix[2])} instead.`,
        );
      }
      const zone = cronJob.spec?.timeZone;
      if (zone === undefined || zone === null || zone === "") {
        reportViolation(
          `CronJob spec.timeZone is ${show(zone)}, so the schedule runs in the controller manager's local zone. ${fix}`,
        );
      }
    },
  ),
};
