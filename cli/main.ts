import type { Policies } from "@pulumi/policy/policy";
import {
  TaskstackInputError,
  describeValue,
  isTaskstackInputError,
} from "../components/shared/errors";
import { nodeVersionNotice } from "./node-support";
import { plan } from "./plan";
import { usage, wantsHelp } from "./usage";

// The command line: arguments, help, and the plan (cli/plan.ts). `taskstack --help` is answered by
// bin/taskstack.js from cli/usage.ts alone, before the engine is loaded.

export interface PlanArgs {
  readonly stack: string;
  readonly json: boolean;
  readonly preview: boolean;
  /** Every input of every resource instead of the key settings. */
  readonly details: boolean;
  readonly out: string;
}

const options = "--json, --preview, --details, --wide, --out <dir> or --help";

function parseArgs(argv: readonly string[]): PlanArgs | "help" {
  if (wantsHelp(argv)) return "help";
  const [command, ...rest] = argv;
  if (command !== "plan") {
    throw new TaskstackInputError([
      `command: expected plan, got ${describeValue(command)}\n\n${usage}`,
    ]);
  }
  let stack: string | undefined;
  let json = false;
  let preview = false;
  let details = false;
  let out = "out";
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === "--json") json = true;
    else if (arg === "--preview") preview = true;
    else if (arg === "--details" || arg === "--wide") details = true;
    else if (arg === "--out") {
      const dir = rest[++i];
      if (dir === undefined || dir.startsWith("--")) {
        throw new TaskstackInputError([`--out: expected a directory, got ${describeValue(dir)}`]);
      }
      out = dir;
    } else if (arg.startsWith("-")) {
      throw new TaskstackInputError([`${arg}: unknown option (expected ${options})`]);
    } else if (stack === undefined) stack = arg;
    else throw new TaskstackInputError([`${arg}: expected one stack name, got a second one`]);
  }
  return { stack: stack ?? "dev", json, preview, details, out };
}

/** Runs `taskstack <argv>`; resolves to the process exit code. */
export interface MainOptions {
  /** The policies to run. @default - every taskstack policy */
  readonly policies?: Policies;
  /** Called as resources are declared, with the count so far (tests: nothing declared on bad input). */
  readonly onDeclared?: (declared: number) => void;
}

export async function main(
  argv: readonly string[],
  cwd = process.cwd(),
  options: MainOptions = {},
): Promise<number> {
  let args: PlanArgs | "help";
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!isTaskstackInputError(err)) throw err;
    console.error(err.problems.map((p) => `error: ${p}`).join("\n"));
    return 2;
  }
  if (args === "help") {
    console.log(usage);
    return 0;
  }
  return plan(args, cwd, options);
}

export { nodeVersionNotice };

if (require.main === module) {
  const notice = nodeVersionNotice(process.version);
  if (notice) console.error(notice);
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
