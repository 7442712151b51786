import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { nativeMinIntervalSeconds } from "../../../../lib/spanner-backup";
import { cronProblem, scheduleIntervals } from "../../../../lib/cron";

/** A gap in whole hours, or minutes when it is not. */
function span(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} hours` : `${seconds / 60} minutes`;
}

/**
 * Spanner starts a scheduled full backup at most every 12 hours and an incremental one at most
 * every 4 hours, and refuses a schedule whose cron runs more often, at `pulumi up` time. The gap is
 * measured as SpannerScheduledBackup's schema measures it (`scheduleIntervals`, in UTC, where
 * Spanner runs schedules).
 */
export const gcpSpannerBackupscheduleConfigureFrequency: ResourceValidationPolicy = {
  name: "gcp-spanner-backupschedule-configure-frequency",
  description:
    "Spanner backup schedules must run full backups at least 12 hours apart and incremental backups at least 4 hours apart.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    gcp.spanner.BackupSchedule,
    (_schedule, args, reportViolation) => {
      const cron = (args.props["spec"] as { cronSpec?: { text?: unknown } } | undefined)?.cronSpec
        ?.text;
      // No cron, or one Spanner cannot read: refused by the service itself, not a frequency.
      if (typeof cron !== "string" || cronProblem(cron) !== undefined) return;
      const incremental = args.props["incrementalBackupSpec"];
      const type = incremental === undefined || incremental === null ? "full" : "incremental";
      const floor = nativeMinIntervalSeconds[type];
      const { minSeconds } = scheduleIntervals(cron, "Etc/UTC");
      if (minSeconds < floor) {
        reportViolation(
          `BackupSchedule "${cron}" starts ${type} backups ${span(minSeconds)} apart, and Spanner allows one every ${span(floor)} at most. Space the cron's runs at least ${span(floor)} apart (for example "${type === "full" ? "0 2,14 * * *" : "0 */4 * * *"}").`,
        );
      }
    },
  ),
};
