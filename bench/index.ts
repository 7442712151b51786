// `npm run bench [-- --quick]`: the cost of declaring Pub/Sub topics through messaging.PubSubTopic
// against declaring the very same provider resources by hand, both under the offline engine, in one
// process. The claim it checks: the component adds close to nothing over the raw resources.
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { benchEdge } from "./edge";
import { collectGarbage, formatTable, median, timed } from "./measure";
import { assertSameWork, programs, subscriptionNames } from "./pubsub";
import { benchRabbitMq } from "./rabbitmq";
import type { Variant } from "./pubsub";
import { measureScheduling } from "./scheduling";
import { benchWorkers } from "./workers";
import { spannerBench } from "./spanner";

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

  // Queues and jobs: CloudTasksQueue + 2 CloudSchedulerJobs per N against the same raw resources.
  const schedulingRows = [];
  for (const [n, rounds] of plan) schedulingRows.push(await measureScheduling(n, rounds));
  console.log(
    "\nCloudTasksQueue + CloudSchedulerJob (Pub/Sub and Cloud Run) vs raw @pulumi/gcp, median wall time\n",
  );
  console.log(
    formatTable(
      ["N", "resources", "raw ms", "components ms", "ratio"],
      schedulingRows.map((r) => [
        String(r.n),
        String(r.resources),
        ms(r.rawMs),
        ms(r.componentMs),
        (r.componentMs / r.rawMs).toFixed(2),
      ]),
    ),
  );
  console.log(`\n${await benchRabbitMq(quick)}`);
  console.log(`\n${await benchWorkers(quick)}`);
  await benchEdge(quick);
  console.log();
  console.log(
    await spannerBench(
      quick
        ? [[20, 1]]
        : [
            [100, 3],
            [500, 2],
          ],
    ),
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
