import * as fs from "node:fs";
import * as path from "node:path";
import {
  TaskstackInputError,
  describeValue,
  isTaskstackInputError,
} from "../components/shared/errors";
import { runProgram } from "../testing/engine";
import type { Program } from "../testing/engine";
import { formatPolicyReport, runPolicies } from "../testing/policy-runner";
import { readProjectFile } from "../testing/stack-file";
import type { ProjectFile } from "../testing/stack-file";
import { writeRabbitMqFiles } from "./rabbitmq-files";
import { writeManifests } from "./manifests";
import { renderOutputs, renderSummary, renderTree } from "./render";

const usage = `Usage: taskstack plan [stack] [--json] [--out <dir>]

Runs the stack's Pulumi program offline, under mocks, with stacks/Pulumi.<stack>.yaml, and shows
what \`pulumi up\` would create, with the policy report. Writes <out>/<stack>/plan.json.

  stack        the stack to plan (default: dev)
  --json       print the plan and policy report as JSON instead of the tree
  --out <dir>  where to write the plan (default: out)

Exit codes: 0 planned, 1 a mandatory policy was violated, 2 invalid config or arguments.`;

interface PlanArgs {
  readonly stack: string;
  readonly json: boolean;
  readonly out: string;
}

function parseArgs(argv: readonly string[]): PlanArgs | "help" {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help")
    return "help";
  if (command !== "plan") {
    throw new TaskstackInputError([
      `command: expected plan, got ${describeValue(command)}\n\n${usage}`,
    ]);
  }
  let stack: string | undefined;
  let json = false;
  let out = "out";
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") json = true;
    else if (arg === "--out") {
      const dir = rest[++i];
      if (dir === undefined || dir.startsWith("--")) {
        throw new TaskstackInputError([`--out: expected a directory, got ${describeValue(dir)}`]);
      }
      out = dir;
    } else if (arg.startsWith("-")) {
      throw new TaskstackInputError([
        `${arg}: unknown option (expected --json, --out <dir> or --help)`,
      ]);
    } else if (stack === undefined) stack = arg;
    else throw new TaskstackInputError([`${arg}: expected one stack name, got a second one`]);
  }
  return { stack: stack ?? "dev", json, out };
}

function readProject(cwd: string): ProjectFile {
  const project = readProjectFile(cwd);
  if (project === undefined) {
    throw new TaskstackInputError([
      `${path.join(cwd, "Pulumi.yaml")}: expected a Pulumi project file here, found none`,
    ]);
  }
  return project;
}

/**
 * The project's program, loaded from Pulumi.yaml's `main` inside the run, as the language host
 * does. TypeScript entries load through tsx, as `pulumi up` loads them (`nodeargs: --import tsx`).
 */
function loadProgram(cwd: string, project: ProjectFile): Program {
  const entry = path.resolve(cwd, project.main ?? ".");
  return () => {
    // require, not import: the program is loaded as the Node.js language host loads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tsx = require("tsx/cjs/api") as { register(): () => void };
    const unregister = tsx.register();
    let loaded: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(entry) as unknown;
    } finally {
      unregister();
    }
    const exported = (loaded as { default?: unknown } | undefined)?.default ?? loaded;
    return typeof exported === "function" ? (exported as () => unknown)() : exported;
  };
}

/** Runs `taskstack <argv>`; resolves to the process exit code. */
export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args === "help") {
      console.log(usage);
      return 0;
    }
    const project = readProject(cwd);
    const stackDir = path.resolve(cwd, project.stackConfigDir ?? ".");
    const plan = await runProgram(loadProgram(cwd, project), {
      stack: args.stack,
      stackDir,
      project: project.name,
    });
    const report = await runPolicies(plan, { stack: args.stack });

    const outDir = path.resolve(cwd, args.out, args.stack);
    fs.mkdirSync(outDir, { recursive: true });
    const planFile = path.join(outDir, "plan.json");
    fs.writeFileSync(
      planFile,
      `${JSON.stringify({ ...plan.toJSON(), policies: report }, null, 2)}\n`,
    );
    writeRabbitMqFiles(plan, outDir);
    writeManifests(plan, outDir);

    if (args.json) {
      console.log(JSON.stringify({ ...plan.toJSON(), policies: report }, null, 2));
    } else {
      console.log(
        `Plan of stack ${args.stack} (offline, what \`pulumi up --stack ${args.stack}\` would create):\n`,
      );
      console.log(renderTree(plan));
      console.log(`\n${renderSummary(plan)}\n`);
      console.log(formatPolicyReport(report));
      console.log(`\n${renderOutputs(plan)}`);
      console.log(`\nWrote ${path.relative(cwd, planFile)}`);
    }
    return report.mandatory > 0 ? 1 : 0;
  } catch (err) {
    if (isTaskstackInputError(err)) {
      console.error(err.problems.map((p) => `error: ${p}`).join("\n"));
      return 2;
    }
    console.error(`taskstack: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
