import { z } from "zod";
import {
  emailChannelSchema,
  pagerDutyChannelSchema,
  slackChannelSchema,
  uniqueChannelNamesAcross,
} from "../../components/monitoring/notification-channels-schema";
import { always, expected, int } from "../../components/shared/schema";
import type { StackRules } from "./rules";

/** `taskstack:monitoring`: who alerts reach. */
export const monitoringSection = z
  .strictObject({
    notificationChannels: z
      .array(emailChannelSchema, expected("a list of notification channels"))
      .default([]),
    /** PagerDuty services; `serviceKey` a `secure:` value. */
    pagerDuty: z
      .array(pagerDutyChannelSchema, expected("a list of PagerDuty channels"))
      .default([]),
    /** Slack channels; `authToken` a `secure:` value. */
    slack: z.array(slackChannelSchema, expected("a list of Slack channels")).default([]),
    /**
     * Alert (on every channel) when a subscription's oldest unacked message is older than this
     * many seconds: a stuck consumer must reach someone before messages expire. @default 3600
     */
    subscriptionBacklogAlertSeconds: int(60, 604_800).default(3600),
  })
  .superRefine(
    (m, ctx) =>
      uniqueChannelNamesAcross(
        { notificationChannels: m.notificationChannels, pagerDuty: m.pagerDuty, slack: m.slack },
        ctx,
      ),
    always,
  )
  .default({
    notificationChannels: [],
    pagerDuty: [],
    slack: [],
    subscriptionBacklogAlertSeconds: 3600,
  });

export type MonitoringConfig = z.output<typeof monitoringSection>;

const key = "taskstack:monitoring";

export function monitoringRules(m: MonitoringConfig, rules: StackRules): void {
  const channels = m.notificationChannels.length + m.pagerDuty.length + m.slack.length;
  if (rules.environment === "prod" && channels === 0) {
    rules.problem(
      [key, "notificationChannels"],
      "at least one notification channel in prod (alerts must reach someone)",
      [],
    );
  }
}
