import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field } from "../../../gcp/pubsub/references";
import { containersOf, describeContainer } from "../../workload";

/**
 * A privileged container has every capability and the host's devices: one compromise is the
 * node's. Pod Security Standards, baseline: `securityContext.privileged` must be unset or false
 * (kubernetes.io/docs/concepts/security/pod-security-standards/#baseline).
 */
export const kubernetesCoreContainerDisallowPrivileged: ResourceValidationPolicy = {
  name: "kubernetes-core-container-disallow-privileged",
  description: "Containers must not run privileged (Pod Security Standards, baseline).",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      if (field(c.container, "securityContext", "privileged") === true) {
        reportViolation(
          `${describeContainer(c)} sets securityContext.privileged: true, which gives it every capability and the node's devices. Remove it, and add only the capability it needs.`,
        );
      }
    }
  },
};
