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

const scratch: string[] = [];

afterEach(() => {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
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
    // 19 more than before issue 15: API enablement, run.invoker bindings, the build account (and
    // no actAs binding for producers of a queue-level token); 6 for the imported queue.yaml.
    expect(text).toContain("Resources: 152 to create");
    // dev's Spanner database is deliberately unprotected (taskstack:deletionProtection: false, so
    // `pulumi destroy` tears dev down): policies/config/dev.json disables the two policies that
    // flag it, and the plan names them, so dev plans clean.
    expect(text).toContain(
      [
        `Policies: ${taskstackPolicies.length - 2} run, 0 mandatory violations, 0 advisory; 2 disabled by policies/config/dev.json`,
        "  disabled: gcp-spanner-database-enable-deletion-protection",
        "  disabled: gcp-spanner-database-enable-drop-protection",
      ].join("\n"),
    );
    // Every line fits 120 columns, and no value is cut.
    expect(text.split("\n").filter((l) => l.length > 120)).toEqual([]);
    expect(text).not.toContain("…");
    // Kubernetes objects show their key settings, not a cut JSON spec.
    expect(text).toMatch(
      /kubernetes:apps\/v1:StatefulSet\s+celery-broker-statefulset\n.*replicas: 1\n.*podManagement: Parallel\n/,
    );
    expect(text).toContain("readiness: every 10s, timeout 5s, 3 failures: tcp amqp");
    expect(text).toMatch(/shop-celery-fast-pdb\n.*maxUnavailable: 1\n/);
    // Queues: rate, attempts, backoff, token account and host.
    expect(text).toMatch(
      /partner-chunks-queue\n.*name: partner-chunks\n.*location: europe-west1\n.*rate: 1\/s, 1 concurrent\n.*attempts: 10\n.*backoff: 10s → 600s, 4 doublings\n.*token: OIDC as chunks-invoker@acme-shop-dev.iam.gserviceaccount.com\n.*audience: https:\/\/chunk-pusher-4k7mfq2xba-ew.a.run.app\n.*host: chunk-pusher-4k7mfq2xba-ew.a.run.app\n/,
    );
    // The App Engine import's notes, under each imported job (the component's `notes` input),
    // folded to the width, never cut.
    expect(text).toContain(
      [
        " +  ├─ taskstack:scheduling:CloudSchedulerJob                    stock-sync",
        `    │  │    note: schedule "every 7 minutes" kept in App Engine's format (an unsynchronized interval counts from the end`,
        "    │  │    of the previous run, which unix cron cannot express); Cloud Scheduler runs it as written",
        "    │  │    note: attempt deadline 600 s, App Engine's 10 minutes for a cron request (Cloud Scheduler's own default is",
        "    │  │    180 s); set attemptDeadlineSeconds for this job or its target to change it (at most 1800 s)",
        "    │  │    note: Cloud Scheduler does not send X-Appengine-Cron (App Engine did, with every cron request): a handler",
      ].join("\n"),
    );
    // Outputs as an indented tree.
    expect(text).toContain(
      "    queues:\n      invoice-render: projects/acme-shop-dev/locations/europe-west1/queues/invoice-render\n      order-emails: projects/acme-shop-dev/locations/europe-west1/queues/order-emails\n",
    );
    // What was written, with counts.
    expect(text).toContain(
      [
        `Wrote ${out}/dev/ (this run's files only; the previous run's were replaced):`,
        "  plan.json",
        "  manifests/  16 Kubernetes manifests",
        "  rabbitmq/celery-broker/  rabbitmq.conf, enabled_plugins, definitions.json",
      ].join("\n"),
    );
    const written = JSON.parse(fs.readFileSync(path.join(out, "dev", "plan.json"), "utf8")) as {
      stack: string;
      resources: { type: string; name: string; inputs: Record<string, unknown> }[];
      policies: { mandatory: number };
    };
    // plan.json keeps the notes where the plan printed them: the job component's inputs.
    const stockSync = written.resources.find(
      (r) => r.type === "taskstack:scheduling:CloudSchedulerJob" && r.name === "stock-sync",
    );
    expect((stockSync?.inputs["notes"] as string[]).map((n) => n.slice(0, 40))).toEqual([
      'schedule "every 7 minutes" kept in App E',
      "attempt deadline 600 s, App Engine's 10 ",
      "Cloud Scheduler does not send X-Appengin",
    ]);
    expect(written.stack).toBe("dev");
    expect(written.resources).toHaveLength(152);
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
    expect(printed.resources).toHaveLength(139); // 19 of them the static site, 12 the backup checker
  });

  it("exits 2 naming the stacks there are for an unknown stack", async () => {
    expect(await main(["plan", "qa", "--out", out], repo)).toBe(2);
    expect(stderr).toEqual([
      'error: stack: expected one of dev, docs, prod, staging (a Pulumi.<stack>.yaml in stacks), got "qa"',
    ]);
  });

  it("exits 2 on an unknown option or command", async () => {
    expect(await main(["plan", "--verbose"], repo)).toBe(2);
    expect(await main(["deploy"], repo)).toBe(2);
    expect(stderr[0]).toBe(
      "error: --verbose: unknown option (expected --json, --preview, --details, --wide, --out <dir> or --help)",
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
    expect(text).toContain(
      "    - [mandatory]  gcp-pubsub-subscription-enable-dead-letter-policy  (gcp:pubsub/subscription:Subscription: orders-fulfillment)",
    );
    // The same program in dev is advised, not blocked.
    stdout.length = 0;
    expect(await main(["plan", "dev", "--out", out], fixture)).toBe(0);
    expect(stdout.join("\n")).toContain(
      "    - [advisory]  gcp-pubsub-subscription-enable-dead-letter-policy  (gcp:pubsub/subscription:Subscription: orders-fulfillment)",
    );
  });

  it.each([
    ["mine", "dev", 0, "advisory"],
    ["qa", "staging", 1, "mandatory"],
  ])(
    "enforces by taskstack:environment without a policy config: stack %s (%s) exits %i",
    async (stack, _environment, code, level) => {
      const fixture = path.join(__dirname, "fixtures", "unguarded");
      expect(await main(["plan", stack, "--out", out], fixture)).toBe(code);
      expect(stdout.join("\n")).toContain(
        `    - [${level}]  gcp-pubsub-subscription-enable-dead-letter-policy  (gcp:pubsub/subscription:Subscription: orders-fulfillment)`,
      );
    },
  );

  /** The unguarded fixture, copied (inside the repository, so it resolves its packages) to change. */
  function scratchProject(): string {
    fs.mkdirSync(path.join(repo, "out"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(repo, "out", "cli-project-"));
    scratch.push(dir);
    fs.cpSync(path.join(__dirname, "fixtures", "unguarded"), dir, { recursive: true });
    return dir;
  }

  it("exits 2 when the policy config breaks a policy's configSchema, as the CLI refuses it", async () => {
    const project = scratchProject();
    fs.mkdirSync(path.join(project, "policies", "config"), { recursive: true });
    fs.writeFileSync(
      path.join(project, "policies", "config", "prod.json"),
      JSON.stringify({
        all: "mandatory",
        "gcp-pubsub-subscription-configure-retry-policy": { minimumBackoffSeconds: 900 },
      }),
    );
    const cwd = process.cwd();
    process.chdir(project);
    try {
      expect(await main(["plan", "prod", "--out", out], project)).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(stderr).toEqual([
      "error: policies/config/prod.json: gcp-pubsub-subscription-configure-retry-policy.minimumBackoffSeconds: expected <= 600 (the policy's configSchema), got 900",
    ]);
  });

  it("exits 1 naming the policy and its error when a policy throws", async () => {
    const fixture = path.join(__dirname, "fixtures", "unguarded");
    const code = await main(["plan", "dev", "--out", out], fixture, {
      policies: [
        {
          name: "acme-buggy",
          description: "a policy with a bug",
          enforcementLevel: "advisory",
          validateStack: () => {
            throw new TypeError("Cannot read properties of undefined (reading 'ttl')");
          },
        },
      ],
    });
    expect(code).toBe(1);
    expect(stderr).toEqual([
      "error: Error validating resource with policy 'acme-buggy' from policy pack 'taskstack@v0.1.0': Cannot read properties of undefined (reading 'ttl')",
    ]);
  });

  it("removes the previous plan.json when a run fails, so CI never takes it for this run's", async () => {
    const project = scratchProject();
    expect(await main(["plan", "dev", "--out", out], project)).toBe(0);
    const planFile = path.join(out, "dev", "plan.json");
    expect(fs.existsSync(planFile)).toBe(true);
    // A program that throws (exit 1), with its stack trace pointing at the user's file.
    const broken = scratchProject();
    fs.writeFileSync(
      path.join(broken, "index.ts"),
      'export = () => {\n  throw new Error("broken");\n};\n',
    );
    expect(await main(["plan", "dev", "--out", out], broken)).toBe(1);
    expect(fs.existsSync(planFile)).toBe(false);
    expect(stderr.join("\n")).toMatch(/^taskstack: Error: broken\n\s+at .*index\.ts:2:\d+\)/);
    // Invalid input (exit 2).
    expect(await main(["plan", "dev", "--out", out], project)).toBe(0);
    fs.writeFileSync(path.join(project, "stacks", "Pulumi.dev.yaml"), "config: [\n");
    expect(await main(["plan", "dev", "--out", out], project)).toBe(2);
    expect(fs.existsSync(planFile)).toBe(false);
  });

  it("plans as pulumi preview with --preview: computed values are [unknown]", async () => {
    const fixture = path.join(__dirname, "fixtures", "unguarded");
    expect(await main(["plan", "dev", "--preview", "--json", "--out", out], fixture)).toBe(0);
    const printed = JSON.parse(stdout.join("\n")) as {
      preview: boolean;
      resources: { name: string; inputs: Record<string, unknown> }[];
    };
    expect(printed.preview).toBe(true);
    expect(printed.resources.find((r) => r.name === "orders-fulfillment")?.inputs["topic"]).toBe(
      "[unknown]",
    );
  });

  it("prints no progress line when stderr is not a terminal", async () => {
    const fixture = path.join(__dirname, "fixtures", "unguarded");
    const write = vi.spyOn(process.stderr, "write");
    expect(await main(["plan", "dev", "--json", "--out", out], fixture)).toBe(0);
    expect(write).not.toHaveBeenCalled();
    // stdout holds the JSON alone; what was written is said on stderr.
    expect(stderr).toEqual([
      `\nWrote ${out}/dev/ (this run's files only; the previous run's were replaced):\n  plan.json`,
    ]);
  });

  it("shows a live progress line on stderr when it is a terminal, and clears it", async () => {
    const fixture = path.join(__dirname, "fixtures", "unguarded");
    const written: string[] = [];
    const tty = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
    Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true });
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await main(["plan", "dev", "--json", "--out", out], fixture)).toBe(0);
    } finally {
      if (tty) Object.defineProperty(process.stderr, "isTTY", tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    const clear = "\r\u001b[2K";
    expect(written[0]?.startsWith(clear)).toBe(true);
    expect(written[0]?.slice(clear.length)).toMatch(/^planning: 1 resources declared, \d+\.\d s$/);
    expect(written[written.length - 1]).toBe(clear);
    JSON.parse(stdout.join("\n"));
  });
});
