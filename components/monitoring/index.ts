export {
  NotificationChannels,
  validateNotificationChannelsArgs,
  notificationChannelsArgsSchema,
  emailChannelSchema,
} from "./notification-channels";
export type { NotificationChannelsArgs, EmailChannelArgs } from "./notification-channels";
export {
  alertPolicyArgs,
  thresholdCondition,
  absenceCondition,
  deadLetterAlertPolicyArgs,
  promQlCondition,
  promQlMetricName,
} from "./alert-policies";
export type { AlertPolicyInputs } from "./alert-policies";
export { logCounterMetricArgs, logMetricType } from "./log-metrics";
