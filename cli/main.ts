import * as fs from "node:fs";
import * as path from "node:path";
import type { Policies } from "@pulumi/policy/policy";
import {
  TaskstackInputError,
  describeValue,
  isTaskstackInputError,
} from "../components/shared/errors";
import { runProgram } from "../testing/engine";
import type { Program } from "../testing/engine";
import { PolicyRunError, formatPolicyReport, runPolicies } from "../testing/policy-runner";
import { readProjectFile, readStackFile, stackFilePath } from "../testing/stack-file";
import type { ProjectFile } from "../testing/stack-file";
import { writeRabbitMqFiles } from "./rabbitmq-files";
import { writeManifests } from "./manifests";
import { renderOutputs, renderSummary, renderTree } from "./render";
import { renderRegistrarStep } from "./render-registrar";

const usage = `Usage: taskstack plan [stack] [--json] [--preview] [--out <dir>]

Runs the stack's Pulumi program offline, under mocks, with stacks/Pulumi.<stack>.yaml, and shows
what \`pulumi up\` would create, with the policy report. Writes <out>/<stack>/plan.json.

  stack        the stack to plan (default: dev)
  --json       print the plan and policy report as JSON instead of the tree
  --preview    plan as \`pulumi preview\` runs: values known only after \`up\` are [unknown]
  --out <dir>  where to write the plan (default: out)

Exit codes: 0 planned, 1 a mandatory policy was violated or the run failed (out/<stack>/plan.json
is then removed, so no stale plan is taken for this run's), 2 invalid config or arguments.`;

interface PlanArgs {
  readonly stack: string;
  readonly json: boolean;
  readonly preview: boolean;
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
  let preview = false;
  let out = "out";
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") json = true;
    else if (arg === "--preview") preview = true;
    else if (arg === "--out") {
      const dir = rest[++i];
      if (dir === undefined || dir.startsWith("--")) {
        throw new TaskstackInputError([`--out: expected a directory, got ${describeValue(dir)}`]);
      }
      out = dir;
    } else if (arg.startsWith("-")) {
      throw new TaskstackInputError([
        `${arg}: unknown option (expected --json, --preview, --out <dir> or --help)`,
      ]);
    } else if (stack === undefined) stack = arg;
    else throw new TaskstackInputError([`${arg}: expected one stack name, got a second one`]);
  }
  return { stack: stack ?? "dev", json, preview, out };
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
    const unregister = registerTypeScript(entry);
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

/**
 * Loads TypeScript through tsx, an optional peer of taskstack: a project whose program is
 * JavaScript needs none, and one whose program is TypeScript has it already when its Pulumi.yaml
 * says `nodeargs: --import tsx`. Returns how to undo the registration.
 */
function registerTypeScript(entry: string): () => void {
  let tsx: { register(): () => void };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tsx = require("tsx/cjs/api") as { register(): () => void };
  } catch {
    if (/\.[cm]?js$/.test(entry)) return () => undefined;
    throw new Error(
      `${entry}: taskstack plan loads a TypeScript program through tsx, which is not installed: ` +
        "run `npm install --save-dev tsx` (and give Pulumi.yaml `nodeargs: --import tsx`, so " +
        "`pulumi up` loads it the same way)",
    );
  }
  return tsx.register();
}

/** The stack file's `taskstack:environment`, which decides enforcement without a policy config. */
function environmentOf(stackDir: string, stack: string): string | undefined {
  const value = readStackFile(stackFilePath(stackDir, stack))["taskstack:environment"];
  return typeof value === "string" ? value : undefined;
}

/**
 * A live "declared N resources" line on stderr, only when stderr is a terminal: a long plan never
 * looks hung, and logs and `--json` pipes get nothing extra.
 */
function progressLine(stream: NodeJS.WriteStream): {
  update(declared: number): void;
  done(): void;
} {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const start = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(declared) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      stream.write(
        `\r\x1b[2Kplanning: ${declared} resources declared, ${((now - start) / 1000).toFixed(1)} s`,
      );
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}

/** Runs `taskstack <argv>`; resolves to the process exit code. */
export interface MainOptions {
  /** The policies to run. @default - every taskstack policy */
  readonly policies?: Policies;
}

export async function main(
  argv: readonly string[],
  cwd = process.cwd(),
  options: MainOptions = {},
): Promise<number> {
  let planFile: string | undefined;
  const progress = progressLine(process.stderr);
  try {
    const args = parseArgs(argv);
    if (args === "help") {
      console.log(usage);
      return 0;
    }
    const project = readProject(cwd);
    const stackDir = path.resolve(cwd, project.stackConfigDir ?? ".");
    const outDir = path.resolve(cwd, args.out, args.stack);
    planFile = path.join(outDir, "plan.json");
    // A plan.json from an earlier run must never pass for this one's if this one fails.
    fs.rmSync(planFile, { force: true });
    const environment = environmentOf(stackDir, args.stack);
    const plan = await runProgram(loadProgram(cwd, project), {
      stack: args.stack,
      stackDir,
      project: project.name,
      preview: args.preview,
      onProgress: (n) => progress.update(n),
    });
    progress.done();
    // The project's own policies/config (as `--policy-pack-config` would name it), else taskstack's.
    const configDir = path.join(cwd, "policies", "config");
    const report = await runPolicies(plan, {
      stack: args.stack,
      ...(environment !== undefined ? { environment } : {}),
      ...(fs.existsSync(configDir) ? { configDir } : {}),
      ...(options.policies ? { policies: options.policies } : {}),
    });

    fs.mkdirSync(outDir, { recursive: true });
    const json = JSON.stringify({ ...plan.toJSON(), policies: report }, null, 2);
    fs.writeFileSync(planFile, `${json}\n`);
    writeRabbitMqFiles(plan, outDir);
    writeManifests(plan, outDir);

    if (args.json) {
      console.log(json);
    } else {
      const mode = args.preview ? "preview" : "up";
      console.log(
        `Plan of stack ${args.stack} (offline, what \`pulumi ${mode} --stack ${args.stack}\` would ${args.preview ? "show" : "create"}):\n`,
      );
      console.log(renderTree(plan));
      console.log(`\n${renderSummary(plan)}\n`);
      console.log(formatPolicyReport(report, plan));
      console.log(`\n${renderOutputs(plan)}`);
      const registrar = renderRegistrarStep(plan, {
        stack: args.stack,
        stackFile: path.relative(cwd, stackFilePath(stackDir, args.stack)),
        preview: args.preview,
      });
      if (registrar !== "") console.log(`\n${registrar}`);
      console.log(`\nWrote ${path.relative(cwd, planFile)}`);
    }
    return report.mandatory > 0 ? 1 : 0;
  } catch (err) {
    progress.done();
    if (planFile !== undefined) fs.rmSync(planFile, { force: true });
    if (isTaskstackInputError(err)) {
      console.error(err.problems.map((p) => `error: ${p}`).join("\n"));
      return 2;
    }
    if (err instanceof PolicyRunError) {
      console.error(`error: ${err.message}`);
      return 1;
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
