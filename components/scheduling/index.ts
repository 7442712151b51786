export {
  KubernetesCronJob,
  kubernetesCronJobArgsSchema,
  kubernetesCronJobDerivedNames,
  validateKubernetesCronJobArgs,
} from "./kubernetes-cron-job";
export type { KubernetesCronJobArgs } from "./kubernetes-cron-job";
