import { podSpecOf } from "../../../policies/kubernetes/workload";
import { fixtureResource } from "../../../testing";
import type { PlannedResource } from "../../../testing";

export const STS = "kubernetes:apps/v1:StatefulSet";
export const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
export const CM = "kubernetes:core/v1:ConfigMap";

export const labels = {
  "app.kubernetes.io/name": "rabbitmq",
  "app.kubernetes.io/instance": "broker",
};

export const conf = [
  "cluster_partition_handling = pause_minority",
  "cluster_formation.peer_discovery_backend = rabbit_peer_discovery_k8s",
  "cluster_formation.target_cluster_size_hint = 3",
  "listeners.tcp.default = 5672",
  "",
].join("\n");

/** A compliant three-node RabbitMQ: StatefulSet with host anti-affinity, its PDB, its config. */
export function compliantRabbitMq(): PlannedResource[] {
  return [
    fixtureResource(STS, "broker", {
      metadata: { name: "broker", namespace: "tasks" },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: { ...labels, "app.kubernetes.io/component": "broker" } },
          spec: {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" },
                ],
              },
            },
            containers: [{ name: "rabbitmq", image: "rabbitmq:4.1.4" }],
          },
        },
      },
    }),
    fixtureResource(PDB, "broker-pdb", {
      metadata: { name: "broker", namespace: "tasks" },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    }),
    fixtureResource(CM, "broker-config", {
      metadata: { name: "broker-config", namespace: "tasks" },
      data: { "rabbitmq.conf": conf, enabled_plugins: "[rabbitmq_management]." },
    }),
  ];
}

export const types = {
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  job: "kubernetes:batch/v1:Job",
  cronJob: "kubernetes:batch/v1:CronJob",
  pod: "kubernetes:core/v1:Pod",
} as const;

/** A compliant container: pinned image, requests and limits, non-root, secrets by reference. */
export function container(name = "app"): Record<string, unknown> {
  return {
    name,
    image: "ghcr.io/acme/app:1.2.3",
    env: [
      { name: "LOG_LEVEL", value: "info" },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
    ],
    resources: {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "500m", memory: "256Mi" },
    },
    securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true },
  };
}

const podSpec = (name: string) => ({
  securityContext: { runAsNonRoot: true, runAsUser: 65532 },
  containers: [container(name)],
});
const template = (name: string) => ({ spec: podSpec(name) });

/** One compliant workload of every kind the container policies read. */
export function compliantWorkloads(): PlannedResource[] {
  const meta = (name: string) => ({ name, namespace: "shop" });
  return [
    fixtureResource(types.deployment, "workers", {
      metadata: meta("workers"),
      spec: { replicas: 2, template: template("worker") },
    }),
    fixtureResource(types.statefulSet, "db", {
      metadata: meta("db"),
      spec: { replicas: 3, template: template("db") },
    }),
    fixtureResource(types.daemonSet, "agent", {
      metadata: meta("agent"),
      spec: { template: template("agent") },
    }),
    fixtureResource(types.job, "migrate", {
      metadata: meta("migrate"),
      spec: { template: template("migrate") },
    }),
    compliantCronJob(),
    fixtureResource(types.pod, "debug", { metadata: meta("debug"), spec: podSpec("debug") }),
  ];
}

/**
 * A compliant CronJob: every 15 minutes in Paris time, a 300 s starting deadline, Forbid, a run
 * deadline, no TTL.
 */
export function compliantCronJob(): PlannedResource {
  return fixtureResource(types.cronJob, "report", {
    metadata: { name: "report", namespace: "shop" },
    spec: {
      schedule: "*/15 * * * *",
      timeZone: "Europe/Paris",
      startingDeadlineSeconds: 300,
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: { backoffLimit: 2, activeDeadlineSeconds: 900, template: template("report") },
      },
    },
  });
}

/** A compliant ConfigMap: plain settings, a broker URL without credentials, a config file. */
export function compliantConfigMap(): PlannedResource {
  return fixtureResource(CM, "settings", {
    metadata: { name: "settings", namespace: "shop" },
    data: {
      LOG_LEVEL: "info",
      CELERY_BROKER_HOST: "amqp://rabbitmq.tasks.svc.cluster.local:5672/celery",
      "settings.ini": "[worker]\nconcurrency = 4\nsentry_dsn_file = /run/secrets/sentry\n",
    },
  });
}

/** The fixture with one resource's inputs (and outputs) changed. */
export function changed(
  resources: readonly PlannedResource[],
  name: string,
  change: (inputs: Record<string, unknown>) => void,
): PlannedResource[] {
  return resources.map((r) => {
    if (r.name !== name) return r;
    const inputs = structuredClone(r.inputs) as Record<string, unknown>;
    change(inputs);
    return { ...r, inputs, outputs: inputs };
  });
}

/** The first container of a workload's inputs, to change in place inside `changed`. */
export function firstContainer(
  type: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const containers = podSpecOf(type, inputs)?.spec["containers"] as Record<string, unknown>[];
  return containers[0] as Record<string, unknown>;
}
