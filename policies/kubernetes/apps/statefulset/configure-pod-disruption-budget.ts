import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy/policy";
import { stackIndex } from "../../../shared/stack-index";
import {
  podDisruptionBudgetType,
  record,
  selects,
  statefulSetFacts,
  statefulSetType,
} from "./workload";
import type { StatefulSetFacts } from "./workload";

/** Pods a PDB lets go at once for `replicas` pods; undefined when it cannot tell. */
function allowedUnavailable(spec: Record<string, unknown>, replicas: number): number | undefined {
  const count = (value: unknown, roundUp: boolean): number | undefined => {
    if (typeof value === "number") return value;
    const m = typeof value === "string" ? /^(\d+)%$/.exec(value) : null;
    if (!m) return undefined;
    const exact = (replicas * Number(m[1])) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  };
  // Kubernetes rounds percentages up, for maxUnavailable and minAvailable alike.
  if (spec["maxUnavailable"] !== undefined) return count(spec["maxUnavailable"], true);
  if (spec["minAvailable"] !== undefined) {
    const min = count(spec["minAvailable"], true);
    return min === undefined ? undefined : Math.max(0, replicas - min);
  }
  return undefined;
}

/**
 * How many pods may be down at once and the majority still stand: floor((n-1)/2). Two replicas
 * have no majority to keep through any disruption, and a budget of 0 blocks every node drain
 * (kube-linter's pdb-max-unavailable, Gatekeeper and Kyverno refuse it), so they may lose one.
 */
const quorumLimit = (replicas: number): number => Math.max(1, Math.floor((replicas - 1) / 2));

function missing(sts: StatefulSetFacts): string {
  const limit = quorumLimit(sts.replicas);
  return `StatefulSet ${sts.id} has ${sts.replicas} replicas and no PodDisruptionBudget selecting its pods, so a node drain can evict a majority of them at once. Add a policy/v1 PodDisruptionBudget in namespace ${sts.namespace} selecting its pod labels with maxUnavailable ${limit}${sts.replicas > 2 ? " (floor((replicas-1)/2))" : ""}.`;
}

/**
 * A clustered StatefulSet (RabbitMQ, etcd, ZooKeeper…) that loses its majority stops serving:
 * without a PodDisruptionBudget a node upgrade can evict several of its pods at once.
 */
export const kubernetesAppsStatefulsetConfigurePodDisruptionBudget: StackValidationPolicy = {
  name: "kubernetes-apps-statefulset-configure-pod-disruption-budget",
  description:
    "Every StatefulSet with more than one replica must have a PodDisruptionBudget selecting its pods that keeps a majority: at most floor((replicas-1)/2) unavailable (one of two).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const statefulSets = index.ofType(statefulSetType);
    if (statefulSets.length === 0) args.notApplicable("no StatefulSet in the stack");
    // PDBs by namespace, built once: the loop below looks its namespace up, never scans the stack.
    const budgets = new Map<string, PolicyResource[]>();
    for (const pdb of index.ofType(podDisruptionBudgetType)) {
      const ns = record(pdb.props["metadata"])?.["namespace"];
      const key = typeof ns === "string" ? ns : "default";
      budgets.set(key, [...(budgets.get(key) ?? []), pdb]);
    }
    for (const r of statefulSets) {
      const sts = statefulSetFacts(r.props, r.name);
      if (sts.replicas <= 1) continue;
      const matching = (budgets.get(sts.namespace) ?? []).filter((pdb) =>
        selects(record(pdb.props["spec"])?.["selector"], sts.podLabels),
      );
      if (matching.length === 0) {
        reportViolation(missing(sts), r.urn);
        continue;
      }
      const limit = quorumLimit(sts.replicas);
      for (const pdb of matching) {
        const spec = record(pdb.props["spec"]) ?? {};
        const allowed = allowedUnavailable(spec, sts.replicas);
        if (allowed === undefined || allowed > limit) {
          const name = record(pdb.props["metadata"])?.["name"] ?? pdb.name;
          reportViolation(
            `PodDisruptionBudget ${sts.namespace}/${String(name)} lets ${allowed === undefined ? "an unknown number" : allowed} of StatefulSet ${sts.id}'s ${sts.replicas} pods be unavailable at once, which can lose the majority. Set maxUnavailable to ${limit}${sts.replicas > 2 ? " (floor((replicas-1)/2))" : ""}.`,
            r.urn,
          );
        }
      }
    }
  },
};
