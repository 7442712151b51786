// Prints the corpus table and every false positive and miss: `npx tsx test/policies/corpus/measure.ts`.
import { awsScenarios } from "./aws";
import { gcpScenarios } from "./gcp";
import { judge, modes, table } from "./harness";
import type { Mode, Verdict } from "./harness";
import { kubernetesScenarios } from "./kubernetes";

async function main(): Promise<void> {
  const all = [...gcpScenarios, ...awsScenarios, ...kubernetesScenarios];
  const results = new Map<Mode, Verdict[]>();
  for (const mode of modes) results.set(mode, await judge(all, mode));
  console.log(table(results));
  for (const [mode, verdicts] of results) {
    for (const v of verdicts) {
      if (v.outcome === "false-positive" || v.outcome === "missed" || v.outcome === "advisory") {
        console.log(
          `\n[${mode}] ${v.outcome} ${v.resource} (${v.type})${v.policy ? ` want ${v.policy}` : ""}`,
        );
        for (const f of v.findings) console.log(`    ${f.slice(0, 400)}`);
      }
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
