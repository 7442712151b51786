import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field } from "../../../gcp/pubsub/references";
import { containersOf, describeContainer } from "../../workload";

/**
 * `allowPrivilegeEscalation: true` lets a process gain more privileges than its parent (setuid
 * binaries). Pod Security Standards, restricted, require false
 * (kubernetes.io/docs/concepts/security/pod-security-standards/#restricted).
 */
export const kubernetesCoreContainerDisallowPrivilegeEscalation: ResourceValidationPolicy = {
  name: "kubernetes-core-container-disallow-privilege-escalation",
  description: "Containers must not set securityContext.allowPrivilegeEscalation: true.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      if (field(c.container, "securityContext", "allowPrivilegeEscalation") === true) {
        reportViolation(
          `${describeContainer(c)} sets securityContext.allowPrivilegeEscalation: true, so a setuid binary can make it root. Set it to false.`,
        );
      }
    }
  },
};
