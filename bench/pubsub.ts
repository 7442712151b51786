// The two variants `npm run bench` compares: N Pub/Sub topics through messaging.PubSubTopic, and
// the very same provider resources written by hand. test/bench keeps them doing the same work.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { messaging } from "../components";
import type { Plan } from "../testing/assertions";

export type Variant = "raw" | "component";

export const subscriptionNames = ["orders", "audit"] as const;

/** N topics through the component, each with two subscriptions and the defaults. */
function componentProgram(n: number): () => void {
  const subscriptions = subscriptionNames.map((name) => ({ name }));
  return () => {
    for (let i = 0; i < n; i++) new messaging.PubSubTopic(`topic-${i}`, { subscriptions });
  };
}

/** The same resources, names and inputs as PubSubTopic declares for those args, written by hand. */
function rawProgram(n: number): () => void {
  const labels = { "managed-by": "taskstack" };
  return () => {
    for (let i = 0; i < n; i++) {
      const name = `topic-${i}`;
      const topic = new gcp.pubsub.Topic(`${name}-topic`, { name, labels });
      const project = gcp.organizations.getProjectOutput({});
      const serviceAgent = pulumi.interpolate`serviceAccount:service-${project.number}@gcp-sa-pubsub.iam.gserviceaccount.com`;
      const dlTopic = new gcp.pubsub.Topic(`${name}-dead-letter-topic`, {
        name: `${name}-dead-letter`,
        labels,
      });
      new gcp.pubsub.Subscription(`${name}-dead-letter-sub`, {
        name: `${name}-dead-letter`,
        topic: dlTopic.id,
        labels,
        ackDeadlineSeconds: 60,
        messageRetentionDuration: "604800s",
        expirationPolicy: { ttl: "" },
        retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
      });
      const publisher = new gcp.pubsub.TopicIAMMember(`${name}-dead-letter-publisher`, {
        topic: dlTopic.name,
        role: "roles/pubsub.publisher",
        member: serviceAgent,
      });
      for (const sub of subscriptionNames) {
        const subscription = new gcp.pubsub.Subscription(
          `${name}-sub-${sub}`,
          {
            name: `${name}-${sub}`,
            topic: topic.id,
            labels,
            ackDeadlineSeconds: 60,
            messageRetentionDuration: "604800s",
            retainAckedMessages: false,
            expirationPolicy: { ttl: "" },
            retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
            enableMessageOrdering: false,
            enableExactlyOnceDelivery: false,
            deadLetterPolicy: { deadLetterTopic: dlTopic.id, maxDeliveryAttempts: 5 },
          },
          { dependsOn: [publisher] },
        );
        new gcp.pubsub.SubscriptionIAMMember(`${name}-sub-${sub}-dead-letter-subscriber`, {
          subscription: subscription.name,
          role: "roles/pubsub.subscriber",
          member: serviceAgent,
        });
      }
    }
  };
}

export const programs: Record<Variant, (n: number) => () => void> = {
  raw: rawProgram,
  component: componentProgram,
};

/** Provider resources (components and the stack excluded), as `type name → inputs`. */
function providerResources(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of plan.resources)
    if (r.custom) out.set(`${r.type} ${r.name}`, JSON.stringify(r.inputs));
  return out;
}

function countByType(plan: Plan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of plan.resources) if (r.custom) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return counts;
}

/**
 * Throws unless both variants declared the same provider resources: same counts per type, same
 * logical names, same inputs. Returns how many that is. A bench comparing different work is worthless.
 */
export function assertSameWork(
  n: number,
  raw: Plan,
  component: Plan,
  label = "PubSubTopic",
): number {
  const [rawCounts, componentCounts] = [countByType(raw), countByType(component)];
  const types = [...new Set([...rawCounts.keys(), ...componentCounts.keys()])].sort();
  const countDiffs = types
    .filter((t) => rawCounts.get(t) !== componentCounts.get(t))
    .map((t) => `  ${t}: raw ${rawCounts.get(t) ?? 0}, ${label} ${componentCounts.get(t) ?? 0}`);
  if (countDiffs.length > 0) {
    throw new Error(
      `bench: N=${n}: the variants declare different resources per type:\n${countDiffs.join("\n")}`,
    );
  }
  const [rawResources, componentResources] = [providerResources(raw), providerResources(component)];
  for (const [key, inputs] of componentResources) {
    const other = rawResources.get(key);
    if (other === undefined) throw new Error(`bench: N=${n}: raw variant does not declare ${key}`);
    if (other !== inputs) {
      throw new Error(
        `bench: N=${n}: inputs of ${key} differ:\n  ${"raw".padEnd(label.length)} ${other}\n  ${label} ${inputs}`,
      );
    }
  }
  return componentResources.size;
}
