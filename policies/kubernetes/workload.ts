import { field } from "../gcp/pubsub/references";

// Containers live at a different depth in each workload kind. The container policies read them
// through this one pure helper, so a Deployment, a StatefulSet, a Job, a CronJob and a bare Pod
// are checked by the same rules.

/** Where each workload kind keeps its pod spec, and the kind's name in messages. */
const podSpecPaths: Readonly<Record<string, { readonly kind: string; readonly path: string[] }>> = {
  "kubernetes:apps/v1:Deployment": { kind: "Deployment", path: ["spec", "template", "spec"] },
  "kubernetes:apps/v1:StatefulSet": { kind: "StatefulSet", path: ["spec", "template", "spec"] },
  "kubernetes:apps/v1:DaemonSet": { kind: "DaemonSet", path: ["spec", "template", "spec"] },
  "kubernetes:batch/v1:Job": { kind: "Job", path: ["spec", "template", "spec"] },
  "kubernetes:batch/v1:CronJob": {
    kind: "CronJob",
    path: ["spec", "jobTemplate", "spec", "template", "spec"],
  },
  "kubernetes:core/v1:Pod": { kind: "Pod", path: ["spec"] },
};

/** The resource types whose containers the container policies check. */
export const workloadTypes: readonly string[] = Object.keys(podSpecPaths);

/** One container of a workload, with where it sits for messages. */
export interface WorkloadContainer {
  /** `Deployment`, `CronJob`… */
  readonly kind: string;
  /** The container's name (or `#<index>` when it has none). */
  readonly name: string;
  /** `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly container: Readonly<Record<string, unknown>>;
  /** The pod spec the container belongs to (its securityContext applies to the container). */
  readonly podSpec: Readonly<Record<string, unknown>>;
}

/** A workload's pod spec and its kind, or undefined for other types or an unset spec. */
export function podSpecOf(
  type: string,
  props: unknown,
):
  | { readonly kind: string; readonly path: string; readonly spec: Record<string, unknown> }
  | undefined {
  const where = podSpecPaths[type];
  if (where === undefined) return undefined;
  const spec = field(props, ...where.path);
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return undefined;
  return { kind: where.kind, path: where.path.join("."), spec: spec as Record<string, unknown> };
}

/** Every container and init container of a workload, in order. */
export function containersOf(type: string, props: unknown): WorkloadContainer[] {
  const pod = podSpecOf(type, props);
  if (pod === undefined) return [];
  const out: WorkloadContainer[] = [];
  for (const list of ["initContainers", "containers"] as const) {
    const containers = pod.spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: unknown, i) => {
      if (typeof c !== "object" || c === null) return;
      const container = c as Record<string, unknown>;
      const name = typeof container["name"] === "string" ? container["name"] : `#${i}`;
      out.push({
        kind: pod.kind,
        name,
        path: `${pod.path}.${list}[${i}]`,
        container,
        podSpec: pod.spec,
      });
    });
  }
  return out;
}

/** `Deployment container "worker" (spec.template.spec.containers[0])`. */
export function describeContainer(c: WorkloadContainer): string {
  return `${c.kind} container "${c.name}" (${c.path})`;
}

/** A ConfigMap's `data` entries whose values are text (binaryData and unknowns are left out). */
export function configMapTextEntries(props: Record<string, unknown>): [string, string][] {
  const data = props["data"];
  if (typeof data !== "object" || data === null) return [];
  return Object.entries(data as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
  );
}
