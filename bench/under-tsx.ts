// The Scale issue's own table, redone: the PubSubTopic bench program (2 subscriptions per topic)
// planned by `runProgram` as `npm start` runs it (under tsx, source maps on), next to the same
// run with the SDK's deployment bookkeeping on (the SDK as it ships: what the issue measured),
// and every policy of the pack over the plan.
import { runProgram } from "../testing/engine";
import { runPolicies } from "../testing/policy-runner";
import { taskstackPolicies } from "../policies/rules";
import { collectGarbage, formatTable, median, timed } from "./measure";
import { programs } from "./pubsub";
import { releasePreviousRun } from "./scale";

export async function benchUnderTsx(sizes: readonly number[]): Promise<string> {
  if (!process.sourceMapsEnabled) {
    throw new Error("bench: the under-tsx table needs source maps on, as tsx runs programs");
  }
  const plan = async (topics: number, deploymentBookkeeping: boolean) => {
    await releasePreviousRun();
    collectGarbage();
    return timed(() =>
      runProgram(programs.component(topics), { project: "bench", deploymentBookkeeping }),
    );
  };
  await plan(5, false);
  const rows: string[][] = [];
  for (const topics of sizes) {
    const sdk = await plan(topics, true);
    const engine = await plan(topics, false);
    const resources = engine.value.resources.length;
    if (sdk.value.resources.length !== resources) {
      throw new Error(
        `bench: ${topics} topics planned ${sdk.value.resources.length} and ${resources} resources`,
      );
    }
    const policyMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      policyMs.push(
        (await timed(() => runPolicies(engine.value, { config: { all: "mandatory" } }))).ms,
      );
    }
    const perRes = (ms: number): string => (ms / resources).toFixed(2);
    rows.push([
      String(topics),
      String(resources),
      `${(sdk.ms / 1000).toFixed(1)} s (${perRes(sdk.ms)} ms/res)`,
      `${(engine.ms / 1000).toFixed(1)} s (${perRes(engine.ms)} ms/res)`,
      (sdk.ms / engine.ms).toFixed(2),
      `${median(policyMs).toFixed(0)} ms`,
    ]);
    process.stderr.write(`measured ${topics} topics under tsx\n`);
  }
  return [
    "PubSubTopic program (2 subscriptions per topic) under tsx, source maps on, one run each:",
    `runProgram as the SDK ships vs runProgram; all ${taskstackPolicies.length} policies: median of 3.\n`,
    formatTable(
      ["topics", "resources", "SDK as shipped", "runProgram", "speedup", "all policies"],
      rows,
    ),
  ].join("\n");
}
