import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../pubsub/references";
import { durationSeconds } from "../durations";

/** The policy's knob, set per stack in `policies/config/<stack>.json`. */
export interface ConfigureRetryLimitConfig {
  /** The most attempts a task may get. */
  readonly maxAttempts: number;
}

/**
 * Cloud Tasks' default retries a failing task 100 times with no time limit, and -1 retries it
 * forever: a poison task then hammers its handler (and a rate-limited API) for days. A
 * maxRetryDuration of zero also means no time limit, and one Cloud Tasks cannot read bounds
 * nothing, so -1 needs a positive duration.
 */
export const gcpCloudtasksQueueConfigureRetryLimit: ResourceValidationPolicy = {
  name: "gcp-cloudtasks-queue-configure-retry-limit",
  description:
    "Cloud Tasks queues must bound retries: retryConfig.maxAttempts set explicitly (at most the configured limit), and -1 (unlimited) only together with a positive maxRetryDuration.",
  enforcementLevel: "mandatory",
  severity: "medium",
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
      const seconds = durationSeconds(duration);
      const fix = 'Set maxAttempts, or a maxRetryDuration such as "86400s".';
      if (duration === undefined) {
        reportViolation(
          `Queue retryConfig.maxAttempts is -1 (unlimited) without a maxRetryDuration, so a failing task is retried forever. ${fix}`,
        );
      } else if (seconds === undefined) {
        reportViolation(
          `Queue retryConfig.maxAttempts is -1 (unlimited) and maxRetryDuration ${show(duration)} is not a duration in seconds such as "86400s", so it bounds nothing and a failing task is retried forever. ${fix}`,
        );
      } else if (seconds === 0) {
        reportViolation(
          `Queue retryConfig.maxAttempts is -1 (unlimited) and maxRetryDuration ${show(duration)} is zero, which Cloud Tasks reads as no time limit, so a failing task is retried forever. ${fix}`,
        );
      }
    } else if (typeof attempts !== "number" || attempts < 1 || attempts > limit) {
      reportViolation(
        `Queue retryConfig.maxAttempts is ${show(attempts)}; expected 1 to ${limit}. Lower it to at most ${limit}.`,
      );
    }
  }),
};
