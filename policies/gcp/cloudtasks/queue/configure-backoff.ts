import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../pubsub/references";
import { durationSeconds } from "../durations";

/**
 * Cloud Tasks' default backoff starts at 0.1 s: a task that fails on a downstream outage is
 * retried ten times a second at first. Backoff set explicitly is backoff someone chose.
 */
export const gcpCloudtasksQueueConfigureBackoff: ResourceValidationPolicy = {
  name: "gcp-cloudtasks-queue-configure-backoff",
  description:
    "Cloud Tasks queues must set retryConfig.minBackoff, maxBackoff and maxDoublings explicitly, with minBackoff <= maxBackoff.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(gcp.cloudtasks.Queue, (_q, args, reportViolation) => {
    const min = field(args.props, "retryConfig", "minBackoff");
    const max = field(args.props, "retryConfig", "maxBackoff");
    const doublings = field(args.props, "retryConfig", "maxDoublings");
    if (min === undefined || max === undefined || doublings === undefined) {
      reportViolation(
        `Queue retryConfig.minBackoff is ${show(min)}, maxBackoff ${show(max)} and maxDoublings ${show(doublings)}; all three must be set. Set them, for example "10s", "600s" and 5.`,
      );
      return;
    }
    const [minS, maxS] = [durationSeconds(min), durationSeconds(max)];
    if (minS === undefined || maxS === undefined) {
      reportViolation(
        `Queue retryConfig backoff is ${show({ minBackoff: min, maxBackoff: max })}; expected durations such as "10s".`,
      );
    } else if (minS > maxS) {
      reportViolation(
        `Queue retryConfig.minBackoff ${show(min)} is longer than maxBackoff ${show(max)}. Lower minBackoff or raise maxBackoff.`,
      );
    }
  }),
};
