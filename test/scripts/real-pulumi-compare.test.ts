import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  classify,
  defaultProviderDiffs,
  destroyRefusalProblems,
  exportSide,
  manifestDiffs,
  normalize,
  previewSide,
  readManifests,
  realVerdicts,
  resourceDiffs,
  verdictDiffs,
} from "../../scripts/real-pulumi/compare";

const stackUrn = "urn:pulumi:dev::taskstack::pulumi:pulumi:Stack::taskstack-dev";
const topicUrn = "urn:pulumi:dev::taskstack::gcp:pubsub/topic:Topic::t";
const secret = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  ciphertext: "x",
};

describe("real-pulumi compare", () => {
  it("holds the real engine's default providers against those the offline plan names", () => {
    const gcpDefault = "urn:pulumi:dev::taskstack::pulumi:providers:gcp::default_9_37_0";
    const real = exportSide({
      deployment: {
        resources: [
          { urn: gcpDefault, type: "pulumi:providers:gcp", inputs: {} },
          { urn: topicUrn, type: "gcp:pubsub/topic:Topic", inputs: {} },
        ],
      },
    });
    const planNaming = (defaultProvider: string) => ({
      resources: [{ urn: topicUrn, type: "gcp:pubsub/topic:Topic", inputs: {}, defaultProvider }],
      policies: { violations: [] },
    });
    expect(defaultProviderDiffs(real, planNaming(gcpDefault))).toEqual([]);
    const older = "urn:pulumi:dev::taskstack::pulumi:providers:gcp::default_9_36_0";
    expect(defaultProviderDiffs(real, planNaming(older))).toEqual([
      { kind: "default-provider-unnamed", urn: gcpDefault },
      { kind: "default-provider-missing", urn: older },
    ]);
  });

  it("puts the engine's unknowns and secrets in the offline plan's form", () => {
    expect(normalize({ a: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", b: [secret], c: "v" })).toEqual({
      a: "[unknown]",
      b: ["[secret]"],
      c: "v",
    });
  });

  it("puts the engine's assets and archives in the offline plan's form, without the archive's hash", () => {
    const sig = "4dabf18193072939515e22adb298388d";
    expect(
      normalize({
        source: {
          [sig]: "0def7320c3a5731c473e5ecbe6d01bc7",
          hash: "tar-hash",
          assets: {
            "index.js": { [sig]: "c44067f5952c0a294b673a41bacd8c17", text: "x", hash: "h" },
            "a.json": { [sig]: "c44067f5952c0a294b673a41bacd8c17", path: "a.json" },
          },
        },
      }),
    ).toEqual({
      source: {
        __pulumiArchive: true,
        assets: {
          "index.js": { __pulumiAsset: true, text: "x", hash: "h" },
          "a.json": { __pulumiAsset: true, path: "a.json" },
        },
      },
    });
  });

  it("lists resources on one side only, and input, type and parent differences by path", () => {
    const real = previewSide({
      steps: [
        {
          op: "create",
          urn: topicUrn,
          newState: {
            type: "gcp:pubsub/topic:Topic",
            parent: stackUrn,
            inputs: { name: "t-1", labels: { a: "1" } },
          },
        },
        {
          op: "create",
          urn: "urn:pulumi:dev::taskstack::pulumi:providers:gcp::default_9_37_0",
          newState: { type: "pulumi:providers:gcp", inputs: {} },
        },
      ],
    });
    const offline = exportSide({
      deployment: {
        resources: [
          {
            urn: topicUrn,
            type: "gcp:pubsub/topic:Topic",
            parent: stackUrn,
            inputs: { labels: { a: "2" } },
          },
          { urn: stackUrn, type: "pulumi:pulumi:Stack", inputs: {} },
        ],
      },
    });
    const diffs = resourceDiffs(real, offline);
    expect(diffs).toEqual([
      { kind: "input", urn: topicUrn, path: "labels.a", real: "1", offline: "2" },
      { kind: "input", urn: topicUrn, path: "name", real: "t-1", offline: undefined },
      { kind: "only-real", urn: "urn:pulumi:dev::taskstack::pulumi:providers:gcp::default_9_37_0" },
      { kind: "only-offline", urn: stackUrn },
    ]);
    const { known, unexplained } = classify(diffs);
    expect(known.map((k) => k.known)).toEqual(["default-providers"]);
    expect(unexplained).toHaveLength(3);
  });

  it("matches verdicts by policy, resource and level, and the analyzer's description-prefixed message", () => {
    const log = [
      JSON.stringify({
        policyEvent: {
          policyName: "p",
          resourceUrn: topicUrn,
          enforcementLevel: "warning",
          // The engine ends each event's message with a newline (pkg/engine/events.go).
          message: "Description.\nbad topic\n",
        },
      }),
      JSON.stringify({
        policyEvent: { policyName: "q", enforcementLevel: "mandatory", message: "stack-wide\n" },
      }),
      JSON.stringify({ summaryEvent: {} }),
    ].join("\n");
    const real = realVerdicts(log);
    expect(real).toEqual([
      { policyName: "p", urn: topicUrn, level: "advisory", message: "Description.\nbad topic" },
      { policyName: "q", urn: "", level: "mandatory", message: "stack-wide" },
    ]);
    expect(
      verdictDiffs(real, [
        { policyName: "p", urn: topicUrn, level: "advisory", message: "bad topic" },
        { policyName: "r", urn: topicUrn, level: "advisory", message: "only offline" },
      ]),
    ).toEqual([
      { kind: "verdict-only-real", urn: "", path: "q", real: "mandatory: stack-wide" },
      { kind: "verdict-only-offline", urn: topicUrn, path: "r", offline: "advisory: only offline" },
    ]);
  });

  it("compares rendered manifests as objects, Secret values as [secret]", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compare-"));
    fs.mkdirSync(path.join(dir, "1-manifests"));
    fs.writeFileSync(
      path.join(dir, "1-manifests", "v1-secret-shop-s.yaml"),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: shop\nstringData:\n  password: hunter2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n',
    );
    const real = readManifests(dir);
    const offline = new Map<string, Record<string, unknown>>([
      [
        "v1/Secret/shop/s",
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "s", namespace: "shop" },
          stringData: { password: "[secret]" },
        },
      ],
      [
        "v1/ConfigMap//c",
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "2" } },
      ],
    ]);
    expect(manifestDiffs(real, offline)).toEqual([
      { kind: "manifest", urn: "v1/ConfigMap//c", path: "data.a", real: "1", offline: "2" },
    ]);
    fs.rmSync(dir, { recursive: true });
  });

  it("holds a destroy with protected resources to the engine's refusal on those only", () => {
    const p = "urn:pulumi:prod::taskstack::gcp:pubsub/topic:Topic::kept";
    const u = "urn:pulumi:prod::taskstack::gcp:pubsub/topic:Topic::gone";
    const refusal = (urn: string) =>
      `  error: resource "${urn}" cannot be deleted\n    because it is protected. To unprotect\n`;
    const before = [
      { urn: p, protect: true },
      { urn: u, protect: false },
    ];
    expect(destroyRefusalProblems(before, [{ urn: p }], refusal(p), 255)).toEqual([]);
    expect(destroyRefusalProblems(before, [], refusal(p), 0)).toEqual([
      "pulumi destroy exited 0 with protected resources",
      `a protected resource was deleted: ${p}`,
    ]);
    expect(
      destroyRefusalProblems(before, [{ urn: p }, { urn: u }], `${refusal(u)}  error: boom\n`, 255),
    ).toEqual([`refused an unprotected resource: ${u}`, "another error: error: boom"]);
  });
});
