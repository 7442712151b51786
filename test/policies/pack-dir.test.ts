import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { taskstackPolicies } from "../../policies/rules";
import { fixturePlan, fixtureResource, fixtureUrn, runPolicies } from "../../testing";
import type { PolicyPackConfig } from "@pulumi/policy/policy";

// The shipped pack directory (pack/: PulumiPolicy.yaml, index.js, package.json) run as the Pulumi
// CLI runs it: @pulumi/pulumi's cmd/run-policy-pack in the directory, spoken to over the analyzer
// protocol (gRPC, the proto stubs in @pulumi/pulumi/proto), as the engine does. The directory
// sits in node_modules/taskstack/ of a scratch project, as npm installs it; there, `taskstack`
// is this repository's policies loaded through tsx (the consumer check runs the packed tarball's
// compiled pack the same way). Every diagnostic must equal what the offline runner reports.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startPack } = require("../../scripts/consumer/analyzer-client.js") as {
  startPack: (dir: string) => Promise<Analyzer>;
};

interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  enforcementLevel: string;
  message: string;
  urn: string;
}
interface Response {
  diagnostics: Diagnostic[];
  notApplicable: { policyName: string; reason: string }[];
}
interface Resource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}
interface Analyzer {
  info(): Promise<{
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: { name: string; enforcementLevel: string; configSchema?: Record<string, unknown> }[];
  }>;
  configure(config: Record<string, Record<string, unknown>>): Promise<void>;
  analyze(r: Resource): Promise<Response>;
  analyzeStack(resources: Resource[]): Promise<Response>;
  stderr(): string;
  stop(): void;
}

const repo = path.join(__dirname, "..", "..");
const version = (
  JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as {
    version: string;
  }
).version;
let scratch: string;
let pack: Analyzer | undefined;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "taskstack-pack-"));
  const installed = path.join(scratch, "node_modules", "taskstack");
  fs.mkdirSync(installed, { recursive: true });
  fs.cpSync(path.join(repo, "pack"), path.join(installed, "pack"), { recursive: true });
  fs.writeFileSync(
    path.join(installed, "package.json"),
    JSON.stringify({ name: "taskstack", version, exports: { "./policies": "./policies.js" } }),
  );
  fs.writeFileSync(
    path.join(installed, "policies.js"),
    [
      `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register();`,
      `module.exports = require(${JSON.stringify(path.join(repo, "policies", "rules.ts"))});`,
    ].join("\n"),
  );
  fs.symlinkSync(
    path.join(repo, "node_modules", "@pulumi"),
    path.join(scratch, "node_modules", "@pulumi"),
  );
  pack = await startPack(path.join(installed, "pack"));
}, 180_000);

afterAll(() => {
  pack?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const topicType = "gcp:pubsub/topic:Topic";
const subType = "gcp:pubsub/subscription:Subscription";
const project = "shop-prod";
const retryPolicy = { minimumBackoff: "10s", maximumBackoff: "600s" };

function resource(type: string, name: string, props: Record<string, unknown>): Resource {
  return { type, name, urn: fixtureUrn(type, name), props };
}

/** Hand-written Pub/Sub: one dead-lettered subscription, one that expires with no dead letters. */
function stack(labels: { dlq?: Record<string, string> } = {}): Resource[] {
  return [
    resource(topicType, "orders", { name: "orders", project }),
    resource(topicType, "orders-dlq", { name: "orders-dlq", project, labels: labels.dlq ?? {} }),
    resource(subType, "orders-worker", {
      name: "orders-worker",
      project,
      topic: "projects/shop-prod/topics/orders",
      ackDeadlineSeconds: 60,
      retryPolicy,
      expirationPolicy: { ttl: "" },
      deadLetterPolicy: {
        deadLetterTopic: "projects/shop-prod/topics/orders-dlq",
        maxDeliveryAttempts: 10,
      },
    }),
    resource(subType, "orders-audit", {
      name: "orders-audit",
      project,
      topic: "projects/shop-prod/topics/orders",
      ackDeadlineSeconds: 60,
      retryPolicy,
      expirationPolicy: { ttl: "86400s" },
    }),
  ];
}

const expiration = "gcp-pubsub-subscription-disallow-expiration";
const dlqSubscription = "gcp-pubsub-topic-enforce-dead-letter-subscription";

/** The pack config as the CLI sends it: every policy, at `all`'s level unless it says otherwise. */
function configFor(config: PolicyPackConfig): Record<string, Record<string, unknown>> {
  const all = config["all"];
  return Object.fromEntries(
    taskstackPolicies.map((p) => {
      const entry = config[p.name];
      const level = typeof entry === "string" ? entry : (entry?.enforcementLevel ?? all);
      const props = typeof entry === "object" ? entry : {};
      return [p.name, { ...props, enforcementLevel: level ?? p.enforcementLevel }];
    }),
  );
}

/**
 * Analyze for each resource, then AnalyzeStack, as the engine calls them in an update. A resource
 * policy's diagnostic carries no URN over the wire; the engine gives it the analyzed resource's.
 */
async function analyzeAll(resources: Resource[]): Promise<Response> {
  const out: Response = { diagnostics: [], notApplicable: [] };
  const take = (res: Response, urn?: string): void => {
    out.diagnostics.push(...res.diagnostics.map((d) => ({ ...d, urn: d.urn || (urn ?? "") })));
    out.notApplicable.push(...res.notApplicable.filter((n) => n.reason.startsWith("exempted: ")));
  };
  for (const r of resources) take(await pack!.analyze(r), r.urn);
  take(await pack!.analyzeStack(resources));
  return out;
}

async function runner(resources: Resource[], config: PolicyPackConfig) {
  const plan = fixturePlan(resources.map((r) => fixtureResource(r.type, r.name, r.props)));
  return runPolicies(plan, {
    config,
    policies: taskstackPolicies,
    packEnforcementLevel: "mandatory",
  });
}

const key = (d: { policyName: string; urn?: string; enforcementLevel: string; message: string }) =>
  JSON.stringify([d.policyName, d.urn ?? "", d.enforcementLevel, d.message]);

describe("the shipped pack directory under the analyzer protocol", () => {
  it("GetAnalyzerInfo: the taskstack pack at the package's version, every policy with its exemptions config", async () => {
    const info = await pack!.info();
    expect([info.name, info.version, info.supportsConfig]).toEqual(["taskstack", version, true]);
    expect(info.policies.map((p) => p.name).sort()).toEqual(
      taskstackPolicies.map((p) => p.name).sort(),
    );
    const withoutExemptions = info.policies.filter(
      (p) =>
        (
          p.configSchema?.["exemptions"] as { items?: { required?: unknown } } | undefined
        )?.items?.required?.toString() !== "urn,reason",
    );
    expect(withoutExemptions.map((p) => p.name)).toEqual([]);
  });

  it("Analyze/AnalyzeStack: a compliant subscription passes, the violating ones get exactly the runner's diagnostics", async () => {
    const config: PolicyPackConfig = { all: "mandatory" };
    await pack!.configure(configFor(config));
    const resources = stack();
    const worker = resources[2]!;
    const alone = await pack!.analyze(worker);
    expect(alone.diagnostics).toEqual([]);
    const got = await analyzeAll(resources);
    const expected = await runner(resources, config);
    expect(got.diagnostics.map(key).sort()).toEqual(expected.violations.map(key).sort());
    for (const d of got.diagnostics) {
      expect([d.policyPackName, d.policyPackVersion]).toEqual(["taskstack", version]);
    }
    const blamed = got.diagnostics.map((d) => `${d.policyName} ${d.urn.split("::").pop()}`);
    expect(blamed).toContain(`${expiration} orders-audit`);
    expect(blamed).toContain(`${dlqSubscription} orders-dlq`);
    expect(blamed).not.toContain(`${expiration} orders-worker`);
  });

  it("exempts per resource and per policy: config by URN and a label, reported as not applicable with the reason", async () => {
    const config: PolicyPackConfig = {
      all: "mandatory",
      [expiration]: {
        exemptions: [{ urn: fixtureUrn(subType, "orders-audit"), reason: "Audit tail; may lapse" }],
      },
    };
    await pack!.configure(configFor(config));
    const resources = stack({
      dlq: {
        "taskstack-policy-exempt": dlqSubscription,
        "taskstack-policy-exempt-reason": "drained-by-the-replay-job",
      },
    });
    const got = await analyzeAll(resources);
    const blamed = got.diagnostics.map((d) => `${d.policyName} ${d.urn.split("::").pop()}`);
    expect(blamed).not.toContain(`${expiration} orders-audit`);
    expect(blamed).not.toContain(`${dlqSubscription} orders-dlq`);
    // An exemption for one policy leaves the resource's other findings standing.
    expect(blamed).toContain("gcp-pubsub-subscription-enable-dead-letter-policy orders-audit");
    expect(got.notApplicable).toEqual([
      { policyName: expiration, reason: "exempted: Audit tail; may lapse" },
      {
        policyName: dlqSubscription,
        reason: `exempted: drained-by-the-replay-job (${fixtureUrn(topicType, "orders-dlq")})`,
      },
    ]);
    // The pack's stderr reaches this process through a pipe, possibly after the gRPC answer.
    await vi.waitFor(() => {
      expect(pack!.stderr()).toContain(
        `taskstack policy ${expiration} on ${subType} "orders-audit": exempted: Audit tail; may lapse [config]\n`,
      );
      expect(pack!.stderr()).toContain(
        `taskstack policy ${dlqSubscription} on ${topicType} "orders-dlq": exempted: drained-by-the-replay-job [label]\n`,
      );
    });
    const expected = await runner(resources, config);
    expect(got.diagnostics.map(key).sort()).toEqual(expected.violations.map(key).sort());
    expect(expected.exempted?.map((e) => [e.policyName, e.urn, e.reason])).toEqual([
      [expiration, fixtureUrn(subType, "orders-audit"), "Audit tail; may lapse"],
      [dlqSubscription, fixtureUrn(topicType, "orders-dlq"), "drained-by-the-replay-job"],
    ]);
  });

  it("refuses an exemption without a reason: the config by the schema the CLI checks, a label by failing the run", async () => {
    const info = await pack!.info();
    const schema = info.policies.find((p) => p.name === expiration)?.configSchema;
    const validate = new Ajv({ strict: false }).compile({ type: "object", properties: schema });
    expect(validate({ exemptions: [{ urn: fixtureUrn(subType, "orders-audit") }] })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: "/exemptions/0",
      params: { missingProperty: "reason" },
    });
    expect(validate({ exemptions: [{ urn: fixtureUrn(subType, "a"), reason: "why" }] })).toBe(true);

    await pack!.configure(configFor({ all: "mandatory" }));
    const audit = stack()[3]!;
    await expect(
      pack!.analyze({
        ...audit,
        props: { ...audit.props, labels: { "taskstack-policy-exempt": expiration } },
      }),
    ).rejects.toMatchObject({
      // The analyzer's RPC error: its own line, then the error with its stack.
      details: expect.stringContaining(
        `Error validating resource with policy '${expiration}' from policy pack 'taskstack@v${version}':\nExemptionWithoutReason: label taskstack-policy-exempt names ${expiration} but taskstack-policy-exempt-reason is missing or blank: an exemption needs the reason the resource may break the policy\n`,
      ),
    });
  });
});

describe("pack/package.json", () => {
  it("is the package's version and depends on taskstack at it and on the SDKs in its peer ranges", () => {
    const read = (file: string) =>
      JSON.parse(fs.readFileSync(path.join(repo, file), "utf8")) as {
        version: string;
        main?: string;
        dependencies: Record<string, string>;
        peerDependencies: Record<string, string>;
        files: string[];
      };
    const root = read("package.json");
    const packJson = read("pack/package.json");
    expect(packJson.version).toBe(root.version);
    expect(packJson.main).toBe("index.js");
    const sdks = [
      "@pulumi/policy",
      "@pulumi/pulumi",
      "@pulumi/gcp",
      "@pulumi/aws",
      "@pulumi/kubernetes",
    ];
    expect(packJson.dependencies).toEqual({
      taskstack: root.version,
      ...Object.fromEntries(sdks.map((s) => [s, root.peerDependencies[s]])),
    });
    expect(root.files).toContain("pack/");
  });
});
