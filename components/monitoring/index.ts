export { NotificationChannels, validateNotificationChannelsArgs } from "./notification-channels";
export type { NotificationChannelsArgs, EmailChannelArgs } from "./notification-channels";
