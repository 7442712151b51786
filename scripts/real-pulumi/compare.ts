// Holds the real Pulumi engine's results against taskstack's offline plan, for
// scripts/real-pulumi.sh. Every difference is listed in <out>/<step>-differences.json and printed;
// the run fails on any that `knownDifferences` below does not name and explain.
//
//   tsx scripts/real-pulumi/compare.ts preview   OUT OFFLINE_PLAN   (OUT/preview.json, OUT/preview-events.jsonl)
//   tsx scripts/real-pulumi/compare.ts export    OUT OFFLINE_PLAN   (OUT/export.json)
//   tsx scripts/real-pulumi/compare.ts manifests OUT OFFLINE_MANIFESTS_DIR RENDERED_DIR
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";

/** One way the real engine and the offline plan part. */
export interface Difference {
  readonly kind:
    | "only-real"
    | "only-offline"
    | "type"
    | "parent"
    | "input"
    | "verdict-only-real"
    | "verdict-only-offline"
    | "verdict-message"
    | "manifest-only-real"
    | "manifest-only-offline"
    | "manifest"
    | "default-provider-unnamed"
    | "default-provider-missing";
  readonly urn: string;
  readonly path?: string;
  readonly real?: unknown;
  readonly offline?: unknown;
}

/** A difference the real engine is known to show, and why it is not the offline engine's to fix. */
export interface KnownDifference {
  readonly id: string;
  readonly why: string;
  readonly matches: (d: Difference) => boolean;
}

const typeOf = (urn: string): string => {
  const types = urn.split("::")[2] ?? "";
  return types.split("$").pop() ?? "";
};

export const knownDifferences: readonly KnownDifference[] = [
  {
    id: "default-providers",
    why:
      "the real engine registers a default provider resource per package and version " +
      "(pulumi:providers:gcp::default_9_37_0 ...); the offline engine runs under the SDK's mocks, " +
      "where no default provider is registered, and records the explicit ones only",
    matches: (d) =>
      d.kind === "only-real" &&
      typeOf(d.urn).startsWith("pulumi:providers:") &&
      (d.urn.split("::").pop() ?? "").startsWith("default"),
  },
  {
    id: "render-yaml-config",
    why:
      "CI sets kubernetes:renderYamlToDirectory on the stack so the real Kubernetes provider " +
      "writes YAML instead of calling a cluster; the offline plan has no such config",
    matches: (d) =>
      d.kind === "input" &&
      typeOf(d.urn) === "pulumi:providers:kubernetes" &&
      d.path === "renderYamlToDirectory",
  },
];

const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const assetSig = "c44067f5952c0a294b673a41bacd8c17";
const archiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";

/**
 * Both sides' values in one form: unknowns `[unknown]`, secrets `[secret]`, assets and archives
 * as the offline plan records them (testing/engine.ts): `{ __pulumiAsset, text, hash }`,
 * `{ __pulumiArchive, assets }`. The archive's own hash (the engine's SHA-256 of its tar
 * serialization) is left out: the assets it is computed from are compared.
 */
export function normalize(value: unknown): unknown {
  if (value === unknownSentinel) return "[unknown]";
  if (Array.isArray(value)) return value.map(normalize);
  if (!isRecord(value)) return value;
  if (value[sigKey] === secretSig) return "[secret]";
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(
      keys.filter((k) => value[k] !== undefined).map((k) => [k, normalize(value[k])]),
    );
  if (value[sigKey] === assetSig)
    return { __pulumiAsset: true, ...pick(["path", "uri", "text", "hash"]) };
  if (value[sigKey] === archiveSig)
    return { __pulumiArchive: true, ...pick(["path", "uri", "assets"]) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
  return out;
}

/** Paths (`a.b[0].c`) where two normalized values differ. */
export function valueDiffs(
  real: unknown,
  offline: unknown,
  at = "",
): { path: string; real: unknown; offline: unknown }[] {
  if (isRecord(real) && isRecord(offline)) {
    const keys = [...new Set([...Object.keys(real), ...Object.keys(offline)])].sort();
    return keys.flatMap((k) => valueDiffs(real[k], offline[k], at ? `${at}.${k}` : k));
  }
  if (Array.isArray(real) && Array.isArray(offline) && real.length === offline.length) {
    return real.flatMap((v, i) => valueDiffs(v, offline[i], `${at}[${i}]`));
  }
  return JSON.stringify(real) === JSON.stringify(offline) ? [] : [{ path: at, real, offline }];
}

/** The resources of one side, by URN: type, parent and inputs. */
export interface Side {
  readonly resources: Map<string, { type: string; parent?: string; inputs: unknown }>;
}

/** Resource-by-resource differences between the real engine's and the offline plan's resources. */
export function resourceDiffs(real: Side, offline: Side): Difference[] {
  const out: Difference[] = [];
  for (const [urn, r] of real.resources) {
    const o = offline.resources.get(urn);
    if (!o) {
      out.push({ kind: "only-real", urn });
      continue;
    }
    if (r.type !== o.type) out.push({ kind: "type", urn, real: r.type, offline: o.type });
    if ((r.parent ?? "") !== (o.parent ?? ""))
      out.push({ kind: "parent", urn, real: r.parent, offline: o.parent });
    for (const d of valueDiffs(r.inputs, o.inputs)) out.push({ kind: "input", urn, ...d });
  }
  for (const urn of offline.resources.keys()) {
    if (!real.resources.has(urn)) out.push({ kind: "only-offline", urn });
  }
  return out;
}

export interface OfflinePlan {
  readonly resources: {
    urn: string;
    type: string;
    parent?: string;
    inputs: unknown;
    checkedInputs?: unknown;
    defaultProvider?: string;
  }[];
  readonly policies: {
    violations: { policyName: string; enforcementLevel: string; message: string; urn?: string }[];
  };
}

/** The offline plan's resources as one side, from its plan.json form. */
export function offlineSide(plan: OfflinePlan): Side {
  return {
    resources: new Map(
      plan.resources.map((r) => [
        r.urn,
        // The engine records the inputs after the provider's Check; the plan keeps them beside
        // the program's where Check changes them.
        { type: r.type, parent: r.parent, inputs: normalize(r.checkedInputs ?? r.inputs) },
      ]),
    ),
  };
}

interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly newState?: { type: string; parent?: string; inputs?: unknown };
}

/** `pulumi preview --json`'s steps as one side (what each resource would be after the step). */
export function previewSide(preview: { steps?: PreviewStep[] }): Side {
  const resources: Side["resources"] = new Map();
  for (const step of preview.steps ?? []) {
    if (!step.newState) continue;
    resources.set(step.urn, {
      type: step.newState.type,
      parent: step.newState.parent,
      inputs: normalize(step.newState.inputs ?? {}),
    });
  }
  return { resources };
}

/** `pulumi stack export`'s resources as one side. */
export function exportSide(exported: {
  deployment: { resources?: { urn: string; type: string; parent?: string; inputs?: unknown }[] };
}): Side {
  return {
    resources: new Map(
      (exported.deployment.resources ?? []).map((r) => [
        r.urn,
        { type: r.type, parent: r.parent, inputs: normalize(r.inputs ?? {}) },
      ]),
    ),
  };
}

/** One policy verdict: which policy, on what, at what level, saying what. */
export interface Verdict {
  readonly policyName: string;
  readonly urn: string;
  readonly level: string;
  readonly message: string;
}

/** The analyzer's verdicts from the CLI's engine event log (`--event-log`). */
export function realVerdicts(eventLog: string): Verdict[] {
  const out: Verdict[] = [];
  for (const line of eventLog.split("\n")) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as {
      policyEvent?: {
        policyName: string;
        resourceUrn?: string;
        enforcementLevel: string;
        message: string;
      };
    };
    const p = event.policyEvent;
    if (!p) continue;
    out.push({
      policyName: p.policyName,
      urn: p.resourceUrn ?? "",
      level: p.enforcementLevel === "warning" ? "advisory" : p.enforcementLevel,
      // The engine ends every policy event's message with a newline of its own
      // (pulumi/pulumi pkg/engine/events.go, policyViolationEvent); the analyzer's is before it.
      message: p.message.replace(/\n$/, ""),
    });
  }
  return out;
}

export function offlineVerdicts(plan: OfflinePlan): Verdict[] {
  return plan.policies.violations.map((v) => ({
    policyName: v.policyName,
    urn: v.urn ?? "",
    level: v.enforcementLevel,
    message: v.message,
  }));
}

/** Verdict differences: each side's verdicts by policy, resource and level, then by message. */
export function verdictDiffs(real: Verdict[], offline: Verdict[]): Difference[] {
  const key = (v: Verdict) => `${v.policyName}|${v.urn}|${v.level}`;
  const out: Difference[] = [];
  const offlineByKey = new Map<string, Verdict[]>();
  for (const v of offline) offlineByKey.set(key(v), [...(offlineByKey.get(key(v)) ?? []), v]);
  for (const v of real) {
    const candidates = offlineByKey.get(key(v)) ?? [];
    // The analyzer's message is the policy's description, a newline, then the policy's message.
    const i = candidates.findIndex(
      (o) => v.message === o.message || v.message.endsWith(`\n${o.message}`),
    );
    if (i >= 0) {
      candidates.splice(i, 1);
      continue;
    }
    if (candidates.length > 0) {
      const o = candidates.shift()!;
      out.push({
        kind: "verdict-message",
        urn: v.urn,
        path: v.policyName,
        real: v.message,
        offline: o.message,
      });
      continue;
    }
    out.push({
      kind: "verdict-only-real",
      urn: v.urn,
      path: v.policyName,
      real: `${v.level}: ${v.message}`,
    });
  }
  for (const rest of offlineByKey.values()) {
    for (const o of rest) {
      out.push({
        kind: "verdict-only-offline",
        urn: o.urn,
        path: o.policyName,
        offline: `${o.level}: ${o.message}`,
      });
    }
  }
  return out;
}

/** Kubernetes objects of a directory of YAML files, by `apiVersion/kind/namespace/name`. */
export function readManifests(dir: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.ya?ml$/.test(entry.name)) {
        for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
          const obj: unknown = doc.toJS();
          if (!isRecord(obj)) continue;
          const md = isRecord(obj["metadata"]) ? obj["metadata"] : {};
          out.set(
            `${String(obj["apiVersion"])}/${String(obj["kind"])}/${String(md["namespace"] ?? "")}/${String(md["name"] ?? "")}`,
            obj,
          );
        }
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/**
 * A rendered object with a Secret's values as `[secret]`: the offline writer never writes them
 * (its `data` holds base64 of `[secret]`); the provider renders them in the clear, base64-encoded.
 */
export function comparableManifest(obj: Record<string, unknown>): Record<string, unknown> {
  if (obj["kind"] !== "Secret") return obj;
  const out = { ...obj };
  for (const key of ["data", "stringData"]) {
    const values = out[key];
    if (isRecord(values))
      out[key] = Object.fromEntries(Object.keys(values).map((k) => [k, "[secret]"]));
  }
  return out;
}

export function manifestDiffs(
  real: Map<string, Record<string, unknown>>,
  offline: Map<string, Record<string, unknown>>,
): Difference[] {
  const out: Difference[] = [];
  for (const [id, obj] of real) {
    const o = offline.get(id);
    if (!o) out.push({ kind: "manifest-only-real", urn: id });
    else
      for (const d of valueDiffs(comparableManifest(obj), comparableManifest(o)))
        out.push({ kind: "manifest", urn: id, ...d });
  }
  for (const id of offline.keys())
    if (!real.has(id)) out.push({ kind: "manifest-only-offline", urn: id });
  return out;
}

/**
 * `pulumi destroy` of a stack with protected resources: it must fail, refuse only protected
 * resources (the engine's "cannot be deleted because it is protected"), report no other error, and
 * leave every protected resource in the state. Returns the problems; none means the refusal held.
 */
export function destroyRefusalProblems(
  before: readonly { urn: string; protect?: boolean }[],
  after: readonly { urn: string }[],
  log: string,
  exitCode: number,
): string[] {
  const problems: string[] = [];
  const protectedUrns = new Set(before.filter((r) => r.protect).map((r) => r.urn));
  const left = new Set(after.map((r) => r.urn));
  if (exitCode === 0) problems.push("pulumi destroy exited 0 with protected resources");
  const refused = new Set(
    [...log.matchAll(/resource "([^"]+)" cannot be deleted\s+because it is protected/g)].map(
      (m) => m[1]!,
    ),
  );
  if (refused.size === 0) problems.push("no refusal naming a protected resource in the log");
  for (const urn of refused)
    if (!protectedUrns.has(urn)) problems.push(`refused an unprotected resource: ${urn}`);
  for (const urn of protectedUrns)
    if (!left.has(urn)) problems.push(`a protected resource was deleted: ${urn}`);
  const otherErrors = log
    .split("\n")
    .filter((l) => /^\s*error: /.test(l) && !/cannot be deleted$|because it is protected/.test(l))
    .filter((l) => !/^\s*error: update failed|^\s*error: destroy failed/.test(l));
  for (const l of otherErrors.slice(0, 5)) problems.push(`another error: ${l.trim()}`);
  return problems;
}

/** Splits differences into known (with the reason) and unexplained. */
export function classify(diffs: Difference[]): {
  known: (Difference & { known: string })[];
  unexplained: Difference[];
} {
  const known: (Difference & { known: string })[] = [];
  const unexplained: Difference[] = [];
  for (const d of diffs) {
    const k = knownDifferences.find((kd) => kd.matches(d));
    if (k) known.push({ ...d, known: k.id });
    else unexplained.push(d);
  }
  return { known, unexplained };
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/**
 * The default providers the real engine registered against those the offline plan names for its
 * resources (`defaultProvider`): the same URNs, package and version, on both sides. Their own
 * records stay a known difference (the offline engine registers none).
 */
export function defaultProviderDiffs(real: Side, plan: OfflinePlan): Difference[] {
  const named = new Set(
    plan.resources.flatMap((r) => (r.defaultProvider ? [r.defaultProvider] : [])),
  );
  const registered = [...real.resources]
    .filter(
      ([urn, r]) =>
        r.type.startsWith("pulumi:providers:") &&
        (urn.split("::").pop() ?? "").startsWith("default"),
    )
    .map(([urn]) => urn);
  return [
    ...registered
      .filter((urn) => !named.has(urn))
      .map((urn) => ({ kind: "default-provider-unnamed" as const, urn })),
    ...[...named]
      .filter((urn) => !registered.includes(urn))
      .map((urn) => ({ kind: "default-provider-missing" as const, urn })),
  ];
}

function report(out: string, step: string, diffs: Difference[], what: string): number {
  const { known, unexplained } = classify(diffs);
  fs.writeFileSync(
    path.join(out, `${step}-differences.json`),
    `${JSON.stringify({ unexplained, known }, null, 2)}\n`,
  );
  for (const d of unexplained.slice(0, 40)) {
    console.log(
      `  DIFFERENCE ${d.kind} ${d.urn}${d.path ? ` ${d.path}` : ""}: real ${JSON.stringify(d.real)} offline ${JSON.stringify(d.offline)}`,
    );
  }
  if (unexplained.length > 40)
    console.log(`  ... ${unexplained.length - 40} more in ${step}-differences.json`);
  const knownIds = [...new Set(known.map((k) => k.known))];
  console.log(
    `${step}: ${unexplained.length === 0 ? "PASS" : "FAIL"}: ${what}; ${unexplained.length} unexplained difference(s), ${known.length} known (${knownIds.join(", ") || "none"})`,
  );
  return unexplained.length === 0 ? 0 : 1;
}

function main(argv: string[]): number {
  const [step, out, a, b] = argv;
  if (step === "preview" && out && a) {
    const plan = readJson<OfflinePlan>(a);
    const real = previewSide(readJson(path.join(out, "preview.json")));
    const verdictsReal = realVerdicts(
      fs.readFileSync(path.join(out, "preview-events.jsonl"), "utf8"),
    );
    const verdictsOffline = offlineVerdicts(plan);
    const diffs = [
      ...resourceDiffs(real, offlineSide(plan)),
      ...verdictDiffs(verdictsReal, verdictsOffline),
    ];
    return report(
      out,
      "preview",
      diffs,
      `${real.resources.size} resources and ${verdictsReal.length} policy verdicts (offline: ${plan.resources.length} and ${verdictsOffline.length})`,
    );
  }
  if (step === "export" && out && a) {
    const plan = readJson<OfflinePlan>(a);
    const real = exportSide(readJson(path.join(out, "export.json")));
    return report(
      out,
      "export",
      [...resourceDiffs(real, offlineSide(plan)), ...defaultProviderDiffs(real, plan)],
      `${real.resources.size} resources in the state (offline plan: ${plan.resources.length})`,
    );
  }
  if (step === "manifests" && out && a && b) {
    const offline = readManifests(a);
    const real = readManifests(b);
    return report(
      out,
      "manifests",
      manifestDiffs(real, offline),
      `${real.size} rendered objects (offline: ${offline.size})`,
    );
  }
  if (step === "destroy" && out && a && b) {
    type State = { deployment: { resources?: { urn: string; protect?: boolean }[] } };
    const before = readJson<State>(path.join(out, "export.json")).deployment.resources ?? [];
    const after = readJson<State>(path.join(out, "after-destroy.json")).deployment.resources ?? [];
    const problems = destroyRefusalProblems(before, after, fs.readFileSync(a, "utf8"), Number(b));
    for (const p of problems) console.log(`  ${p}`);
    const count = before.filter((r) => r.protect).length;
    console.log(
      problems.length === 0
        ? `destroy: PASS: refused on protected resources only; all ${count} protected resource(s) kept, ${before.length - after.length} other(s) deleted`
        : `destroy: FAIL: ${problems.length} problem(s) with the refusal on ${count} protected resource(s)`,
    );
    return problems.length === 0 ? 0 : 1;
  }
  process.stderr.write(
    "usage: compare.ts preview|export OUT OFFLINE_PLAN | manifests OUT OFFLINE_DIR RENDERED_DIR | destroy OUT LOG EXIT_CODE\n",
  );
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
