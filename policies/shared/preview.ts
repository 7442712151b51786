import type { PolicyResource, ReportViolation } from "@pulumi/policy";

// How a stack policy stays useful in a preview. The engine hands stack policies each resource's
// outputs; for a resource being created, every output its provider computes (ids, ARNs, and any
// input built from one, such as `topic.id`) is unknown, and @pulumi/policy's analyzer wraps the
// props in a proxy that throws `UnknownValueError` on reading one
// (pulumi/pulumi-policy sdk/nodejs/policy/proxy.ts). Uncaught, that error turns into one advisory
// for the whole policy and skips every other resource. So policies read through `known()`,
// resolve a computed reference through the resource's `propertyDependencies` (which the engine
// sends for every input, known during preview: pkg/resource/deploy/step_generator.go,
// AnalyzeResources), and report what still cannot be decided as a per-resource advisory.

/** A value only known after the update: the property path the analyzer named, e.g. `topic`. */
export class Unknown {
  constructor(readonly path: string) {}
}

/**
 * The analyzer's `UnknownValueError` (exported by @pulumi/policy only from 1.21), recognised by
 * the fields it has carried since the first release: `props`, the path read, and the sentinel.
 */
function isUnknownValueError(err: unknown): err is { props: readonly PropertyKey[] } {
  return (
    err instanceof Error &&
    Array.isArray((err as { props?: unknown }).props) &&
    typeof (err as { unknownTypeSentinel?: unknown }).unknownTypeSentinel === "string"
  );
}

/** Runs `read`; a preview's unknown comes back as `Unknown` instead of throwing. */
export function known<T>(read: () => T): T | Unknown {
  try {
    return read();
  } catch (err) {
    if (isUnknownValueError(err)) return new Unknown(err.props.map(String).join("."));
    throw err;
  }
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/**
 * The resources of `type` that the resource's top-level input `key` was computed from: what a
 * reference such as `deadLetterPolicy: { deadLetterTopic: topic.id }` points at while the id
 * itself is unknown. The engine keys property dependencies by top-level input name.
 */
export function dependenciesOfType(
  resource: PolicyResource,
  key: string,
  types: string | readonly string[],
): PolicyResource[] {
  const wanted = typeof types === "string" ? [types] : types;
  return (resource.propertyDependencies[key] ?? []).filter((r) => wanted.includes(r.type));
}

/** A resource as a message names it: its type's last segment and logical name. */
export function describeResource(resource: PolicyResource): string {
  const kind = resource.type.split(":").pop() ?? resource.type;
  return `${kind} "${resource.name}"`;
}

/**
 * Reports that a preview cannot decide this resource, as an advisory on it alone (whatever the
 * policy's level), naming the property. The analyzer takes an object here since @pulumi/policy
 * 1.20 (`makeReportViolationFun` in server.ts); its typings still declare only `(message, urn)`.
 */
export function reportUndecided(
  reportViolation: ReportViolation,
  resource: PolicyResource,
  unknown: Unknown,
  consequence: string,
): void {
  const report = reportViolation as unknown as (args: {
    message: string;
    urn: string;
    enforcementLevel: "advisory";
  }) => void;
  report({
    message: `can't decide ${describeResource(resource)} during preview: ${unknown.path} is only known after the update, so ${consequence}. The update checks it again.`,
    urn: resource.urn,
    enforcementLevel: "advisory",
  });
}
