import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// scripts/kube-apiserver-check.sh before a real API server: it must fail on each object the server
// refuses or warns about, print the server's own message for it, and pass the ones it accepts.
// Each refused fixture holds the server's message in an `# expect:` line.
const root = path.join(__dirname, "..", "..");
const fixtures = path.join(__dirname, "fixtures");
const script = path.join(root, "scripts", "kube-apiserver-check.sh");

interface Verdict {
  readonly file: string;
  readonly ok: boolean;
  readonly message: string;
}

const yamlFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => path.join(dir, f))
    .sort();

describe("kube-apiserver-check against a real Kubernetes API server", () => {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-kube-")), "report");
  const run = spawnSync(
    "bash",
    [script, "--report", report, path.join(fixtures, "accepted"), path.join(fixtures, "refused")],
    { encoding: "utf8", timeout: 3_000_000 },
  );
  const verdicts = new Map<string, Verdict>(
    (fs.existsSync(report) ? fs.readFileSync(report, "utf8") : "")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Verdict)
      .map((v) => [v.file, v]),
  );

  it("exits 1 and judges every file", () => {
    expect(run.stderr + run.stdout).toMatch(/Kubernetes v1\.\d+\.\d+ ready/);
    expect(run.status).toBe(1);
    expect([...verdicts.keys()].sort()).toEqual([
      ...yamlFiles(path.join(fixtures, "accepted")),
      ...yamlFiles(path.join(fixtures, "refused")),
    ]);
  });

  it.each(yamlFiles(path.join(fixtures, "accepted")).map((f) => [path.basename(f), f]))(
    "accepts %s without a warning",
    (_name, file) => {
      expect(verdicts.get(file)).toMatchObject({ ok: true });
      expect(verdicts.get(file)?.message).not.toMatch(/warning/i);
      expect(run.stdout).toContain(`ok       ${file}: `);
    },
  );

  it.each(yamlFiles(path.join(fixtures, "refused")).map((f) => [path.basename(f), f]))(
    "fails on %s with the server's message",
    (_name, file) => {
      const expected = [...fs.readFileSync(file, "utf8").matchAll(/^# expect: (.*)$/gm)].map(
        (m) => m[1] as string,
      );
      expect(expected.length).toBeGreaterThan(0);
      const verdict = verdicts.get(file);
      expect(verdict?.ok).toBe(false);
      for (const message of expected) {
        expect(verdict?.message).toContain(message);
        expect(run.stdout).toContain(message);
      }
      expect(run.stdout).toContain(`REFUSED  ${file}:`);
    },
  );
});
