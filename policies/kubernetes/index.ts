import "./peers";
import type { Policies } from "@pulumi/policy";
import { withExemptions } from "../shared/exemptions";
import { kubernetesAppsStatefulsetConfigureAntiAffinity } from "./apps/statefulset/configure-anti-affinity";
import { kubernetesAppsStatefulsetConfigurePodDisruptionBudget } from "./apps/statefulset/configure-pod-disruption-budget";
import { kubernetesBatchCronjobConfigureActiveDeadline } from "./batch/cronjob/configure-active-deadline";
import { kubernetesBatchCronjobConfigureConcurrencyPolicy } from "./batch/cronjob/configure-concurrency-policy";
import { kubernetesBatchCronjobConfigureStartingDeadline } from "./batch/cronjob/configure-starting-deadline";
import { kubernetesBatchCronjobConfigureTimeZone } from "./batch/cronjob/configure-time-zone";
import { kubernetesBatchCronjobDisallowDaylightSavingTimes } from "./batch/cronjob/disallow-daylight-saving-times";
import { kubernetesBatchCronjobDisallowTtlAfterFinished } from "./batch/cronjob/disallow-ttl-after-finished";
import { kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling } from "./core/configmap/configure-rabbitmq-partition-handling";
import { kubernetesCoreConfigmapDisallowPlaintextSecrets } from "./core/configmap/disallow-plaintext-secrets";
import { kubernetesCoreContainerConfigureResources } from "./core/container/configure-resources";
import { kubernetesCoreContainerDisallowLatestTag } from "./core/container/disallow-latest-tag";
import { kubernetesCoreContainerDisallowPlaintextSecrets } from "./core/container/disallow-plaintext-secrets";
import { kubernetesCoreContainerDisallowRabbitmqBootHangVersions } from "./core/container/disallow-rabbitmq-boot-hang-versions";
import { kubernetesCoreContainerEnforceNonRoot } from "./core/container/enforce-non-root";
import { kubernetesCoreContainerDisallowAddedCapabilities } from "./core/container/disallow-added-capabilities";
import { kubernetesCoreContainerDisallowPrivilegeEscalation } from "./core/container/disallow-privilege-escalation";
import { kubernetesCoreContainerDisallowPrivileged } from "./core/container/disallow-privileged";
import { kubernetesCorePodDisallowHostNamespaces } from "./core/pod/disallow-host-namespaces";
import { kubernetesCorePodDisallowHostPath } from "./core/pod/disallow-host-path";
import { kubernetesPolicyPoddisruptionbudgetDisallowZeroDisruption } from "./policy/poddisruptionbudget/disallow-zero-disruption";

export type { ConfigureAntiAffinityConfig } from "./apps/statefulset/configure-anti-affinity";
export { exemptKey, exemptReasonKey, withExemption, withExemptions } from "../shared/exemptions";
export type { PolicyExemption } from "../shared/exemptions";
export {
  kubernetesAppsStatefulsetConfigureAntiAffinity,
  kubernetesAppsStatefulsetConfigurePodDisruptionBudget,
  kubernetesBatchCronjobConfigureActiveDeadline,
  kubernetesBatchCronjobConfigureConcurrencyPolicy,
  kubernetesBatchCronjobConfigureStartingDeadline,
  kubernetesBatchCronjobConfigureTimeZone,
  kubernetesBatchCronjobDisallowDaylightSavingTimes,
  kubernetesBatchCronjobDisallowTtlAfterFinished,
  kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling,
  kubernetesCoreConfigmapDisallowPlaintextSecrets,
  kubernetesCoreContainerConfigureResources,
  kubernetesCoreContainerDisallowLatestTag,
  kubernetesCoreContainerDisallowPlaintextSecrets,
  kubernetesCoreContainerDisallowRabbitmqBootHangVersions,
  kubernetesCoreContainerEnforceNonRoot,
  kubernetesCoreContainerDisallowAddedCapabilities,
  kubernetesCoreContainerDisallowPrivilegeEscalation,
  kubernetesCoreContainerDisallowPrivileged,
  kubernetesCorePodDisallowHostNamespaces,
  kubernetesCorePodDisallowHostPath,
  kubernetesPolicyPoddisruptionbudgetDisallowZeroDisruption,
};

/** Every Kubernetes policy in the pack, each honouring per-resource exemptions. */
export const kubernetesPolicies: Policies = withExemptions([
  kubernetesAppsStatefulsetConfigurePodDisruptionBudget,
  kubernetesAppsStatefulsetConfigureAntiAffinity,
  kubernetesCoreConfigmapConfigureRabbitmqPartitionHandling,
  kubernetesCoreConfigmapDisallowPlaintextSecrets,
  kubernetesBatchCronjobConfigureStartingDeadline,
  kubernetesBatchCronjobConfigureConcurrencyPolicy,
  kubernetesBatchCronjobConfigureTimeZone,
  kubernetesBatchCronjobConfigureActiveDeadline,
  kubernetesBatchCronjobDisallowTtlAfterFinished,
  kubernetesBatchCronjobDisallowDaylightSavingTimes,
  kubernetesCoreContainerConfigureResources,
  kubernetesCoreContainerEnforceNonRoot,
  kubernetesCoreContainerDisallowLatestTag,
  kubernetesCoreContainerDisallowPlaintextSecrets,
  kubernetesCoreContainerDisallowRabbitmqBootHangVersions,
  kubernetesCoreContainerDisallowAddedCapabilities,
  kubernetesCoreContainerDisallowPrivilegeEscalation,
  kubernetesCoreContainerDisallowPrivileged,
  kubernetesCorePodDisallowHostNamespaces,
  kubernetesCorePodDisallowHostPath,
  kubernetesPolicyPoddisruptionbudgetDisallowZeroDisruption,
]);
