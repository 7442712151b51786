import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { podSpecOf } from "../../workload";

const hostNamespaces = ["hostNetwork", "hostPID", "hostIPC"] as const;

/**
 * A pod in the host's network, PID or IPC namespace sees and reaches the node's processes and
 * sockets. Pod Security Standards, baseline: all three must be unset or false
 * (kubernetes.io/docs/concepts/security/pod-security-standards/#baseline, "Host Namespaces").
 */
export const kubernetesCorePodDisallowHostNamespaces: ResourceValidationPolicy = {
  name: "kubernetes-core-pod-disallow-host-namespaces",
  description: "Pods must not share the host's network, PID or IPC namespace.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    const pod = podSpecOf(args.type, args.props);
    if (pod === undefined) return;
    const shared = hostNamespaces.filter((key) => pod.spec[key] === true);
    if (shared.length > 0) {
      reportViolation(
        `${pod.kind} ${pod.path} sets ${shared.map((k) => `${k}: true`).join(", ")}, so its containers see the node's ${shared.map((k) => k.slice(4).toUpperCase()).join(", ")} namespace. Remove them.`,
      );
    }
  },
};
