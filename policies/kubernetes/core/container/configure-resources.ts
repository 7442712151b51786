import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field } from "../../../gcp/pubsub/references";
import { containersOf, describeContainer } from "../../workload";

const fix =
  "Set resources.requests and resources.limits for cpu and memory: an unlimited container can starve its node.";

/**
 * A container without limits can take its node's memory and CPU (a backup job, a runaway
 * worker), and one without requests is scheduled blind. Every container of every workload kind
 * states both, for cpu and memory.
 */
export const kubernetesCoreContainerConfigureResources: ResourceValidationPolicy = {
  name: "kubernetes-core-container-configure-resources",
  description:
    "Containers of Deployments, StatefulSets, DaemonSets, Jobs, CronJobs and Pods must set cpu and memory requests and limits.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      const missing = ["requests", "limits"].flatMap((kind) =>
        ["cpu", "memory"]
          .filter((r) => field(c.container, "resources", kind, r) === undefined)
          .map((r) => `resources.${kind}.${r}`),
      );
      if (missing.length > 0) {
        reportViolation(`${describeContainer(c)} has no ${missing.join(", ")}. ${fix}`);
      }
    }
  },
};
