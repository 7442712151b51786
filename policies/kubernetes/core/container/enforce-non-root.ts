import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field } from "../../../gcp/pubsub/references";
import { containersOf, describeContainer } from "../../workload";

const fix =
  "Set securityContext.runAsNonRoot: true and a non-zero runAsUser (on the pod or the container).";

/**
 * A container running as root turns any code execution in it (a deserialisation bug in a task)
 * into root on the node's kernel interface. The container's securityContext overrides the
 * pod's, as the kubelet applies them.
 */
export const kubernetesCoreContainerEnforceNonRoot: ResourceValidationPolicy = {
  name: "kubernetes-core-container-enforce-non-root",
  description:
    "Containers must run as non-root: runAsNonRoot true (container or pod), runAsUser and runAsGroup not 0.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      const effective = (key: string): unknown =>
        field(c.container, "securityContext", key) ?? field(c.podSpec, "securityContext", key);
      const nonRoot = effective("runAsNonRoot");
      const uid = effective("runAsUser");
      if (uid === 0) {
        reportViolation(`${describeContainer(c)} runs as user 0 (root). ${fix}`);
      } else if (effective("runAsGroup") === 0) {
        reportViolation(
          `${describeContainer(c)} runs with runAsGroup 0 (the root group), which can read and write what root's group owns. Set a non-zero runAsGroup.`,
        );
      } else if (nonRoot !== true) {
        reportViolation(
          `${describeContainer(c)} has runAsNonRoot ${nonRoot === undefined ? "unset" : JSON.stringify(nonRoot)}, so it runs as root if the image says so. ${fix}`,
        );
      }
    }
  },
};
