// Spanner's limits on backup schedules, shared by SpannerScheduledBackup's schema and the policy pack.

/** What the service allows between two scheduled backups (native mode). */
export const nativeMinIntervalSeconds = { full: 43_200, incremental: 14_400 } as const;
