// `npm run bench [-- --quick]`: the cost of declaring Pub/Sub topics through messaging.PubSubTopic
// against declaring the very same provider resources by hand, both under the offline engine, in one
// process. The claim it checks: the component adds close to nothing over the raw resources.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { messaging } from "../components";
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { collectGarbage, formatTable, median, timed } from "./measure";

type Variant = "raw" | "component";

const subscriptionNames = ["orders", "audit"] as const;

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

const programs: Record<Variant, (n: number) => () => void> = {
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
function assertSameWork(n: number, raw: Plan, component: Plan): number {
  const [rawCounts, componentCounts] = [countByType(raw), countByType(component)];
  const types = [...new Set([...rawCounts.keys(), ...componentCounts.keys()])].sort();
  const countDiffs = types
    .filter((t) => rawCounts.get(t) !== componentCounts.get(t))
    .map((t) => `  ${t}: raw ${rawCounts.get(t) ?? 0}, PubSubTopic ${componentCounts.get(t) ?? 0}`);
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
        `bench: N=${n}: inputs of ${key} differ:\n  raw         ${other}\n  PubSubTopic ${inputs}`,
      );
    }
  }
  return componentResources.size;
}

async function run(
  variant: Variant,
  n: number,
): Promise<{ readonly ms: number; readonly plan: Plan }> {
  collectGarbage();
  const { ms, value } = await timed(() => runProgram(programs[variant](n), { project: "bench" }));
  return { ms, plan: value };
}

interface Row {
  readonly n: number;
  readonly resources: number;
  readonly rawMs: number;
  readonly componentMs: number;
}

async function measure(n: number, rounds: number): Promise<Row> {
  // Round one also checks that both variants did the same work; its plans are dropped after that.
  const raw = await run("raw", n);
  const component = await run("component", n);
  const resources = assertSameWork(n, raw.plan, component.plan);
  const samples: Record<Variant, number[]> = { raw: [raw.ms], component: [component.ms] };
  for (let round = 1; round < rounds; round++) {
    // Alternate which variant goes first, so neither always inherits the other's heap.
    const order: Variant[] = round % 2 === 0 ? ["raw", "component"] : ["component", "raw"];
    for (const variant of order) samples[variant].push((await run(variant, n)).ms);
  }
  return { n, resources, rawMs: median(samples.raw), componentMs: median(samples.component) };
}

async function main(argv: readonly string[]): Promise<void> {
  // tsx turns source maps on, and Pulumi captures `new Error().stack` for every promise it makes:
  // mapping those frames would triple the cost of both variants and swamp what we compare. Plain
  // Node (the engine floor in design.md, and compiled programs) does not pay it either.
  process.setSourceMapsEnabled(false);
  const quick = argv.includes("--quick");
  const plan: readonly (readonly [n: number, rounds: number])[] = quick
    ? [
        [20, 1],
        [100, 1],
      ]
    : [
        [100, 3],
        [1000, 2],
      ];
  // Warm-up: module loading, JIT and the engine's first setMocks are not what we measure.
  await measure(10, 1);

  const rows: Row[] = [];
  for (const [n, rounds] of plan) {
    rows.push(await measure(n, rounds));
    process.stderr.write(`measured N=${n} (${rounds} round${rounds === 1 ? "" : "s"})\n`);
  }
  const ms = (x: number): string => x.toFixed(0);
  const perResource = (x: number, r: number): string => (x / r).toFixed(3);
  console.log(
    `PubSubTopic vs raw @pulumi/gcp, ${subscriptionNames.length} subscriptions per topic, median wall time`,
  );
  console.log(
    "resources: provider resources, the same in both variants (types, names and inputs checked);",
  );
  console.log("PubSubTopic also registers one component resource per topic.\n");
  console.log(
    formatTable(
      ["N", "resources", "raw ms", "PubSubTopic ms", "ratio", "raw ms/res", "PubSubTopic ms/res"],
      rows.map((r) => [
        String(r.n),
        String(r.resources),
        ms(r.rawMs),
        ms(r.componentMs),
        (r.componentMs / r.rawMs).toFixed(2),
        perResource(r.rawMs, r.resources),
        perResource(r.componentMs, r.resources),
      ]),
    ),
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
