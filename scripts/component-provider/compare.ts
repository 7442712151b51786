// Holds what the real engine recorded for scripts/component-provider/program.ts's remote
// components (constructed by the `taskstack` provider plugin) against the offline plan of the same
// components declared in process (`localProgram`): every resource by URN, with type and parent,
// and every provider resource's inputs. Prints one line; exits 1 listing each difference.
//
//   tsx scripts/component-provider/compare.ts preview <pulumi preview --json file>
//   tsx scripts/component-provider/compare.ts export <pulumi stack export file> [<stack outputs file>]
import { readFileSync } from "node:fs";
import { runProgram } from "../../testing";
import { exportSide, offlineSide, previewSide, resourceDiffs } from "../real-pulumi/compare";
import type { OfflinePlan, Side } from "../real-pulumi/compare";
import { awsRegion, localProgram, project } from "./program";

export const stack = "remote";
export const projectName = "taskstack-remote-components";

/** Default providers exist only in the real engine (the offline plan has none); compared apart. */
const isProvider = (type: string) => type.startsWith("pulumi:providers:");

/** Components are compared by type and parent: their inputs are the args as each side recorded them. */
function comparable(side: Side, customTypes: (type: string) => boolean): Side {
  return {
    resources: new Map(
      [...side.resources]
        .filter(([, r]) => !isProvider(r.type))
        .map(([urn, r]) => [urn, customTypes(r.type) ? r : { ...r, inputs: {} }]),
    ),
  };
}

async function main(mode: string, file: string, outputsFile?: string): Promise<number> {
  if (mode !== "preview" && mode !== "export") {
    process.stderr.write(`compare.ts: expected preview or export, got "${mode}"\n`);
    return 2;
  }
  const plan = await runProgram(localProgram, {
    stack,
    project: projectName,
    config: { "gcp:project": project, "gcp:region": "europe-west1", "aws:region": awsRegion },
    preview: mode === "preview" ? "engine" : false,
  });
  const custom = new Set(plan.resources.filter((r) => r.custom).map((r) => r.type));
  // Through JSON, as plan.json holds it (an unknown is `[unknown]`, a secret `[secret]`), and
  // read as scripts/real-pulumi.sh reads a stack's offline plan.
  const offline = offlineSide(JSON.parse(JSON.stringify(plan.toJSON())) as OfflinePlan);
  const json = JSON.parse(readFileSync(file, "utf8"));
  const real = mode === "preview" ? previewSide(json) : exportSide(json);
  const isCustom = (type: string) => custom.has(type);
  const diffs = resourceDiffs(comparable(real, isCustom), comparable(offline, isCustom)).filter(
    // The stack resource's inputs are the engine's own bookkeeping.
    (d) =>
      !(d.kind === "input" && d.urn.endsWith(`::pulumi:pulumi:Stack::${projectName}-${stack}`)),
  );
  const problems = diffs.map((d) => JSON.stringify(d));
  if (outputsFile !== undefined) {
    const outputs = JSON.parse(readFileSync(outputsFile, "utf8")) as Record<string, unknown>;
    const expected = plan.outputs.topicId;
    if (outputs.topicId !== expected) {
      problems.push(
        `stack output topicId (the remote PubSubTopic's output, read by the remote CloudSchedulerJob): expected ${JSON.stringify(expected)}, got ${JSON.stringify(outputs.topicId)}`,
      );
    }
  }
  const providers = [...real.resources.values()]
    .filter((r) => isProvider(r.type))
    .map((r) => r.type);
  const count = [...real.resources.values()].filter((r) => !isProvider(r.type)).length;
  if (problems.length > 0) {
    console.log(
      `${problems.length} difference(s) from the offline plan of the same components in process:`,
    );
    for (const p of problems) console.log(`  ${p}`);
    return 1;
  }
  const providerList = [...new Set(providers)].sort().join(", ");
  console.log(
    `${count} resources, each equal to the in-process plan (URN, type, parent, provider inputs)${providerList ? `; providers ${providerList}` : ""}`,
  );
  return 0;
}

if (require.main === module) {
  void main(process.argv[2] ?? "", process.argv[3] ?? "", process.argv[4]).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
