import type { Policies } from "@pulumi/policy";
import { kubernetesBatchCronjobConfigureConcurrencyPolicy } from "./batch/cronjob/configure-concurrency-policy";
import { kubernetesBatchCronjobConfigureStartingDeadline } from "./batch/cronjob/configure-starting-deadline";
import { kubernetesBatchCronjobDisallowTtlAfterFinished } from "./batch/cronjob/disallow-ttl-after-finished";
import { kubernetesCoreContainerConfigureResources } from "./core/container/configure-resources";
import { kubernetesCoreContainerDisallowLatestTag } from "./core/container/disallow-latest-tag";
import { kubernetesCoreContainerDisallowPlaintextSecrets } from "./core/container/disallow-plaintext-secrets";
import { kubernetesCoreContainerEnforceNonRoot } from "./core/container/enforce-non-root";

export {
  kubernetesBatchCronjobConfigureConcurrencyPolicy,
  kubernetesBatchCronjobConfigureStartingDeadline,
  kubernetesBatchCronjobDisallowTtlAfterFinished,
  kubernetesCoreContainerConfigureResources,
  kubernetesCoreContainerDisallowLatestTag,
  kubernetesCoreContainerDisallowPlaintextSecrets,
  kubernetesCoreContainerEnforceNonRoot,
};

/** Every Kubernetes policy in the pack. */
export const kubernetesPolicies: Policies = [
  kubernetesBatchCronjobConfigureStartingDeadline,
  kubernetesBatchCronjobConfigureConcurrencyPolicy,
  kubernetesBatchCronjobDisallowTtlAfterFinished,
  kubernetesCoreContainerConfigureResources,
  kubernetesCoreContainerEnforceNonRoot,
  kubernetesCoreContainerDisallowLatestTag,
  kubernetesCoreContainerDisallowPlaintextSecrets,
];
