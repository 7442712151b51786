import { describe, expect, it } from "vitest";
import { gcpPubsubSubscriptionConfigureRetryPolicy as policy } from "../../../../../policies/gcp/pubsub/subscription/configure-retry-policy";
import { runPolicies } from "../../../../../testing/policy-runner";
import {
  compliantPubsub,
  planOf,
  types,
  urnOf,
  violationsOf,
  withInputs,
  without,
} from "../../../fixtures";

const name = "gcp-pubsub-subscription-configure-retry-policy";
const urn = urnOf(types.subscription, "orders-sub");
const fix =
  'Set retryPolicy.minimumBackoff and retryPolicy.maximumBackoff (for example "10s" and "600s").';

function withRetry(retryPolicy: Record<string, unknown>) {
  return planOf(...withInputs(compliantPubsub(), "orders-sub", (i) => ({ ...i, retryPolicy })));
}

function violation(message: string) {
  return [
    {
      policyName: name,
      enforcementLevel: "mandatory",
      urn,
      resourceType: types.subscription,
      resourceName: "orders-sub",
      message,
    },
  ];
}

describe(name, () => {
  it("is named for the resource type path, mandatory, with a typed knob", () => {
    expect(policy.name).toBe(name);
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties).toEqual({
      minimumBackoffSeconds: { type: "number", minimum: 0, maximum: 600, default: 1 },
    });
  });

  it("passes the compliant fixture", async () => {
    expect(await violationsOf(planOf(...compliantPubsub()), policy)).toEqual([]);
  });

  it("reports an undefined retryPolicy", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-sub", (i) => without(i, "retryPolicy")),
    );
    expect(await violationsOf(plan, policy)).toEqual(
      violation(
        `Subscription retryPolicy.minimumBackoff is undefined and maximumBackoff is undefined, so nacked messages are redelivered immediately. ${fix}`,
      ),
    );
  });

  it("reports a missing maximumBackoff", async () => {
    expect(await violationsOf(withRetry({ minimumBackoff: "10s" }), policy)).toEqual(
      violation(
        `Subscription retryPolicy.minimumBackoff is "10s" and maximumBackoff is undefined, so nacked messages are redelivered immediately. ${fix}`,
      ),
    );
  });

  it("reports a minimum above the maximum", async () => {
    expect(
      await violationsOf(withRetry({ minimumBackoff: "60s", maximumBackoff: "30s" }), policy),
    ).toEqual(
      violation(
        'Subscription retryPolicy.minimumBackoff "60s" is longer than maximumBackoff "30s". Lower minimumBackoff or raise maximumBackoff.',
      ),
    );
  });

  it("reports a maximum above 600s or a malformed duration", async () => {
    expect(
      await violationsOf(withRetry({ minimumBackoff: "10s", maximumBackoff: "601s" }), policy),
    ).toEqual(
      violation(
        `Subscription retryPolicy is {"minimumBackoff":"10s","maximumBackoff":"601s"}; expected durations such as "10s", at most "600s". ${fix}`,
      ),
    );
    expect(
      await violationsOf(withRetry({ minimumBackoff: "10", maximumBackoff: "600s" }), policy),
    ).toHaveLength(1);
  });

  it("takes the shortest minimum backoff from the stack's policy config", async () => {
    const plan = withRetry({ minimumBackoff: "0s", maximumBackoff: "600s" });
    expect(await violationsOf(plan, policy)).toEqual(
      violation(
        'Subscription retryPolicy.minimumBackoff "0s" is shorter than the 1s this stack requires. Raise it to at least "1s".',
      ),
    );
    const relaxed = await runPolicies(plan, {
      policies: [policy],
      config: { [name]: { minimumBackoffSeconds: 0 } },
    });
    expect(relaxed.violations).toEqual([]);
    // The CLI refuses a config that breaks the policy's configSchema before running anything.
    await expect(
      runPolicies(plan, {
        policies: [policy],
        config: { [name]: { minimumBackoffSeconds: 900 } },
        configSource: "policies/config/qa.json",
      }),
    ).rejects.toThrow(
      `policies/config/qa.json: ${name}.minimumBackoffSeconds: expected <= 600 (the policy's configSchema), got 900`,
    );
    const strict = await runPolicies(withRetry({ minimumBackoff: "5s", maximumBackoff: "600s" }), {
      policies: [policy],
      config: { [name]: { enforcementLevel: "advisory", minimumBackoffSeconds: 10 } },
    });
    expect(strict.violations.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `${policy.description}\nSubscription retryPolicy.minimumBackoff "5s" is shorter than the 10s this stack requires. Raise it to at least "10s".`,
      ],
    ]);
  });
});
