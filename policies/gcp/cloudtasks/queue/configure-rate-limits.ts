import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../pubsub/references";

/**
 * Left unset, a queue dispatches up to 500 tasks a second and 1000 at once: enough to take down
 * a handler or get an account banned by an API that allows one request at a time.
 */
export const gcpCloudtasksQueueConfigureRateLimits: ResourceValidationPolicy = {
  name: "gcp-cloudtasks-queue-configure-rate-limits",
  description:
    "Cloud Tasks queues must set rateLimits.maxDispatchesPerSecond and maxConcurrentDispatches explicitly.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(gcp.cloudtasks.Queue, (_q, args, reportViolation) => {
    const rate = field(args.props, "rateLimits", "maxDispatchesPerSecond");
    const concurrent = field(args.props, "rateLimits", "maxConcurrentDispatches");
    if (rate === undefined || concurrent === undefined) {
      reportViolation(
        `Queue rateLimits.maxDispatchesPerSecond is ${show(rate)} and maxConcurrentDispatches is ${show(concurrent)}, so Cloud Tasks' defaults (500/s, 1000 at once) apply. Set both to what the handler and its downstream APIs take (1 concurrent dispatch for an API that allows one request at a time).`,
      );
    }
  }),
};
