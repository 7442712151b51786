import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";

const googleDefault = "GOOGLE_DEFAULT_ENCRYPTION";

/**
 * Spanner makes incremental backups with Google-managed encryption only ("If your backup type is
 * incremental-backup, the encryption type must be GOOGLE_DEFAULT_ENCRYPTION"): any other type,
 * or none, is refused when the schedule is created, at `pulumi up` time.
 */
export const gcpSpannerBackupscheduleConfigureEncryption: ResourceValidationPolicy = {
  name: "gcp-spanner-backupschedule-configure-encryption",
  description:
    "Spanner backup schedules of incremental backups must use Google-managed encryption (encryptionType GOOGLE_DEFAULT_ENCRYPTION).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    gcp.spanner.BackupSchedule,
    (_schedule, args, reportViolation) => {
      const incremental = args.props["incrementalBackupSpec"];
      if (incremental === undefined || incremental === null) return;
      const config = args.props["encryptionConfig"] as { encryptionType?: unknown } | undefined;
      const type = config?.encryptionType;
      if (type === googleDefault) return;
      reportViolation(
        `BackupSchedule makes incremental backups with encryptionConfig.encryptionType ${JSON.stringify(type) ?? "nothing"}, which Spanner refuses. Set encryptionConfig: { encryptionType: "${googleDefault}" }, or make full backups (fullBackupSpec) to use the database's or a customer-managed key.`,
      );
    },
  ),
};
