import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { isTimeZone, normalizeTimeZone } from "../../../../lib/cron";
import { show } from "../../pubsub/references";

/**
 * Without a time zone a job runs in UTC, an hour off for half the year wherever clocks change;
 * a bare "UTC" is stored as "Etc/UTC", so the stack shows a diff on every preview.
 */
export const gcpCloudschedulerJobConfigureTimeZone: ResourceValidationPolicy = {
  name: "gcp-cloudscheduler-job-configure-time-zone",
  description:
    "Cloud Scheduler jobs must set timeZone to an IANA zone, in the form the service stores (Etc/UTC, not UTC).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(gcp.cloudscheduler.Job, (_j, args, reportViolation) => {
    const tz = args.props["timeZone"];
    if (tz === undefined) {
      reportViolation(
        'Job timeZone is undefined, so the schedule runs in UTC whatever the team meant. Set timeZone, for example "Europe/Berlin" or "Etc/UTC".',
      );
    } else if (typeof tz !== "string" || !isTimeZone(tz)) {
      reportViolation(
        `Job timeZone ${show(tz)} is not an IANA time zone. Use one such as "Europe/Berlin".`,
      );
    } else if (normalizeTimeZone(tz) !== tz) {
      reportViolation(
        `Job timeZone ${show(tz)} is stored by Cloud Scheduler as ${show(normalizeTimeZone(tz))}, so every preview shows a diff. Write ${show(normalizeTimeZone(tz))}.`,
      );
    }
  }),
};
