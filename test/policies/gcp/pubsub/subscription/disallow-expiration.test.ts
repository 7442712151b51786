import { describe, expect, it } from "vitest";
import { gcpPubsubSubscriptionDisallowExpiration as policy } from "../../../../../policies/gcp/pubsub/subscription/disallow-expiration";
import {
  compliantPubsub,
  planOf,
  types,
  urnOf,
  violationsOf,
  withInputs,
  without,
} from "../../../fixtures";

const name = "gcp-pubsub-subscription-disallow-expiration";
const urn = urnOf(types.subscription, "orders-sub");
const fix = (floor = 604800) =>
  `Set expirationPolicy.ttl to "" so the subscription never expires, or to at least "${floor}s" if it should expire.`;

describe(name, () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe(name);
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("passes the compliant fixture", async () => {
    expect(await violationsOf(planOf(...compliantPubsub()), policy)).toEqual([]);
  });

  it("reports an unset expirationPolicy (the 31-day default)", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-sub", (i) => without(i, "expirationPolicy")),
    );
    expect(await violationsOf(plan, policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn,
        resourceType: types.subscription,
        resourceName: "orders-sub",
        message: `Subscription expirationPolicy is undefined, so Pub/Sub deletes the subscription after 31 days without activity. ${fix()}`,
      },
    ]);
  });

  it.each([
    [
      "a duration shorter than the default 7-day retention",
      "86400s",
      undefined,
      `Subscription expirationPolicy.ttl is "86400s", shorter than 604800s (its message retention, and Pub/Sub's one-day minimum), so Pub/Sub can delete it with messages it still keeps. ${fix()}`,
    ],
    [
      "a duration shorter than its own retention",
      "864000s",
      "1209600s",
      `Subscription expirationPolicy.ttl is "864000s", shorter than 1209600s (its message retention, and Pub/Sub's one-day minimum), so Pub/Sub can delete it with messages it still keeps. ${fix(1209600)}`,
    ],
    [
      "a duration under Pub/Sub's one-day minimum",
      "3600s",
      "600s",
      `Subscription expirationPolicy.ttl is "3600s", shorter than 86400s (its message retention, and Pub/Sub's one-day minimum), so Pub/Sub can delete it with messages it still keeps. ${fix(86400)}`,
    ],
    [
      "an undefined ttl",
      undefined,
      undefined,
      `Subscription expirationPolicy.ttl is undefined, which is neither "" nor a duration, so Pub/Sub's 31-day default applies. ${fix()}`,
    ],
  ])("reports expirationPolicy.ttl set to %s", async (_case, ttl, retention, message) => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-sub", (i) => ({
        ...i,
        expirationPolicy: { ttl },
        ...(retention === undefined ? {} : { messageRetentionDuration: retention }),
      })),
    );
    expect(await violationsOf(plan, policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn,
        resourceType: types.subscription,
        resourceName: "orders-sub",
        message,
      },
    ]);
  });

  it.each([
    ["the default retention", "604800s", undefined],
    ["its own retention", "2678400s", "2678400s"],
    ["a year", "31536000s", undefined],
  ])(
    "passes a deliberate expiry of at least %s (as PubSubTopic's expirationTtlSeconds)",
    async (_case, ttl, retention) => {
      const plan = planOf(
        ...withInputs(compliantPubsub(), "orders-sub", (i) => ({
          ...i,
          expirationPolicy: { ttl },
          ...(retention === undefined ? {} : { messageRetentionDuration: retention }),
        })),
      );
      expect(await violationsOf(plan, policy)).toEqual([]);
    },
  );

  it("ignores other resource types", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders", (i) => ({
        ...i,
        expirationPolicy: { ttl: "1s" },
      })),
    );
    expect(await violationsOf(plan, policy)).toEqual([]);
  });
});
