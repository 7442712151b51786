import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../references";

const fix = 'Set expirationPolicy.ttl to "" so the subscription never expires.';

/**
 * An idle subscription is deleted by Pub/Sub, and with it every message published while nobody
 * listened: a queue that is quiet for a month must not vanish.
 */
export const gcpPubsubSubscriptionDisallowExpiration: ResourceValidationPolicy = {
  name: "gcp-pubsub-subscription-disallow-expiration",
  description:
    'Pub/Sub subscriptions must never expire: expirationPolicy.ttl must be "" (unset, they are deleted after 31 days idle).',
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    gcp.pubsub.Subscription,
    (_sub, args, reportViolation) => {
      const policy: unknown = args.props["expirationPolicy"];
      if (policy === undefined || policy === null) {
        reportViolation(
          `Subscription expirationPolicy is undefined, so Pub/Sub deletes the subscription after 31 days without activity. ${fix}`,
        );
        return;
      }
      const ttl = field(policy, "ttl");
      if (ttl !== "") {
        reportViolation(
          `Subscription expirationPolicy.ttl is ${show(ttl)}, so Pub/Sub deletes the subscription after that long without activity. ${fix}`,
        );
      }
    },
  ),
};
