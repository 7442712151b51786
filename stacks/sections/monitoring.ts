import { z } from "zod";
import {
  emailChannelSchema,
  uniqueChannelNames,
} from "../../components/monitoring/notification-channels";
import { always, expected } from "../../components/shared/schema";
import type { StackRules } from "./rules";

/** `taskstack:monitoring`: who alerts reach. */
export const monitoringSection = z
  .strictObject({
    notificationChannels: z
      .array(emailChannelSchema, expected("a list of notification channels"))
      .default([]),
  })
  .superRefine(
    (m, ctx) => uniqueChannelNames(m.notificationChannels, ctx, "notificationChannels"),
    always,
  )
  .default({ notificationChannels: [] });

export type MonitoringConfig = z.output<typeof monitoringSection>;

const key = "taskstack:monitoring";

export function monitoringRules(m: MonitoringConfig, rules: StackRules): void {
  if (rules.environment === "prod" && m.notificationChannels.length === 0) {
    rules.problem(
      [key, "notificationChannels"],
      "at least one notification channel in prod (alerts must reach someone)",
      [],
    );
  }
}
