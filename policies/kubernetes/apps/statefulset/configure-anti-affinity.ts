import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { record, selects, statefulSetFacts } from "./workload";

/** The policy's knob, set per stack in `policies/config/<stack>.json`. */
export interface ConfigureAntiAffinityConfig {
  /** Accept a preferred (best-effort) anti-affinity, e.g. in a dev cluster with one node. */
  readonly allowPreferred: boolean;
}

const hostname = "kubernetes.io/hostname";

/** Terms spreading the StatefulSet's own pods over hosts. */
function spreadsOverHosts(terms: unknown, labels: Readonly<Record<string, string>>): boolean {
  return (
    Array.isArray(terms) &&
    terms.some((t) => {
      // Required terms are PodAffinityTerms; preferred ones wrap one in `podAffinityTerm`.
      const inner = record(record(t)?.["podAffinityTerm"]) ?? record(t);
      return inner?.["topologyKey"] === hostname && selects(inner["labelSelector"], labels);
    })
  );
}

/**
 * Two replicas of a clustered StatefulSet on one node fail together: for a three-node RabbitMQ
 * that is the majority gone with one machine.
 */
export const kubernetesAppsStatefulsetConfigureAntiAffinity: ResourceValidationPolicy = {
  name: "kubernetes-apps-statefulset-configure-anti-affinity",
  description:
    "StatefulSets with more than one replica must require pod anti-affinity on kubernetes.io/hostname for their own pods.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: { allowPreferred: { type: "boolean", default: false } },
  },
  validateResource: validateResourceOfType(
    k8s.apps.v1.StatefulSet,
    (_sts, args, reportViolation) => {
      const { allowPreferred } = args.getConfig<ConfigureAntiAffinityConfig>();
      const sts = statefulSetFacts(args.props, args.name);
      if (sts.replicas <= 1) return;
      const anti = record(record(sts.podSpec["affinity"])?.["podAntiAffinity"]) ?? {};
      const required = anti["requiredDuringSchedulingIgnoredDuringExecution"];
      if (spreadsOverHosts(required, sts.podLabels)) return;
      const preferred = spreadsOverHosts(
        anti["preferredDuringSchedulingIgnoredDuringExecution"],
        sts.podLabels,
      );
      if (preferred && allowPreferred) return;
      reportViolation(
        `StatefulSet ${sts.id} has ${sts.replicas} replicas and ${preferred ? "only a preferred" : "no required"} pod anti-affinity on ${hostname} for its own pods, so two of them can run on one node and fail together. Add affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution with topologyKey ${hostname} and a labelSelector matching its pod labels.`,
      );
    },
  ),
};
