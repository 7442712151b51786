import type { ResourceValidationPolicy } from "@pulumi/policy";
import { bootHangFixedIn, parseRabbitMqVersion } from "../../../../lib/rabbitmq-version";
import { isTaskstackChild } from "../../../shared/hints";
import { containersOf, describeContainer } from "../../workload";

/**
 * The RabbitMQ version an image reference names: a `rabbitmq` repository (Docker Hub's, a mirror's
 * or a vendor's) whose tag starts with major.minor.patch, such as `rabbitmq:3.10.8-management`.
 * Undefined for other images, floating tags (`3.10`) and bare digests.
 */
export function rabbitMqImageVersion(image: string): string | undefined {
  const withoutDigest = image.split("@")[0] ?? "";
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon === -1 || lastSegment.slice(0, colon) !== "rabbitmq") return undefined;
  return /^(\d+\.\d+\.\d+)(?:$|[-+_])/.exec(lastSegment.slice(colon + 1))?.[1];
}

/**
 * RabbitMQ 3.10.0–3.10.8 and 3.11.0 on Erlang 25 can leave a node that rejoins after a partition,
 * or restarts during a rolling update, booting forever in `global:sync` (rabbitmq-server#6034):
 * the cluster runs a node short, and a rolling update stops at that pod. The real-RabbitMQ suite
 * sees it on Debian's 3.10.8. Advisory, since images built on Erlang 24 do not hang.
 */
export const kubernetesCoreContainerDisallowRabbitmqBootHangVersions: ResourceValidationPolicy = {
  name: "kubernetes-core-container-disallow-rabbitmq-boot-hang-versions",
  description:
    "RabbitMQ images must not be 3.10.0–3.10.8 or 3.11.0, whose nodes can hang at boot after a partition or during a rolling update on Erlang 25.",
  enforcementLevel: "advisory",
  severity: "medium",
  validateResource: (args, reportViolation) => {
    for (const c of containersOf(args.type, args.props)) {
      // An init container on the same image (RabbitMqCluster's cookie copy) runs no node.
      if (c.path.includes("initContainers")) continue;
      const image = c.container["image"];
      if (typeof image !== "string") continue;
      const text = rabbitMqImageVersion(image);
      const version = text === undefined ? undefined : parseRabbitMqVersion(text);
      const fixedIn = version === undefined ? undefined : bootHangFixedIn(version);
      if (fixedIn === undefined) continue;
      reportViolation(
        `${describeContainer(c)} runs RabbitMQ ${text} ("${image}"); expected ${fixedIn} or newer: on Erlang 25 a node of ${text} that rejoins after a partition or restarts in a rolling update can wait in global:sync forever (rabbitmq-server#6034, fixed in ${fixedIn}). ${
          isTaskstackChild(args.opts.parent)
            ? `Set the RabbitMqCluster's version to ${fixedIn} or newer.`
            : `Use a rabbitmq image of ${fixedIn} or newer.`
        }`,
      );
    }
  },
};
