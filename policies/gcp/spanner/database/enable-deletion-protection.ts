import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";

/**
 * With `deletionProtection: false`, `pulumi destroy` or a change that replaces the database drops
 * it and every row in it; backups are the only way back. The provider's default is `true`.
 */
export const gcpSpannerDatabaseEnableDeletionProtection: ResourceValidationPolicy = {
  name: "gcp-spanner-database-enable-deletion-protection",
  description:
    "Spanner databases must keep deletionProtection (the provider's default, true): without it a destroy or a replacement drops the database.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(gcp.spanner.Database, (_db, args, reportViolation) => {
    if (args.props["deletionProtection"] === false) {
      reportViolation(
        `Spanner database ${String(args.props["name"] ?? args.name)} sets deletionProtection: false, so pulumi destroy or a replacement drops it with its data. Remove the setting (it defaults to true) or set it to true.`,
      );
    }
  }),
};
