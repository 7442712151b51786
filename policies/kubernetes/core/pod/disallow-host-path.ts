import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field } from "../../../gcp/pubsub/references";
import { podSpecOf } from "../../workload";

/**
 * A hostPath volume mounts the node's file system (`/var/run/docker.sock` is the node). Pod
 * Security Standards, baseline, forbid them
 * (kubernetes.io/docs/concepts/security/pod-security-standards/#baseline, "HostPath Volumes").
 */
export const kubernetesCorePodDisallowHostPath: ResourceValidationPolicy = {
  name: "kubernetes-core-pod-disallow-host-path",
  description: "Pods must not mount hostPath volumes.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    const pod = podSpecOf(args.type, args.props);
    if (pod === undefined) return;
    const volumes = pod.spec["volumes"];
    if (!Array.isArray(volumes)) return;
    volumes.forEach((v: unknown, i) => {
      const path = field(v, "hostPath", "path");
      if (path === undefined) return;
      reportViolation(
        `${pod.kind} ${pod.path}.volumes[${i}] mounts the node's ${JSON.stringify(path)} (hostPath). Use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret instead.`,
      );
    });
  },
};
