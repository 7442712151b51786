import * as pulumi from "@pulumi/pulumi";
import { httpsUrlPattern } from "../shared/validation";
import type { ArgsProblems } from "../shared/validation";

// Pure checks behind validatePubSubTopicArgs, kept apart so the component file stays readable.

/** Pub/Sub topic and subscription names. */
export const pubsubName = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
/** A subscription's short name within its topic. */
export const subscriptionShortName = /^[a-z][a-z0-9-]{0,62}$/;
/** Message retention bounds, in seconds (10 minutes to 31 days). */
export const retention = { min: 600, max: 2_678_400 } as const;
/** What a subscription gets for each setting left out (documented as `@default` on its args). */
export const subscriptionDefaults = {
  ackDeadlineSeconds: 60,
  minimumBackoffSeconds: 10,
  maximumBackoffSeconds: 600,
  messageRetentionSeconds: 604_800,
  maxDeliveryAttempts: 5,
} as const;

/** Names taskstack gives its own subscriptions. */
export const reservedSubscriptionNames: ReadonlySet<string> = new Set(["dead-letter"]);

/** Checks one subscription's settings. */
export function checkSubscription(p: ArgsProblems, at: string, s: Record<string, unknown>): void {
  p.intInRange(`${at}.ackDeadlineSeconds`, s["ackDeadlineSeconds"], 10, 600);
  p.intInRange(`${at}.maxDeliveryAttempts`, s["maxDeliveryAttempts"], 5, 100);
  p.intInRange(`${at}.minimumBackoffSeconds`, s["minimumBackoffSeconds"], 0, 600);
  p.intInRange(`${at}.maximumBackoffSeconds`, s["maximumBackoffSeconds"], 0, 600);
  p.intInRange(
    `${at}.messageRetentionSeconds`,
    s["messageRetentionSeconds"],
    retention.min,
    retention.max,
  );
  const min = s["minimumBackoffSeconds"] ?? subscriptionDefaults.minimumBackoffSeconds;
  const max = s["maximumBackoffSeconds"] ?? subscriptionDefaults.maximumBackoffSeconds;
  if (typeof min === "number" && typeof max === "number" && min > max) {
    p.add(
      `${at}.minimumBackoffSeconds`,
      `at most maximumBackoffSeconds (${max})`,
      min,
      "Lower it or raise maximumBackoffSeconds",
    );
  }
  const ttl = s["expirationTtlSeconds"];
  const keep = s["messageRetentionSeconds"] ?? subscriptionDefaults.messageRetentionSeconds;
  if (ttl !== undefined) {
    const floor = typeof keep === "number" ? Math.max(86_400, keep) : 86_400;
    if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < floor) {
      p.add(
        `${at}.expirationTtlSeconds`,
        `an integer of at least ${floor} (1 day and the message retention)`,
        ttl,
        "Or leave it unset so the subscription never expires",
      );
    }
  }
  for (const flag of [
    "retainAckedMessages",
    "enableMessageOrdering",
    "enableExactlyOnceDelivery",
    "deadLetter",
  ]) {
    if (s[flag] !== undefined && typeof s[flag] !== "boolean")
      p.add(`${at}.${flag}`, "true or false", s[flag]);
  }
  if (s["filter"] !== undefined && typeof s["filter"] !== "string")
    p.add(`${at}.filter`, "a filter expression", s["filter"]);
  const endpoint = s["pushEndpoint"];
  if (endpoint !== undefined) {
    if (typeof endpoint === "string" && !httpsUrlPattern.test(endpoint)) {
      p.add(`${at}.pushEndpoint`, "an https:// URL", endpoint);
    } else if (typeof endpoint !== "string" && !pulumi.Output.isInstance(endpoint)) {
      p.add(`${at}.pushEndpoint`, "an https:// URL", endpoint);
    }
    if (s["pushServiceAccountEmail"] === undefined) {
      p.add(
        `${at}.pushServiceAccountEmail`,
        "a service account email whose OIDC token authenticates pushes",
        undefined,
        "Push endpoints must not accept unauthenticated requests",
      );
    }
    if (s["enableExactlyOnceDelivery"] === true) {
      p.add(
        `${at}.enableExactlyOnceDelivery`,
        "false for a push subscription (exactly-once is pull only)",
        true,
      );
    }
  } else if (s["pushServiceAccountEmail"] !== undefined || s["pushAudience"] !== undefined) {
    p.add(
      `${at}.pushEndpoint`,
      "an https:// URL when pushServiceAccountEmail or pushAudience is set",
      undefined,
    );
  }
}
