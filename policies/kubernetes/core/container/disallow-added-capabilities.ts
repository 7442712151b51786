import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../../gcp/pubsub/references";
import { containersOf, describeContainer } from "../../workload";

/**
 * The capabilities Pod Security Standards, baseline, allow a container to add
 * (kubernetes.io/docs/concepts/security/pod-security-standards/#baseline, "Capabilities").
 */
const baselineCapabilities: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

export const kubernetesCoreContainerDisallowAddedCapabilities: ResourceValidationPolicy = {
  name: "kubernetes-core-container-disallow-added-capabilities",
  description:
    "Containers must not add capabilities beyond Pod Security Standards' baseline set (no SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ALL...).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      const added = field(c.container, "securityContext", "capabilities", "add");
      if (!Array.isArray(added)) continue;
      const extra = added.filter(
        (cap) => typeof cap !== "string" || !baselineCapabilities.has(cap.replace(/^CAP_/, "")),
      );
      if (extra.length > 0) {
        reportViolation(
          `${describeContainer(c)} adds capabilities ${show(extra)} (securityContext.capabilities.add); beyond the baseline set they let a compromised process take the node. Drop them, or run the work outside the cluster's shared nodes.`,
        );
      }
    }
  },
};
