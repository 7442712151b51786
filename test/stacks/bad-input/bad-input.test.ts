import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../cli/main";
import { sections } from "./cases";
import type { BadInput } from "./cases";

// The bad-input corpus: every realistic mistake in cases.ts, run through `taskstack plan` as a user
// runs it (a project whose stack file has the mistake, the previous run's files in out/), must end
// with exit 2, exactly the messages in expected.json on stderr, nothing declared, and no files of
// any run left in out/<stack>/. BAD_INPUT_RECORD=1 rewrites expected.json from what the CLI says
// (then read every changed line before committing it).

const repo = path.join(__dirname, "..", "..", "..");
const expectedFile = path.join(__dirname, "expected.json");
const record = process.env["BAD_INPUT_RECORD"] === "1";
const expected = JSON.parse(fs.readFileSync(expectedFile, "utf8")) as Record<
  string,
  Record<string, string[]>
>;
const recorded: Record<string, Record<string, string[]>> = {};

let project: string;
const cwd = process.cwd();

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-bad-input-"));
  fs.mkdirSync(path.join(project, "stacks"));
  fs.writeFileSync(
    path.join(project, "Pulumi.yaml"),
    `name: taskstack\nruntime: nodejs\nmain: ${path.join(repo, "stacks", "index.ts")}\nstackConfigDir: stacks\n`,
  );
  // The dev stack imports stacks/legacy/cron.yaml, found from where the CLI runs.
  fs.cpSync(path.join(repo, "stacks", "legacy"), path.join(project, "stacks", "legacy"), {
    recursive: true,
  });
  process.chdir(project);
});

afterAll(() => {
  process.chdir(cwd);
  fs.rmSync(project, { recursive: true, force: true });
  if (record) fs.writeFileSync(expectedFile, `${JSON.stringify(recorded, null, 2)}\n`);
});

function writeStackFile(c: BadInput): void {
  let text = fs.readFileSync(path.join(repo, "stacks", `Pulumi.${c.stack}.yaml`), "utf8");
  for (const [from, to] of c.edits) {
    // An edit that no longer matches the shipped file would test nothing.
    expect(text.split(from).length - 1, `"${from}" in Pulumi.${c.stack}.yaml`).toBe(1);
    text = text.replace(from, to);
  }
  for (const f of fs.readdirSync(path.join(project, "stacks"))) {
    if (f.endsWith(".yaml")) fs.rmSync(path.join(project, "stacks", f));
  }
  fs.writeFileSync(path.join(project, "stacks", `Pulumi.${c.stack}.yaml`), text);
}

describe.each(Object.entries(sections))("bad input: %s", (section, cases) => {
  it("has at least 10 realistic mistakes", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((c) => [c.title, c] as const))("%s", async (title, c) => {
    writeStackFile(c);
    // The previous run's files, which must not survive a failed run.
    const out = path.join(project, "out", c.stack);
    fs.mkdirSync(path.join(out, "manifests"), { recursive: true });
    fs.writeFileSync(path.join(out, "plan.json"), "{}\n");
    fs.writeFileSync(path.join(out, "manifests", "tasks.cronjob.old.yaml"), "kind: CronJob\n");
    const stderr: string[] = [];
    const stdout: string[] = [];
    vi.spyOn(console, "error").mockImplementation(
      (...a: unknown[]) => void stderr.push(a.join(" ")),
    );
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void stdout.push(a.join(" ")));
    let declared = 0;
    let code: number;
    try {
      code = await main(["plan", c.stack, "--out", "out"], project, {
        onDeclared: (n) => (declared = Math.max(declared, n)),
      });
    } finally {
      vi.restoreAllMocks();
    }
    const lines = stderr.join("\n").split("\n");
    (recorded[section] ??= {})[title] = lines;
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(lines).toEqual(record ? lines : expected[section]?.[title]);
    // Nothing declared: at most the stack itself, before the config was read.
    expect(declared).toBeLessThanOrEqual(1);
    // No run's files: neither the previous run's nor a partial folder of this one.
    expect(fs.readdirSync(path.join(project, "out"))).toEqual([]);
  });
});
