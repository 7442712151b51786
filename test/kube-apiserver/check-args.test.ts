import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

// Bad arguments are refused before any server starts (or any build), with exit 2.
const script = path.join(__dirname, "..", "..", "scripts", "kube-apiserver-check.sh");
const check = (...args: string[]) => spawnSync("bash", [script, ...args], { encoding: "utf8" });

describe("kube-apiserver-check arguments", () => {
  it("refuses no folder", () => {
    const run = check();
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "kube-apiserver-check: expected at least one folder of manifests, got none. usage: scripts/kube-apiserver-check.sh [--report FILE] DIR...\n",
    );
  });

  it("refuses a folder that does not exist", () => {
    const run = check("/nonexistent/manifests");
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "kube-apiserver-check: /nonexistent/manifests: expected a folder of YAML manifests, found no folder\n",
    );
  });

  it("refuses a folder with no YAML file: nothing judged is never a pass", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-kube-empty-"));
    fs.writeFileSync(path.join(dir, "config.json"), "{}\n");
    const run = check(dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `kube-apiserver-check: ${dir}: expected YAML manifests (*.yaml, *.yml), found none\n`,
    );
  });

  it("refuses an unknown option", () => {
    const run = check("--dry", "out");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "kube-apiserver-check: --dry: unknown option (expected --report FILE)",
    );
  });
});

// scripts/kube-apiserver-up.sh refuses a stack it cannot apply before any tool is built or started.
const upScript = path.join(__dirname, "..", "..", "scripts", "kube-apiserver-up.sh");
const stacksDir = path.join(__dirname, "..", "..", "stacks");
const kubeUp = (...args: string[]) => spawnSync("bash", [upScript, ...args], { encoding: "utf8" });

describe("kube-apiserver-up arguments", () => {
  it("refuses a stack with no stack file, naming the stacks there are", () => {
    const run = kubeUp("qa");
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "kube-apiserver-up: STACK: expected one of dev, docs, prod, staging, got 'qa'\n",
    );
  });

  it("refuses a stack without a Kubernetes section", () => {
    const run = kubeUp("docs");
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `kube-apiserver-up: ${stacksDir}/Pulumi.docs.yaml: expected a taskstack:kubernetes section, found none\n`,
    );
  });
});
