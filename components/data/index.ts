export {
  BackupScheduleType,
  BackupType,
  SpannerBackupMode,
  SpannerScheduledBackup,
  spannerScheduledBackupDerivedNames,
  spannerScheduledBackupNames,
  validateSpannerScheduledBackupArgs,
} from "./spanner-scheduled-backup";
export type {
  SpannerScheduledBackupArgs,
  SpannerBackupDatabase,
  SpannerBackupDatabaseArgs,
  SessionPoolAlerts,
  SessionPoolAlertsArgs,
} from "./spanner-scheduled-backup";
export type { SpannerBackupChecker } from "./spanner-backup-functions";
export {
  backupMissingCondition,
  backupSucceededFilter,
  createBackupErrorsFilter,
  defaultSessionPoolMetricTypes,
  functionErrorsFilter,
  schedulerErrorsFilter,
} from "./spanner-backup-alerts";
export {
  handleBackupEvent,
  parseRequest,
  backupId,
  expireTime,
  PoisonMessageError,
} from "../../lib/spanner-backup-function/handler";
export type {
  BackupAdmin,
  BackupRequest,
  PubSubCloudEvent,
  LogEntry,
} from "../../lib/spanner-backup-function/handler";
