import * as gcp from "@pulumi/gcp";
import { describe, expect, it } from "vitest";
import { gcpPubsubSubscriptionEnableDeadLetterPolicy as policy } from "../../../../../policies/gcp/pubsub/subscription/enable-dead-letter-policy";
import { runProgram } from "../../../../../testing/engine";
import {
  compliantPubsub,
  gcpProject,
  planOf,
  types,
  urnOf,
  violationsOf,
  withInputs,
  without,
} from "../../../fixtures";

const name = "gcp-pubsub-subscription-enable-dead-letter-policy";
const fix =
  'so a message its consumer cannot process is redelivered forever. Set deadLetterPolicy.deadLetterTopic to "projects/<project>/topics/<topic>" of a dead-letter topic that has its own subscription, and deadLetterPolicy.maxDeliveryAttempts (5-100).';

function violation(subscription: string, found: string) {
  return {
    policyName: name,
    enforcementLevel: "mandatory",
    urn: urnOf(types.subscription, subscription),
    resourceType: types.subscription,
    resourceName: subscription,
    message: `Subscription ${found}, ${fix}`,
  };
}

describe(name, () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe(name);
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("passes the compliant fixture, exempting the subscription that drains the dead-letter topic", async () => {
    expect(await violationsOf(planOf(...compliantPubsub()), policy)).toEqual([]);
  });

  it("reports an undefined deadLetterPolicy (and the former drain is no longer exempt)", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-sub", (i) => without(i, "deadLetterPolicy")),
    );
    expect(await violationsOf(plan, policy)).toEqual([
      violation("orders-dlq-sub", "deadLetterPolicy is undefined"),
      violation("orders-sub", "deadLetterPolicy is undefined"),
    ]);
  });

  it.each([
    ["undefined", { maxDeliveryAttempts: 5 }, "undefined"],
    ["empty", { deadLetterTopic: "", maxDeliveryAttempts: 5 }, '""'],
  ])("reports a %s deadLetterPolicy.deadLetterTopic", async (_case, deadLetterPolicy, shown) => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-sub", (i) => ({ ...i, deadLetterPolicy })),
    );
    expect(await violationsOf(plan, policy)).toEqual([
      violation("orders-dlq-sub", "deadLetterPolicy is undefined"),
      violation("orders-sub", `deadLetterPolicy.deadLetterTopic is ${shown}`),
    ]);
  });

  it("exempts a drain that names its topic by short name in the same project", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-dlq-sub", (i) => ({ ...i, topic: "orders-dlq" })),
    );
    expect(await violationsOf(plan, policy)).toEqual([]);
  });

  it("does not exempt a subscription to a same-named topic in another project", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-dlq-sub", (i) => ({
        ...i,
        topic: "projects/other-project/topics/orders-dlq",
      })),
    );
    expect(await violationsOf(plan, policy)).toEqual([
      violation("orders-dlq-sub", "deadLetterPolicy is undefined"),
    ]);
  });

  it("checks raw gcp resources declared in a program run by the offline engine", async () => {
    const plan = await runProgram(() => {
      const topic = new gcp.pubsub.Topic("events");
      const dlq = new gcp.pubsub.Topic("events-dlq");
      new gcp.pubsub.Subscription("events-sub", {
        topic: topic.name,
        deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 10 },
      });
      // Drains the dead-letter topic by short name: exempt.
      new gcp.pubsub.Subscription("events-dlq-sub", { topic: dlq.name });
      new gcp.pubsub.Subscription("events-audit", { topic: topic.name, project: gcpProject });
    });
    expect(await violationsOf(plan, policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn: plan.get(types.subscription, "events-audit").urn,
        resourceType: types.subscription,
        resourceName: "events-audit",
        message: `Subscription deadLetterPolicy is undefined, ${fix}`,
      },
    ]);
  });
});
