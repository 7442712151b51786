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
export {
  importAppEngineCron,
  importAppEngineQueues,
  appEngineTargetsSchema,
} from "./app-engine-import";
export type { AppEngineImportOptions, AppEngineTarget, ImportedEntry } from "./app-engine-import";
export {
  KubernetesCronJob,
  kubernetesCronJobArgsSchema,
  kubernetesCronJobDerivedNames,
  validateKubernetesCronJobArgs,
} from "./kubernetes-cron-job";
export type { KubernetesCronJobArgs } from "./kubernetes-cron-job";
