import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { show } from "../../../gcp/pubsub/references";

/**
 * A budget that allows no disruption blocks every node drain: cluster upgrades stall until
 * someone deletes it (kube-linter's pdb-max-unavailable and pdb-min-available, Gatekeeper's and
 * Kyverno's PDB checks refuse it).
 */
export const kubernetesPolicyPoddisruptionbudgetDisallowZeroDisruption: ResourceValidationPolicy = {
  name: "kubernetes-policy-poddisruptionbudget-disallow-zero-disruption",
  description:
    'PodDisruptionBudgets must allow at least one pod to be evicted: no maxUnavailable 0 or "0%", no minAvailable "100%".',
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    k8s.policy.v1.PodDisruptionBudget,
    (pdb, _args, reportViolation) => {
      const max = pdb.spec?.maxUnavailable;
      const min = pdb.spec?.minAvailable;
      const zero = max === 0 || max === "0%" || min === "100%";
      if (zero) {
        const setting =
          max !== undefined ? `maxUnavailable ${show(max)}` : `minAvailable ${show(min)}`;
        reportViolation(
          `PodDisruptionBudget sets ${setting}, so no pod may ever be evicted and every node drain blocks. Set maxUnavailable 1, so a drain evicts one pod at a time.`,
        );
      }
    },
  ),
};
