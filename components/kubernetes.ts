// `taskstack/kubernetes`: RabbitMQ, Celery worker pools and CronJobs alone. It loads
// `@pulumi/pulumi`, `@pulumi/kubernetes` and `@pulumi/random` and no cloud provider SDK.
import "./shared/peers-kubernetes";

export { TaskstackInputError, isTaskstackInputError } from "./shared/errors";
export { RabbitMqCluster, validateRabbitMqClusterArgs } from "./messaging/rabbitmq-cluster";
export type {
  RabbitMqClusterArgs,
  RabbitMqExchangeArgs,
  RabbitMqQueueArgs,
  RabbitMqQueueBindingArgs,
} from "./messaging/rabbitmq-cluster";
export { CeleryWorkerPool, validateCeleryWorkerPoolArgs } from "./workers/celery-worker-pool";
export type { CeleryWorkerPoolArgs, CeleryWorkerQueueArgs } from "./workers/celery-worker-pool";
export { KubernetesCronJob, validateKubernetesCronJobArgs } from "./scheduling/kubernetes-cron-job";
export type { KubernetesCronJobArgs } from "./scheduling/kubernetes-cron-job";
