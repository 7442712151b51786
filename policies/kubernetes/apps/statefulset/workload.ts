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
/**
 * True when a label selector selects pods with these labels, as the API server reads it:
 * every matchLabels pair and every matchExpressions requirement (In, NotIn, Exists,
 * DoesNotExist) must hold. An empty or absent selector selects nothing here (a PDB or affinity
 * term with one is not about these pods).
 */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = record(selector);
  const match = record(s?.["matchLabels"]) ?? {};
  const expressions = Array.isArray(s?.["matchExpressions"]) ? s["matchExpressions"] : [];
  if (Object.keys(match).length === 0 && expressions.length === 0) return false;
  if (!Object.entries(match).every(([k, v]) => labels[k] === v)) return false;
  return expressions.every((e: unknown) => {
    const req = record(e) ?? {};
    const key = req["key"];
    if (typeof key !== "string") return false;
    const values = Array.isArray(req["values"]) ? (req["values"] as unknown[]) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (req["operator"]) {
      case "In":
        return has && values.includes(labels[key]);
      case "NotIn":
        return !has || !values.includes(labels[key]);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
}

export { record };
