import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { cronProblem, scheduleIntervals } from "../../../../lib/cron";

/** The policy's knob, set per stack in `policies/config/<stack>.json`. */
export interface ConfigureRetentionConfig {
  /** The shortest retention accepted, in seconds (Spanner's own minimum is 21600, 6 hours). */
  readonly minimumRetentionSeconds: number;
}

const maxRetentionSeconds = 31_622_400;

/** Seconds of a duration such as "1209600s" or "3.5s"; undefined for anything else. */
function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d{1,9})?)s$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/**
 * A retention shorter than the schedule's interval leaves stretches with no backup at all, and
 * one outside 6 h–366 days is refused by Spanner at `pulumi up` time.
 */
export const gcpSpannerBackupscheduleConfigureRetention: ResourceValidationPolicy = {
  name: "gcp-spanner-backupschedule-configure-retention",
  description:
    "Spanner backup schedules must keep backups from 6 hours (or the stack's minimum) to 366 days, and at least as long as the schedule's longest interval.",
  enforcementLevel: "mandatory",
  severity: "medium",
  configSchema: {
    properties: {
      minimumRetentionSeconds: {
        type: "number",
        minimum: 21_600,
        maximum: maxRetentionSeconds,
        default: 21_600,
      },
    },
  },
  validateResource: validateResourceOfType(
    gcp.spanner.BackupSchedule,
    (_schedule, args, reportViolation) => {
      const { minimumRetentionSeconds: floor } = args.getConfig<ConfigureRetentionConfig>();
      const value = args.props["retentionDuration"];
      const seconds = durationSeconds(value);
      const shown = JSON.stringify(value) ?? "nothing";
      if (seconds === undefined) {
        reportViolation(
          `BackupSchedule retentionDuration is ${shown}; expected seconds such as "1209600s" (14 days).`,
        );
        return;
      }
      if (seconds < floor || seconds > maxRetentionSeconds) {
        reportViolation(
          `BackupSchedule retentionDuration ${shown} is outside ${floor}s to ${maxRetentionSeconds}s (366 days). Keep backups at least ${floor}s.`,
        );
        return;
      }
      const cron = (args.props["spec"] as { cronSpec?: { text?: unknown } } | undefined)?.cronSpec
        ?.text;
      if (typeof cron !== "string" || cronProblem(cron) !== undefined) return;
      const { maxSeconds } = scheduleIntervals(cron, "Etc/UTC");
      if (seconds < maxSeconds) {
        reportViolation(
          `BackupSchedule retentionDuration ${shown} is shorter than the ${maxSeconds}s between backups of "${cron}", so for part of each interval no backup exists. Keep backups at least "${maxSeconds}s".`,
        );
      }
    },
  ),
};
