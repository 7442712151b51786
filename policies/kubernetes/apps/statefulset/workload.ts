// Reading a StatefulSet's props without trusting their shape (policies see hand-written resources
// too), shared by the StatefulSet policies. The pod spec comes from the one workload helper.
import { podSpecOf } from "../../workload";

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

export const statefulSetType = "kubernetes:apps/v1:StatefulSet";
export const podDisruptionBudgetType = "kubernetes:policy/v1:PodDisruptionBudget";

export interface StatefulSetFacts {
  /** `<namespace>/<name>`, or the logical name when metadata.name is not set. */
  readonly id: string;
  readonly namespace: string;
  /** spec.replicas; Kubernetes' default is 1. */
  readonly replicas: number;
  /** The pod template's labels. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podSpec: Json;
}

export function statefulSetFacts(props: Json, logicalName: string): StatefulSetFacts {
  const metadata = record(props["metadata"]) ?? {};
  const spec = record(props["spec"]) ?? {};
  const template = record(spec["template"]) ?? {};
  const labels = record(record(template["metadata"])?.["labels"]) ?? {};
  const namespace = typeof metadata["namespace"] === "string" ? metadata["namespace"] : "default";
  const name = typeof metadata["name"] === "string" ? metadata["name"] : logicalName;
  return {
    id: `${namespace}/${name}`,
    namespace,
    replicas: typeof spec["replicas"] === "number" ? spec["replicas"] : 1,
    podLabels: Object.fromEntries(
      Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === "string"),
    ),
    podSpec: podSpecOf(statefulSetType, props)?.spec ?? {},
  };
}

/** True when a `matchLabels` selector (no expressions) selects pods with these labels. */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = record(selector);
  const match = record(s?.["matchLabels"]);
  if (!match || Object.keys(match).length === 0 || s?.["matchExpressions"] !== undefined) {
    return false;
  }
  return Object.entries(match).every(([k, v]) => labels[k] === v);
}

export { record };
