import type {
  Policies,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidation,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

// Per-resource exemptions: a team with one justified exception exempts that resource from that
// policy, with its reason, instead of turning the policy off for the whole stack (as Checkov's
// `checkov:skip=<check>:<reason>` and kube-linter's `ignore-check.kube-linter.io/<check>`
// annotation do). Two forms, both requiring a reason:
//
// - On the resource: `taskstack-policy-exempt: <policy-name>` and
//   `taskstack-policy-exempt-reason: <reason>` as GCP labels (`labels`, or `userLabels` on an
//   alert policy), AWS tags (`tags`) or Kubernetes annotations (`metadata.annotations`). The keys
//   are valid in all three: GCP label keys are at most 63 characters of lowercase letters, digits,
//   `-` and `_` (https://cloud.google.com/resource-manager/docs/labels-overview#requirements), which
//   also rules out a `taskstack.dev/` prefix; policy names are lowercase with `-`, at most 63
//   characters, so one fits a GCP label value. AWS tags and annotations may name several policies,
//   separated by spaces or commas; a GCP label value cannot hold either, so it names one.
// - In the pack config (`policies/config/<stack>.json`, `--policy-pack-config`), under the
//   policy's own entry: `"exemptions": [{ "urn": "<URN>", "reason": "<reason>" }]`. It is part of
//   each policy's configSchema, so the Pulumi CLI itself refuses an entry without a reason.
//
// An exempted resource's violations of that policy are not reported. The analyzer reports the
// policy as not applicable to it, with the reason `exempted: <reason>`, and writes one line to
// stderr, which the Pulumi CLI shows under the stack's diagnostics; `taskstack plan` lists it
// under "Exempted". An exemption for one policy never applies to another.

/** The label, tag or annotation key naming the policies a resource is exempt from. */
export const exemptKey = "taskstack-policy-exempt";
/** The label, tag or annotation key holding the reason for the exemption. */
export const exemptReasonKey = "taskstack-policy-exempt-reason";

/** One entry of a policy's `exemptions` config. */
export interface PolicyExemption {
  /** The exempted resource's URN (`pulumi stack --show-urns`). */
  readonly urn: string;
  /** Why the resource may break the policy: shown wherever the exemption is reported. */
  readonly reason: string;
}

/** The `exemptions` property every taskstack policy's configSchema has. */
export const exemptionsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description:
    "Resources this policy does not apply to, each by URN with the reason it may break the policy.",
  items: {
    type: "object",
    properties: {
      urn: { type: "string", pattern: "^urn:pulumi:" },
      reason: { type: "string", pattern: "\\S" },
    },
    required: ["urn", "reason"],
    additionalProperties: false,
  },
};

/** Where an exemption was found. */
export type ExemptionSource = "config" | "label" | "tag" | "annotation";

/** What the offline runner records for each exempted finding. */
export interface ExemptionRecord {
  readonly urn: string;
  readonly reason: string;
  readonly source: ExemptionSource;
  /** The messages the exemption kept from being reported. */
  readonly messages: readonly string[];
}

/**
 * Set on a validation's args by the offline runner (`runPolicies`), which reports exemptions
 * per resource; the analyzer has no such hook and gets the not-applicable reason instead.
 */
export const exemptionHook: unique symbol = Symbol.for("taskstack.policy.exempted");

type HookedArgs = { [exemptionHook]?: (record: ExemptionRecord) => void };

/**
 * Under the Pulumi CLI: the engine keeps a not-applicable reason out of the preview's output
 * (CLI v3.276.0 lists a policy as neither passed nor failed for that resource, without the
 * reason), but it shows what an analyzer plugin writes to stderr under the stack's diagnostics.
 * So each exempted finding is also one stderr line there.
 */
function printExemption(policy: string): (record: ExemptionRecord) => void {
  return (record) => {
    const [type, name] = record.urn.split("::").slice(-2);
    process.stderr.write(
      `taskstack policy ${policy} on ${type ?? ""} "${name ?? ""}": exempted: ${record.reason} [${record.source}]\n`,
    );
  };
}

/** The keys a resource's exemption markers live under, by where they sit. */
const markerHomes: readonly {
  readonly read: (props: Record<string, unknown>) => unknown;
  readonly source: ExemptionSource;
}[] = [
  { read: (p) => p["labels"], source: "label" },
  { read: (p) => p["userLabels"], source: "label" },
  { read: (p) => p["tags"], source: "tag" },
  {
    read: (p) => (p["metadata"] as Record<string, unknown> | undefined)?.["annotations"],
    source: "annotation",
  },
];

/** A resource's exemption markers, as written on it. */
export interface ExemptionMarker {
  /** The policy names the marker lists. */
  readonly policies: readonly string[];
  /** The reason, when one is given (a non-blank string). */
  readonly reason?: string;
  readonly source: ExemptionSource;
}

/**
 * The exemption markers on a resource's properties, or undefined when it carries none. Reading
 * a property that is unknown during a preview throws, as any read through the analyzer's proxy.
 */
export function exemptionMarker(props: Record<string, unknown>): ExemptionMarker | undefined {
  for (const home of markerHomes) {
    const map = home.read(props);
    if (typeof map !== "object" || map === null) continue;
    const named: unknown = (map as Record<string, unknown>)[exemptKey];
    if (named === undefined) continue;
    const reason: unknown = (map as Record<string, unknown>)[exemptReasonKey];
    return {
      policies: typeof named === "string" ? named.split(/[\s,]+/).filter(Boolean) : [],
      ...(typeof reason === "string" && /\S/.test(reason) ? { reason: reason.trim() } : {}),
      source: home.source,
    };
  }
  return undefined;
}

/** A marker names a policy without a reason: a configuration error, never a silent exemption. */
export class ExemptionWithoutReason extends Error {
  constructor(source: ExemptionSource, policy: string) {
    super(missingReasonMessage(source, policy));
    this.name = "ExemptionWithoutReason";
  }
}

/** What a marker that names `policy` without a reason is told. */
export function missingReasonMessage(source: ExemptionSource, policy: string): string {
  return `${source} ${exemptKey} names ${policy} but ${exemptReasonKey} is missing or blank: an exemption needs the reason the resource may break the policy`;
}

/**
 * The problems in a policy's `exemptions` config entry, each naming where it is (`source`), the
 * path, what was expected and what was given. Empty when the entry is fine or absent.
 */
export function exemptionConfigProblems(policy: string, entry: unknown, source: string): string[] {
  if (typeof entry !== "object" || entry === null) return [];
  const list: unknown = (entry as Record<string, unknown>)["exemptions"];
  if (list === undefined) return [];
  const at = `${source}: ${policy}.exemptions`;
  if (!Array.isArray(list)) {
    return [`${at}: expected a list of { "urn": …, "reason": … }, got ${JSON.stringify(list)}`];
  }
  const problems: string[] = [];
  list.forEach((item: unknown, i) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      problems.push(`${at}[${i}]: expected { "urn": …, "reason": … }, got ${JSON.stringify(item)}`);
      return;
    }
    const { urn, reason, ...rest } = item as Record<string, unknown>;
    if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:")) {
      problems.push(
        `${at}[${i}].urn: expected the resource's URN ("urn:pulumi:<stack>::<project>::<type>::<name>", as \`pulumi stack --show-urns\` prints it), got ${JSON.stringify(urn) ?? "nothing"}`,
      );
    }
    if (typeof reason !== "string" || !/\S/.test(reason)) {
      problems.push(
        `${at}[${i}].reason: expected the reason this resource may break the policy (an exemption without one is refused), got ${JSON.stringify(reason) ?? "nothing"}`,
      );
    }
    for (const key of Object.keys(rest)) {
      problems.push(
        `${at}[${i}].${key}: expected only "urn" and "reason", got ${JSON.stringify(rest[key])}`,
      );
    }
  });
  return problems;
}

const wrapped = new WeakSet<object>();

/** True for a policy `withExemptions` made. */
export function honoursExemptions(policy: object): boolean {
  return wrapped.has(policy);
}

function configExemption(
  getConfig: () => object,
  urn: string,
): { reason: string; source: ExemptionSource } | undefined {
  const list = (getConfig() as { exemptions?: readonly PolicyExemption[] }).exemptions;
  const hit = list?.find((e) => e.urn === urn);
  return hit ? { reason: hit.reason, source: "config" } : undefined;
}

/** The exemption of the resource with these props from `policy`, throwing on a missing reason. */
function markerExemption(
  props: Record<string, unknown>,
  policy: string,
): { reason: string; source: ExemptionSource } | undefined {
  const marker = exemptionMarker(props);
  if (!marker?.policies.includes(policy)) return undefined;
  if (marker.reason === undefined) throw new ExemptionWithoutReason(marker.source, policy);
  return { reason: marker.reason, source: marker.source };
}

/** Keeps the analyzer's type fast path (`__pulumiType`) on a wrapped validation. */
function sameType<T extends object>(from: object, to: T): T {
  const type = (from as { __pulumiType?: unknown }).__pulumiType;
  if (type !== undefined) (to as { __pulumiType?: unknown }).__pulumiType = type;
  return to;
}

function wrapResourceValidation(name: string, validate: ResourceValidation): ResourceValidation {
  return sameType(validate, async (args: ResourceValidationArgs, report: ReportViolation) => {
    const found: string[] = [];
    await validate(args, (message) => found.push(message));
    if (found.length === 0) return;
    const exemption =
      configExemption(args.getConfig, args.urn) ??
      markerExemption(args.props as Record<string, unknown>, name);
    if (exemption === undefined) {
      for (const message of found) report(message);
      return;
    }
    const hook = (args as HookedArgs)[exemptionHook] ?? printExemption(name);
    hook({ urn: args.urn, ...exemption, messages: found });
    args.notApplicable(`exempted: ${exemption.reason}`);
  });
}

function wrapStackValidation(name: string, validate: StackValidation): StackValidation {
  return sameType(validate, async (args: StackValidationArgs, report: ReportViolation) => {
    let byUrn: Map<string, PolicyResource> | undefined;
    const exempted = new Map<string, ExemptionRecord>();
    const exemptionOf = (urn: string): { reason: string; source: ExemptionSource } | undefined => {
      const fromConfig = configExemption(args.getConfig, urn);
      if (fromConfig) return fromConfig;
      byUrn ??= new Map(args.resources.map((r) => [r.urn, r]));
      const resource = byUrn.get(urn);
      return resource ? markerExemption(resource.props, name) : undefined;
    };
    await validate(args, (reported, at) => {
      // The object form (see reportUndecided in ./preview) carries its own URN and message.
      const asObject =
        typeof reported === "object" ? (reported as { message: string; urn?: string }) : undefined;
      if (asObject && asObject.urn === undefined) {
        report(reported, at);
        return;
      }
      const urn = asObject ? asObject.urn : at;
      const message = asObject ? asObject.message : reported;
      const forward = (): void => report(reported, at);
      let exemption: { reason: string; source: ExemptionSource } | undefined;
      try {
        exemption = urn === undefined ? undefined : exemptionOf(urn);
      } catch (err) {
        if (err instanceof ExemptionWithoutReason) throw err;
        // A preview's "cannot judge yet" advisory stays one: it is no finding to exempt.
        if (asObject) {
          forward();
          return;
        }
        // Its labels are unknown until the update (a preview): the finding stands, per resource,
        // rather than the whole policy being switched off by one unknown.
        report(
          `${message}\n(Whether this resource is exempt is known only after the update: its labels, tags or annotations are not known yet.)`,
          urn,
        );
        return;
      }
      if (urn === undefined || exemption === undefined) {
        forward();
        return;
      }
      const seen = exempted.get(urn);
      exempted.set(urn, { urn, ...exemption, messages: [...(seen?.messages ?? []), message] });
    });
    if (exempted.size === 0) return;
    const hook = (args as HookedArgs)[exemptionHook] ?? printExemption(name);
    for (const record of exempted.values()) hook(record);
    args.notApplicable(
      [...exempted.values()].map((e) => `exempted: ${e.reason} (${e.urn})`).join("\n"),
    );
  });
}

function withSchema(schema: PolicyConfigSchema | undefined): PolicyConfigSchema {
  return {
    ...schema,
    properties: { ...schema?.properties, exemptions: exemptionsSchema },
  };
}

/** One policy that honours exemptions (see above); every other behaviour is the policy's own. */
export function withExemption<P extends ResourceValidationPolicy | StackValidationPolicy>(
  policy: P,
): P {
  if (wrapped.has(policy)) return policy;
  let out: P;
  if ("validateStack" in policy && typeof policy.validateStack === "function") {
    out = {
      ...policy,
      configSchema: withSchema(policy.configSchema),
      validateStack: wrapStackValidation(policy.name, policy.validateStack),
    };
  } else {
    const resourcePolicy = policy as ResourceValidationPolicy;
    const validate = resourcePolicy.validateResource;
    out = {
      ...policy,
      configSchema: withSchema(policy.configSchema),
      ...(validate === undefined
        ? {}
        : {
            validateResource: Array.isArray(validate)
              ? validate.map((v) => wrapResourceValidation(policy.name, v))
              : wrapResourceValidation(policy.name, validate),
          }),
    };
  }
  wrapped.add(out);
  return out;
}

/** The policies, each honouring per-resource exemptions. */
export function withExemptions(policies: Policies): Policies {
  return policies.map((p) => withExemption(p));
}
