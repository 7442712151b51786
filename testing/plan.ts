/** A secret value in a plan. It prints and serializes as `[secret]`, never as its value. */
export class Secret {
  constructor(readonly value: unknown) {}

  toJSON(): string {
    return "[secret]";
  }

  toString(): string {
    return "[secret]";
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/**
 * A value only known after `pulumi up` (a preview's unknown). It prints and serializes as
 * `[unknown]`; policies meeting one get the analyzer's "can't run policy during preview" advisory.
 */
export class Unknown {
  toJSON(): string {
    return "[unknown]";
  }

  toString(): string {
    return "[unknown]";
  }
}

/** The one unknown value of a plan. */
export const unknownValue = new Unknown();

export function isUnknownValue(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** One resource the program declared, as the engine would receive it. */
export interface PlannedResource {
  readonly urn: string;
  /** Type token, e.g. `gcp:pubsub/topic:Topic` or `taskstack:messaging:PubSubTopic`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** True for provider resources, false for components. */
  readonly custom: boolean;
  /** The parent's URN (the stack's for top-level resources). */
  readonly parent?: string;
  /** Inputs as the provider would receive them; secret values are `Secret`s. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /**
   * The inputs as the real engine records them, where they differ from the program's: what its
   * preview and state hold, what policies see and what the provider applies. The Kubernetes
   * provider's Check (testing/kubernetes-check.ts: a Secret's `stringData` merged into `data`,
   * empty `omitempty` lists dropped) and, on an explicit provider, the engine's `version` and
   * `__internal`.
   */
  readonly checkedInputs?: Readonly<Record<string, unknown>>;
  /** Inputs plus the outputs synthesized for this resource. */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly id?: string;
  /** The explicit provider's URN, when one was passed. */
  readonly provider?: string;
  /**
   * Without an explicit provider, the URN of the default provider the engine gives the resource:
   * one per package and requested version, `pulumi:providers:gcp::default_9_37_0` (the version the
   * SDK asked for; `default` when it asked for none).
   */
  readonly defaultProvider?: string;
  readonly protect: boolean;
  /** URNs the engine orders this resource after: explicit `dependsOn` plus those its inputs imply. */
  readonly dependsOn: readonly string[];
  /** Per input property, the URNs of the resources its value came from (as the engine records them). */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly deleteBeforeReplace: boolean;
  readonly retainOnDelete: boolean;
  readonly aliases: readonly string[];
  readonly ignoreChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  /** `customTimeouts` as the engine received them ("" where one was left out). */
  readonly customTimeouts?: {
    readonly create: string;
    readonly update: string;
    readonly delete: string;
  };
}

/** A resource type: its token, or a resource class (`gcp.pubsub.Topic`, `messaging.PubSubTopic`). */
export type ResourceTypeRef = string | { readonly prototype: object; readonly name: string };

export function typeToken(ref: ResourceTypeRef): string {
  if (typeof ref === "string") return ref;
  const token = (ref as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token !== "string" || token.length === 0) {
    throw new Error(
      `${ref.name || "this class"} has no Pulumi type token (__pulumiType); pass the type token string instead`,
    );
  }
  return token;
}

/** Everything one run of a program declared, with stack outputs. */
export interface PlanData {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** True when planned as `pulumi preview` runs: values known only after `up` are `Unknown`. */
  readonly preview?: boolean;
  /**
   * The stack's config by provider package (`aws` → `{ region: "us-east-1" }`): what the engine
   * gives each default provider, so a resource without an explicit provider is seen with it.
   */
  readonly providerConfig?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Returns a copy of a value with every `Secret` replaced by its value (what policies see). */
export function revealSecrets(value: unknown): unknown {
  if (value instanceof Secret) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (isPlainRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = revealSecrets(v);
    return out;
  }
  return value;
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
