import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";

/**
 * `deletionProtection` only stops Pulumi; `enableDropProtection` makes Spanner itself refuse to
 * drop the database, from the console, gcloud or a script
 * (cloud.google.com/spanner/docs/prevent-database-deletion).
 */
export const gcpSpannerDatabaseEnableDropProtection: ResourceValidationPolicy = {
  name: "gcp-spanner-database-enable-drop-protection",
  description: "Spanner databases must set enableDropProtection: true.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(gcp.spanner.Database, (db, args, reportViolation) => {
    if (db.enableDropProtection !== true) {
      reportViolation(
        `Spanner database ${String(db.name ?? args.name)} has enableDropProtection ${db.enableDropProtection === undefined ? "unset" : String(db.enableDropProtection)}, so anyone with the permission can drop it outside Pulumi (console, gcloud, a script). Set enableDropProtection: true.`,
      );
    }
  }),
};
