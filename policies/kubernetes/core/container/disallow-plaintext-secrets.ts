import type { ResourceValidationPolicy } from "@pulumi/policy";
import { looksSecret } from "../../../../components/shared/kubernetes-workload";
import { containersOf, describeContainer } from "../../workload";

const fix =
  "Read it from a Secret with valueFrom.secretKeyRef: a plain env value is readable by anyone who can read the workload.";

/**
 * An env `value` is part of the workload's spec: it is shown by `kubectl get -o yaml`, stored
 * unencrypted in etcd with the spec, and kept in every ReplicaSet's history. Secrets (a password,
 * a token, a broker URL with credentials) come from a Secret through `valueFrom`. The message
 * never repeats the value.
 */
export const kubernetesCoreContainerDisallowPlaintextSecrets: ResourceValidationPolicy = {
  name: "kubernetes-core-container-disallow-plaintext-secrets",
  description:
    "Containers must not hold secrets in plain env values (secret-looking names, URLs with credentials); use valueFrom.secretKeyRef.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      const env = c.container["env"];
      if (!Array.isArray(env)) continue;
      env.forEach((e: unknown, i) => {
        const name = (e as { name?: unknown } | null)?.name;
        const value = (e as { value?: unknown } | null)?.value;
        if (typeof name !== "string" || typeof value !== "string") return;
        if (looksSecret(name, value)) {
          reportViolation(
            `${describeContainer(c)} env[${i}] ${name} holds a secret-looking value in plain text. ${fix}`,
          );
        }
      });
    }
  },
};
