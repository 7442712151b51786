import * as fs from "node:fs";
import * as path from "node:path";
// Types from @pulumi/policy's `policy` module: its index.d.ts re-exports a name proxy.d.ts lacks
// (TS2305 in a consumer's tsc without skipLibCheck), and these declarations reach our .d.ts.
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
} from "@pulumi/policy/policy";
import Ajv from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import { TaskstackInputError, describeValue } from "../components/shared/errors";
import {
  exemptionConfigProblems,
  exemptionHook,
  exemptionMarker,
  exemptKey,
  missingReasonMessage,
  withExemption,
} from "../policies/shared/exemptions";
import type { ExemptionRecord, ExemptionSource } from "../policies/shared/exemptions";
import { isUnknownValue, revealSecrets } from "./plan";
import { autoNamedTypes } from "./synthesize";
import type { PlanData, PlannedResource } from "./plan";

/** One violation, as `pulumi preview --policy-pack` would print it. */
export interface PolicyViolation {
  readonly policyName: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "remediate";
  /** The policy's description. */
  readonly description: string;
  /** As the analyzer sends it to the CLI: the description, a newline, the policy's own message. */
  readonly message: string;
  /** The resource in violation; absent when a stack policy blames the whole stack. */
  readonly urn?: string;
  readonly resourceType?: string;
  readonly resourceName?: string;
}

/** A finding an exemption kept out of the violations, with the exemption's reason. */
export interface PolicyExemptionReport {
  readonly policyName: string;
  readonly urn: string;
  readonly resourceType?: string;
  readonly resourceName?: string;
  readonly reason: string;
  /** Where the exemption is written: the pack config, or a label, tag or annotation. */
  readonly source: ExemptionSource;
  /** The policy's messages the exemption kept from being reported. */
  readonly messages: readonly string[];
}

export interface PolicyReport {
  /** Sorted by policy name, then URN. */
  readonly violations: readonly PolicyViolation[];
  /** Findings exempted per resource, sorted by policy name, then URN. Absent when none. */
  readonly exempted?: readonly PolicyExemptionReport[];
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
  /** @default - taskstack's policies for each cloud whose SDK is installed */
  readonly policies?: Policies;
  /** The level `new PolicyPack(..., { enforcementLevel })` sets. @default "advisory" (Pulumi's) */
  readonly packEnforcementLevel?: EnforcementLevel;
  /**
   * The stack's `taskstack:environment`: without a `policies/config/<stack>.json`, policies are
   * advisory in dev and mandatory elsewhere. @default - the stack name decides (dev or not)
   */
  readonly environment?: string;
  /**
   * Where `<stack>.json` policy configs live. @default - `policies/config` under the working
   * directory: the project's own, as the CLI resolves `--policy-pack-config` paths; taskstack's
   * shipped configs never apply to another project's stacks
   */
  readonly configDir?: string;
  /** Names the config in error messages. @default - the config file's path */
  readonly configSource?: string;
  /** The pack's name and version, as messages name them. @default "taskstack", "0.1.0" */
  readonly packName?: string;
  readonly packVersion?: string;
}

/**
 * taskstack's policies for the clouds whose SDK the project has, loaded on the first run: so
 * `taskstack/testing` costs a Google-Cloud-only project no AWS or Kubernetes SDK, and a project
 * that never runs policies needs no `@pulumi/policy`.
 */
async function installedPolicies(): Promise<Policies> {
  const has = (module: string): boolean => {
    try {
      require.resolve(module);
      return true;
    } catch {
      return false;
    }
  };
  if (!has("@pulumi/policy")) {
    throw new Error(
      "runPolicies needs @pulumi/policy, which is not installed: run `npm install --save-dev @pulumi/policy`",
    );
  }
  const gcpModule = has("@pulumi/gcp")
    ? await loadPack<{ gcpPolicies: Policies }>("gcp")
    : undefined;
  const kubernetesModule = has("@pulumi/kubernetes")
    ? await loadPack<{ kubernetesPolicies: Policies }>("kubernetes")
    : undefined;
  const awsModule = has("@pulumi/aws")
    ? await loadPack<{ awsPolicies: Policies }>("aws")
    : undefined;
  return [
    ...(gcpModule?.gcpPolicies ?? []),
    ...(kubernetesModule?.kubernetesPolicies ?? []),
    ...(awsModule?.awsPolicies ?? []),
  ];
}

/**
 * One of the pack's per-cloud modules. `require` where the process loads our modules that way
 * (compiled JavaScript, or the CLI's TypeScript through tsx's CommonJS hook, which an `import()`
 * would bypass); `import()` where only that is transformed (vitest).
 */
async function loadPack<T>(cloud: "gcp" | "kubernetes" | "aws"): Promise<T> {
  const specifier = `../policies/${cloud}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(specifier) as T;
  } catch (err) {
    const missing = (err as { code?: unknown }).code === "MODULE_NOT_FOUND";
    if (!missing || !String((err as Error).message).includes(`'${specifier}'`)) throw err;
  }
  return (await import(`${specifier}/index.js`)) as T;
}

/** The project's own `policies/config`, resolved when a run starts. */
function defaultConfigDir(): string {
  return path.resolve(process.cwd(), "policies", "config");
}

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (levels as readonly string[]).includes(value);
}

/**
 * What `policies/config/<stack>.json` says, or the default: advisory in dev, mandatory elsewhere,
 * by the stack's `environment` when given, else by its name.
 */
export function loadPolicyConfig(
  stack: string,
  environment?: string,
  dir: string = defaultConfigDir(),
): PolicyPackConfig {
  return loadPolicyConfigFile(stack, environment, dir).config;
}

function loadPolicyConfigFile(
  stack: string,
  environment: string | undefined,
  dir: string,
): { readonly config: PolicyPackConfig; readonly file?: string } {
  const file = path.join(dir, `${stack}.json`);
  if (!fs.existsSync(file)) {
    return { config: { all: (environment ?? stack) === "dev" ? "advisory" : "mandatory" } };
  }
  const shown = path.relative(process.cwd(), file) || file;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new TaskstackInputError([
      `${shown}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    ]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TaskstackInputError([
      `${shown}: expected an object of policy name → config, got ${JSON.stringify(parsed)}`,
    ]);
  }
  for (const [key, entry] of Object.entries(parsed)) {
    const level: unknown =
      typeof entry === "object" && entry !== null
        ? (entry as Record<string, unknown>)["enforcementLevel"]
        : entry;
    if (level !== undefined && !isLevel(level)) {
      throw new TaskstackInputError([
        `${shown}: "${key}" has enforcement level ${JSON.stringify(level)}; use one of ${levels.join(", ")}`,
      ]);
    }
  }
  return { config: parsed as PolicyPackConfig, file: shown };
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

/**
 * What `args.notApplicable()` throws. Not an Error: policies throw it for most resources they
 * see, and capturing a stack trace each time made it the runner's largest cost at scale.
 */
class NotApplicable {
  constructor(readonly reason: string) {}
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "not applicable");
}

/** The type a `validateResourceOfType`/`validateStackResourcesOfType` function is for, if any. */
function pulumiTypeOf(fn: unknown): string | undefined {
  const type = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof type === "string" ? type : undefined;
}

/**
 * What the analyzer's unknown-checking proxy throws when a policy reads a preview's unknown: its
 * `UnknownValueError`, with the same message, `props` (the path read) and sentinel (the engine's
 * unknown string, `pulumi.runtime.unknownValue`).
 */
class UnknownDuringPreview extends Error {
  readonly unknownTypeSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  constructor(readonly props: readonly string[]) {
    super(`string value at .${props.join(".")} can't be known during preview`);
  }
}

/**
 * A policy threw: the analyzer turns that into an RPC error and the Pulumi CLI fails the run, so
 * `runPolicies` rejects with this (the `taskstack plan` CLI exits 1 with its message).
 */
export class PolicyRunError extends Error {
  constructor(
    readonly policyName: string,
    readonly cause: unknown,
    packName: string,
    packVersion: string,
  ) {
    super(
      `Error validating resource with policy '${policyName}' from policy pack '${packName}@v${packVersion}': ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = "PolicyRunError";
  }
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

/** Resource policies see inputs after the provider's check, which fills in auto-names. */
function inputsOf(r: PlannedResource): Record<string, unknown> {
  // The analyzer sees the inputs after the provider's Check (pulumi/pulumi
  // pkg/resource/deploy/step_generator.go: Check, then the AnalyzerResource of those inputs).
  const props = revealSecrets(r.checkedInputs ?? r.inputs) as Record<string, unknown>;
  if (
    props["name"] === undefined &&
    autoNamedTypes.has(r.type) &&
    typeof r.outputs["name"] === "string"
  ) {
    props["name"] = r.outputs["name"];
  }
  return props;
}

/**
 * As the analyzer's `unknownCheckingProxy`: reading a value only known after `up` throws, and the
 * runner turns that into the "can't run policy during preview" advisory.
 */
function unknownChecking<T>(value: T, path: readonly string[] = []): T {
  if (typeof value !== "object" || value === null) return value;
  return new Proxy(value as object, {
    get(target, prop, receiver) {
      const field: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop === "symbol") return field;
      const at = [...path, prop];
      if (isUnknownValue(field)) {
        throw new UnknownDuringPreview(at);
      }
      const desc = Object.getOwnPropertyDescriptor(target, prop);
      if (desc && "value" in desc && desc.configurable === false && desc.writable === false) {
        return field;
      }
      return unknownChecking(field, at);
    },
  }) as T;
}

const emptyTags: ReadonlyMap<string, string> = new Map();

/** The object form of reportViolation (@pulumi/policy's ReportViolationArgs). */
interface ViolationArgs {
  readonly message: string;
  readonly urn?: string;
  readonly name?: string;
  readonly description?: string;
  readonly enforcementLevel?: EnforcementLevel;
}

interface Run {
  readonly policy: ResourceValidationPolicy | StackValidationPolicy;
  readonly level: "advisory" | "mandatory" | "remediate";
  readonly config: object;
  /** Made once per policy, not per resource. */
  readonly getConfig: <T extends object>() => T;
}

/**
 * Evaluates a policy pack against a plan offline, as the Pulumi engine and @pulumi/policy's
 * analyzer do: resource policies on every resource (inputs), stack policies once over every
 * resource (outputs, parents, dependencies and property dependencies linked), secrets revealed,
 * policy config checked against each policy's `configSchema` (with its defaults), the engine's
 * enforcement-level precedence, and violation messages prefixed with the policy's description.
 * A policy that throws rejects the run with `PolicyRunError`; one that reads a value unknown during
 * a preview gets the analyzer's advisory instead. Work is linear in the resources: each resource's
 * policy view is built once, and every stack policy gets the same array (so an index built over
 * it, as `stackIndex` does, is built once per run).
 */
export async function runPolicies(
  plan: PlanData,
  options: RunPoliciesOptions = {},
): Promise<PolicyReport> {
  const stack = options.stack ?? plan.stack;
  const loaded =
    options.config === undefined
      ? loadPolicyConfigFile(stack, options.environment, options.configDir ?? defaultConfigDir())
      : undefined;
  const config = options.config ?? loaded?.config ?? {};
  const source = options.configSource ?? loaded?.file ?? "policy pack config";
  // Every policy honours per-resource exemptions (taskstack's come so already; a project's own
  // get the same wrapper here, and `withExemptions` from taskstack/policies for the real pack).
  const policies = (options.policies ?? (await installedPolicies())).map((p) => withExemption(p));
  const packName = options.packName ?? "taskstack";
  const packVersion = options.packVersion ?? "0.1.0";
  const preview = plan.preview === true;
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const violations: PolicyViolation[] = [];

  const problems: string[] = [];
  const runs: Run[] = [];
  for (const policy of policies) {
    const exemptionProblems = exemptionConfigProblems(policy.name, config[policy.name], source);
    if (exemptionProblems.length > 0) {
      problems.push(...exemptionProblems);
      continue;
    }
    const checked = checkPolicyConfig(policy, config, source);
    if (typeof checked === "string") {
      problems.push(...checked.split("\n"));
      continue;
    }
    const level = effectiveEnforcementLevel(policy, config, options.packEnforcementLevel);
    if (level === "disabled") continue;
    runs.push({ policy, level, config: checked, getConfig: <T extends object>() => checked as T });
  }
  problems.push(...markerProblems(plan.resources, new Set(policies.map((p) => p.name))));
  if (problems.length > 0) throw new TaskstackInputError(problems);

  const exempted: PolicyExemptionReport[] = [];
  const hookFor =
    (run: Run) =>
    (record: ExemptionRecord): void => {
      const resource = byUrn.get(record.urn);
      exempted.push({
        policyName: run.policy.name,
        urn: record.urn,
        ...(resource ? { resourceType: resource.type, resourceName: resource.name } : {}),
        reason: record.reason,
        source: record.source,
        messages: record.messages,
      });
    };

  // A stack policy's violation that names no resource of the stack is the root stack's, as the
  // engine attributes it (pulumi/pulumi pkg/resource/deploy: resolveStackPolicyViolationURN).
  const rootStackUrn =
    plan.resources.find((r) => r.type === "pulumi:pulumi:Stack" && r.parent === undefined)?.urn ??
    `urn:pulumi:${plan.stack}::${plan.project}::pulumi:pulumi:Stack::${plan.project}-${plan.stack}`;
  const stackViolationUrn = (urn: string | undefined): string =>
    urn !== undefined && byUrn.has(urn) ? urn : rootStackUrn;

  const report = (run: Run, message: string | ViolationArgs, at: string | undefined): void => {
    // The analyzer's reportViolation also takes an object (@pulumi/policy 1.20+, server.ts
    // makeReportViolationFun): its message as is, its own URN, level, name and description.
    const args = typeof message === "object" ? message : undefined;
    const urn = args ? args.urn : at;
    const resource = urn === undefined ? undefined : byUrn.get(urn);
    const description = args?.description || run.policy.description;
    const level = args?.enforcementLevel || run.level;
    if (level === "disabled") return;
    violations.push({
      policyName: args?.name || run.policy.name,
      // The engine reports a validation at "remediate" as mandatory: remediation did not fix it.
      enforcementLevel: level === "remediate" ? "mandatory" : level,
      description,
      // The analyzer's reportViolation: the description, then the policy's own message.
      message: args
        ? args.message || description
        : message
          ? `${description}\n${message}`
          : description,
      ...(urn !== undefined ? { urn } : {}),
      ...(resource ? { resourceType: resource.type, resourceName: resource.name } : {}),
    });
  };

  const attempt = async (run: Run, urn: string | undefined, body: () => unknown): Promise<void> => {
    try {
      await body();
    } catch (err) {
      if (err instanceof NotApplicable) return;
      if (err instanceof UnknownDuringPreview) {
        violations.push({
          policyName: run.policy.name,
          enforcementLevel: "advisory",
          description: run.policy.description,
          message: `can't run policy '${run.policy.name}' from policy pack '${packName}@v${packVersion}' during preview: ${err.message}`,
          ...(urn !== undefined ? { urn } : {}),
          ...(urn !== undefined && byUrn.get(urn)
            ? { resourceType: byUrn.get(urn)?.type, resourceName: byUrn.get(urn)?.name }
            : {}),
        } as PolicyViolation);
        return;
      }
      throw new PolicyRunError(run.policy.name, err, packName, packVersion);
    }
  };

  // Built once per run, shared by every policy: the analyzer's per-resource view.
  const providers = new Map<string, PolicyProviderResource>();
  const providerOf = (r: PlannedResource): PolicyProviderResource | undefined => {
    if (r.provider === undefined) return r.custom ? defaultProvider(r) : undefined;
    const cached = providers.get(r.provider);
    if (cached) return cached;
    const provider = byUrn.get(r.provider);
    if (!provider) return undefined;
    const built = {
      type: provider.type,
      props: inputsOf(provider),
      urn: provider.urn,
      name: provider.name,
    };
    providers.set(r.provider, built);
    return built;
  };
  // A resource without an explicit provider gets its package's default provider, whose inputs
  // are the stack's config for that package (`aws:region` → `region`), as the engine gives them.
  const defaultProvider = (r: PlannedResource): PolicyProviderResource | undefined => {
    const pkg = r.type.split(":")[0] ?? "";
    if (pkg === "pulumi" || pkg === "") return undefined;
    const urn =
      r.defaultProvider ??
      `urn:pulumi:${plan.stack}::${plan.project}::pulumi:providers:${pkg}::default`;
    const cached = providers.get(urn);
    if (cached) return cached;
    const built = {
      type: `pulumi:providers:${pkg}`,
      props: { ...(plan.providerConfig?.[pkg] ?? {}) },
      urn,
      name: urn.split("::").pop() ?? "default",
    };
    providers.set(urn, built);
    return built;
  };
  const guard = <T>(value: T): T => (preview ? unknownChecking(value) : value);

  let stackResources: PolicyResource[] | undefined;
  let types: Set<string> | undefined;
  for (const run of runs) {
    if (isStackPolicy(run.policy)) {
      const validateStack = run.policy.validateStack;
      // The analyzer's fast path: a policy for one type does not run on a stack without that type.
      const only = pulumiTypeOf(validateStack);
      types ??= new Set(plan.resources.map((r) => r.type));
      if (only !== undefined && !types.has(only)) continue;
      stackResources ??= buildStackResources(plan.resources, providerOf, guard);
      const args: StackValidationArgs = {
        resources: stackResources,
        stackTags: emptyTags,
        getConfig: run.getConfig,
        notApplicable,
        [exemptionHook]: hookFor(run),
      } as StackValidationArgs;
      await attempt(run, rootStackUrn, () =>
        validateStack(args, (message, urn) => report(run, message, stackViolationUrn(urn))),
      );
    }
  }

  const resourceRuns = runs.filter(
    (run): run is Run & { policy: ResourceValidationPolicy } =>
      !isStackPolicy(run.policy) && run.policy.validateResource !== undefined,
  );
  for (const resource of plan.resources) {
    if (resourceRuns.length === 0) break;
    // The analyzer's fast path: a single validation for another type is not applicable.
    const applicable = resourceRuns.filter((run) => {
      const validate = run.policy.validateResource;
      const only = Array.isArray(validate) ? undefined : pulumiTypeOf(validate);
      return only === undefined || only === resource.type;
    });
    if (applicable.length === 0) continue;
    const props = guard(inputsOf(resource));
    const provider = providerOf(resource);
    const opts = optionsOf(resource);
    const isType = (cls: unknown): boolean => isTypeOf(resource.type, cls);
    const asType = ((cls: unknown) =>
      isTypeOf(resource.type, cls) ? props : undefined) as ResourceValidationArgs["asType"];
    for (const run of applicable) {
      const validations = run.policy.validateResource ?? [];
      for (const validate of Array.isArray(validations) ? validations : [validations]) {
        const args: ResourceValidationArgs = {
          type: resource.type,
          props,
          urn: resource.urn,
          name: resource.name,
          opts,
          ...(provider ? { provider } : {}),
          stackTags: emptyTags,
          isType,
          asType,
          getConfig: run.getConfig,
          notApplicable,
          [exemptionHook]: hookFor(run),
        } as ResourceValidationArgs;
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
  exempted.sort((a, b) => compareText(a.policyName, b.policyName) || compareText(a.urn, b.urn));
  return {
    violations,
    ...(exempted.length > 0 ? { exempted } : {}),
    mandatory: violations.filter((v) => v.enforcementLevel !== "advisory").length,
    advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
    policiesRun: runs.length,
  };
}

/**
 * Exemption markers written on resources (labels, tags, annotations) that cannot take effect: one
 * without a reason, or naming no policy of the pack (a typo would otherwise exempt nothing, quietly).
 */
function markerProblems(
  resources: readonly PlannedResource[],
  names: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const r of resources) {
    const marker = exemptionMarker(revealSecrets(r.inputs) as Record<string, unknown>);
    if (marker === undefined) continue;
    const at = `${r.type} "${r.name}" (${r.urn})`;
    if (marker.policies.length === 0) {
      problems.push(
        `${at}: ${marker.source} ${exemptKey}: expected the names of the policies it is exempt from, got none`,
      );
    }
    for (const name of marker.policies) {
      if (!names.has(name)) {
        problems.push(
          `${at}: ${marker.source} ${exemptKey}: expected names of policies in the pack, got "${name}"`,
        );
      } else if (marker.reason === undefined) {
        problems.push(`${at}: ${missingReasonMessage(marker.source, name)}`);
      }
    }
  }
  return problems;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Stack policy resources as the analyzer builds them from the engine's AnalyzeStack request:
 * every resource (the stack, providers and components too) with its outputs, parent, dependencies
 * and property dependencies linked to the resource objects.
 */
function buildStackResources(
  planned: readonly PlannedResource[],
  providerOf: (r: PlannedResource) => PolicyProviderResource | undefined,
  guard: <T>(value: T) => T,
): PolicyResource[] {
  const built = new Map<string, PolicyResource>();
  for (const r of planned) {
    const props = guard(revealSecrets(r.outputs) as Record<string, unknown>);
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
  const linked = (urns: readonly string[]): PolicyResource[] =>
    urns.flatMap((urn) => {
      const dep = built.get(urn);
      return dep ? [dep] : [];
    });
  for (const r of planned) {
    const resource = built.get(r.urn);
    if (!resource) continue;
    const parent = r.parent === undefined ? undefined : built.get(r.parent);
    if (parent) resource.parent = parent;
    resource.dependencies = linked(r.dependsOn);
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
      resource.propertyDependencies[key] = linked(urns);
    }
  }
  return [...built.values()];
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validators = new WeakMap<object, ValidateFunction>();

/**
 * A policy's config as the CLI hands it over: its entry in the pack config, checked against the
 * policy's `configSchema` (the CLI refuses a config that breaks it before running anything), with
 * the schema's defaults filled in. Returns the problems, one per line, when it does not validate.
 */
function checkPolicyConfig(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  config: PolicyPackConfig,
  source: string,
): object | string {
  const entry = config[policy.name];
  const values: Record<string, unknown> = {};
  if (typeof entry === "object" && entry !== null) {
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      if (key !== "enforcementLevel") values[key] = value;
    }
  }
  const schema = policy.configSchema;
  if (schema === undefined) return values;
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = ajv.compile({ type: "object", ...schema });
    validators.set(schema, validate);
  }
  if (validate(values)) return values;
  return (validate.errors ?? [])
    .map((e) => describeSchemaError(e, policy.name, source, values))
    .join("\n");
}

function describeSchemaError(
  e: ErrorObject,
  policy: string,
  source: string,
  values: Record<string, unknown>,
): string {
  const keys = e.instancePath.split("/").filter(Boolean);
  let value: unknown = values;
  for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key];
  const at = [policy, ...keys].join(".");
  const params = e.params as Record<string, unknown>;
  if (e.keyword === "required") {
    return `${source}: ${at}.${String(params["missingProperty"])}: expected a value (required by the policy's configSchema), got nothing`;
  }
  if (e.keyword === "additionalProperties") {
    const key = String(params["additionalProperty"]);
    return `${source}: ${at}.${key}: expected no such key (the policy's configSchema does not allow it), got ${describeValue((value as Record<string, unknown>)[key])}`;
  }
  const expected = (e.message ?? "to match the policy's configSchema").replace(/^must (be )?/, "");
  return `${source}: ${at}: expected ${expected} (the policy's configSchema), got ${describeValue(value)}`;
}

/**
 * The report as the Pulumi CLI prints policy violations (level, policy, then the resource as
 * `type: name`, the stack's for a stack-wide one; the message indented below), then a summary such
 * as `Policies: 5 run, 1 mandatory violation, 0 advisory`.
 */
export function formatPolicyReport(report: PolicyReport, plan?: PlanData): string {
  const stack = plan?.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const lines: string[] = [];
  for (const v of report.violations) {
    const where =
      v.resourceType !== undefined
        ? `${v.resourceType}: ${v.resourceName ?? ""}`
        : stack
          ? `${stack.type}: ${stack.name}`
          : (v.urn ?? "stack");
    lines.push(`    - [${v.enforcementLevel}]  ${v.policyName}  (${where})`);
    for (const line of v.message.split("\n")) lines.push(`      ${line}`);
  }
  for (const e of report.exempted ?? []) {
    const where =
      e.resourceType !== undefined ? `${e.resourceType}: ${e.resourceName ?? ""}` : e.urn;
    lines.push(`    - [exempted]  ${e.policyName}  (${where})`);
    lines.push(`      exempted: ${e.reason}`);
  }
  const noun = report.mandatory === 1 ? "violation" : "violations";
  const exempted = report.exempted?.length ?? 0;
  lines.push(
    `Policies: ${report.policiesRun} run, ${report.mandatory} mandatory ${noun}, ${report.advisory} advisory${exempted > 0 ? `, ${exempted} exempted` : ""}`,
  );
  return lines.join("\n");
}
