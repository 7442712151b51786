import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { minimumNodeMajor, nodeVersionNotice } from "../../cli/node-support";
import { usage } from "../../cli/usage";

// out/<stack>/ holds exactly one run's files: replaced only by a run that exits 0, removed by one
// that does not, and nothing of an earlier run (a renamed RabbitMQ cluster's folder) survives.

const repo = path.join(__dirname, "..", "..");
let dir: string;
let stderr: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-out-"));
  stderr = [];
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation(
    (...args: unknown[]) => void stderr.push(args.join(" ")),
  );
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A project running taskstack's own program with a copy of the dev stack file, edited. */
function project(edit: (text: string) => string = (t) => t): string {
  const root = path.join(dir, "project");
  fs.mkdirSync(path.join(root, "stacks"), { recursive: true });
  fs.writeFileSync(
    path.join(root, "Pulumi.yaml"),
    `name: taskstack\nruntime: nodejs\nmain: ${path.join(repo, "stacks", "index.ts")}\nstackConfigDir: stacks\n`,
  );
  const text = fs.readFileSync(path.join(repo, "stacks", "Pulumi.dev.yaml"), "utf8");
  fs.writeFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), edit(text));
  return root;
}

const files = (root: string): string[] =>
  (fs.readdirSync(root, { recursive: true }) as string[]).map((f) => f.replace(/\\/g, "/")).sort();

describe("out/<stack>/", () => {
  it("holds exactly this run's files: a renamed RabbitMQ cluster leaves no old folder", async () => {
    const out = path.join(dir, "out");
    expect(await main(["plan", "dev", "--out", out], project())).toBe(0);
    expect(fs.readdirSync(path.join(out, "dev", "rabbitmq"))).toEqual(["celery-broker"]);
    const renamed = project((t) => t.replace("name: celery-broker", "name: task-broker"));
    expect(await main(["plan", "dev", "--out", out], renamed)).toBe(0);
    expect(fs.readdirSync(path.join(out, "dev", "rabbitmq"))).toEqual(["task-broker"]);
    expect(files(path.join(out, "dev")).filter((f) => f.includes("celery-broker"))).toEqual([]);
    // No temporary folder is left beside it.
    expect(fs.readdirSync(out)).toEqual(["dev"]);
  });

  it("is removed, not left stale, when a run exits 2, and says so", async () => {
    const out = path.join(dir, "out");
    fs.mkdirSync(path.join(out, "dev", "manifests"), { recursive: true });
    fs.writeFileSync(path.join(out, "dev", "plan.json"), "{}\n");
    fs.writeFileSync(
      path.join(out, "dev", "manifests", "tasks.cronjob.old.yaml"),
      "kind: CronJob\n",
    );
    const bad = project((t) => t.replace("replicas: 1\n      cpu", "replicas: 2\n      cpu"));
    expect(await main(["plan", "dev", "--out", out], bad)).toBe(2);
    expect(stderr.join("\n")).toContain(
      `note: removed ${out}/dev/ (the previous run's files), as this run failed`,
    );
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("refuses to replace a folder taskstack did not write", async () => {
    const out = path.join(dir, "out");
    fs.mkdirSync(path.join(out, "dev"), { recursive: true });
    fs.writeFileSync(path.join(out, "dev", "notes.txt"), "mine\n");
    expect(await main(["plan", "dev", "--out", out], project())).toBe(2);
    expect(stderr).toEqual([
      `error: --out: expected ${out}/dev/ to be taskstack's own folder (with a plan.json) or absent, got one holding notes.txt (choose another --out)`,
    ]);
    expect(fs.readFileSync(path.join(out, "dev", "notes.txt"), "utf8")).toBe("mine\n");
  });
});

describe("taskstack --help", () => {
  it("answers from bin/taskstack.js without loading the engine", () => {
    const run = spawnSync(process.execPath, [path.join(repo, "bin", "taskstack.js"), "--help"], {
      encoding: "utf8",
      env: { ...process.env, NODE_DEBUG: "module" },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${usage}\n`);
    // NODE_DEBUG=module lists every module loaded: none of Pulumi's.
    // From the sources in a clone, from dist/ once built (as installed from npm).
    expect(run.stderr).toMatch(/cli\/usage\.[jt]s/);
    expect(run.stderr).not.toMatch(/node_modules\/@pulumi/);
    expect(run.stderr).not.toMatch(/testing\/engine/);
  });
});

describe("the Node.js version notice", () => {
  it("matches the floor @pulumi/pulumi and taskstack's package.json declare", () => {
    const pulumi = JSON.parse(
      fs.readFileSync(path.join(repo, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
    ) as { engines: { node: string } };
    const own = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as {
      engines: { node: string };
    };
    expect(pulumi.engines.node).toBe(`>=${minimumNodeMajor}`);
    expect(own.engines.node).toBe(`>=${minimumNodeMajor}`);
  });

  it.each(["v20.20.2", "v21.7.3"])("on %s says once which Node it needs and why", (version) => {
    expect(nodeVersionNotice(version)).toBe(
      `taskstack: needs Node.js 22 or newer; this is ${version}.\n  @pulumi/pulumi, which runs every plan, requires Node.js >=22 and is tested only there. Continuing; install Node.js 22 to be on solid ground.`,
    );
  });

  it.each(["v22.0.0", "v24.1.0"])("on %s says nothing", (version) => {
    expect(nodeVersionNotice(version)).toBeUndefined();
  });
});
