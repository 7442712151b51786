import * as gcp from "@pulumi/gcp";
import { describe, expect, it } from "vitest";
import { gcpPubsubTopicEnforceDeadLetterSubscription as policy } from "../../../../../policies/gcp/pubsub/topic/enforce-dead-letter-subscription";
import { runProgram } from "../../../../../testing/engine";
import {
  compliantPubsub,
  planOf,
  resource,
  topicId,
  types,
  urnOf,
  violationsOf,
  withInputs,
} from "../../../fixtures";

const name = "gcp-pubsub-topic-enforce-dead-letter-subscription";
const dlq = topicId("orders-dlq");

function message(subscriptions: string, topic = dlq): string {
  return `Topic "${topic}" is the deadLetterPolicy.deadLetterTopic of ${subscriptions} but no subscription has topic "${topic}", so dead-lettered messages are dropped. Add a gcp.pubsub.Subscription with topic "${topic}" (and an alert on its backlog).`;
}

const withoutDrain = () => compliantPubsub().filter((r) => r.name !== "orders-dlq-sub");

describe(name, () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe(name);
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("passes the compliant fixture", async () => {
    expect(await violationsOf(planOf(...compliantPubsub()), policy)).toEqual([]);
  });

  it("reports a declared dead-letter topic without a subscription on the topic's urn", async () => {
    expect(await violationsOf(planOf(...withoutDrain()), policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn: urnOf(types.topic, "orders-dlq"),
        resourceType: types.topic,
        resourceName: "orders-dlq",
        message: message("subscription orders-sub"),
      },
    ]);
  });

  it("reports once per declared topic, naming every subscription that dead-letters to it", async () => {
    const plan = planOf(
      ...withoutDrain(),
      resource(types.subscription, "refunds-sub", {
        name: "refunds-sub",
        topic: "orders",
        deadLetterPolicy: { deadLetterTopic: dlq },
      }),
    );
    expect(await violationsOf(plan, policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn: urnOf(types.topic, "orders-dlq"),
        resourceType: types.topic,
        resourceName: "orders-dlq",
        message: message("subscriptions orders-sub, refunds-sub"),
      },
    ]);
  });

  it("reports an undeclared dead-letter topic on the referencing subscription's urn", async () => {
    const plan = planOf(...withoutDrain().filter((r) => r.name !== "orders-dlq"));
    expect(await violationsOf(plan, policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn: urnOf(types.subscription, "orders-sub"),
        resourceType: types.subscription,
        resourceName: "orders-sub",
        message: message("subscription orders-sub"),
      },
    ]);
  });

  it("reports a drain that subscribes to a same-named topic in another project", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-dlq-sub", (i) => ({
        ...i,
        topic: "projects/other-project/topics/orders-dlq",
      })),
    );
    expect(await violationsOf(plan, policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn: urnOf(types.topic, "orders-dlq"),
        resourceType: types.topic,
        resourceName: "orders-dlq",
        message: message("subscription orders-sub"),
      },
    ]);
  });

  it("accepts a drain that names the topic by short name", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-dlq-sub", (i) => ({ ...i, topic: "orders-dlq" })),
    );
    expect(await violationsOf(plan, policy)).toEqual([]);
  });

  it("is not applicable when no subscription dead-letters", async () => {
    const plan = planOf(resource(types.topic, "lonely", { name: "lonely" }));
    expect(await violationsOf(plan, policy)).toEqual([]);
  });

  it("checks raw gcp resources declared in a program run by the offline engine", async () => {
    const plan = await runProgram(() => {
      const topic = new gcp.pubsub.Topic("events", { name: "events" });
      const dlq = new gcp.pubsub.Topic("events-dlq", { name: "events-dlq" });
      new gcp.pubsub.Subscription("events-sub", {
        topic: topic.name,
        deadLetterPolicy: { deadLetterTopic: dlq.id, maxDeliveryAttempts: 10 },
      });
    });
    const topicUrn = plan.get(types.topic, "events-dlq").urn;
    const deadLetterTopic = String(plan.get(types.topic, "events-dlq").id);
    expect(await violationsOf(plan, policy)).toEqual([
      {
        policyName: name,
        enforcementLevel: "mandatory",
        urn: topicUrn,
        resourceType: types.topic,
        resourceName: "events-dlq",
        message: message("subscription events-sub", deadLetterTopic),
      },
    ]);
  });
});
