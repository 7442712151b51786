// `taskstack/schemas`: each component's zod args schema, the stack-file shapes and rules built
// from them, and the derived-name and default tables beside them. They are kept off the other
// entry points because zod's type declarations do not compile in a project without
// `esModuleInterop` (as `pulumi new typescript` made them until March 2026): import this entry
// only from a project whose tsconfig has `esModuleInterop` or `skipLibCheck`.
export {
  spannerScheduledBackupArgsSchema,
  spannerBackupDatabaseArgsSchema,
} from "./data/spanner-scheduled-backup-schema";
export {
  httpsStaticSiteArgsSchema,
  httpsStaticSiteOptionsSchema,
  httpsStaticSiteShape,
  httpsStaticSiteRules,
  certificateNames,
  dnsValidationModes,
  resolveSiteSettings,
} from "./edge/https-static-site-schema";
export {
  pubSubTopicArgsSchema,
  pubSubSubscriptionArgsSchema,
  pubSubTopicDerivedNames,
} from "./messaging/pubsub-topic-schema";
export {
  cloudTasksQueueArgsSchema,
  cloudTasksQueueDerivedNames,
  queuePresets,
  queueDefaults,
} from "./messaging/cloud-tasks-queue-schema";
export {
  rabbitMqClusterArgsSchema,
  rabbitMqClusterDerivedNames,
  rabbitMqClusterShape,
  rabbitMqClusterRules,
  topicMatches,
} from "./messaging/rabbitmq-cluster-schema";
export {
  notificationChannelsArgsSchema,
  emailChannelSchema,
  pagerDutyChannelSchema,
  slackChannelSchema,
} from "./monitoring/notification-channels-schema";
export { projectApisArgsSchema } from "./project/project-apis-schema";
export {
  cloudSchedulerJobArgsSchema,
  cloudSchedulerJobDerivedNames,
  jobDefaults,
  jobServiceAccountId,
} from "./scheduling/cloud-scheduler-job-schema";
export {
  appEngineTargetsSchema,
  appEngineAttemptDeadlinesSchema,
} from "./scheduling/app-engine-yaml";
export {
  kubernetesCronJobArgsSchema,
  cronJobDefaults,
} from "./scheduling/kubernetes-cron-job-schema";
export {
  celeryWorkerPoolArgsSchema,
  celeryWorkerPoolDerivedNames,
  requiredConsumerTimeoutSeconds,
  workerQueueSchema,
} from "./workers/celery-worker-pool-schema";
