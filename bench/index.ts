// `npm run bench [-- --quick] [-- --components]`, in one process:
// 0. The Scale issue's table: the PubSubTopic program under tsx (source maps on), runProgram next to
//    the SDK as it ships, and all policies.
// 1. Scale: plan time and memory per resource at 1,000, 5,000 and 10,000 resources, taskstack's
//    engine next to plain `pulumi.runtime.setMocks` on the same program, and policy time per
//    resource with all policies next to none; then the goal ratios of the "Scale" issue.
//    Then the offline plan next to the real `pulumi preview` of dev, staging and prod.
// 2. With --components: messaging.PubSubTopic against the very same raw provider resources (the
//    claim: the component adds close to nothing).
// `npm run bench -- --real-pulumi` runs only that last table (dev, staging, prod).
// `npm run bench -- --entry-points` instead measures what a consumer pays per entry point
// (require time, provider SDKs loaded, tsc cost), bench/entry-points.ts.
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { benchEdge } from "./edge";
import { benchEntryPoints } from "./entry-points";
import { runPolicies } from "../testing/policy-runner";
import { taskstackPolicies } from "../policies/rules";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { collectGarbage, formatTable, median, timed, trackHeap, trackLiveHeap } from "./measure";
import { assertSameWork, programs, subscriptionNames } from "./pubsub";
import { benchRabbitMq } from "./rabbitmq";
import type { Variant } from "./pubsub";
import { measureScheduling } from "./scheduling";
import { benchWorkers } from "./workers";
import {
  assertSameRegistrations,
  planWithEngine,
  planWithPlainMocks,
  registrationsOf,
  releasePreviousRun,
  resourcesPerTopic,
} from "./scale";
import { spannerBench } from "./spanner";
import { benchUnderTsx } from "./under-tsx";
import { benchRealPulumi } from "./real-pulumi";

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

async function components(quick: boolean): Promise<void> {
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

interface ScaleRow {
  readonly resources: number;
  readonly engineMs: number;
  readonly plainMs: number;
  readonly engineMb: number;
  readonly plainMb: number;
  readonly engineLiveMb: number;
  readonly plainLiveMb: number;
  readonly allPoliciesMs: number;
  readonly noPoliciesMs: number;
}

const MB = 1024 * 1024;

/** How many times the engine's plan of `resources` is timed. */
function engineRounds(resources: number): number {
  return resources <= 2000 ? 9 : 3;
}

async function scaleRow(topics: number): Promise<ScaleRow> {
  await releasePreviousRun();
  collectGarbage();
  const plainHeap = trackHeap();
  const plainRun = await timed(() => planWithPlainMocks(topics));
  const plainMb = plainHeap.stop() / MB;
  const plain = plainRun.value;
  // The engine is timed several times (median), as its per-resource growth is a goal of its own;
  // a plan of a thousand resources takes under a second, so its timing varies most and gets more.
  const engineMs: number[] = [];
  let engineMb = 0;
  let plan: Plan | undefined;
  for (let round = 0; round < engineRounds(topics * resourcesPerTopic); round++) {
    plan = undefined;
    await releasePreviousRun();
    collectGarbage();
    const engineHeap = trackHeap();
    const engineRun = await timed(() => planWithEngine(topics));
    engineMb = Math.max(engineMb, engineHeap.stop() / MB);
    engineMs.push(engineRun.ms);
    plan = engineRun.value;
  }
  if (plan === undefined) throw new Error("bench: no engine run");
  const resources = assertSameRegistrations(registrationsOf(plan), plain);
  // Live heap: the same runs again, untimed, with a full collection every 5 % of the resources.
  const every = Math.max(1, Math.floor(resources / 20));
  await releasePreviousRun();
  const plainLive = trackLiveHeap(every);
  await planWithPlainMocks(topics, (n) => plainLive.sample(n));
  const plainLiveMb = plainLive.stop() / MB;
  await releasePreviousRun();
  const engineLive = trackLiveHeap(every);
  await planWithEngine(topics, (n) => engineLive.sample(n));
  const engineLiveMb = engineLive.stop() / MB;
  collectGarbage();
  const policyTimes = async (all: boolean): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      samples.push(
        (
          await timed(() =>
            runPolicies(plan, {
              policies: all ? taskstackPolicies : [],
              config: { all: "mandatory" },
            }),
          )
        ).ms,
      );
    }
    return median(samples);
  };
  const allPoliciesMs = await policyTimes(true);
  const noPoliciesMs = await policyTimes(false);
  return {
    resources,
    engineMs: median(engineMs),
    plainMs: plainRun.ms,
    engineMb,
    plainMb,
    engineLiveMb,
    plainLiveMb,
    allPoliciesMs,
    noPoliciesMs,
  };
}

/** The heap budget the memory goal allows, per resource. */
const budgetMbPerResource = 0.1;

/**
 * Plans `topics` in a child process whose V8 heap is capped at its own baseline (measured by a
 * first child) plus the budget per resource: the plan either fits or the child runs out of heap.
 */
function planInCappedHeap(topics: number): { readonly capMb: number; readonly fits: boolean } {
  // The same young generation as this process (and `taskstack plan`), so only the cap differs.
  const child = (args: readonly string[]) =>
    spawnSync(
      process.execPath,
      [
        ...process.execArgv.filter((a) => a.startsWith("--max-semi-space-size")),
        ...args,
        "--import",
        "tsx",
        path.join(__dirname, "heap-cap.ts"),
        String(topics),
      ],
      { encoding: "utf8", timeout: 600_000 },
    );
  const probe = child([]);
  if (probe.status !== 0) throw new Error(`bench: heap-cap probe failed:\n${probe.stderr}`);
  const { baselineMb } = JSON.parse(probe.stdout) as { baselineMb: number };
  const capMb = Math.ceil(baselineMb + budgetMbPerResource * topics * resourcesPerTopic);
  const run = child([`--max-old-space-size=${capMb}`]);
  return { capMb, fits: run.status === 0 };
}

function verdict(ok: boolean): string {
  return ok ? "met" : "NOT MET";
}

async function scale(quick: boolean): Promise<void> {
  const sizes = quick ? [1000, 2000, 3000] : [1000, 5000, 10_000];
  // Warm-up: module loading, JIT and the first setMocks are not what we measure.
  await planWithPlainMocks(5);
  await planWithEngine(5);
  const rows: ScaleRow[] = [];
  for (const size of sizes) {
    rows.push(await scaleRow(size / resourcesPerTopic));
    process.stderr.write(`measured ${size} resources\n`);
  }
  const perRes = (ms: number, n: number): string => (ms / n).toFixed(3);
  console.log(
    "Scale: raw Pub/Sub program (8 provider resources per topic), source maps off for both; plain mocks:",
  );
  console.log(
    `one run; engine: median of ${engineRounds(1000)} runs up to 2,000 resources, of ${engineRounds(10_000)} above (heap: the largest).`,
  );
  console.log(
    "Heap MB/res: peak heap growth during the timed plan, garbage V8 has not collected yet included.",
  );
  console.log(
    "Live MB/res: peak heap growth after a full collection, sampled every 5 % of registrations in a second, untimed run.",
  );
  const young = process.execArgv.find((a) => a.startsWith("--max-semi-space-size"));
  console.log(
    `V8 young generation: ${young ?? "the default"} for both variants${young ? " (as taskstack plan runs)" : ""}.`,
  );
  console.log("Policies: median of 3 runPolicies calls.\n");
  console.log(
    formatTable(
      [
        "resources",
        "plain mocks ms",
        "engine ms",
        "speedup",
        "plain ms/res",
        "engine ms/res",
        "plain heap MB/res",
        "engine heap MB/res",
        "plain live MB/res",
        "engine live MB/res",
        "all policies ms",
        "no policies ms",
        "policies ms/res",
      ],
      rows.map((r) => [
        String(r.resources),
        r.plainMs.toFixed(0),
        r.engineMs.toFixed(0),
        (r.plainMs / r.engineMs).toFixed(2),
        perRes(r.plainMs, r.resources),
        perRes(r.engineMs, r.resources),
        (r.plainMb / r.resources).toFixed(3),
        (r.engineMb / r.resources).toFixed(3),
        (r.plainLiveMb / r.resources).toFixed(3),
        (r.engineLiveMb / r.resources).toFixed(3),
        r.allPoliciesMs.toFixed(0),
        r.noPoliciesMs.toFixed(0),
        perRes(r.allPoliciesMs - r.noPoliciesMs, r.resources),
      ]),
    ),
  );
  const [small, , large] = rows as [ScaleRow, ScaleRow, ScaleRow];
  const mid = rows[1] as ScaleRow;
  const policyGrowth =
    (large.allPoliciesMs - large.noPoliciesMs) /
    large.resources /
    ((small.allPoliciesMs - small.noPoliciesMs) / small.resources);
  const planGrowth = large.engineMs / large.resources / (small.engineMs / small.resources);
  const speedup = mid.plainMs / mid.engineMs;
  const worstLiveMb = Math.max(...rows.map((r) => r.engineLiveMb / r.resources));
  const capped = planInCappedHeap(large.resources / resourcesPerTopic);
  console.log("\nGoals:");
  console.log(
    formatTable(
      ["goal", "target", "measured", ""],
      [
        [
          `all policies at ${large.resources}`,
          "< 1000 ms",
          `${large.allPoliciesMs.toFixed(0)} ms`,
          verdict(large.allPoliciesMs < 1000),
        ],
        [
          `policy ms/res ${large.resources} vs ${small.resources}`,
          "<= 1.2x",
          `${policyGrowth.toFixed(2)}x`,
          verdict(policyGrowth <= 1.2),
        ],
        [
          `plan speedup vs plain mocks at ${mid.resources}`,
          ">= 1.5x",
          `${speedup.toFixed(2)}x`,
          verdict(speedup >= 1.5),
        ],
        [
          `plan ms/res ${large.resources} vs ${small.resources}`,
          "<= 1.2x",
          `${planGrowth.toFixed(2)}x`,
          verdict(planGrowth <= 1.2),
        ],
        [
          "engine memory (peak live heap)",
          `<= ${budgetMbPerResource} MB/res`,
          `${worstLiveMb.toFixed(3)} MB/res`,
          verdict(worstLiveMb <= budgetMbPerResource),
        ],
        [
          `plan of ${large.resources} in a heap capped at baseline + ${budgetMbPerResource} MB/res`,
          "completes",
          `${capped.fits ? "completed" : "ran out of heap"} (--max-old-space-size=${capped.capMb})`,
          verdict(capped.fits),
        ],
      ],
    ),
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes("--quick");
  if (argv.includes("--entry-points")) {
    // Alone: it builds dist/ and spawns fresh processes, and measures nothing in this one.
    benchEntryPoints();
    return;
  }
  if (argv.includes("--real-pulumi")) {
    console.log(benchRealPulumi(["dev", "staging", "prod"]));
    return;
  }
  // First, while tsx still has source maps on: the Scale issue's table, as `npm start` runs.
  console.log(await benchUnderTsx(quick ? [50, 100] : [250, 500, 1250]));
  console.log("");
  // tsx turns source maps on; the SDK formats stacks the plain-mocks variant pays for, and mapping
  // them would multiply its cost (the engine skips those captures). Both run without source maps,
  // as compiled programs do, so the comparison is the conservative one.
  process.setSourceMapsEnabled(false);
  await scale(quick);
  console.log(`\n${benchRealPulumi(quick ? ["dev"] : ["dev", "staging", "prod"])}`);
  if (argv.includes("--components")) {
    console.log("");
    await components(quick);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
