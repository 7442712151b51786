import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";

// Pod-level pieces of RabbitMqCluster that are plain data: the hardened security contexts and the
// hash that rolls the nodes when what they read at boot changes.

/** The `rabbitmq` user of the official image. */
export const rabbitMqUid = 999;

/** Non-root, with the volumes group-owned by the image's user and the runtime's seccomp profile. */
export const rabbitMqPodSecurity = (): k8s.types.input.core.v1.PodSecurityContext => ({
  runAsNonRoot: true,
  runAsUser: rabbitMqUid,
  runAsGroup: rabbitMqUid,
  fsGroup: rabbitMqUid,
  seccompProfile: { type: "RuntimeDefault" },
});

/** No privilege escalation, no capabilities, a read-only root filesystem (data, /tmp are volumes). */
export const rabbitMqContainerSecurity = (): k8s.types.input.core.v1.SecurityContext => ({
  runAsNonRoot: true,
  runAsUser: rabbitMqUid,
  runAsGroup: rabbitMqUid,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
});

/**
 * A short digest of what nodes read only at boot (rabbitmq.conf, plugins, definitions with the
 * password hashes left out). As a pod annotation it makes a change roll the nodes, one at a time,
 * each through its preStop hook; a ConfigMap change alone would wait for the next restart.
 */
export function configHash(...parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest("hex").slice(0, 16);
}
