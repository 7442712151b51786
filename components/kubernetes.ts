// `taskstack/kubernetes`: RabbitMQ, Celery worker pools and CronJobs alone. It loads
// `@pulumi/pulumi`, `@pulumi/kubernetes` and `@pulumi/random` and no cloud provider SDK.
import "./shared/peers-kubernetes";

export { TaskstackInputError, isTaskstackInputError } from "./shared/errors";
export {
  AntiAffinity,
  RabbitMqCluster,
  ZoneSpread,
  validateRabbitMqClusterArgs,
} from "./messaging/rabbitmq-cluster";
export { ExchangeType, QueueType } from "./messaging/rabbitmq-config";
export type {
  RabbitMqBrokerSecret,
  RabbitMqClusterArgs,
  RabbitMqExchange,
  RabbitMqExchangeArgs,
  RabbitMqQueue,
  RabbitMqQueueArgs,
  RabbitMqQueueBinding,
  RabbitMqQueueBindingArgs,
} from "./messaging/rabbitmq-cluster";
export { CeleryWorkerPool, validateCeleryWorkerPoolArgs } from "./workers/celery-worker-pool";
export type {
  CeleryAutoscaling,
  CeleryAutoscalingArgs,
  CeleryBrokerSecret,
  CeleryBrokerSecretArgs,
  CeleryWorkerPoolArgs,
  CeleryWorkerQueue,
  CeleryWorkerQueueArgs,
} from "./workers/celery-worker-pool";
export {
  ConcurrencyPolicy,
  KubernetesCronJob,
  validateKubernetesCronJobArgs,
} from "./scheduling/kubernetes-cron-job";
export type { ContainerResources, SecretKeyRef } from "../lib/kubernetes-quantity";
export type { KubernetesCronJobArgs } from "./scheduling/kubernetes-cron-job";
