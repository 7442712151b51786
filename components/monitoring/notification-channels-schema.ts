import { z } from "zod";
import {
  always,
  email,
  expected,
  gcpProjectId,
  pattern,
  problem,
  secretField,
  shortName,
} from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import type { NotificationChannelsArgs } from "./notification-channels";

// NotificationChannels' one args schema, apart from the component so the component's published
// types carry no zod types (taskstack/schemas exports it).

export const emailChannelSchema = z.strictObject({ name: shortName, email });

const secretText = (what: string) =>
  secretField(
    z.string(expected(`${what} (a secure: stack value)`)).min(1, expected(`a non-empty ${what}`)),
  );

export const pagerDutyChannelSchema = z.strictObject({
  name: shortName,
  serviceKey: secretText("PagerDuty integration key"),
});

export const slackChannelSchema = z.strictObject({
  name: shortName,
  channelName: pattern(/^#[a-z0-9][a-z0-9_-]{0,79}$/, "a Slack channel such as #alerts"),
  authToken: secretText("Slack OAuth token"),
});

/** Channel names unique across emails, PagerDuty and Slack (they share one namespace of logical names). */
export function uniqueChannelNamesAcross(
  lists: Readonly<Record<string, unknown>>,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  for (const [at, channels] of Object.entries(lists)) {
    if (!Array.isArray(channels)) continue;
    channels.forEach((c: unknown, i) => {
      const name = (c as { name?: unknown } | null)?.name;
      if (typeof name !== "string") return;
      if (seen.has(name)) problem(ctx, [at, i, "name"], "a name unique among the channels", name);
      seen.add(name);
    });
  }
}

/** Names unique within one list of channels. */
export function uniqueChannelNames(channels: unknown, ctx: z.RefinementCtx, at: string): void {
  if (!Array.isArray(channels)) return;
  const seen = new Set<string>();
  channels.forEach((c: unknown, i) => {
    const name = (c as { name?: unknown } | null)?.name;
    if (typeof name !== "string") return;
    if (seen.has(name)) problem(ctx, [at, i, "name"], "a name unique among the channels", name);
    seen.add(name);
  });
}

export const notificationChannelsArgsSchema = z
  .strictObject({
    project: gcpProjectId.optional(),
    emails: z.array(emailChannelSchema).optional(),
    pagerDuty: z.array(pagerDutyChannelSchema).optional(),
    slack: z.array(slackChannelSchema).optional(),
  })
  .superRefine(
    (a, ctx) =>
      uniqueChannelNamesAcross({ emails: a.emails, pagerDuty: a.pagerDuty, slack: a.slack }, ctx),
    always,
  );

const argsMatchSchema: SameShape<
  Known<NotificationChannelsArgs>,
  z.input<typeof notificationChannelsArgsSchema>
> = true;
void argsMatchSchema;
