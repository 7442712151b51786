import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { imageProblem } from "../../../../lib/kubernetes-workload";
import { show } from "../../../gcp/pubsub/references";
import { containersOf, describeContainer } from "../../workload";

const fix = "Pin the image to a version tag or a digest (@sha256:…).";

/**
 * `:latest` (or no tag, which means latest) makes a restart or a rollback run whatever was pushed
 * last: two pods of one Deployment can run different code, and an undo redeploys the bug.
 */
export const kubernetesCoreContainerDisallowLatestTag: ResourceValidationPolicy = {
  name: "kubernetes-core-container-disallow-latest-tag",
  description:
    "Container images must be pinned to a version tag or digest, never :latest or untagged.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      const image = c.container["image"];
      const why = typeof image === "string" ? imageProblem(image) : "a container image";
      if (why !== undefined) {
        reportViolation(`${describeContainer(c)} image is ${show(image)}; expected ${why}. ${fix}`);
      }
    }
  },
};
