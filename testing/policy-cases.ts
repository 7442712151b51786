import { isDeepStrictEqual } from "node:util";
// Types from @pulumi/policy's `policy` module: its index.d.ts re-exports a name proxy.d.ts lacks
// (TS2305 in a consumer's tsc without skipLibCheck), and these declarations reach our .d.ts.
import type { Policy, PolicyPackConfig } from "@pulumi/policy/policy";
import type { PlanData, PlannedResource } from "./plan";
import { runPolicies } from "./policy-runner";
import type { PolicyViolation } from "./policy-runner";

/** Project and stack the fixtures of policy cases belong to. */
export const fixtureProject = "taskstack";
export const fixtureStack = "test";

/** The URN the engine gives a resource declared at the top of the fixture stack. */
export function fixtureUrn(type: string, name: string): string {
  return `urn:pulumi:${fixtureStack}::${fixtureProject}::${type}::${name}`;
}

/**
 * A custom resource as the offline engine records it, for policy fixtures: its inputs (which are
 * also its outputs unless `extra.outputs` says otherwise) and every option at its default.
 */
export function fixtureResource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  return {
    urn: fixtureUrn(type, name),
    type,
    name,
    custom: true,
    inputs,
    outputs: inputs,
    protect: false,
    dependsOn: [],
    propertyDependencies: {},
    deleteBeforeReplace: false,
    retainOnDelete: false,
    aliases: [],
    ignoreChanges: [],
    additionalSecretOutputs: [],
    ...extra,
  };
}

/** A plan of the fixture stack holding these resources. */
export function fixturePlan(resources: readonly PlannedResource[]): PlanData {
  return { project: fixtureProject, stack: fixtureStack, resources, outputs: {} };
}

/** One property changed on the compliant fixture, and what the policy must say about it. */
export interface PolicyCaseChange {
  /** Shown as the test's title. */
  readonly title: string;
  /**
   * Dotted paths into the target's inputs and outputs (`"retryPolicy.minimumBackoff"`) and their
   * new values; `undefined` removes the property.
   */
  readonly set?: Readonly<Record<string, unknown>>;
  /** Any other change to the fixture (applied after `set`). */
  readonly change?: (resources: PlannedResource[]) => PlannedResource[];
  /** The exact violation messages expected, in order; `[]` when the change is still compliant. */
  readonly messages: readonly string[];
  /** The URN each violation blames. @default - the target's (a resource policy's blame) */
  readonly urn?: string | null;
}

export interface PolicyCaseSpec {
  /** A fixture the policy must pass: resources as `fixtureResource` makes them. */
  readonly fixture: () => readonly PlannedResource[];
  /** Logical name of the fixture resource that `set` changes and violations blame. */
  readonly target: string;
  /** Per property: the changed value and the exact messages expected. */
  readonly cases: readonly PolicyCaseChange[];
  /** The policy's config entry, as `policies/config/<stack>.json` would hold it. @default {} */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** One runnable case: `it.each(policyCases(policy, spec))("$title", (c) => c.run())`. */
export interface PolicyCase {
  readonly title: string;
  /** Resolves when the policy reports exactly what the case expects; rejects with a diff if not. */
  run(): Promise<void>;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let current: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    const copy =
      typeof next === "object" && next !== null && !Array.isArray(next)
        ? { ...(next as Record<string, unknown>) }
        : {};
    current[key] = copy;
    current = copy;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete current[last];
  else current[last] = value;
}

function applySet(
  resources: readonly PlannedResource[],
  target: string,
  set: Readonly<Record<string, unknown>>,
): PlannedResource[] {
  if (!resources.some((r) => r.name === target)) {
    throw new Error(`policy case: the fixture has no resource named ${JSON.stringify(target)}`);
  }
  return resources.map((r) => {
    if (r.name !== target) return r;
    const inputs = { ...r.inputs };
    const outputs = { ...r.outputs };
    for (const [path, value] of Object.entries(set)) {
      setPath(inputs, path, value);
      setPath(outputs, path, value);
    }
    return { ...r, inputs, outputs };
  });
}

/**
 * The cases of one policy, in the shape the style guide asks for: the compliant fixture passes,
 * and each change of one property yields exactly the expected messages, blaming the expected
 * resource. Framework-neutral: each case's `run()` rejects with a readable diff on a mismatch.
 */
export function policyCases(policy: Policy, spec: PolicyCaseSpec): PolicyCase[] {
  const evaluate = async (resources: readonly PlannedResource[]): Promise<PolicyViolation[]> => {
    const config: PolicyPackConfig = {
      [policy.name]: { ...(spec.config ?? {}) } as PolicyPackConfig[string],
    };
    const report = await runPolicies(fixturePlan(resources), { policies: [policy], config });
    return [...report.violations];
  };
  const targetUrn = (): string => {
    const found = spec.fixture().find((r) => r.name === spec.target);
    if (!found) {
      throw new Error(
        `policy case: the fixture has no resource named ${JSON.stringify(spec.target)}`,
      );
    }
    return found.urn;
  };
  const check = async (
    title: string,
    resources: readonly PlannedResource[],
    messages: readonly string[],
    urn: string | null | undefined,
  ): Promise<void> => {
    const violations = await evaluate(resources);
    const got = violations.map((v) => ({ message: v.message, urn: v.urn ?? null }));
    const blamed = urn === undefined ? targetUrn() : urn;
    // The analyzer prefixes every message with the policy's description, as the CLI shows it.
    const want = messages.map((message) => ({
      message: `${policy.description}\n${message}`,
      urn: blamed,
    }));
    const wrongPolicy = violations.filter((v) => v.policyName !== policy.name);
    if (!isDeepStrictEqual(got, want) || wrongPolicy.length > 0) {
      throw new Error(
        `${policy.name}, ${title}:\n  expected ${JSON.stringify(want, null, 2)}\n  got      ${JSON.stringify(got, null, 2)}`,
      );
    }
  };
  return [
    {
      title: "passes the compliant fixture",
      run: () => check("the compliant fixture", spec.fixture(), [], null),
    },
    ...spec.cases.map((c): PolicyCase => ({
      title: c.title,
      run: () => {
        let resources = [...spec.fixture()];
        if (c.set) resources = applySet(resources, spec.target, c.set);
        if (c.change) resources = c.change(resources);
        return check(c.title, resources, c.messages, c.urn);
      },
    })),
  ];
}
