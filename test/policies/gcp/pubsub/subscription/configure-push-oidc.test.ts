import { describe, expect, it } from "vitest";
import { gcpPubsubSubscriptionConfigurePushOidc as policy } from "../../../../../policies/gcp/pubsub/subscription/configure-push-oidc";
import { compliantPubsub, planOf, types, urnOf, violationsOf, withInputs } from "../../../fixtures";

const name = "gcp-pubsub-subscription-configure-push-oidc";
const urn = urnOf(types.subscription, "orders-sub");
const endpoint = "https://orders.example.com/push";
const invoker = "orders-push@acme-prod.iam.gserviceaccount.com";

function pushFixture(pushConfig: Record<string, unknown>) {
  return withInputs(compliantPubsub(), "orders-sub", (i) => ({ ...i, pushConfig }));
}

function expected(email: string) {
  return [
    {
      policyName: name,
      enforcementLevel: "mandatory",
      urn,
      resourceType: types.subscription,
      resourceName: "orders-sub",
      message: `Subscription pushConfig.pushEndpoint is "${endpoint}" but pushConfig.oidcToken.serviceAccountEmail is ${email}, so push requests carry no identity the endpoint can verify. Set pushConfig.oidcToken.serviceAccountEmail to the service account the endpoint authorizes.`,
    },
  ];
}

describe(name, () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe(name);
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("passes pull subscriptions (the compliant fixture)", async () => {
    expect(await violationsOf(planOf(...compliantPubsub()), policy)).toEqual([]);
  });

  it("passes a push subscription with an OIDC service account", async () => {
    const plan = planOf(
      ...pushFixture({ pushEndpoint: endpoint, oidcToken: { serviceAccountEmail: invoker } }),
    );
    expect(await violationsOf(plan, policy)).toEqual([]);
  });

  it("reports a push subscription without oidcToken", async () => {
    const plan = planOf(...pushFixture({ pushEndpoint: endpoint }));
    expect(await violationsOf(plan, policy)).toEqual(expected("undefined"));
  });

  it("reports an empty serviceAccountEmail", async () => {
    const plan = planOf(
      ...pushFixture({ pushEndpoint: endpoint, oidcToken: { serviceAccountEmail: "" } }),
    );
    expect(await violationsOf(plan, policy)).toEqual(expected('""'));
  });

  it("reports an oidcToken with only an audience", async () => {
    const plan = planOf(
      ...pushFixture({ pushEndpoint: endpoint, oidcToken: { audience: endpoint } }),
    );
    expect(await violationsOf(plan, policy)).toEqual(expected("undefined"));
  });
});
