import type { PolicyResource } from "@pulumi/policy/policy";

/**
 * Lookups over a stack policy's resources, each built once, so a stack policy stays linear in the
 * stack's size: look related resources up here, never with a scan inside a scan.
 *
 * The analyzer hands every stack policy its own fresh `resources` array (it deserializes the
 * stack anew per policy), so the index is cached per array: every lookup within one policy run
 * shares it, and each policy pays one O(n) build.
 */
export interface StackIndex {
  /** Resources of a type token, in stack order. */
  ofType(type: string): readonly PolicyResource[];
  /** The resource with this URN. */
  byUrn(urn: string): PolicyResource | undefined;
  /** Resources of a type whose `name` property (the physical name) is `name`. */
  byName(type: string, name: string): readonly PolicyResource[];
  /** Resources whose parent is the resource with this URN. */
  childrenOf(urn: string): readonly PolicyResource[];
}

const none: readonly PolicyResource[] = [];
const cache = new WeakMap<readonly PolicyResource[], StackIndex>();

function group<K>(
  resources: readonly PolicyResource[],
  key: (r: PolicyResource) => K | undefined,
): Map<K, PolicyResource[]> {
  const out = new Map<K, PolicyResource[]>();
  for (const r of resources) {
    const k = key(r);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * A resource's `name` property, or undefined while it is unknown: during preview the analyzer's
 * props throw on unknown values, and one auto-named resource must not stop a whole policy.
 */
function knownName(r: PolicyResource): string | undefined {
  try {
    const n = (r.props as Record<string, unknown>)["name"];
    return typeof n === "string" ? n : undefined;
  } catch {
    return undefined;
  }
}

export function stackIndex(resources: readonly PolicyResource[]): StackIndex {
  const cached = cache.get(resources);
  if (cached) return cached;
  let types: Map<string, PolicyResource[]> | undefined;
  let urns: Map<string, PolicyResource> | undefined;
  let names: Map<string, PolicyResource[]> | undefined;
  let children: Map<string, PolicyResource[]> | undefined;
  const index: StackIndex = {
    ofType(type) {
      types ??= group(resources, (r) => r.type);
      return types.get(type) ?? none;
    },
    byUrn(urn) {
      urns ??= new Map(resources.map((r) => [r.urn, r]));
      return urns.get(urn);
    },
    byName(type, name) {
      names ??= group(resources, (r) => {
        const n = knownName(r);
        return n === undefined ? undefined : `${r.type}\u0000${n}`;
      });
      return names.get(`${type}\u0000${name}`) ?? none;
    },
    childrenOf(urn) {
      children ??= group(resources, (r) => r.parent?.urn);
      return children.get(urn) ?? none;
    },
  };
  cache.set(resources, index);
  return index;
}
