import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { hasCredentialsUrl, secretLookingName } from "../../../../lib/kubernetes-workload";
import { configMapTextEntries } from "../../workload";

const fix =
  "Move it to a Secret (and mount or reference that): a ConfigMap is stored unencrypted and readable by anyone who may read the namespace's ConfigMaps.";

/**
 * A ConfigMap is configuration in plain text: `kubectl get configmap -o yaml` shows it to anyone
 * with read access to the namespace, and etcd encryption at rest usually covers Secrets only. An
 * entry whose key looks secret (`DB_PASSWORD`, `.erlang.cookie`, read by `envFrom` or as a file)
 * or whose text holds a URL with credentials (a settings file with `amqp://user:password@…`)
 * belongs in a Secret. The message never repeats the value.
 */
export const kubernetesCoreConfigmapDisallowPlaintextSecrets: ResourceValidationPolicy = {
  name: "kubernetes-core-configmap-disallow-plaintext-secrets",
  description:
    "ConfigMaps must not hold secrets (entries with secret-looking keys, text with URLs holding credentials); use a Secret.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateResourceOfType(k8s.core.v1.ConfigMap, (_cm, args, reportViolation) => {
    for (const [key, value] of configMapTextEntries(args.props)) {
      if (secretLookingName(key) && value.trim() !== "") {
        reportViolation(
          `ConfigMap data[${JSON.stringify(key)}] has a secret-looking key and holds a value in plain text. ${fix}`,
        );
      } else if (hasCredentialsUrl(value)) {
        reportViolation(
          `ConfigMap data[${JSON.stringify(key)}] holds a URL with credentials in plain text. ${fix}`,
        );
      }
    }
  }),
};
