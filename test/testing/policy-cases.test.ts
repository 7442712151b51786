import { describe, expect, it } from "vitest";
import { gcpPubsubSubscriptionConfigureRetryPolicy as policy } from "../../policies/gcp/pubsub/subscription/configure-retry-policy";
import { fixtureResource, fixtureUrn, policyCases } from "../../testing";

const SUB = "gcp:pubsub/subscription:Subscription";
const fixture = () => [
  fixtureResource(SUB, "orders-sub", {
    name: "orders-sub",
    topic: "projects/p/topics/orders",
    retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
  }),
];
const tooShort =
  'Subscription retryPolicy.minimumBackoff "1s" is shorter than the 5s this stack requires. Raise it to at least "5s".';

describe("policyCases", () => {
  it("runs the compliant fixture first, then each change with its config", async () => {
    const cases = policyCases(policy, {
      fixture,
      target: "orders-sub",
      config: { minimumBackoffSeconds: 5 },
      cases: [
        {
          title: "a short backoff",
          set: { "retryPolicy.minimumBackoff": "1s" },
          messages: [tooShort],
        },
      ],
    });
    expect(cases.map((c) => c.title)).toEqual(["passes the compliant fixture", "a short backoff"]);
    for (const c of cases) await c.run();
  });

  it("rejects with both sides when the messages differ", async () => {
    const [, wrong] = policyCases(policy, {
      fixture,
      target: "orders-sub",
      cases: [
        { title: "no retry policy", set: { retryPolicy: undefined }, messages: ["something else"] },
      ],
    });
    await expect(wrong!.run()).rejects.toThrow(
      /expected[\s\S]*something else[\s\S]*got[\s\S]*redelivered immediately/,
    );
  });

  it("rejects when the policy blames another resource than expected", async () => {
    const [, wrong] = policyCases(policy, {
      fixture,
      target: "orders-sub",
      config: { minimumBackoffSeconds: 5 },
      cases: [
        {
          title: "blamed elsewhere",
          set: { "retryPolicy.minimumBackoff": "1s" },
          messages: [tooShort],
          urn: fixtureUrn(SUB, "other"),
        },
      ],
    });
    await expect(wrong!.run()).rejects.toThrow(/blamed elsewhere/);
  });

  it("refuses a target the fixture does not have", () => {
    const [, bad] = policyCases(policy, {
      fixture,
      target: "missing",
      cases: [{ title: "x", set: { a: 1 }, messages: [] }],
    });
    expect(() => bad!.run()).toThrow('policy case: the fixture has no resource named "missing"');
  });
});
