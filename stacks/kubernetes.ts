import type { StackConfig } from "./config";
import {
  declareKubernetesNamespace,
  declareRabbitMq,
  rabbitMqOutputs,
} from "./kubernetes-rabbitmq";
import { declareWorkloads } from "./kubernetes-workloads";

/**
 * The Kubernetes half of a stack: its namespace, RabbitMQ cluster, worker pools and CronJobs.
 * environment.ts declares it with the rest; scripts/kube-up.ts declares it alone, to `pulumi up`
 * against a real API server.
 */
export function declareKubernetes(config: StackConfig) {
  const namespace = declareKubernetesNamespace(config);
  const rabbitmq = declareRabbitMq(config, namespace);
  // Workers and CronJobs go into the namespace once it exists.
  const workloads = declareWorkloads(config, namespace ? { dependsOn: [namespace] } : {});
  return { ...workloads, ...(rabbitmq ? rabbitMqOutputs(rabbitmq, config) : {}) };
}
