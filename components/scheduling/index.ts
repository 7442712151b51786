export {
  CloudFunctionGeneration,
  CloudSchedulerJob,
  HttpMethod,
  validateCloudSchedulerJobArgs,
} from "./cloud-scheduler-job";
export type { CloudSchedulerJobArgs, TopicRef } from "./cloud-scheduler-job";
export { parseAppEngineSchedule } from "./app-engine-schedule";
export type { AppEngineSchedule } from "./app-engine-schedule";
export { importAppEngineCron } from "./app-engine-import";
export { importAppEngineQueues } from "./app-engine-queue-import";
export type { AppEngineImportOptions, AppEngineTarget, ImportedEntry } from "./app-engine-types";
export {
  ConcurrencyPolicy,
  KubernetesCronJob,
  kubernetesCronJobDerivedNames,
  validateKubernetesCronJobArgs,
} from "./kubernetes-cron-job";
export type { KubernetesCronJobArgs } from "./kubernetes-cron-job";
export type { SecretKeyRef } from "../../lib/kubernetes-quantity";
