import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../references";

/** The policy's knob, set per stack in `policies/config/<stack>.json`. */
export interface ConfigureRetryPolicyConfig {
  /** The shortest `retryPolicy.minimumBackoff` accepted, in seconds. */
  readonly minimumBackoffSeconds: number;
}

const fix =
  'Set retryPolicy.minimumBackoff and retryPolicy.maximumBackoff (for example "10s" and "600s").';

/** Seconds of a Pub/Sub duration such as "10s" or "0.5s"; undefined for anything else. */
function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/**
 * Without a retry policy Pub/Sub redelivers a nacked message at once, so a consumer that fails on
 * a downstream outage is hammered at full rate until the message is dead-lettered.
 */
export const gcpPubsubSubscriptionConfigureRetryPolicy: ResourceValidationPolicy = {
  name: "gcp-pubsub-subscription-configure-retry-policy",
  description:
    "Pub/Sub subscriptions must back off between redeliveries: retryPolicy.minimumBackoff and maximumBackoff set, minimum <= maximum <= 600s.",
  enforcementLevel: "mandatory",
  severity: "medium",
  configSchema: {
    properties: {
      minimumBackoffSeconds: { type: "number", minimum: 0, maximum: 600, default: 1 },
    },
  },
  validateResource: validateResourceOfType(
    gcp.pubsub.Subscription,
    (_sub, args, reportViolation) => {
      const { minimumBackoffSeconds: floor } = args.getConfig<ConfigureRetryPolicyConfig>();
      const min = field(args.props, "retryPolicy", "minimumBackoff");
      const max = field(args.props, "retryPolicy", "maximumBackoff");
      if (min === undefined || max === undefined) {
        reportViolation(
          `Subscription retryPolicy.minimumBackoff is ${show(min)} and maximumBackoff is ${show(max)}, so nacked messages are redelivered immediately. ${fix}`,
        );
        return;
      }
      const minSeconds = durationSeconds(min);
      const maxSeconds = durationSeconds(max);
      if (minSeconds === undefined || maxSeconds === undefined || maxSeconds > 600) {
        reportViolation(
          `Subscription retryPolicy is ${show({ minimumBackoff: min, maximumBackoff: max })}; expected durations such as "10s", at most "600s". ${fix}`,
        );
      } else if (minSeconds > maxSeconds) {
        reportViolation(
          `Subscription retryPolicy.minimumBackoff ${show(min)} is longer than maximumBackoff ${show(max)}. Lower minimumBackoff or raise maximumBackoff.`,
        );
      } else if (minSeconds < floor) {
        reportViolation(
          `Subscription retryPolicy.minimumBackoff ${show(min)} is shorter than the ${floor}s this stack requires. Raise it to at least "${floor}s".`,
        );
      }
    },
  ),
};
