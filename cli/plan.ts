import * as fs from "node:fs";
import * as path from "node:path";
import { TaskstackInputError, isTaskstackInputError } from "../components/shared/errors";
import { runProgram } from "../testing/engine";
import type { Program } from "../testing/engine";
import { PolicyRunError, runPolicies } from "../testing/policy-runner";
import { readProjectFile, readStackFile, stackFilePath } from "../testing/stack-file";
import type { ProjectFile } from "../testing/stack-file";
import type { MainOptions, PlanArgs } from "./main";
import { writeManifests } from "./manifests";
import { claimOutDir } from "./out-dir";
import type { OutDir } from "./out-dir";
import { writeRabbitMqFiles } from "./rabbitmq-files";
import { renderPlan, renderWritten } from "./render";

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

/** A path as the user would name it: relative to where they run, unless it lies elsewhere. */
function shownPath(cwd: string, target: string): string {
  const relative = path.relative(cwd, target);
  return relative && !relative.startsWith("..") ? relative : target;
}

/** taskstack's own policy configs, which apply when the project has none. */
const ownConfigDir = path.join(__dirname, "..", "policies", "config");

/** The policies a `<stack>.json` policy config disables, to name them under the report. */
function disabledBy(
  file: string,
  cwd: string,
): { policyConfig?: string; disabled?: readonly string[] } {
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return {};
  }
  if (typeof config !== "object" || config === null) return {};
  const disabled = Object.entries(config)
    .filter(
      ([name, v]) =>
        name !== "all" &&
        (v === "disabled" ||
          (typeof v === "object" &&
            v !== null &&
            (v as { enforcementLevel?: unknown }).enforcementLevel === "disabled")),
    )
    .map(([name]) => name);
  return disabled.length > 0 ? { policyConfig: shownPath(cwd, file), disabled } : {};
}

/** `taskstack plan`: runs the stack offline, prints the plan, writes `<out>/<stack>/`. */
export async function plan(args: PlanArgs, cwd: string, options: MainOptions): Promise<number> {
  let out: OutDir | undefined;
  let code: number;
  const progress = progressLine(process.stderr);
  try {
    const project = readProject(cwd);
    const stackDir = path.resolve(cwd, project.stackConfigDir ?? ".");
    const outRoot = path.resolve(cwd, args.out);
    out = claimOutDir(outRoot, args.stack, `${shownPath(cwd, path.join(outRoot, args.stack))}/`);
    const environment = environmentOf(stackDir, args.stack);
    const planned = await runProgram(loadProgram(cwd, project), {
      stack: args.stack,
      stackDir,
      project: project.name,
      preview: args.preview,
      onProgress: (n) => {
        progress.update(n);
        options.onDeclared?.(n);
      },
    });
    progress.done();
    // The project's own policies/config (as `--policy-pack-config` would name it), else taskstack's.
    const configDir = path.join(cwd, "policies", "config");
    const report = await runPolicies(planned, {
      stack: args.stack,
      ...(environment !== undefined ? { environment } : {}),
      ...(fs.existsSync(configDir) ? { configDir } : {}),
      ...(options.policies ? { policies: options.policies } : {}),
    });

    const json = JSON.stringify({ ...planned.toJSON(), policies: report }, null, 2);
    fs.writeFileSync(path.join(out.staging, "plan.json"), `${json}\n`);
    const rabbitmq = writeRabbitMqFiles(planned, out.staging);
    const manifests = writeManifests(planned, out.staging);
    code = report.mandatory > 0 ? 1 : 0;
    const target = `${shownPath(cwd, out.target)}/`;
    const written = {
      target,
      manifests: manifests.length,
      rabbitmq: rabbitmq.map((f) => path.relative(out?.staging ?? "", f)),
    };
    if (args.json) {
      console.log(json);
    } else {
      console.log(
        renderPlan(planned, report, {
          details: args.details,
          stackFile: shownPath(cwd, stackFilePath(stackDir, args.stack)),
          ...disabledBy(
            path.join(fs.existsSync(configDir) ? configDir : ownConfigDir, `${args.stack}.json`),
            cwd,
          ),
        }),
      );
    }
    // With --json, stdout holds the JSON alone; what was written goes to stderr.
    const say = args.json ? console.error : console.log;
    if (code === 0) {
      out.commit();
      say(`\n${renderWritten(written)}`);
    } else {
      const had = out.discard();
      say(
        `\nWrote no files: a mandatory policy was violated${had ? ` (removed ${target}, the previous run's files)` : ""}.`,
      );
    }
    return code;
  } catch (err) {
    progress.done();
    const had = out?.discard() ?? false;
    const removed = had
      ? [
          `note: removed ${shownPath(cwd, out?.target ?? "")}/ (the previous run's files), as this run failed`,
        ]
      : [];
    if (isTaskstackInputError(err)) {
      console.error([...err.problems.map((p) => `error: ${p}`), ...removed].join("\n"));
      return 2;
    }
    if (err instanceof PolicyRunError) {
      console.error([`error: ${err.message}`, ...removed].join("\n"));
      return 1;
    }
    console.error(
      [
        `taskstack: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        ...removed,
      ].join("\n"),
    );
    return 1;
  }
}
