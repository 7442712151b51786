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
