import type { Policies } from "@pulumi/policy";
import { kubernetesAppsStatefulsetConfigureAntiAffinity } from "./apps/statefulset/configure-anti-affinity";
import { kubernetesAppsStatefulsetConfigurePodDisruptionBudget } from "./apps/statefulset/configure-pod-disruption-budget";
import { kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling } from "./core/configmap/configure-rabbitmq-partition-handling";

export type { ConfigureAntiAffinityConfig } from "./apps/statefulset/configure-anti-affinity";
export {
  kubernetesAppsStatefulsetConfigureAntiAffinity,
  kubernetesAppsStatefulsetConfigurePodDisruptionBudget,
  kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling,
};

/** Every Kubernetes policy in the pack. */
export const kubernetesPolicies: Policies = [
  kubernetesAppsStatefulsetConfigurePodDisruptionBudget,
  kubernetesAppsStatefulsetConfigureAntiAffinity,
  kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling,
];
