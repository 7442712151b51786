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
const fix = 'Set expirationPolicy.ttl to "" so the subscription never expires.';

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
        message: `Subscription expirationPolicy is undefined, so Pub/Sub deletes the subscription after 31 days without activity. ${fix}`,
      },
    ]);
  });

  it.each([
    ["a duration", "2678400s", '"2678400s"'],
    ["an undefined ttl", undefined, "undefined"],
  ])("reports expirationPolicy.ttl set to %s", async (_case, ttl, shown) => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-sub", (i) => ({ ...i, expirationPolicy: { ttl } })),
    );
    expect(await violationsOf(plan, policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn,
        resourceType: types.subscription,
        resourceName: "orders-sub",
        message: `Subscription expirationPolicy.ttl is ${shown}, so Pub/Sub deletes the subscription after that long without activity. ${fix}`,
      },
    ]);
  });

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
