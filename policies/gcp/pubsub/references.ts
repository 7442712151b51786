/**
 * Pub/Sub resources refer to each other by full id (`projects/<p>/topics/<t>`) or by short name
 * (with the project taken from a `project` input or the provider's default). Policies see only
 * inputs, so they normalise both forms here and compare by short name, and by project only when
 * both sides state one: an unknown project must not hide a match.
 */
import type { PolicyResource } from "@pulumi/policy";
import { dependenciesOfType, isUnknown, known } from "../../shared/preview";
import type { Unknown } from "../../shared/preview";

export type PubSubCollection = "topics" | "subscriptions";

/** A reference to a topic or subscription: its short name and, when the input says, its project. */
export interface PubSubRef {
  readonly name: string;
  readonly project?: string;
}

const fullId = /(?:^|\/)projects\/([^/]+)\/(topics|subscriptions)\/([^/]+)$/;

/**
 * Parses a reference input. `defaultProject` is the referring resource's own `project` input,
 * which is where the provider looks up a short name. Returns undefined for anything that is not a
 * non-empty string (an unset input or an unresolved value).
 */
export function parseRef(
  value: unknown,
  collection: PubSubCollection,
  defaultProject?: unknown,
): PubSubRef | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const text = value.trim();
  const match = fullId.exec(text);
  if (match && match[2] === collection) return { project: match[1], name: match[3] ?? "" };
  if (text.includes("/")) return undefined;
  return typeof defaultProject === "string" && defaultProject !== ""
    ? { project: defaultProject, name: text }
    : { name: text };
}

/** True when two references can denote the same resource. */
export function sameRef(a: PubSubRef, b: PubSubRef): boolean {
  if (a.name !== b.name) return false;
  return a.project === undefined || b.project === undefined || a.project === b.project;
}

/** The reference a topic or subscription resource declares for itself (`name` + `project` inputs). */
export function selfRef(
  props: Readonly<Record<string, unknown>>,
  collection: PubSubCollection,
): PubSubRef | undefined {
  return parseRef(props["name"], collection, props["project"]);
}

/** A reference as users write it, for messages: `projects/p/topics/t` or the short name. */
export function showRef(ref: PubSubRef, collection: PubSubCollection): string {
  return ref.project === undefined ? ref.name : `projects/${ref.project}/${collection}/${ref.name}`;
}

/** A nested input read without trusting its shape: `field(props, "deadLetterPolicy", "deadLetterTopic")`. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A value as a message shows it: strings quoted, unset as `undefined`. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The Pub/Sub service agent of a project, as an IAM member. */
export const pubsubServiceAgent =
  /^serviceAccount:service-\d+@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/;

export const subscriptionType = "gcp:pubsub/subscription:Subscription";
export const topicType = "gcp:pubsub/topic:Topic";

/**
 * References grouped by short name, built once per policy run: `has(ref)` is a lookup, not a scan,
 * so a stack policy comparing every subscription with every grant or topic stays linear.
 */
export class RefSet<T = true> {
  private readonly byName = new Map<string, { ref: PubSubRef; value: T }[]>();

  add(ref: PubSubRef, value: T): void {
    const list = this.byName.get(ref.name);
    if (list) list.push({ ref, value });
    else this.byName.set(ref.name, [{ ref, value }]);
  }

  /** The first value whose reference can denote the same resource as `ref`. */
  find(ref: PubSubRef): T | undefined {
    return this.byName.get(ref.name)?.find((e) => sameRef(e.ref, ref))?.value;
  }

  has(ref: PubSubRef): boolean {
    return this.byName.get(ref.name)?.some((e) => sameRef(e.ref, ref)) ?? false;
  }
}

/**
 * What a reference input of a stack resource points at. In a preview a reference to a topic or
 * subscription being created (`topic.id`, `topic.name`) is unknown; the engine still records the
 * resource it came from in the input's property dependencies, so it resolves to that resource.
 */
export type Target =
  | { readonly kind: "resource"; readonly resource: PolicyResource }
  | { readonly kind: "ref"; readonly ref: PubSubRef; readonly value: string }
  | { readonly kind: "unset"; readonly value: unknown }
  | { readonly kind: "unknown"; readonly unknown: Unknown };

/** A resource's own `project` input, or undefined while it is unset or unknown. */
function knownProject(props: Readonly<Record<string, unknown>>): unknown {
  const project = known(() => props["project"]);
  return isUnknown(project) ? undefined : project;
}

/**
 * Resolves the reference at `path` of `r` (e.g. `["deadLetterPolicy", "deadLetterTopic"]`) to the
 * topic or subscription it names, or to the stack's resource of `type` it was computed from.
 */
export function resolveTarget(
  r: PolicyResource,
  path: readonly [string, ...string[]],
  collection: PubSubCollection,
  type: string,
): Target {
  const value = known(() => field(r.props, ...path));
  if (isUnknown(value)) {
    const from = dependenciesOfType(r, path[0], type);
    return from.length === 1 && from[0] !== undefined
      ? { kind: "resource", resource: from[0] }
      : { kind: "unknown", unknown: value };
  }
  const ref = parseRef(value, collection, knownProject(r.props));
  return ref && typeof value === "string" ? { kind: "ref", ref, value } : { kind: "unset", value };
}

/** The reference a stack's topic or subscription declares for itself, when its name is known. */
export function knownSelfRef(
  r: PolicyResource,
  collection: PubSubCollection,
): PubSubRef | undefined {
  const name = known(() => r.props["name"]);
  return isUnknown(name) ? undefined : parseRef(name, collection, knownProject(r.props));
}

/**
 * A set of topics or subscriptions, each added as a stack resource or as a reference; `undecided`
 * holds the first reference a preview could not resolve, so a policy can tell "not in the set"
 * from "maybe in the set".
 */
export class TargetSet {
  private readonly resources = new Set<PolicyResource>();
  private readonly refs = new RefSet();
  undecided: Unknown | undefined;

  constructor(private readonly collection: PubSubCollection) {}

  add(target: Target): void {
    if (target.kind === "resource") {
      this.resources.add(target.resource);
      const self = knownSelfRef(target.resource, this.collection);
      if (self) this.refs.add(self, true);
    } else if (target.kind === "ref") this.refs.add(target.ref, true);
    else if (target.kind === "unknown") this.undecided ??= target.unknown;
  }

  /** True when the set holds this resource (or a reference to its name) or this reference. */
  has(target: Target): boolean {
    if (target.kind === "resource") {
      if (this.resources.has(target.resource)) return true;
      const self = knownSelfRef(target.resource, this.collection);
      return self !== undefined && this.refs.has(self);
    }
    return target.kind === "ref" && this.refs.has(target.ref);
  }
}

/** A target as a message shows it: the reference as written, or the resource's name. */
export function showTarget(target: Target, collection: PubSubCollection): string {
  if (target.kind === "ref") return show(target.value);
  if (target.kind === "resource") {
    const self = knownSelfRef(target.resource, collection);
    return self ? show(showRef(self, collection)) : `${show(target.resource.name)} (its id)`;
  }
  return target.kind === "unset" ? show(target.value) : "unknown";
}
