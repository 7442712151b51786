// `taskstack/gcp`: the Google Cloud components alone. It loads `@pulumi/pulumi` and `@pulumi/gcp`
// and no other provider SDK (the root entry `taskstack` loads all of them).
import "./shared/peers-gcp";

export { TaskstackInputError, isTaskstackInputError } from "./shared/errors";
export { ProjectApis, GcpApi, gcpApis } from "./project/project-apis";
export type { ProjectApisArgs } from "./project/project-apis";
export { PubSubTopic, validatePubSubTopicArgs } from "./messaging/pubsub-topic";
export type {
  PubSubTopicArgs,
  PubSubSubscription,
  PubSubSubscriptionArgs,
} from "./messaging/pubsub-topic";
export { CloudTasksQueue, validateCloudTasksQueueArgs } from "./messaging/cloud-tasks-queue";
export type { CloudTasksQueueArgs } from "./messaging/cloud-tasks-queue";
export { QueuePreset } from "./messaging/cloud-tasks-queue-types";
export {
  CloudFunctionGeneration,
  CloudSchedulerJob,
  HttpMethod,
  validateCloudSchedulerJobArgs,
} from "./scheduling/cloud-scheduler-job";
export type { CloudSchedulerJobArgs, TopicRef } from "./scheduling/cloud-scheduler-job";
export { importAppEngineCron } from "./scheduling/app-engine-import";
export { importAppEngineQueues } from "./scheduling/app-engine-queue-import";
export type {
  AppEngineImportOptions,
  AppEngineTarget,
  ImportedEntry,
} from "./scheduling/app-engine-types";
export { parseAppEngineSchedule } from "./scheduling/app-engine-schedule";
export type { AppEngineSchedule } from "./scheduling/app-engine-schedule";
export {
  BackupScheduleType,
  BackupType,
  SpannerBackupMode,
  SpannerScheduledBackup,
  validateSpannerScheduledBackupArgs,
} from "./data/spanner-scheduled-backup";
export type {
  SpannerScheduledBackupArgs,
  SpannerBackupDatabase,
  SpannerBackupDatabaseArgs,
  SessionPoolAlerts,
  SessionPoolAlertsArgs,
} from "./data/spanner-scheduled-backup";
export type { SpannerBackupChecker } from "./data/spanner-backup-functions";
export {
  NotificationChannels,
  validateNotificationChannelsArgs,
} from "./monitoring/notification-channels";
export type {
  NotificationChannelsArgs,
  EmailChannel,
  EmailChannelArgs,
  PagerDutyChannel,
  PagerDutyChannelArgs,
  SlackChannel,
  SlackChannelArgs,
} from "./monitoring/notification-channels";
