import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { field, show } from "../../pubsub/references";

/** The policy's knob, set per stack in `policies/config/<stack>.json`. */
export interface ConfigureRetryLimitConfig {
  /** The most attempts a task may get. */
  readonly maxAttempts: number;
}

/**
 * Cloud Tasks' default retries a failing task 100 times with no time limit, and -1 retries it
 * forever: a poison task then hammers its handler (and a rate-limited API) for days.
 */
export const gcpCloudtasksQueueConfigureRetryLimit: ResourceValidationPolicy = {
  name: "gcp-cloudtasks-queue-configure-retry-limit",
  description:
    "Cloud Tasks queues must bound retries: retryConfig.maxAttempts set explicitly (at most the configured limit), and -1 (unlimited) only together with maxRetryDuration.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { maxAttempts: { type: "integer", minimum: 1, maximum: 100, default: 100 } },
  },
  validateResource: validateResourceOfType(gcp.cloudtasks.Queue, (_q, args, reportViolation) => {
    const { maxAttempts: limit } = args.getConfig<ConfigureRetryLimitConfig>();
    const attempts = field(args.props, "retryConfig", "maxAttempts");
    const duration = field(args.props, "retryConfig", "maxRetryDuration");
    if (attempts === undefined) {
      reportViolation(
        `Queue retryConfig.maxAttempts is undefined, so Cloud Tasks' default of 100 attempts applies. Set retryConfig.maxAttempts (at most ${limit}).`,
      );
    } else if (attempts === -1) {
      if (duration === undefined) {
        reportViolation(
          'Queue retryConfig.maxAttempts is -1 (unlimited) without a maxRetryDuration, so a failing task is retried forever. Set maxAttempts, or a maxRetryDuration such as "86400s".',
        );
      }
    } else if (typeof attempts !== "number" || attempts < 1 || attempts > limit) {
      reportViolation(
        `Queue retryConfig.maxAttempts is ${show(attempts)}; expected 1 to ${limit}. Lower it to at most ${limit}.`,
      );
    }
  }),
};
