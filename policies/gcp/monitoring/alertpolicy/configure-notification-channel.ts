import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isTaskstackChild } from "../../../shared/hints";

/** An alert policy that notifies nobody fires into the void: the outage is found by customers. */
export const gcpMonitoringAlertpolicyConfigureNotificationChannel: ResourceValidationPolicy = {
  name: "gcp-monitoring-alertpolicy-configure-notification-channel",
  description:
    "Cloud Monitoring alert policies must notify at least one channel and say what to do (documentation.content).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(
    gcp.monitoring.AlertPolicy,
    (_a, args, reportViolation) => {
      const channels = args.props["notificationChannels"];
      const name = JSON.stringify(args.props["displayName"] ?? args.name);
      if (!Array.isArray(channels) || channels.length === 0) {
        reportViolation(
          `Alert policy ${name} has no notificationChannels, so it notifies nobody. ${
            isTaskstackChild(args.opts.parent)
              ? "Add at least one channel in the stack file (taskstack:monitoring.notificationChannels, pagerDuty or slack)."
              : "Set notificationChannels to the names (projects/<p>/notificationChannels/<id>) of one or more gcp.monitoring.NotificationChannel."
          }`,
        );
      }
      const doc = (args.props["documentation"] as { content?: unknown } | undefined)?.content;
      if (typeof doc !== "string" || doc.trim() === "") {
        reportViolation(
          `Alert policy ${name} has no documentation.content, so whoever is paged does not know what it means or what to do. Add documentation in Markdown.`,
        );
      }
    },
  ),
};
