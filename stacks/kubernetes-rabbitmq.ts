import * as k8s from "@pulumi/kubernetes";
import { messaging } from "../components";
import { rabbitMqDefaults } from "../components/messaging/rabbitmq-cluster-schema";
import type { StackConfig } from "./config";
import { derivedConsumerTimeouts } from "./sections/kubernetes-workloads";

// The stack's Kubernetes namespace and RabbitMQ cluster, declared from the parsed config.
// environment.ts calls these; the worker pools and CronJobs take the namespace and the cluster's
// `<name>-broker` Secret from here.

/** The namespace every Kubernetes object of the stack lives in; undefined without that section. */
export function declareKubernetesNamespace(config: StackConfig): k8s.core.v1.Namespace | undefined {
  const k = config["taskstack:kubernetes"];
  if (k === undefined) return undefined;
  // Deleting a namespace deletes everything in it, the brokers' volumes included.
  return new k8s.core.v1.Namespace(
    "kubernetes-namespace",
    {
      metadata: {
        name: k.namespace,
        labels: {
          "app.kubernetes.io/managed-by": "taskstack",
          "taskstack.dev/environment": config["taskstack:environment"],
        },
      },
    },
    { protect: config["taskstack:deletionProtection"] },
  );
}

/** RabbitMqCluster's args for the stack file's cluster (the property test in test/stacks checks they are accepted). */
export function rabbitMqClusterArgsFor(
  config: StackConfig,
): messaging.RabbitMqClusterArgs | undefined {
  const k = config["taskstack:kubernetes"];
  if (k?.rabbitmq === undefined) return undefined;
  const { name: _name, queues, ...settings } = k.rabbitmq;
  // A queue that workers consume gets the consumer timeout they need, unless the file sets one
  // (the section's rules refuse one below it).
  const needed = derivedConsumerTimeouts(k.workerPools);
  return {
    ...settings,
    ...(queues === undefined
      ? {}
      : {
          queues: queues.map((q) => {
            const derived = needed.get(q.name);
            return q.consumerTimeoutSeconds === undefined && derived !== undefined
              ? { ...q, consumerTimeoutSeconds: derived }
              : q;
          }),
        }),
    namespace: k.namespace,
    protect: config["taskstack:deletionProtection"],
  };
}

/** The stack's RabbitMQ cluster, or undefined when the stack file declares none. */
export function declareRabbitMq(
  config: StackConfig,
  namespace?: k8s.core.v1.Namespace,
): messaging.RabbitMqCluster | undefined {
  const args = rabbitMqClusterArgsFor(config);
  const name = config["taskstack:kubernetes"]?.rabbitmq?.name;
  if (args === undefined || name === undefined) return undefined;
  return new messaging.RabbitMqCluster(name, args, namespace ? { dependsOn: [namespace] } : {});
}

/**
 * What the stack exports about its cluster: names to find it by, and the AMQP URL as a secret of
 * its own (inside one object it would make every name secret too).
 */
export function rabbitMqOutputs(cluster: messaging.RabbitMqCluster, config: StackConfig) {
  return {
    rabbitmq: {
      brokerUrlSecretName: cluster.brokerUrlSecretName,
      adminSecretName: cluster.adminSecretName,
      clientServiceName: cluster.clientServiceName,
      headlessServiceName: cluster.headlessServiceName,
      // The count a later run's `deployedReplicas` must not undercut.
      replicas: config["taskstack:kubernetes"]?.rabbitmq?.replicas ?? rabbitMqDefaults.replicas,
    },
    rabbitmqAmqpUrl: cluster.amqpUrl,
  };
}
