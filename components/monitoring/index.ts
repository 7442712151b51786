export { NotificationChannels, validateNotificationChannelsArgs } from "./notification-channels";
export type {
  NotificationChannelsArgs,
  EmailChannel,
  EmailChannelArgs,
  PagerDutyChannel,
  PagerDutyChannelArgs,
  SlackChannel,
  SlackChannelArgs,
} from "./notification-channels";
export {
  alertPolicyArgs,
  thresholdCondition,
  logCountAboveCondition,
  logCountBelowOneCondition,
  promQlSeries,
  deadLetterAlertPolicyArgs,
  promQlCondition,
  promQlMetricName,
} from "./alert-policies";
export type { AlertPolicyInputs } from "./alert-policies";
export { logCounterMetricArgs, logMetricType } from "./log-metrics";
export {
  queueDepthAlertArgs,
  queueTaskFailureAlertArgs,
  schedulerErrorMetricArgs,
  schedulerFailureAlertArgs,
  oldestUnackedAgeAlertArgs,
} from "./task-alerts";
