// The offline plan next to the real `pulumi preview` of the same stacks, on this machine, in one
// run: `taskstack plan STACK --preview` (program, engine and all policies, offline) against
// `pulumi preview --policy-pack policies` through the real CLI, engine and analyzer
// (scripts/real-pulumi.sh STACK --preview-only, which reports the preview's own seconds). Needs
// the tools scripts/pulumi-tools.sh builds; without them it says so and measures nothing.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatTable } from "./measure";

const repo = path.resolve(__dirname, "..");

function toolsPresent(): boolean {
  const version = (
    JSON.parse(
      fs.readFileSync(path.join(repo, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
    ) as { version: string }
  ).version;
  const bin = path.join(
    process.env["TASKSTACK_CACHE"] ?? "/var/cache/taskstack",
    "pulumi-tools",
    version,
    "bin",
  );
  return (
    fs.existsSync(path.join(bin, "pulumi")) &&
    fs.existsSync(path.join(bin, "pulumi-resource-kubernetes"))
  );
}

function offlineSeconds(stack: string): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    [
      path.join(repo, "bin/taskstack.js"),
      "plan",
      stack,
      "--preview",
      "--out",
      path.join(repo, "out/bench-offline"),
    ],
    { cwd: repo, encoding: "utf8" },
  );
  if (run.status !== 0)
    throw new Error(`taskstack plan ${stack} --preview failed:\n${run.stdout}${run.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function realSeconds(stack: string): number {
  const run = spawnSync(
    "bash",
    [path.join(repo, "scripts/real-pulumi.sh"), stack, "--preview-only"],
    {
      cwd: repo,
      encoding: "utf8",
    },
  );
  if (run.status !== 0)
    throw new Error(`real-pulumi.sh ${stack} --preview-only failed:\n${run.stdout}${run.stderr}`);
  return Number(
    fs.readFileSync(path.join(repo, "out/real-pulumi", stack, "preview-seconds"), "utf8"),
  );
}

/** The table, or the loud skip line when the real CLI is not built here. */
export function benchRealPulumi(stacks: readonly string[]): string {
  if (!toolsPresent()) {
    const line =
      "SKIP (real part absent): the real pulumi CLI is not built here; run scripts/pulumi-tools.sh";
    console.warn(line);
    return line;
  }
  const rows = stacks.map((stack) => {
    process.stderr.write(`real preview of ${stack}\n`);
    const offline = offlineSeconds(stack);
    const real = realSeconds(stack);
    return [stack, offline.toFixed(1), real.toFixed(1), (real / offline).toFixed(1)];
  });
  return [
    "Offline plan vs the real `pulumi preview --policy-pack` (seconds, one run each)",
    formatTable(
      ["stack", "offline plan --preview s", "real pulumi preview s", "real / offline"],
      rows,
    ),
  ].join("\n");
}
