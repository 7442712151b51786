import "./peers";
import type { Policies } from "@pulumi/policy";
import { withExemptions } from "../shared/exemptions";
import { gcpCloudschedulerJobConfigureOidc } from "./cloudscheduler/job/configure-oidc";
import { gcpCloudschedulerJobConfigureRetry } from "./cloudscheduler/job/configure-retry";
import { gcpCloudschedulerJobConfigureTimeZone } from "./cloudscheduler/job/configure-time-zone";
import { gcpCloudschedulerJobDisallowDaylightSavingTimes } from "./cloudscheduler/job/disallow-daylight-saving-times";
import { gcpCloudtasksQueueConfigureBackoff } from "./cloudtasks/queue/configure-backoff";
import { gcpCloudtasksQueueConfigureRateLimits } from "./cloudtasks/queue/configure-rate-limits";
import { gcpCloudtasksQueueConfigureRetryLimit } from "./cloudtasks/queue/configure-retry-limit";
import { gcpMonitoringAlertpolicyConfigureNotificationChannel } from "./monitoring/alertpolicy/configure-notification-channel";
import { gcpPubsubSubscriptionConfigurePushOidc } from "./pubsub/subscription/configure-push-oidc";
import { gcpPubsubSubscriptionConfigureRetryPolicy } from "./pubsub/subscription/configure-retry-policy";
import { gcpPubsubSubscriptionDisallowExpiration } from "./pubsub/subscription/disallow-expiration";
import { gcpPubsubSubscriptionEnableDeadLetterPolicy } from "./pubsub/subscription/enable-dead-letter-policy";
import { gcpPubsubSubscriptionEnforceDeadLetterPermissions } from "./pubsub/subscription/enforce-dead-letter-permissions";
import { gcpPubsubTopicEnforceDeadLetterSubscription } from "./pubsub/topic/enforce-dead-letter-subscription";
import { gcpSpannerBackupscheduleConfigureEncryption } from "./spanner/backupschedule/configure-encryption";
import { gcpSpannerBackupscheduleConfigureFrequency } from "./spanner/backupschedule/configure-frequency";
import { gcpSpannerBackupscheduleConfigureRetention } from "./spanner/backupschedule/configure-retention";
import { gcpSpannerDatabaseEnableBackupSchedule } from "./spanner/database/enable-backup-schedule";
import { gcpSpannerDatabaseEnableDeletionProtection } from "./spanner/database/enable-deletion-protection";
import { gcpCloudtasksQueueDisallowPublicAccess } from "./cloudtasks/queue/disallow-public-access";
import { gcpPubsubTopicDisallowPublicAccess } from "./pubsub/topic/disallow-public-access";
import { gcpSpannerDatabaseEnableDropProtection } from "./spanner/database/enable-drop-protection";

export type { ConfigureRetryPolicyConfig } from "./pubsub/subscription/configure-retry-policy";
export type { ConfigureRetryLimitConfig } from "./cloudtasks/queue/configure-retry-limit";
export type { ConfigureRetentionConfig } from "./spanner/backupschedule/configure-retention";
export { exemptKey, exemptReasonKey, withExemption, withExemptions } from "../shared/exemptions";
export type { PolicyExemption } from "../shared/exemptions";
export {
  gcpCloudschedulerJobConfigureOidc,
  gcpCloudschedulerJobConfigureRetry,
  gcpCloudschedulerJobConfigureTimeZone,
  gcpCloudschedulerJobDisallowDaylightSavingTimes,
  gcpCloudtasksQueueConfigureBackoff,
  gcpCloudtasksQueueConfigureRateLimits,
  gcpCloudtasksQueueConfigureRetryLimit,
  gcpMonitoringAlertpolicyConfigureNotificationChannel,
  gcpPubsubSubscriptionConfigurePushOidc,
  gcpPubsubSubscriptionConfigureRetryPolicy,
  gcpPubsubSubscriptionDisallowExpiration,
  gcpPubsubSubscriptionEnableDeadLetterPolicy,
  gcpPubsubSubscriptionEnforceDeadLetterPermissions,
  gcpPubsubTopicEnforceDeadLetterSubscription,
  gcpSpannerBackupscheduleConfigureEncryption,
  gcpSpannerBackupscheduleConfigureFrequency,
  gcpSpannerBackupscheduleConfigureRetention,
  gcpSpannerDatabaseEnableBackupSchedule,
  gcpSpannerDatabaseEnableDeletionProtection,
  gcpCloudtasksQueueDisallowPublicAccess,
  gcpPubsubTopicDisallowPublicAccess,
  gcpSpannerDatabaseEnableDropProtection,
};

/** Every GCP policy in the pack, each honouring per-resource exemptions. */
export const gcpPolicies: Policies = withExemptions([
  gcpPubsubSubscriptionEnableDeadLetterPolicy,
  gcpPubsubSubscriptionDisallowExpiration,
  gcpPubsubSubscriptionConfigurePushOidc,
  gcpPubsubSubscriptionConfigureRetryPolicy,
  gcpPubsubSubscriptionEnforceDeadLetterPermissions,
  gcpPubsubTopicEnforceDeadLetterSubscription,
  gcpCloudtasksQueueConfigureRetryLimit,
  gcpCloudtasksQueueConfigureBackoff,
  gcpCloudtasksQueueConfigureRateLimits,
  gcpCloudschedulerJobConfigureTimeZone,
  gcpCloudschedulerJobConfigureRetry,
  gcpCloudschedulerJobConfigureOidc,
  gcpCloudschedulerJobDisallowDaylightSavingTimes,
  gcpMonitoringAlertpolicyConfigureNotificationChannel,
  gcpSpannerDatabaseEnableBackupSchedule,
  gcpSpannerDatabaseEnableDeletionProtection,
  gcpSpannerBackupscheduleConfigureRetention,
  gcpSpannerBackupscheduleConfigureEncryption,
  gcpSpannerBackupscheduleConfigureFrequency,
  gcpCloudtasksQueueDisallowPublicAccess,
  gcpPubsubTopicDisallowPublicAccess,
  gcpSpannerDatabaseEnableDropProtection,
]);
