export { CloudSchedulerJob, validateCloudSchedulerJobArgs } from "./cloud-scheduler-job";
export type { CloudSchedulerJobArgs, TopicRef } from "./cloud-scheduler-job";
export {
  cloudSchedulerJobArgsSchema,
  cloudSchedulerJobDerivedNames,
  jobDefaults,
  jobServiceAccountId,
} from "./cloud-scheduler-job-schema";
export { parseAppEngineSchedule } from "./app-engine-schedule";
export type { AppEngineSchedule } from "./app-engine-schedule";
export { importAppEngineCron } from "./app-engine-import";
export { importAppEngineQueues } from "./app-engine-queue-import";
export { appEngineTargetsSchema } from "./app-engine-yaml";
export type { AppEngineImportOptions, AppEngineTarget, ImportedEntry } from "./app-engine-yaml";
export {
  KubernetesCronJob,
  kubernetesCronJobArgsSchema,
  kubernetesCronJobDerivedNames,
  validateKubernetesCronJobArgs,
} from "./kubernetes-cron-job";
export type { KubernetesCronJobArgs } from "./kubernetes-cron-job";
