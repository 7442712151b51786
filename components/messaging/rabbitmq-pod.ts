import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { atLeast, quorumSize, rabbitMqPaths, rabbitMqPorts } from "./rabbitmq-config";
import type { RabbitMqVersion } from "./rabbitmq-config";

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
 * password hashes left out, and a {@link credentialDigest} per user). As a pod annotation it makes
 * a change roll the nodes, one at a time, each through its preStop hook; a ConfigMap or Secret
 * change alone would wait for the next restart.
 */
export function configHash(...parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest("hex").slice(0, 16);
}

/**
 * A one-way digest of a user's password for {@link configHash}: definitions (users and their
 * passwords included) are imported at boot only, so a new password must roll the nodes, yet
 * nothing that reveals it may reach the pod template. Domain-separated from the definitions'
 * password hash, and truncated with the rest into the annotation.
 */
export function credentialDigest(user: string, password: string): string {
  return createHash("sha256").update(`taskstack:rollout:${user}\u0000${password}`).digest("hex");
}

export interface RabbitMqPodParams {
  readonly image: string;
  readonly version: RabbitMqVersion;
  readonly replicas: number;
  /** terminationGracePeriodSeconds, shared by the preStop hook and the shutdown after it. */
  readonly grace: number;
  /** Seconds the init container waits before the node boots (DNS records of new pods). */
  readonly delayStart: number;
  readonly cpu: string;
  readonly memory: string;
  readonly selector: Readonly<Record<string, string>>;
  /** `<headless service>.<namespace>.svc.<cluster domain>`: node names are `rabbit@<pod>.<domain>`. */
  readonly nodeDomain: pulumi.Input<string>;
  readonly serviceAccountName: pulumi.Input<string>;
  readonly automountServiceAccountToken: boolean;
  readonly antiAffinity: "required" | "preferred";
  readonly zoneSpread: "ScheduleAnyway" | "DoNotSchedule";
  readonly configMapName: pulumi.Input<string>;
  readonly definitionsSecretName: pulumi.Input<string>;
  readonly cookieSecretName: pulumi.Input<string>;
}

/** How a node's grace period is spent when it is stopped, in seconds (they add up to the grace). */
export interface PreStopBudget {
  /** `rabbitmq-upgrade await_online_quorum_plus_one -t`: wait until no quorum queue needs this node. */
  readonly awaitSeconds: number;
  /** `rabbitmq-upgrade drain -t`: hand queue leadership and clients to the other nodes. */
  readonly drainSeconds: number;
  /** Left after the hook, for the node's own shutdown on SIGTERM. */
  readonly shutdownSeconds: number;
}

const clamp = (n: number, min: number, max: number) => Math.max(min, Math.min(max, n));

/**
 * Splits the grace period between the preStop hook's two steps and the shutdown after it. The
 * kubelet starts the grace countdown before the hook, and kills the container when it runs out:
 * a wait allowed the whole grace would leave no time to drain or to stop cleanly. The drain and
 * the shutdown each get a sixth of the grace, at least 15 s, at most 5 and 2 minutes; the wait
 * gets the rest (30 s at the smallest grace the schema accepts, 60 s).
 */
export function preStopBudget(grace: number): PreStopBudget {
  const drainSeconds = clamp(Math.floor(grace / 6), 15, 300);
  const shutdownSeconds = clamp(Math.floor(grace / 6), 15, 120);
  return { awaitSeconds: grace - drainSeconds - shutdownSeconds, drainSeconds, shutdownSeconds };
}

/**
 * The preStop hook's shell command. The drain runs even when the wait timed out: the kubelet
 * stops the node after the hook either way, and a drained node hands its queue leaders and
 * clients over instead of dropping them.
 */
export function preStopCommand(grace: number): string {
  const b = preStopBudget(grace);
  return `rabbitmq-upgrade await_online_quorum_plus_one -t ${b.awaitSeconds}; rabbitmq-upgrade drain -t ${b.drainSeconds}`;
}

/** The startup probe's period and failure threshold: a node has this long to see a majority. */
export const startupProbeTiming = { periodSeconds: 10, failureThreshold: 60 } as const;

/**
 * How long Pulumi waits for the StatefulSet. A rolling update stops and boots the nodes one at a
 * time: each may take its whole grace period (preStop wait and drain, then shutdown), the start
 * delay and the startup probe's budget. A create boots every node at once (`Parallel`).
 */
export function statefulSetTimeouts(
  replicas: number,
  grace: number,
  delayStart: number,
): { create: string; update: string } {
  const boot = delayStart + startupProbeTiming.periodSeconds * startupProbeTiming.failureThreshold;
  return { create: `${boot + 300}s`, update: `${replicas * (grace + boot) + 300}s` };
}

/**
 * `RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS`: quorum queues start with a member on every node
 * (`rabbit.quorum_cluster_size`, default 3; the `x-quorum-initial-group-size` argument would make
 * every client's redeclaration differ), instead of waiting for membership reconciliation.
 */
export function rabbitErlArgs(replicas: number): string {
  return `-rabbit quorum_cluster_size ${replicas}`;
}

/** The shell command the startup probe runs: the node is up and sees a majority of the cluster. */
export function startupCheck(version: RabbitMqVersion, replicas: number): string {
  // 3.12 renamed the listing (all_running stays as an alias on older servers only).
  const running = atLeast(version, 3, 12)
    ? "rabbit_nodes:list_running()"
    : "rabbit_nodes:all_running()";
  return `rabbitmq-diagnostics -q check_running && test "$(rabbitmqctl -q eval 'length(${running}) >= ${quorumSize(replicas)}.')" = true`;
}

/** A RabbitMQ node's pod: hardened, spread over hosts and zones, probed and stopped with care. */
export function rabbitMqPodSpec(p: RabbitMqPodParams): k8s.types.input.core.v1.PodSpec {
  const resources = {
    requests: { cpu: p.cpu, memory: p.memory },
    limits: { cpu: p.cpu, memory: p.memory },
  };
  const affinityTerm = {
    labelSelector: { matchLabels: { ...p.selector } },
    topologyKey: "kubernetes.io/hostname",
  };
  return {
    serviceAccountName: p.serviceAccountName,
    automountServiceAccountToken: p.automountServiceAccountToken,
    terminationGracePeriodSeconds: p.grace,
    securityContext: rabbitMqPodSecurity(),
    affinity: {
      podAntiAffinity:
        p.antiAffinity === "required"
          ? { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm] }
          : {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: affinityTerm },
              ],
            },
    },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: p.zoneSpread,
        labelSelector: { matchLabels: { ...p.selector } },
      },
    ],
    initContainers: [
      {
        // Erlang refuses a cookie file others can read; Secret volume files are root-owned (0440,
        // readable through fsGroup), so the node gets its own 0600 copy. Then it waits, so the
        // headless Service's DNS records of pods that start together exist before the node
        // looks its peers up (a failed lookup is cached and delays clustering).
        name: "erlang-cookie",
        image: p.image,
        command: [
          "sh",
          "-c",
          `cp /run/rabbitmq-cookie/.erlang.cookie ${rabbitMqPaths.data}/.erlang.cookie && chmod 600 ${rabbitMqPaths.data}/.erlang.cookie${p.delayStart > 0 ? ` && sleep ${p.delayStart}` : ""}`,
        ],
        securityContext: rabbitMqContainerSecurity(),
        resources: {
          requests: { cpu: "50m", memory: "64Mi" },
          limits: { cpu: "100m", memory: "64Mi" },
        },
        volumeMounts: [
          { name: "data", mountPath: rabbitMqPaths.data },
          { name: "erlang-cookie", mountPath: "/run/rabbitmq-cookie", readOnly: true },
        ],
      },
    ],
    containers: [
      {
        name: "rabbitmq",
        image: p.image,
        ports: [
          { name: "amqp", containerPort: rabbitMqPorts.amqp },
          { name: "management", containerPort: rabbitMqPorts.management },
          { name: "prometheus", containerPort: rabbitMqPorts.prometheus },
          { name: "epmd", containerPort: rabbitMqPorts.epmd },
          { name: "cluster-rpc", containerPort: rabbitMqPorts.distribution },
        ],
        env: [
          {
            name: "MY_POD_NAME",
            valueFrom: { fieldRef: { fieldPath: "metadata.name" } },
          },
          { name: "RABBITMQ_USE_LONGNAME", value: "true" },
          {
            name: "RABBITMQ_NODENAME",
            value: pulumi.interpolate`rabbit@$(MY_POD_NAME).${p.nodeDomain}`,
          },
          { name: "RABBITMQ_CONFIG_FILES", value: rabbitMqPaths.confDir },
          { name: "RABBITMQ_ENABLED_PLUGINS_FILE", value: rabbitMqPaths.enabledPlugins },
          { name: "HOME", value: rabbitMqPaths.data },
          ...(p.replicas > 1
            ? [{ name: "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", value: rabbitErlArgs(p.replicas) }]
            : []),
        ],
        resources,
        securityContext: rabbitMqContainerSecurity(),
        // Ready once it takes AMQP connections; cheap, and no broker round trip.
        readinessProbe: {
          tcpSocket: { port: "amqp" },
          periodSeconds: 10,
          timeoutSeconds: 5,
          failureThreshold: 3,
        },
        // Started once it sees a majority of the cluster. No liveness probe: a node
        // paused by pause_minority must be left alone to rejoin, not restarted in a loop.
        startupProbe: {
          exec: { command: ["sh", "-c", startupCheck(p.version, p.replicas)] },
          periodSeconds: startupProbeTiming.periodSeconds,
          timeoutSeconds: 30,
          failureThreshold: startupProbeTiming.failureThreshold,
        },
        lifecycle:
          p.replicas > 1
            ? {
                preStop: {
                  exec: {
                    command: ["sh", "-c", preStopCommand(p.grace)],
                  },
                },
              }
            : undefined,
        volumeMounts: [
          { name: "data", mountPath: rabbitMqPaths.data },
          { name: "config", mountPath: "/etc/rabbitmq", readOnly: true },
          { name: "tmp", mountPath: "/tmp" },
        ],
      },
    ],
    volumes: [
      {
        name: "config",
        projected: {
          sources: [
            {
              configMap: {
                name: p.configMapName,
                items: [
                  { key: "rabbitmq.conf", path: "conf.d/10-taskstack.conf" },
                  { key: "enabled_plugins", path: "enabled_plugins" },
                ],
              },
            },
            {
              secret: {
                name: p.definitionsSecretName,
                items: [{ key: "definitions.json", path: "definitions.json" }],
              },
            },
          ],
        },
      },
      {
        name: "erlang-cookie",
        secret: { secretName: p.cookieSecretName, defaultMode: 0o440 },
      },
      { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    ],
  };
}
