import * as fs from "node:fs";
import * as path from "node:path";
import type {
  EnforcementLevel,
  Policies,
  PolicyPackConfig,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { TaskstackInputError } from "../components/shared/errors";
import { taskstackPolicies } from "../policies/rules";
import { revealSecrets } from "./plan";
import { autoNamedTypes } from "./synthesize";
import type { PlanData, PlannedResource } from "./plan";

/** One violation, as `pulumi preview --policy-pack` would print it. */
export interface PolicyViolation {
  readonly policyName: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "remediate";
  readonly message: string;
  /** The resource in violation; absent when a stack policy blames the whole stack. */
  readonly urn?: string;
  readonly resourceType?: string;
  readonly resourceName?: string;
}

export interface PolicyReport {
  /** Sorted by policy name, then URN. */
  readonly violations: readonly PolicyViolation[];
  readonly mandatory: number;
  readonly advisory: number;
  /** Policies that were evaluated (every policy that is not disabled). */
  readonly policiesRun: number;
}

export interface RunPoliciesOptions {
  /** Stack whose `policies/config/<stack>.json` applies. @default - the plan's stack */
  readonly stack?: string;
  /** Pack config, as `--policy-pack-config` takes it. @default - `policies/config/<stack>.json` */
  readonly config?: PolicyPackConfig;
  /** @default - every taskstack policy */
  readonly policies?: Policies;
  /** The level `new PolicyPack(..., { enforcementLevel })` sets. @default "advisory" (Pulumi's) */
  readonly packEnforcementLevel?: EnforcementLevel;
}

/** Resolved from this file so it holds for the TypeScript sources and for dist/testing alike. */
const configDir = path.resolve(__dirname, "..", "policies", "config");

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (levels as readonly string[]).includes(value);
}

/** What `policies/config/<stack>.json` says, or the default: advisory for dev, mandatory elsewhere. */
export function loadPolicyConfig(stack: string): PolicyPackConfig {
  const file = path.join(configDir, `${stack}.json`);
  if (!fs.existsSync(file)) return { all: stack === "dev" ? "advisory" : "mandatory" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new TaskstackInputError([
      `${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    ]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TaskstackInputError([
      `${file}: expected an object of policy name → config, got ${JSON.stringify(parsed)}`,
    ]);
  }
  for (const [key, entry] of Object.entries(parsed)) {
    const level: unknown =
      typeof entry === "object" && entry !== null
        ? (entry as Record<string, unknown>)["enforcementLevel"]
        : entry;
    if (level !== undefined && !isLevel(level)) {
      throw new TaskstackInputError([
        `${file}: "${key}" has enforcement level ${JSON.stringify(level)}; use one of ${levels.join(", ")}`,
      ]);
    }
  }
  return parsed as PolicyPackConfig;
}

function levelOf(entry: PolicyPackConfig[string] | undefined): EnforcementLevel | undefined {
  if (entry === undefined) return undefined;
  return typeof entry === "string" ? entry : entry.enforcementLevel;
}

/** Pulumi's precedence: the policy's config entry, then `all`, then the policy, then the pack. */
export function effectiveEnforcementLevel(
  policy: { readonly name: string; readonly enforcementLevel?: EnforcementLevel },
  config: PolicyPackConfig,
  packEnforcementLevel?: EnforcementLevel,
): EnforcementLevel {
  return (
    levelOf(config[policy.name]) ??
    levelOf(config["all"]) ??
    policy.enforcementLevel ??
    packEnforcementLevel ??
    "advisory"
  );
}

/** The policy's configSchema defaults overlaid with its entry in the pack config. */
function policyConfig(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  config: PolicyPackConfig,
): object {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    const fallback: unknown = (schema as { default?: unknown }).default;
    if (fallback !== undefined) out[key] = fallback;
  }
  const entry = config[policy.name];
  if (typeof entry === "object" && entry !== null) {
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      if (key !== "enforcementLevel") out[key] = value;
    }
  }
  return out;
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "not applicable");
}

function isStackPolicy(
  policy: ResourceValidationPolicy | StackValidationPolicy,
): policy is StackValidationPolicy {
  return typeof (policy as Partial<StackValidationPolicy>).validateStack === "function";
}

/** The class check the engine does: by `__pulumiType`, else by `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: unknown; isInstance?: unknown };
  if (typeof cls.__pulumiType === "string") return cls.__pulumiType === type;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

function isAnalyzed(r: PlannedResource): boolean {
  return r.custom && r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:");
}

function optionsOf(r: PlannedResource): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [...r.ignoreChanges],
    deleteBeforeReplace: r.deleteBeforeReplace,
    aliases: [...r.aliases],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...r.additionalSecretOutputs],
    ...(r.parent !== undefined ? { parent: r.parent } : {}),
  };
}

/** Policies see plain values, as the engine hands them over, and a fresh copy each time. */
function propsOf(r: PlannedResource): Record<string, unknown> {
  const props = revealSecrets(r.inputs) as Record<string, unknown>;
  // The engine shows policies inputs after the provider's check, which fills in auto-names.
  if (
    props["name"] === undefined &&
    autoNamedTypes.has(r.type) &&
    typeof r.outputs["name"] === "string"
  ) {
    props["name"] = r.outputs["name"];
  }
  return props;
}

const emptyTags: ReadonlyMap<string, string> = new Map();

interface Run {
  readonly policy: ResourceValidationPolicy | StackValidationPolicy;
  readonly level: "advisory" | "mandatory" | "remediate";
  readonly config: object;
}

/**
 * Evaluates a policy pack against a plan offline, with the Pulumi engine's analyzer semantics:
 * resource policies on every custom resource, stack policies once over all of them, props with
 * secrets revealed, per-policy config with schema defaults, and the engine's enforcement-level
 * precedence. A policy that throws is reported as a violation so a bug never passes silently.
 */
export async function runPolicies(
  plan: PlanData,
  options: RunPoliciesOptions = {},
): Promise<PolicyReport> {
  const config = options.config ?? loadPolicyConfig(options.stack ?? plan.stack);
  const policies = options.policies ?? taskstackPolicies;
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const analyzed = plan.resources.filter(isAnalyzed);
  const violations: PolicyViolation[] = [];

  const runs: Run[] = [];
  for (const policy of policies) {
    const level = effectiveEnforcementLevel(policy, config, options.packEnforcementLevel);
    if (level === "disabled") continue;
    runs.push({ policy, level, config: policyConfig(policy, config) });
  }

  const report = (run: Run, message: string, urn: string | undefined): void => {
    const resource = urn === undefined ? undefined : byUrn.get(urn);
    violations.push({
      policyName: run.policy.name,
      // The engine reports a validation at "remediate" as mandatory: remediation did not fix it.
      enforcementLevel: run.level === "remediate" ? "mandatory" : run.level,
      message,
      ...(urn !== undefined ? { urn } : {}),
      ...(resource ? { resourceType: resource.type, resourceName: resource.name } : {}),
    });
  };

  const attempt = async (run: Run, urn: string | undefined, body: () => unknown): Promise<void> => {
    try {
      await body();
    } catch (err) {
      if (err instanceof NotApplicable) return;
      report(run, `policy threw: ${err instanceof Error ? err.message : String(err)}`, urn);
    }
  };

  const providerOf = (r: PlannedResource): PolicyProviderResource | undefined => {
    const provider = r.provider === undefined ? undefined : byUrn.get(r.provider);
    return provider
      ? { type: provider.type, props: propsOf(provider), urn: provider.urn, name: provider.name }
      : undefined;
  };

  for (const run of runs) {
    if (isStackPolicy(run.policy)) {
      const validateStack = run.policy.validateStack;
      const resources = buildStackResources(analyzed, providerOf);
      const args: StackValidationArgs = {
        resources,
        stackTags: emptyTags,
        getConfig: <T extends object>() => run.config as T,
        notApplicable,
      };
      await attempt(run, undefined, () =>
        validateStack(args, (message, urn) => report(run, message, urn)),
      );
      continue;
    }
    const validations = run.policy.validateResource;
    if (validations === undefined) continue;
    for (const resource of analyzed) {
      for (const validate of Array.isArray(validations) ? validations : [validations]) {
        const props = propsOf(resource);
        const provider = providerOf(resource);
        const args: ResourceValidationArgs = {
          type: resource.type,
          props,
          urn: resource.urn,
          name: resource.name,
          opts: optionsOf(resource),
          ...(provider ? { provider } : {}),
          stackTags: emptyTags,
          isType: (cls) => isTypeOf(resource.type, cls),
          asType: ((cls: unknown) =>
            isTypeOf(resource.type, cls) ? props : undefined) as ResourceValidationArgs["asType"],
          getConfig: <T extends object>() => run.config as T,
          notApplicable,
        };
        // As in the engine, a resource policy always blames the resource it was given.
        await attempt(run, resource.urn, () =>
          validate(args, (message) => report(run, message, resource.urn)),
        );
      }
    }
  }

  violations.sort(
    (a, b) => compareText(a.policyName, b.policyName) || compareText(a.urn ?? "", b.urn ?? ""),
  );
  return {
    violations,
    mandatory: violations.filter((v) => v.enforcementLevel !== "advisory").length,
    advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
    policiesRun: runs.length,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stack policy resources, with parent and dependencies linked as the engine links them. */
function buildStackResources(
  analyzed: readonly PlannedResource[],
  providerOf: (r: PlannedResource) => PolicyProviderResource | undefined,
): PolicyResource[] {
  const built = new Map<string, PolicyResource>();
  for (const r of analyzed) {
    const props = propsOf(r);
    const provider = providerOf(r);
    built.set(r.urn, {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      ...(provider ? { provider } : {}),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) =>
        isTypeOf(r.type, cls) ? props : undefined) as PolicyResource["asType"],
    });
  }
  for (const r of analyzed) {
    const resource = built.get(r.urn);
    if (!resource) continue;
    const parent = r.parent === undefined ? undefined : built.get(r.parent);
    if (parent) resource.parent = parent;
    resource.dependencies = r.dependsOn.flatMap((urn) => {
      const dep = built.get(urn);
      return dep ? [dep] : [];
    });
  }
  return [...built.values()];
}

/**
 * The report as text: one line per violation (level, policy, resource, message), then a summary
 * such as `Policies: 5 run, 1 mandatory violation, 0 advisory`.
 */
export function formatPolicyReport(report: PolicyReport): string {
  const lines = report.violations.map((v) => {
    const where =
      v.resourceType !== undefined
        ? `${v.resourceType} ${v.resourceName ?? ""}`
        : (v.urn ?? "stack");
    return `${v.enforcementLevel.padEnd(9)}  ${v.policyName}  ${where}: ${v.message}`;
  });
  const noun = report.mandatory === 1 ? "violation" : "violations";
  lines.push(
    `Policies: ${report.policiesRun} run, ${report.mandatory} mandatory ${noun}, ${report.advisory} advisory`,
  );
  return lines.join("\n");
}
