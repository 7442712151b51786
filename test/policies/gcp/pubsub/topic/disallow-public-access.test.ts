import { describe, expect, it } from "vitest";
import { gcpPubsubTopicDisallowPublicAccess as policy } from "../../../../../policies/gcp/pubsub/topic/disallow-public-access";
import { fixtureResource, fixtureUrn, policyCases } from "../../../../../testing";

const TOPIC = "gcp:pubsub/topic:Topic";
const SUBSCRIPTION = "gcp:pubsub/subscription:Subscription";
const TOPIC_MEMBER = "gcp:pubsub/topicIAMMember:TopicIAMMember";
const TOPIC_BINDING = "gcp:pubsub/topicIAMBinding:TopicIAMBinding";
const TOPIC_POLICY = "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy";
const SUB_MEMBER = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember";
const SUB_BINDING = "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding";
const SUB_POLICY = "gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy";
const publisher = "serviceAccount:orders-api@taskstack-prod.iam.gserviceaccount.com";
const worker = "serviceAccount:orders-worker@taskstack-prod.iam.gserviceaccount.com";

/** A topic and subscription with roles granted only to the service accounts that use them. */
const fixture = () => [
  fixtureResource(TOPIC, "orders", { name: "orders" }),
  fixtureResource(SUBSCRIPTION, "orders-sub", { name: "orders-sub", topic: "orders" }),
  fixtureResource(TOPIC_MEMBER, "orders-publisher", {
    topic: "orders",
    role: "roles/pubsub.publisher",
    member: publisher,
  }),
  fixtureResource(SUB_MEMBER, "orders-sub-subscriber", {
    subscription: "orders-sub",
    role: "roles/pubsub.subscriber",
    member: worker,
  }),
];

const message = (kind: string, name: string, role: string, member: string) =>
  `Grants ${role} on ${kind} ${name} to ${member}, so anyone${member === "allAuthenticatedUsers" ? " with a Google account" : ""} can use it. Grant the role to the service accounts that need it instead.`;
const onTopic = (member: string, role = "roles/pubsub.publisher") =>
  message("topic", "orders", role, member);
const onSub = (member: string, role = "roles/pubsub.subscriber") =>
  message("subscription", "orders-sub", role, member);

const withSubscriptionMember = (member: string) => ({
  change: (rs: ReturnType<typeof fixture>) =>
    rs.map((r) =>
      r.name === "orders-sub-subscriber"
        ? { ...r, inputs: { ...r.inputs, member }, outputs: { ...r.outputs, member } }
        : r,
    ),
  urn: fixtureUrn(SUB_MEMBER, "orders-sub-subscriber"),
});

describe(policy.name, () => {
  it("is named for the resource type path, mandatory and critical", () => {
    expect(policy.name).toBe("gcp-pubsub-topic-disallow-public-access");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("critical");
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "orders-publisher",
      cases: [
        {
          title: "a topic member grant to allUsers",
          set: { member: "allUsers" },
          messages: [onTopic("allUsers")],
        },
        {
          title: "a grant to allUsers that names no topic (one space, not two)",
          set: { member: "allUsers", topic: undefined },
          messages: [
            "Grants roles/pubsub.publisher on the topic to allUsers, so anyone can use it. Grant the role to the service accounts that need it instead.",
          ],
        },
        {
          title: "a topic member grant to allAuthenticatedUsers",
          set: { member: "allAuthenticatedUsers" },
          messages: [onTopic("allAuthenticatedUsers")],
        },
        {
          title: "a topic binding naming both public members among others",
          change: (rs) => [
            ...rs,
            fixtureResource(TOPIC_BINDING, "orders-viewers", {
              topic: "orders",
              role: "roles/pubsub.viewer",
              members: [publisher, "allAuthenticatedUsers", "allUsers"],
            }),
          ],
          urn: fixtureUrn(TOPIC_BINDING, "orders-viewers"),
          messages: [
            onTopic("allAuthenticatedUsers", "roles/pubsub.viewer"),
            onTopic("allUsers", "roles/pubsub.viewer"),
          ],
        },
        {
          title: "a topic policy whose bindings name allUsers",
          change: (rs) => [
            ...rs,
            fixtureResource(TOPIC_POLICY, "orders-policy", {
              topic: "orders",
              policyData: JSON.stringify({
                bindings: [
                  { role: "roles/pubsub.publisher", members: [publisher] },
                  { role: "roles/pubsub.publisher", members: ["allUsers"] },
                ],
              }),
            }),
          ],
          urn: fixtureUrn(TOPIC_POLICY, "orders-policy"),
          messages: [onTopic("allUsers")],
        },
        {
          title: "a subscription member grant to allUsers",
          ...withSubscriptionMember("allUsers"),
          messages: [onSub("allUsers")],
        },
        {
          title: "a subscription member grant to allAuthenticatedUsers",
          ...withSubscriptionMember("allAuthenticatedUsers"),
          messages: [onSub("allAuthenticatedUsers")],
        },
        {
          title: "a subscription binding naming allUsers",
          change: (rs) => [
            ...rs,
            fixtureResource(SUB_BINDING, "orders-sub-subscribers", {
              subscription: "orders-sub",
              role: "roles/pubsub.subscriber",
              members: [worker, "allUsers"],
            }),
          ],
          urn: fixtureUrn(SUB_BINDING, "orders-sub-subscribers"),
          messages: [onSub("allUsers")],
        },
        {
          title: "a subscription policy whose bindings name allAuthenticatedUsers",
          change: (rs) => [
            ...rs,
            fixtureResource(SUB_POLICY, "orders-sub-policy", {
              subscription: "orders-sub",
              policyData: JSON.stringify({
                bindings: [{ role: "roles/pubsub.viewer", members: ["allAuthenticatedUsers"] }],
              }),
            }),
          ],
          urn: fixtureUrn(SUB_POLICY, "orders-sub-policy"),
          messages: [onSub("allAuthenticatedUsers", "roles/pubsub.viewer")],
        },
        {
          title: "member undefined",
          set: { member: undefined },
          messages: [],
        },
        {
          title: "policyData that is not JSON",
          change: (rs) => [
            ...rs,
            fixtureResource(TOPIC_POLICY, "orders-policy", {
              topic: "orders",
              policyData: "not json",
            }),
          ],
          messages: [],
        },
        {
          title: "bindings and policies granting only service accounts and groups",
          change: (rs) => [
            ...rs,
            fixtureResource(TOPIC_BINDING, "orders-viewers", {
              topic: "orders",
              role: "roles/pubsub.viewer",
              members: [publisher, "group:orders-oncall@example.com"],
            }),
            fixtureResource(SUB_POLICY, "orders-sub-policy", {
              subscription: "orders-sub",
              policyData: JSON.stringify({
                bindings: [{ role: "roles/pubsub.subscriber", members: [worker] }],
              }),
            }),
          ],
          messages: [],
        },
        {
          title: "a member that only mentions allUsers in its email",
          set: { member: "group:allUsers@example.com" },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
