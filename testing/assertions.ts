import { isPlainRecord, Secret, typeToken } from "./plan";
import type { PlanData, PlannedResource, ResourceTypeRef } from "./plan";

const matcherTag = Symbol.for("taskstack.matcher");

/** A custom expectation inside `hasResource`/`findResources` props. */
export interface Matcher {
  readonly [matcherTag]: true;
  readonly description: string;
  /** Returns the reason it does not match, or undefined when it does. */
  test(actual: unknown, path: string): string | undefined;
}

function matcher(description: string, test: Matcher["test"]): Matcher {
  return { [matcherTag]: true, description, test };
}

function isMatcher(value: unknown): value is Matcher {
  return typeof value === "object" && value !== null && matcherTag in value;
}

/**
 * Expectations beyond plain values. A plain object in expected props matches any object that has
 * at least those keys (recursively); a plain array must match element for element.
 */
export const Match = {
  /** The property must be absent (undefined). */
  absent: (): Matcher =>
    matcher("absent", (a, p) =>
      a === undefined ? undefined : `${p}: expected absent, got ${show(a)}`,
    ),
  /** Any value except undefined. */
  anyValue: (): Matcher =>
    matcher("any value", (a, p) =>
      a === undefined ? `${p}: expected a value, got nothing` : undefined,
    ),
  /** Exactly this value: objects must have no other keys. */
  exact: (expected: unknown): Matcher =>
    matcher(`exactly ${show(expected)}`, (a, p) => compare(a, expected, p, true)),
  /** An array containing elements matching each of these, in any order. */
  arrayWith: (elements: readonly unknown[]): Matcher =>
    matcher(`an array with ${show(elements)}`, (a, p) => {
      if (!Array.isArray(a)) return `${p}: expected an array, got ${show(a)}`;
      for (const [i, e] of elements.entries()) {
        if (!a.some((x, j) => compare(x, e, `${p}[${j}]`, false) === undefined)) {
          return `${p}: expected an element matching ${show(e)} (arrayWith[${i}]), got ${show(a)}`;
        }
      }
      return undefined;
    }),
  /** A string matching the pattern. */
  stringLikeRegexp: (pattern: RegExp): Matcher =>
    matcher(`a string like ${pattern}`, (a, p) =>
      typeof a === "string" && pattern.test(a)
        ? undefined
        : `${p}: expected a string like ${pattern}, got ${show(a)}`,
    ),
  /** Anything that does not match `pattern` (a value or another matcher). */
  not: (pattern: unknown): Matcher =>
    matcher(`not ${show(pattern)}`, (a, p) =>
      compare(a, pattern, p, false) === undefined
        ? `${p}: expected anything but ${show(pattern)}, got ${show(a)}`
        : undefined,
    ),
  /**
   * A string holding JSON whose parsed value matches `pattern`: bucket and IAM policies are
   * JSON documents in a string input.
   */
  serializedJson: (pattern: unknown): Matcher =>
    matcher(`JSON matching ${show(pattern)}`, (a, p) => {
      const text = a instanceof Secret ? a.value : a;
      if (typeof text !== "string") return `${p}: expected a JSON string, got ${show(a)}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        return `${p}: expected a JSON string, got unparseable text (${(e as Error).message})`;
      }
      return compare(parsed, pattern, `${p}(json)`, false);
    }),
  /** A secret; when given, its value must match `inner`. */
  secret: (inner?: unknown): Matcher =>
    matcher("a secret", (a, p) => {
      if (!(a instanceof Secret)) return `${p}: expected a secret, got plain ${show(a)}`;
      return inner === undefined ? undefined : compare(a.value, inner, `${p}(secret)`, false);
    }),
} as const;

/**
 * Records the value it is matched against, as aws-cdk's `Capture` does, so a test can read a
 * value it does not know in advance (a generated name, a policy document) and assert on it.
 * Every resource a query tries is captured; `asArray()` keeps them all, `value()` the last match.
 */
export class Capture implements Matcher {
  readonly [matcherTag] = true as const;
  readonly description: string;
  private readonly seen: unknown[] = [];
  private readonly pattern: unknown;

  /** `pattern`, when given, must match too (a value or another matcher). */
  constructor(pattern?: unknown) {
    this.pattern = pattern;
    this.description = pattern === undefined ? "a captured value" : `captured ${show(pattern)}`;
  }

  test(actual: unknown, path: string): string | undefined {
    if (actual === undefined) return `${path}: expected a value to capture, got nothing`;
    if (this.pattern !== undefined) {
      const why = compare(actual, this.pattern, path, false);
      if (why) return why;
    }
    this.seen.push(actual);
    return undefined;
  }

  /** The last value captured; throws when nothing matched. */
  value(): unknown {
    if (this.seen.length === 0) throw new Error(`${this.description}: nothing was captured`);
    return this.seen[this.seen.length - 1];
  }

  /** Every value captured, in the order they were matched. */
  asArray(): unknown[] {
    return [...this.seen];
  }
}

function show(value: unknown): string {
  if (isMatcher(value)) return `<${value.description}>`;
  if (value instanceof Secret) return "[secret]";
  if (value === undefined) return "undefined";
  try {
    const text = JSON.stringify(value, (_k, v: unknown) =>
      isMatcher(v) ? `<${v.description}>` : v,
    );
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
  } catch {
    return String(value);
  }
}

/** Returns why `actual` does not match `expected`, or undefined when it does. */
export function compare(
  actual: unknown,
  expected: unknown,
  path: string,
  exact: boolean,
): string | undefined {
  if (isMatcher(expected)) return expected.test(actual, path);
  if (actual instanceof Secret) {
    return `${path}: value is a secret; use Match.secret(${show(expected)}) to match it`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length) {
      return `${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const why = compare(actual[i], expected[i], `${path}[${i}]`, exact);
      if (why) return why;
    }
    return undefined;
  }
  if (isPlainRecord(expected)) {
    if (!isPlainRecord(actual)) return `${path}: expected an object, got ${show(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      const why = compare(actual[k], v, path ? `${path}.${k}` : k, exact);
      if (why) return why;
    }
    if (exact) {
      const extra = Object.keys(actual).filter((k) => !(k in expected) && actual[k] !== undefined);
      if (extra.length > 0) return `${path}: unexpected keys ${extra.join(", ")}`;
    }
    return undefined;
  }
  return Object.is(actual, expected)
    ? undefined
    : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

/**
 * The resources one run declared, with query and assertion helpers in the spirit of CDK's
 * `Template`: assert on the recorded plan after the run, never inside `.apply`.
 */
export class Plan implements PlanData {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly preview?: boolean;
  readonly providerConfig?: Readonly<Record<string, Readonly<Record<string, string>>>>;

  constructor(data: PlanData) {
    this.project = data.project;
    this.stack = data.stack;
    this.resources = data.resources;
    this.outputs = data.outputs;
    if (data.preview === true) this.preview = true;
    if (data.providerConfig !== undefined) this.providerConfig = data.providerConfig;
  }

  /** Resources of a type (token or class) whose inputs match `props`, in declaration order. */
  findResources(type: ResourceTypeRef, props: Record<string, unknown> = {}): PlannedResource[] {
    const token = typeToken(type);
    return this.resources.filter(
      (r) => r.type === token && compare(r.inputs, props, "", false) === undefined,
    );
  }

  /** How many resources of a type the program declared. */
  resourceCount(type: ResourceTypeRef): number {
    return this.findResources(type).length;
  }

  /** Throws unless exactly `count` resources of the type were declared. */
  resourceCountIs(type: ResourceTypeRef, count: number): void {
    const actual = this.resourceCount(type);
    if (actual !== count) {
      throw new Error(`expected ${count} ${typeToken(type)} resources, found ${actual}`);
    }
  }

  /** Throws, naming the closest mismatch, unless a resource of the type has inputs matching `props`. */
  hasResource(type: ResourceTypeRef, props: Record<string, unknown> = {}): PlannedResource {
    const token = typeToken(type);
    const candidates = this.resources.filter((r) => r.type === token);
    const reasons: string[] = [];
    for (const r of candidates) {
      const why = compare(r.inputs, props, "", false);
      if (why === undefined) return r;
      reasons.push(`  ${r.name}: ${why}`);
    }
    throw new Error(
      candidates.length === 0
        ? `no ${token} resource was declared`
        : `no ${token} resource matches ${show(props)}:\n${reasons.join("\n")}`,
    );
  }

  /**
   * Throws unless every resource of the type has inputs matching `props` (and at least one
   * exists), naming each one that does not.
   */
  allResources(type: ResourceTypeRef, props: Record<string, unknown>): PlannedResource[] {
    const token = typeToken(type);
    const all = this.resources.filter((r) => r.type === token);
    if (all.length === 0) throw new Error(`no ${token} resource was declared`);
    const reasons = all.flatMap((r) => {
      const why = compare(r.inputs, props, "", false);
      return why === undefined ? [] : [`  ${r.name}: ${why}`];
    });
    if (reasons.length > 0) {
      throw new Error(
        `${reasons.length} of ${all.length} ${token} resources do not match ${show(props)}:\n${reasons.join("\n")}`,
      );
    }
    return all;
  }

  /** Throws unless the stack exported `name` with a value matching `expected` (any, if omitted). */
  hasOutput(name: string, expected: unknown = Match.anyValue()): unknown {
    if (!(name in this.outputs)) {
      const names = Object.keys(this.outputs);
      throw new Error(
        `no stack output named ${JSON.stringify(name)}; exported: ${names.join(", ") || "none"}`,
      );
    }
    const value = this.outputs[name];
    const why = compare(value, expected, name, false);
    if (why) throw new Error(`stack output ${why}`);
    return value;
  }

  /** The resource with this type and logical name; throws when there is none. */
  get(type: ResourceTypeRef, name: string): PlannedResource {
    const token = typeToken(type);
    const found = this.resources.find((r) => r.type === token && r.name === name);
    if (!found) {
      const names = this.resources.filter((r) => r.type === token).map((r) => r.name);
      throw new Error(
        `no ${token} named ${JSON.stringify(name)}; declared: ${names.join(", ") || "none"}`,
      );
    }
    return found;
  }

  /** The resource with this URN, if any. */
  byUrn(urn: string): PlannedResource | undefined {
    return this.resources.find((r) => r.urn === urn);
  }

  /** Direct children of a resource. */
  children(parent: PlannedResource): PlannedResource[] {
    return this.resources.filter((r) => r.parent === parent.urn);
  }

  /** A JSON-safe form: secrets serialize as `[secret]`. */
  toJSON(): PlanData {
    return {
      project: this.project,
      stack: this.stack,
      ...(this.preview === true ? { preview: true } : {}),
      resources: this.resources,
      outputs: this.outputs,
    };
  }
}

/** How many resources of a type a plan declared. */
export function resourceCount(plan: Plan, type: ResourceTypeRef): number {
  return plan.resourceCount(type);
}

/** Throws unless a resource of the type has inputs matching `props`; returns it. */
export function hasResource(
  plan: Plan,
  type: ResourceTypeRef,
  props: Record<string, unknown> = {},
): PlannedResource {
  return plan.hasResource(type, props);
}

/** Resources of the type whose inputs match `props`. */
export function findResources(
  plan: Plan,
  type: ResourceTypeRef,
  props: Record<string, unknown> = {},
): PlannedResource[] {
  return plan.findResources(type, props);
}
