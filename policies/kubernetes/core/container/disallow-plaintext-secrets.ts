import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { argLooksSecret, looksSecret } from "../../../../lib/kubernetes-workload";
import { containersOf, describeContainer } from "../../workload";

const envFix =
  "Read it from a Secret with valueFrom.secretKeyRef: a plain env value is readable by anyone who can read the workload.";
const argFix =
  "Read the secret into an env var with valueFrom.secretKeyRef and refer to it as $(NAME): an argument is readable by anyone who can read the workload.";

/**
 * An env `value`, a `command` and `args` are part of the workload's spec: they are shown by
 * `kubectl get -o yaml` (and `ps` on the node, for arguments), stored unencrypted in etcd with the
 * spec, and kept in every ReplicaSet's history. Secrets (a password, a token, a broker URL with
 * credentials) come from a Secret through `valueFrom`, and reach an argument as `$(NAME)`. The
 * message never repeats the value.
 */
export const kubernetesCoreContainerDisallowPlaintextSecrets: ResourceValidationPolicy = {
  name: "kubernetes-core-container-disallow-plaintext-secrets",
  description:
    "Containers must not hold secrets in plain env values, command or args (secret-looking names, URLs with credentials); use valueFrom.secretKeyRef.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      const env = c.container["env"];
      if (Array.isArray(env)) {
        env.forEach((e: unknown, i) => {
          const name = (e as { name?: unknown } | null)?.name;
          const value = (e as { value?: unknown } | null)?.value;
          if (typeof name !== "string" || typeof value !== "string") return;
          if (looksSecret(name, value)) {
            reportViolation(
              `${describeContainer(c)} env[${i}] ${name} holds a secret-looking value in plain text. ${envFix}`,
            );
          }
        });
      }
      for (const key of ["command", "args"] as const) {
        const argv = c.container[key];
        if (!Array.isArray(argv)) continue;
        argv.forEach((arg: unknown, i) => {
          if (typeof arg === "string" && argLooksSecret(arg)) {
            reportViolation(
              `${describeContainer(c)} ${key}[${i}] holds a secret-looking value in plain text. ${argFix}`,
            );
          }
        });
      }
    }
  },
};
