export {
  CeleryWorkerPool,
  brokerUrlEnv,
  heartbeatCommand,
  validateCeleryWorkerPoolArgs,
  workerArgs,
} from "./celery-worker-pool";
export type { CeleryWorkerPoolArgs, CeleryWorkerQueueArgs } from "./celery-worker-pool";
export {
  celeryWorkerPoolArgsSchema,
  celeryWorkerPoolDerivedNames,
  workerQueueSchema,
} from "./celery-worker-pool-schema";
