import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../pubsub/references";

/**
 * A job without a retry config is not retried: one failed run (a deploy, a cold start) and the
 * nightly work silently does not happen until tomorrow.
 */
export const gcpCloudschedulerJobConfigureRetry: ResourceValidationPolicy = {
  name: "gcp-cloudscheduler-job-configure-retry",
  description:
    "Cloud Scheduler jobs must set retryConfig: retryCount (0-5) with minBackoffDuration and maxBackoffDuration.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(gcp.cloudscheduler.Job, (_j, args, reportViolation) => {
    const count = field(args.props, "retryConfig", "retryCount");
    const min = field(args.props, "retryConfig", "minBackoffDuration");
    const max = field(args.props, "retryConfig", "maxBackoffDuration");
    if (count === undefined || min === undefined || max === undefined) {
      reportViolation(
        `Job retryConfig.retryCount is ${show(count)}, minBackoffDuration ${show(min)} and maxBackoffDuration ${show(max)}; all three must be set. Set them, for example 3, "5s" and "3600s" (retryCount 0 says on purpose that a run is not retried).`,
      );
    } else if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > 5) {
      reportViolation(`Job retryConfig.retryCount is ${show(count)}; expected 0 to 5.`);
    }
  }),
};
