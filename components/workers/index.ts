export {
  CeleryWorkerPool,
  brokerUrlEnv,
  heartbeatCommand,
  validateCeleryWorkerPoolArgs,
  workerArgs,
  workerEnv,
} from "./celery-worker-pool";
export type {
  CeleryAutoscaling,
  CeleryAutoscalingArgs,
  CeleryBrokerSecret,
  CeleryBrokerSecretArgs,
  CeleryWorkerPoolArgs,
  CeleryWorkerQueue,
  CeleryWorkerQueueArgs,
} from "./celery-worker-pool";
export type { SecretKeyRef } from "../../lib/kubernetes-quantity";
export {
  celeryBootstrap,
  celeryQueueEnv,
  minimumCeleryVersion,
  renderCeleryBootstrap,
} from "./celery-bootstrap";
export type { CeleryBootstrapInput } from "./celery-bootstrap";
