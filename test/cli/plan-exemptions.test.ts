import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { taskstackPolicies } from "../../policies/rules";

// `taskstack plan` with per-resource exemptions in the project's policies/config/<stack>.json:
// the exempted finding leaves the violations for its own section, and a missing reason is
// invalid config (exit 2, nothing written).

const repo = path.join(__dirname, "..", "..");
const dlq = "gcp-pubsub-subscription-enable-dead-letter-policy";
const retry = "gcp-pubsub-subscription-configure-retry-policy";
const subscription =
  "urn:pulumi:prod::unguarded::gcp:pubsub/subscription:Subscription::orders-fulfillment";
let out: string;
let project: string;
let stdout: string[];
let stderr: string[];
let cwd: string;

beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-cli-"));
  // Inside the repository, so the program resolves its packages.
  fs.mkdirSync(path.join(repo, "out"), { recursive: true });
  project = fs.mkdtempSync(path.join(repo, "out", "cli-exemptions-"));
  fs.cpSync(path.join(__dirname, "fixtures", "unguarded"), project, { recursive: true });
  fs.mkdirSync(path.join(project, "policies", "config"), { recursive: true });
  stdout = [];
  stderr = [];
  vi.spyOn(console, "log").mockImplementation(
    (...args: unknown[]) => void stdout.push(args.join(" ")),
  );
  vi.spyOn(console, "error").mockImplementation(
    (...args: unknown[]) => void stderr.push(args.join(" ")),
  );
  cwd = process.cwd();
  process.chdir(project);
});

afterEach(() => {
  process.chdir(cwd);
  vi.restoreAllMocks();
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(project, { recursive: true, force: true });
});

function writeConfig(config: unknown): void {
  fs.writeFileSync(path.join(project, "policies", "config", "prod.json"), JSON.stringify(config));
}

describe("taskstack plan with exemptions", () => {
  it("reports an exempted resource as exempted, and still blocks on the policies it is not exempt from", async () => {
    writeConfig({
      all: "mandatory",
      [dlq]: {
        exemptions: [
          { urn: subscription, reason: "Fulfilment replays from the order log; no dead letters" },
        ],
      },
    });
    expect(await main(["plan", "prod", "--out", out], project)).toBe(1);
    const text = stdout.join("\n");
    expect(text).toContain(
      `    - [mandatory]  ${retry}  (gcp:pubsub/subscription:Subscription: orders-fulfillment)`,
    );
    expect(text).not.toContain(`[mandatory]  ${dlq}`);
    expect(text).toContain(
      `\nPolicies: ${taskstackPolicies.length} run, 1 mandatory violation, 0 advisory, 1 exempted\n`,
    );
  });

  it("reports each exemption with its reason, passes, and writes them to plan.json", async () => {
    writeConfig({
      all: "mandatory",
      [dlq]: {
        exemptions: [
          { urn: subscription, reason: "Fulfilment replays from the order log; no dead letters" },
        ],
      },
      [retry]: { exemptions: [{ urn: subscription, reason: "Retries paced by the worker" }] },
    });
    expect(await main(["plan", "prod", "--out", out], project)).toBe(0);
    const lines = stdout.join("\n").split("\n");
    const at = lines.indexOf(
      "  Exempted (2): each resource's own exemption from the policy; not findings.",
    );
    expect(at).toBeGreaterThan(-1);
    expect(lines.slice(at + 1, at + 6)).toEqual([
      `    - ${retry}  (gcp:pubsub/subscription:Subscription: orders-fulfillment)`,
      "      exempted: Retries paced by the worker [policy config]",
      `    - ${dlq}  (gcp:pubsub/subscription:Subscription: orders-fulfillment)`,
      "      exempted: Fulfilment replays from the order log; no dead letters [policy config]",
      `Policies: ${taskstackPolicies.length} run, 0 mandatory violations, 0 advisory, 2 exempted`,
    ]);
    const written = JSON.parse(fs.readFileSync(path.join(out, "prod", "plan.json"), "utf8")) as {
      policies: { exempted: unknown[] };
    };
    expect(written.policies.exempted).toEqual([
      expect.objectContaining({ policyName: retry, reason: "Retries paced by the worker" }),
      {
        policyName: dlq,
        urn: subscription,
        resourceType: "gcp:pubsub/subscription:Subscription",
        resourceName: "orders-fulfillment",
        reason: "Fulfilment replays from the order log; no dead letters",
        source: "config",
        messages: [expect.stringContaining("deadLetterPolicy")],
      },
    ]);
  });

  it("exits 2 on an exemption without a reason, naming the file and path, and writes nothing", async () => {
    writeConfig({ all: "mandatory", [dlq]: { exemptions: [{ urn: subscription }] } });
    expect(await main(["plan", "prod", "--out", out], project)).toBe(2);
    expect(stderr).toEqual([
      `error: policies/config/prod.json: ${dlq}.exemptions[0].reason: expected the reason this resource may break the policy (an exemption without one is refused), got nothing`,
    ]);
    expect(fs.existsSync(path.join(out, "prod"))).toBe(false);
  });
});
