import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { field, show } from "../references";

/**
 * Pub/Sub's bounds (cloud.google.com/pubsub/docs/subscription-properties): an expiration ttl of at
 * least one day, and unacked messages kept 7 days unless messageRetentionDuration says otherwise.
 */
const minimumTtlSeconds = 86_400;
const defaultRetentionSeconds = 604_800;

/** Seconds of a Pub/Sub duration such as "604800s" or "0.5s"; undefined for anything else. */
function seconds(value: unknown): number | undefined {
  const m = typeof value === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * An idle subscription is deleted by Pub/Sub, and with it every message it still keeps: a queue
 * that is quiet for a month must not vanish by the service's default. A subscription may expire
 * on purpose (taskstack's PubSubTopic offers it as expirationTtlSeconds) when its ttl is at least
 * its message retention: it then outlives every message it keeps while idle.
 */
export const gcpPubsubSubscriptionDisallowExpiration: ResourceValidationPolicy = {
  name: "gcp-pubsub-subscription-disallow-expiration",
  description:
    'Pub/Sub subscriptions must not expire by default: expirationPolicy.ttl must be "" (never) or a duration of at least the subscription\'s message retention (unset, they are deleted after 31 days idle).',
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    gcp.pubsub.Subscription,
    (_sub, args, reportViolation) => {
      const retention = seconds(args.props["messageRetentionDuration"]) ?? defaultRetentionSeconds;
      const floor = Math.max(minimumTtlSeconds, retention);
      const fix = `Set expirationPolicy.ttl to "" so the subscription never expires, or to at least "${floor}s" if it should expire.`;
      const policy: unknown = args.props["expirationPolicy"];
      if (policy === undefined || policy === null) {
        reportViolation(
          `Subscription expirationPolicy is undefined, so Pub/Sub deletes the subscription after 31 days without activity. ${fix}`,
        );
        return;
      }
      const ttl = field(policy, "ttl");
      if (ttl === "") return;
      const ttlSeconds = seconds(ttl);
      if (ttlSeconds !== undefined && ttlSeconds >= floor) return;
      reportViolation(
        ttlSeconds === undefined
          ? `Subscription expirationPolicy.ttl is ${show(ttl)}, which is neither "" nor a duration, so Pub/Sub's 31-day default applies. ${fix}`
          : `Subscription expirationPolicy.ttl is ${show(ttl)}, shorter than ${floor}s (its message retention, and Pub/Sub's one-day minimum), so Pub/Sub can delete it with messages it still keeps. ${fix}`,
      );
    },
  ),
};
