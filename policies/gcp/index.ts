import type { Policies } from "@pulumi/policy";
import { gcpPubsubSubscriptionConfigurePushOidc } from "./pubsub/subscription/configure-push-oidc";
import { gcpPubsubSubscriptionConfigureRetryPolicy } from "./pubsub/subscription/configure-retry-policy";
import { gcpPubsubSubscriptionDisallowExpiration } from "./pubsub/subscription/disallow-expiration";
import { gcpPubsubSubscriptionEnableDeadLetterPolicy } from "./pubsub/subscription/enable-dead-letter-policy";
import { gcpPubsubSubscriptionEnforceDeadLetterPermissions } from "./pubsub/subscription/enforce-dead-letter-permissions";
import { gcpPubsubTopicEnforceDeadLetterSubscription } from "./pubsub/topic/enforce-dead-letter-subscription";
import { gcpSpannerBackupscheduleConfigureRetention } from "./spanner/backupschedule/configure-retention";
import { gcpSpannerDatabaseEnableBackupSchedule } from "./spanner/database/enable-backup-schedule";
import { gcpSpannerDatabaseEnableDeletionProtection } from "./spanner/database/enable-deletion-protection";

export type { ConfigureRetryPolicyConfig } from "./pubsub/subscription/configure-retry-policy";
export type { ConfigureRetentionConfig } from "./spanner/backupschedule/configure-retention";
export {
  gcpPubsubSubscriptionConfigurePushOidc,
  gcpPubsubSubscriptionConfigureRetryPolicy,
  gcpPubsubSubscriptionDisallowExpiration,
  gcpPubsubSubscriptionEnableDeadLetterPolicy,
  gcpPubsubSubscriptionEnforceDeadLetterPermissions,
  gcpPubsubTopicEnforceDeadLetterSubscription,
  gcpSpannerBackupscheduleConfigureRetention,
  gcpSpannerDatabaseEnableBackupSchedule,
  gcpSpannerDatabaseEnableDeletionProtection,
};

/** Every GCP policy in the pack. */
export const gcpPolicies: Policies = [
  gcpPubsubSubscriptionEnableDeadLetterPolicy,
  gcpPubsubSubscriptionDisallowExpiration,
  gcpPubsubSubscriptionConfigurePushOidc,
  gcpPubsubSubscriptionConfigureRetryPolicy,
  gcpPubsubSubscriptionEnforceDeadLetterPermissions,
  gcpPubsubTopicEnforceDeadLetterSubscription,
  gcpSpannerDatabaseEnableBackupSchedule,
  gcpSpannerDatabaseEnableDeletionProtection,
  gcpSpannerBackupscheduleConfigureRetention,
];
