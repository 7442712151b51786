import { describe, expect, it } from "vitest";
import { gcpMonitoringAlertpolicyConfigureNotificationChannel as policy } from "../../../../../policies/gcp/monitoring/alertpolicy/configure-notification-channel";
import { fixtureResource, policyCases } from "../../../../../testing";

const ALERT = "gcp:monitoring/alertPolicy:AlertPolicy";
const fixture = () => [
  fixtureResource(ALERT, "report-failure-alert", {
    displayName: "Cloud Scheduler job report failed",
    combiner: "OR",
    notificationChannels: ["projects/p/notificationChannels/1"],
    documentation: { mimeType: "text/markdown", content: "What to do." },
    conditions: [],
  }),
];
const noChannel =
  'Alert policy "Cloud Scheduler job report failed" has no notificationChannels, so it notifies nobody. Set notificationChannels to the names (projects/<p>/notificationChannels/<id>) of one or more gcp.monitoring.NotificationChannel.';
/** The same, for an alert policy a taskstack component declared: its stack-file setting. */
const noChannelOfComponent =
  'Alert policy "Cloud Scheduler job report failed" has no notificationChannels, so it notifies nobody. Add at least one channel in the stack file (taskstack:monitoring.notificationChannels, pagerDuty or slack).';
const noDoc =
  'Alert policy "Cloud Scheduler job report failed" has no documentation.content, so whoever is paged does not know what it means or what to do. Add documentation in Markdown.';

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("gcp-monitoring-alertpolicy-configure-notification-channel");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "report-failure-alert",
      cases: [
        {
          title: "undefined notificationChannels",
          set: { notificationChannels: undefined },
          messages: [noChannel],
        },
        { title: "no channels", set: { notificationChannels: [] }, messages: [noChannel] },
        {
          title: "no channels on a taskstack component's alert policy",
          change: (rs) =>
            rs.map((r) => ({
              ...r,
              inputs: { ...r.inputs, notificationChannels: [] },
              outputs: { ...r.outputs, notificationChannels: [] },
              parent: "urn:pulumi:test::taskstack::taskstack:scheduling:ScheduledJob::report",
            })),
          messages: [noChannelOfComponent],
        },
        { title: "undefined documentation", set: { documentation: undefined }, messages: [noDoc] },
        { title: "empty documentation", set: { "documentation.content": " " }, messages: [noDoc] },
      ],
    }),
  )("$title", (c) => expect(c.run()).resolves.toBeUndefined());
});
