import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
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
 * How many pods may be down at once and the majority still stand: floor((n-1)/2), so a quorum of
 * floor(n/2)+1 stays up. Two replicas have no majority to keep through any disruption, and a
 * budget of 0 blocks every node drain (kube-linter's pdb-max-unavailable, Gatekeeper and Kyverno
 * refuse it), so they may lose one. RabbitMQ: one, whatever the cluster size, because a quorum
 * queue starts with up to three replicas (rabbitmq.com/docs/quorum-queues, "Replication Factor and
 * Membership Management"): two of its nodes evicted together lose that queue's majority. This is
 * taskstack's RabbitMqCluster default (brokerMaxUnavailable) and cluster-operator's
 * production-ready example's too.
 */
function quorumLimit(sts: StatefulSetFacts): number {
  if (runsRabbitMq(sts)) return 1;
  return Math.max(1, Math.floor((sts.replicas - 1) / 2));
}

function runsRabbitMq(sts: StatefulSetFacts): boolean {
  const containers = record(sts.podSpec)?.["containers"];
  return (Array.isArray(containers) ? containers : []).some((c) => {
    const image = record(c)?.["image"];
    return typeof image === "string" && isRabbitMqImage(image);
  });
}

/** A `rabbitmq` repository (Docker Hub's, a mirror's or a vendor's), any tag or digest. */
function isRabbitMqImage(image: string): boolean {
  const withoutDigest = image.split("@")[0] ?? "";
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  return lastSegment.split(":")[0] === "rabbitmq";
}

/**
 * The advice, for every clustered store: one pod at a time (what RabbitMqCluster declares), and
 * what that keeps up. A wider budget within quorumLimit passes; this one is safe everywhere.
 */
function advice(sts: StatefulSetFacts): string {
  const n = sts.replicas;
  if (n <= 2) return `maxUnavailable 1 (0 would block every node drain)`;
  return `maxUnavailable 1, which keeps ${n - 1} of ${n} up (a quorum is floor(n/2)+1 = ${Math.floor(n / 2) + 1}${runsRabbitMq(sts) ? ", and each quorum queue keeps two of its three replicas" : ""})`;
}

function missing(sts: StatefulSetFacts): string {
  return `StatefulSet ${sts.id} has ${sts.replicas} replicas and no PodDisruptionBudget selecting its pods, so a node drain can evict a majority of them at once. Add a policy/v1 PodDisruptionBudget in namespace ${sts.namespace} selecting its pod labels with ${advice(sts)}.`;
}

/**
 * A clustered StatefulSet (RabbitMQ, etcd, ZooKeeper…) that loses its majority stops serving:
 * without a PodDisruptionBudget a node upgrade can evict several of its pods at once.
 */
export const kubernetesAppsStatefulsetConfigurePodDisruptionBudget: StackValidationPolicy = {
  name: "kubernetes-apps-statefulset-configure-pod-disruption-budget",
  description:
    "Every StatefulSet with more than one replica must have a PodDisruptionBudget selecting its pods that keeps a quorum up: at most floor((replicas-1)/2) unavailable (one of two), and one for RabbitMQ, whose quorum queues keep three replicas.",
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
      const limit = quorumLimit(sts);
      for (const pdb of matching) {
        const spec = record(pdb.props["spec"]) ?? {};
        const allowed = allowedUnavailable(spec, sts.replicas);
        if (allowed === undefined || allowed > limit) {
          const name = record(pdb.props["metadata"])?.["name"] ?? pdb.name;
          reportViolation(
            `PodDisruptionBudget ${sts.namespace}/${String(name)} lets ${allowed === undefined ? "an unknown number" : allowed} of StatefulSet ${sts.id}'s ${sts.replicas} pods be unavailable at once, which can lose the majority. Set ${advice(sts)}.`,
            r.urn,
          );
        }
      }
    }
  },
};
