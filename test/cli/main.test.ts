import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { taskstackPolicies } from "../../policies/rules";

const repo = path.join(__dirname, "..", "..");
let out: string;
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-cli-"));
  stdout = [];
  stderr = [];
  vi.spyOn(console, "log").mockImplementation(
    (...args: unknown[]) => void stdout.push(args.join(" ")),
  );
  vi.spyOn(console, "error").mockImplementation(
    (...args: unknown[]) => void stderr.push(args.join(" ")),
  );
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(out, { recursive: true, force: true });
});

describe("taskstack plan", () => {
  it("prints the dev plan, passes the policies and writes plan.json", async () => {
    expect(await main(["plan", "dev", "--out", out], repo)).toBe(0);
    const text = stdout.join("\n");
    expect(text).toContain(" +  pulumi:pulumi:Stack");
    expect(text).toMatch(/├─ taskstack:messaging:PubSubTopic\s+order-events\n/);
    expect(text).toMatch(/gcp:pubsub\/subscription:Subscription\s+order-events-sub-invoicing/);
    expect(text).toContain("Resources: 126 to create");
    // dev's Spanner database is deliberately unprotected: advisory there, never mandatory.
    expect(text).toContain(
      `Policies: ${taskstackPolicies.length} run, 0 mandatory violations, 1 advisory`,
    );
    const written = JSON.parse(fs.readFileSync(path.join(out, "dev", "plan.json"), "utf8")) as {
      stack: string;
      resources: { type: string }[];
      policies: { mandatory: number };
    };
    expect(written.stack).toBe("dev");
    expect(written.resources).toHaveLength(126);
    expect(written.policies.mandatory).toBe(0);
    expect(fs.readdirSync(path.join(out, "dev", "manifests"))).toContain(
      "tasks.cronjob.nightly-report.yaml",
    );
    expect(stderr).toEqual([]);
  });

  it("prints JSON with --json", async () => {
    expect(await main(["plan", "prod", "--json", "--out", out], repo)).toBe(0);
    const printed = JSON.parse(stdout.join("\n")) as { stack: string; resources: unknown[] };
    expect(printed.stack).toBe("prod");
    expect(printed.resources).toHaveLength(111); // 16 of them the static site
  });

  it("exits 2 naming the stacks there are for an unknown stack", async () => {
    expect(await main(["plan", "qa", "--out", out], repo)).toBe(2);
    expect(stderr).toEqual([
      'error: stack: expected one of dev, prod, staging (a Pulumi.<stack>.yaml in stacks), got "qa"',
    ]);
  });

  it("exits 2 on an unknown option or command", async () => {
    expect(await main(["plan", "--verbose"], repo)).toBe(2);
    expect(await main(["deploy"], repo)).toBe(2);
    expect(stderr[0]).toBe(
      "error: --verbose: unknown option (expected --json, --out <dir> or --help)",
    );
    expect(stderr[1]).toMatch(/^error: command: expected plan, got "deploy"/);
  });

  it("exits 2 with every config problem, naming the file, and writes no plan", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-bad-"));
    fs.mkdirSync(path.join(project, "stacks"));
    fs.writeFileSync(
      path.join(project, "Pulumi.yaml"),
      `name: taskstack\nruntime: nodejs\nmain: ${path.join(repo, "stacks", "index.ts")}\nstackConfigDir: stacks\n`,
    );
    fs.writeFileSync(
      path.join(project, "stacks", "Pulumi.prod.yaml"),
      [
        "config:",
        "  taskstack:environment: prod",
        "  taskstack:gcp: { project: acme-shop-prod, region: europe-west1 }",
        "  taskstack:monitoring: { notificationChannels: [{ name: oncall, email: oncall@acme.example }] }",
        "  taskstack:messaging:",
        "    topics:",
        "      - name: orders",
        "        subscriptions: [{ name: fulfil, ackDeadlineSeconds: 5, maxDeliveryAtempts: 3 }]",
      ].join("\n"),
    );
    expect(await main(["plan", "prod", "--out", out], project)).toBe(2);
    expect(stderr).toEqual([
      [
        "error: stacks/Pulumi.prod.yaml: taskstack:messaging.topics[0].subscriptions[0].ackDeadlineSeconds: expected an integer from 10 to 600, got 5",
        "error: stacks/Pulumi.prod.yaml: taskstack:messaging.topics[0].subscriptions[0].maxDeliveryAtempts: unknown key (expected one of name, ackDeadlineSeconds, minimumBackoffSeconds, maximumBackoffSeconds, messageRetentionSeconds, retainAckedMessages, expirationTtlSeconds, filter, enableMessageOrdering, enableExactlyOnceDelivery, maxDeliveryAttempts, deadLetter, pushEndpoint, pushServiceAccountEmail, pushAudience, subscribers), got 3",
      ].join("\n"),
    ]);
    expect(fs.existsSync(path.join(out, "prod"))).toBe(false);
  });

  it("exits 2 on malformed YAML, with line and column", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-yaml-"));
    fs.mkdirSync(path.join(project, "stacks"));
    fs.writeFileSync(
      path.join(project, "Pulumi.yaml"),
      "name: x\nruntime: nodejs\nmain: index.ts\nstackConfigDir: stacks\n",
    );
    fs.writeFileSync(
      path.join(project, "stacks", "Pulumi.dev.yaml"),
      "config:\n  taskstack:environment: [dev\n",
    );
    const cwd = process.cwd();
    process.chdir(project);
    try {
      expect(await main(["plan", "dev", "--out", out], project)).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^error: stacks\/Pulumi\.dev\.yaml:3:1: invalid YAML: /);
  });

  it("exits 1 when a mandatory policy is violated, and says which", async () => {
    const fixture = path.join(__dirname, "fixtures", "unguarded");
    expect(await main(["plan", "prod", "--out", out], fixture)).toBe(1);
    const text = stdout.join("\n");
    expect(text).toMatch(/mandatory\s+gcp-pubsub-subscription-enable-dead-letter-policy/);
    // The same program in dev is advised, not blocked.
    stdout.length = 0;
    expect(await main(["plan", "dev", "--out", out], fixture)).toBe(0);
    expect(stdout.join("\n")).toMatch(
      /advisory\s+gcp-pubsub-subscription-enable-dead-letter-policy/,
    );
  });
});
