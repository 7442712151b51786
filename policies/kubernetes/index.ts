import type { Policies } from "@pulumi/policy";
import { kubernetesAppsStatefulsetConfigureAntiAffinity } from "./apps/statefulset/configure-anti-affinity";
import { kubernetesAppsStatefulsetConfigurePodDisruptionBudget } from "./apps/statefulset/configure-pod-disruption-budget";
import { kubernetesBatchCronjobConfigureConcurrencyPolicy } from "./batch/cronjob/configure-concurrency-policy";
import { kubernetesBatchCronjobConfigureStartingDeadline } from "./batch/cronjob/configure-starting-deadline";
import { kubernetesBatchCronjobDisallowTtlAfterFinished } from "./batch/cronjob/disallow-ttl-after-finished";
import { kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling } from "./core/configmap/configure-rabbitmq-partition-handling";
import { kubernetesCoreContainerConfigureResources } from "./core/container/configure-resources";
import { kubernetesCoreContainerDisallowLatestTag } from "./core/container/disallow-latest-tag";
import { kubernetesCoreContainerDisallowPlaintextSecrets } from "./core/container/disallow-plaintext-secrets";
import { kubernetesCoreContainerEnforceNonRoot } from "./core/container/enforce-non-root";

export type { ConfigureAntiAffinityConfig } from "./apps/statefulset/configure-anti-affinity";
export {
  kubernetesAppsStatefulsetConfigureAntiAffinity,
  kubernetesAppsStatefulsetConfigurePodDisruptionBudget,
  kubernetesBatchCronjobConfigureConcurrencyPolicy,
  kubernetesBatchCronjobConfigureStartingDeadline,
  kubernetesBatchCronjobDisallowTtlAfterFinished,
  kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling,
  kubernetesCoreContainerConfigureResources,
  kubernetesCoreContainerDisallowLatestTag,
  kubernetesCoreContainerDisallowPlaintextSecrets,
  kubernetesCoreContainerEnforceNonRoot,
};

/** Every Kubernetes policy in the pack. */
export const kubernetesPolicies: Policies = [
  kubernetesAppsStatefulsetConfigurePodDisruptionBudget,
  kubernetesAppsStatefulsetConfigureAntiAffinity,
  kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling,
  kubernetesBatchCronjobConfigureStartingDeadline,
  kubernetesBatchCronjobConfigureConcurrencyPolicy,
  kubernetesBatchCronjobDisallowTtlAfterFinished,
  kubernetesCoreContainerConfigureResources,
  kubernetesCoreContainerEnforceNonRoot,
  kubernetesCoreContainerDisallowLatestTag,
  kubernetesCoreContainerDisallowPlaintextSecrets,
];
