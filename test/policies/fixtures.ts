import type { Policies } from "@pulumi/policy";
import type { PlanData, PlannedResource } from "../../testing/plan";
import {
  fixtureProject,
  fixtureResource,
  fixtureStack,
  fixtureUrn,
} from "../../testing/policy-cases";
import { runPolicies } from "../../testing/policy-runner";
import type { PolicyViolation } from "../../testing/policy-runner";

// The Pub/Sub fixtures sit in the published kit's fixture stack, so they and `policyCases` agree.
export const project = fixtureProject;
export const stack = fixtureStack;
export const gcpProject = "acme-prod";

export const types = {
  topic: "gcp:pubsub/topic:Topic",
  subscription: "gcp:pubsub/subscription:Subscription",
  topicIamMember: "gcp:pubsub/topicIAMMember:TopicIAMMember",
  topicIamBinding: "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
  subscriptionIamMember: "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
  subscriptionIamBinding: "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding",
} as const;

export const urnOf = fixtureUrn;

/** A custom resource as the offline engine records it, with everything but its inputs defaulted. */
export const resource = fixtureResource;

export function planOf(...resources: PlannedResource[]): PlanData {
  return { project, stack, resources, outputs: {} };
}

/**
 * Runs policies at their own enforcement levels, as a pack config of `{}` leaves them, and returns
 * each violation with the policy's own message: the runner prefixes every message with the
 * policy's description as the analyzer does (test/testing/policy-runner.test.ts checks that), and
 * these tests are about what each policy says.
 */
export async function violationsOf(
  plan: PlanData,
  ...policies: Policies
): Promise<readonly Omit<PolicyViolation, "description">[]> {
  const { violations } = await runPolicies(plan, { policies, config: {} });
  return violations.map(({ description, message, ...rest }) => {
    const prefix = `${description}\n`;
    if (!message.startsWith(prefix)) {
      throw new Error(`violation message lacks the description prefix: ${JSON.stringify(message)}`);
    }
    return { ...rest, message: message.slice(prefix.length) };
  });
}

export const agent = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
export const topicId = (name: string): string => `projects/${gcpProject}/topics/${name}`;

/**
 * A compliant dead-lettering setup, the fixture every Pub/Sub test changes one property of:
 * `orders` → `orders-sub` dead-letters to `orders-dlq` → `orders-dlq-sub`, with both grants.
 */
export function compliantPubsub(): PlannedResource[] {
  return [
    resource(types.topic, "orders", { name: "orders", project: gcpProject }),
    resource(types.topic, "orders-dlq", { name: "orders-dlq", project: gcpProject }),
    resource(types.subscription, "orders-sub", {
      name: "orders-sub",
      project: gcpProject,
      topic: topicId("orders"),
      expirationPolicy: { ttl: "" },
      retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
      deadLetterPolicy: { deadLetterTopic: topicId("orders-dlq"), maxDeliveryAttempts: 5 },
    }),
    resource(types.subscription, "orders-dlq-sub", {
      name: "orders-dlq-sub",
      project: gcpProject,
      topic: topicId("orders-dlq"),
      expirationPolicy: { ttl: "" },
      retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
    }),
    resource(types.topicIamMember, "orders-dlq-publisher", {
      project: gcpProject,
      topic: "orders-dlq",
      role: "roles/pubsub.publisher",
      member: agent,
    }),
    resource(types.subscriptionIamMember, "orders-sub-subscriber", {
      project: gcpProject,
      subscription: "orders-sub",
      role: "roles/pubsub.subscriber",
      member: agent,
    }),
  ];
}

/** The fixture with one resource's inputs replaced. */
export function withInputs(
  resources: readonly PlannedResource[],
  name: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): PlannedResource[] {
  const found = resources.some((r) => r.name === name);
  if (!found) throw new Error(`fixture has no resource named ${name}`);
  return resources.map((r) =>
    r.name === name
      ? { ...r, inputs: change({ ...r.inputs }), outputs: change({ ...r.outputs }) }
      : r,
  );
}

/** Drops a property from a copy of inputs. */
export function without(inputs: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...inputs };
  delete copy[key];
  return copy;
}
