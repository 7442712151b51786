export {
  CeleryWorkerPool,
  brokerUrlEnv,
  heartbeatCommand,
  validateCeleryWorkerPoolArgs,
  workerArgs,
  workerEnv,
} from "./celery-worker-pool";
export type { CeleryWorkerPoolArgs, CeleryWorkerQueueArgs } from "./celery-worker-pool";
export {
  celeryBootstrap,
  celeryQueueEnv,
  minimumCeleryVersion,
  renderCeleryBootstrap,
} from "./celery-bootstrap";
export type { CeleryBootstrapInput } from "./celery-bootstrap";
