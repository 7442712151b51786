// Compares two `pulumi stack export` files of scripts/spanner-outputs/program.ts: every resource
// of the SpannerScheduledBackup, with its inputs and outputs as the engine recorded them, must be
// the same whether the project and instance were strings or Outputs of a gcp.spanner.Instance.
// Prints the number of resources compared; exits 1 naming each difference.
//
//   tsx scripts/spanner-outputs/compare.ts STRINGS.json OUTPUTS.json
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  protect?: boolean;
}

const instanceType = "gcp:spanner/instance:Instance";

/** The backup's resources by URN, the stack's name taken out of URNs. */
function backupResources(file: string): Map<string, StateResource> {
  const exported = JSON.parse(readFileSync(file, "utf8")) as {
    deployment: { resources?: StateResource[] };
  };
  const resources = exported.deployment.resources ?? [];
  const unstack = (urn: string | undefined) =>
    urn?.replace(/^urn:pulumi:[^:]+::/, "urn:pulumi:-::");
  const out = new Map<string, StateResource>();
  for (const r of resources) {
    if (r.type === instanceType || r.type === "pulumi:pulumi:Stack") continue;
    if (r.type.startsWith("pulumi:providers:")) continue;
    const urn = unstack(r.urn) as string;
    out.set(urn, {
      urn,
      type: r.type,
      parent: unstack(r.parent),
      inputs: r.inputs,
      outputs: r.outputs,
      // The instance is a dependency only where its Outputs were given; the order is the
      // order inputs resolved in.
      dependencies: (r.dependencies ?? [])
        .filter((d) => !d.includes(instanceType))
        .map((d) => unstack(d) as string)
        .sort(),
      protect: r.protect ?? false,
    });
  }
  return out;
}

const [stringsFile, outputsFile] = process.argv.slice(2);
if (stringsFile === undefined || outputsFile === undefined) {
  process.stderr.write("compare.ts: expected STRINGS.json OUTPUTS.json\n");
  process.exit(2);
}
const strings = backupResources(stringsFile);
const outputs = backupResources(outputsFile);
const differences: string[] = [];
// Given as Outputs, the instance's values carry it as a dependency; given as strings, they do not.
const dependents = (file: string) =>
  (
    JSON.parse(readFileSync(file, "utf8")) as { deployment: { resources?: StateResource[] } }
  ).deployment.resources?.filter((r) =>
    (r.dependencies ?? []).some((d) => d.includes(instanceType)),
  ).length ?? 0;
const withOutputs = dependents(outputsFile);
if (dependents(stringsFile) !== 0 || withOutputs === 0) {
  differences.push(
    `resources depending on the instance: ${dependents(stringsFile)} with strings (expected 0), ${withOutputs} with Outputs (expected some)`,
  );
}
for (const urn of new Set([...strings.keys(), ...outputs.keys()])) {
  const a = strings.get(urn);
  const b = outputs.get(urn);
  if (a === undefined || b === undefined) {
    differences.push(`${urn}: only with ${a === undefined ? "Outputs" : "strings"}`);
    continue;
  }
  for (const key of ["type", "parent", "inputs", "outputs", "dependencies", "protect"] as const) {
    if (!isDeepStrictEqual(a[key], b[key])) {
      differences.push(
        `${urn} ${key}: strings ${JSON.stringify(a[key])}, Outputs ${JSON.stringify(b[key])}`,
      );
    }
  }
}
if (strings.size === 0)
  differences.push("no SpannerScheduledBackup resources in the strings export");
if (differences.length > 0) {
  process.stderr.write(`${differences.join("\n")}\n`);
  process.exit(1);
}
console.log(
  `${strings.size} resources of SpannerScheduledBackup "backups": the same inputs and outputs with strings and with Outputs (${withOutputs} now depend on the instance)`,
);
