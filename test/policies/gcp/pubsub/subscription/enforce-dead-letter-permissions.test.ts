import { describe, expect, it } from "vitest";
import { gcpPubsubSubscriptionEnforceDeadLetterPermissions as policy } from "../../../../../policies/gcp/pubsub/subscription/enforce-dead-letter-permissions";
import {
  agent,
  compliantPubsub,
  gcpProject,
  planOf,
  resource,
  topicId,
  types,
  urnOf,
  violationsOf,
  withInputs,
  without,
} from "../../../fixtures";

const name = "gcp-pubsub-subscription-enforce-dead-letter-permissions";
const urn = urnOf(types.subscription, "orders-sub");
const agentText =
  "the Pub/Sub service agent (serviceAccount:service-<project-number>@gcp-sa-pubsub.iam.gserviceaccount.com)";
const dlq = topicId("orders-dlq");

const publisherViolation = {
  policyName: name,
  enforcementLevel: "mandatory",
  urn,
  resourceType: types.subscription,
  resourceName: "orders-sub",
  message: `Subscription deadLetterPolicy.deadLetterTopic is "${dlq}" but no TopicIAMMember, TopicIAMBinding, TopicIAMPolicy or project-level grant gives ${agentText} roles/pubsub.publisher on that topic, so dead letters cannot be forwarded and are redelivered forever. Add a gcp.pubsub.TopicIAMMember with topic "${dlq}", role "roles/pubsub.publisher" and the service agent as member.`,
};

const subscriberViolation = {
  policyName: name,
  enforcementLevel: "mandatory",
  urn,
  resourceType: types.subscription,
  resourceName: "orders-sub",
  message: `Subscription name is "orders-sub" and it has a deadLetterPolicy, but no SubscriptionIAMMember, SubscriptionIAMBinding, SubscriptionIAMPolicy or project-level grant gives ${agentText} roles/pubsub.subscriber on it, so Pub/Sub cannot acknowledge the messages it dead-letters. Add a gcp.pubsub.SubscriptionIAMMember with subscription "orders-sub", role "roles/pubsub.subscriber" and the service agent as member.`,
};

describe(name, () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe(name);
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("passes the compliant fixture (member grants by short name)", async () => {
    expect(await violationsOf(planOf(...compliantPubsub()), policy)).toEqual([]);
  });

  it("passes bindings that name the targets by full id", async () => {
    const resources = compliantPubsub().filter(
      (r) => r.type !== types.topicIamMember && r.type !== types.subscriptionIamMember,
    );
    const plan = planOf(
      ...resources,
      resource(types.topicIamBinding, "dlq-publishers", {
        topic: dlq,
        role: "roles/pubsub.publisher",
        members: ["group:ops@example.com", agent],
      }),
      resource(types.subscriptionIamBinding, "orders-sub-subscribers", {
        subscription: `projects/${gcpProject}/subscriptions/orders-sub`,
        role: "roles/pubsub.subscriber",
        members: [agent],
      }),
    );
    expect(await violationsOf(plan, policy)).toEqual([]);
  });

  it("is not applicable without a deadLetterPolicy", async () => {
    const plan = planOf(
      ...withInputs(compliantPubsub(), "orders-sub", (i) => without(i, "deadLetterPolicy")),
    );
    expect(await violationsOf(plan, policy)).toEqual([]);
  });

  describe("the publisher grant on the dead-letter topic", () => {
    it("reports it missing", async () => {
      const plan = planOf(...compliantPubsub().filter((r) => r.type !== types.topicIamMember));
      expect(await violationsOf(plan, policy)).toEqual([publisherViolation]);
    });

    it.each([
      ["role", { role: "roles/pubsub.viewer" }],
      ["member", { member: "serviceAccount:orders@acme-prod.iam.gserviceaccount.com" }],
      ["topic", { topic: "orders" }],
      ["project", { project: "other-project" }],
    ])("reports a grant with the wrong %s", async (_property, change) => {
      const plan = planOf(
        ...withInputs(compliantPubsub(), "orders-dlq-publisher", (i) => ({ ...i, ...change })),
      );
      expect(await violationsOf(plan, policy)).toEqual([publisherViolation]);
    });

    it("reports a binding whose members lack the service agent", async () => {
      const plan = planOf(
        ...compliantPubsub().filter((r) => r.type !== types.topicIamMember),
        resource(types.topicIamBinding, "dlq-publishers", {
          topic: dlq,
          role: "roles/pubsub.publisher",
          members: ["group:ops@example.com"],
        }),
      );
      expect(await violationsOf(plan, policy)).toEqual([publisherViolation]);
    });
  });

  describe("the subscriber grant on the subscription", () => {
    it("reports it missing", async () => {
      const plan = planOf(
        ...compliantPubsub().filter((r) => r.type !== types.subscriptionIamMember),
      );
      expect(await violationsOf(plan, policy)).toEqual([subscriberViolation]);
    });

    it.each([
      ["role", { role: "roles/pubsub.publisher" }],
      [
        "member",
        { member: "serviceAccount:service-123@gcp-sa-cloudtasks.iam.gserviceaccount.com" },
      ],
      ["subscription", { subscription: "orders-dlq-sub" }],
      ["project", { subscription: "projects/other-project/subscriptions/orders-sub" }],
    ])("reports a grant with the wrong %s", async (_property, change) => {
      const plan = planOf(
        ...withInputs(compliantPubsub(), "orders-sub-subscriber", (i) => ({ ...i, ...change })),
      );
      expect(await violationsOf(plan, policy)).toEqual([subscriberViolation]);
    });

    it("reports a subscription without a name input, which no grant can be matched to", async () => {
      const plan = planOf(
        ...withInputs(compliantPubsub(), "orders-sub", (i) => without(i, "name")),
      );
      expect(await violationsOf(plan, policy)).toEqual([
        {
          ...subscriberViolation,
          message: `Subscription name is undefined, so no grant of roles/pubsub.subscriber to ${agentText} can be matched to it. Set name on the subscription and add a gcp.pubsub.SubscriptionIAMMember with that subscription, role "roles/pubsub.subscriber" and the service agent as member.`,
        },
      ]);
    });
  });

  it("reports both grants missing as two violations", async () => {
    const plan = planOf(
      ...compliantPubsub().filter(
        (r) => r.type !== types.topicIamMember && r.type !== types.subscriptionIamMember,
      ),
    );
    expect(await violationsOf(plan, policy)).toEqual([publisherViolation, subscriberViolation]);
  });
});
