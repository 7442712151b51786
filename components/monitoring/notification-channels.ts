import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { gcpApis } from "../project/project-apis";
import type { GcpApi } from "../project/project-apis";
import { managedByLabels } from "../shared/labels";
import { childName } from "../shared/naming";
import {
  always,
  email,
  expected,
  gcpProjectId,
  pattern,
  problem,
  secretField,
  shortName,
  validateArgs,
} from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";

/** An email recipient of taskstack's alerts. */
export interface EmailChannelArgs {
  /** Short name; the channel's logical name is `<component>-<name>`. */
  readonly name: string;
  readonly email: string;
}

/** A PagerDuty service alerts are sent to (Events API v1 integration key). */
export interface PagerDutyChannelArgs {
  /** Short name; the channel's logical name is `<component>-<name>`. */
  readonly name: string;
  /** The integration key: a secret, from a `secure:` stack value. Sent as a sensitive label. */
  readonly serviceKey: pulumi.Input<string>;
}

/** A Slack channel alerts are posted to. */
export interface SlackChannelArgs {
  /** Short name; the channel's logical name is `<component>-<name>`. */
  readonly name: string;
  /** The Slack channel, e.g. `#commerce-alerts`. */
  readonly channelName: string;
  /** The Slack app's OAuth token: a secret, from a `secure:` stack value. */
  readonly authToken: pulumi.Input<string>;
}

export interface NotificationChannelsArgs {
  /** GCP project of the channels. @default - the provider's project (`gcp:project`) */
  readonly project?: pulumi.Input<string>;
  /** Email recipients. @default [] */
  readonly emails?: readonly EmailChannelArgs[];
  /** PagerDuty services. @default [] */
  readonly pagerDuty?: readonly PagerDutyChannelArgs[];
  /** Slack channels. @default [] */
  readonly slack?: readonly SlackChannelArgs[];
}

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

/** Checks NotificationChannels args, throwing one TaskstackInputError listing every problem. */
export function validateNotificationChannelsArgs(name: unknown, args: unknown): void {
  validateArgs("NotificationChannels", name, notificationChannelsArgsSchema, args);
}

/**
 * The channels every taskstack alert policy notifies: one Cloud Monitoring notification channel
 * per recipient. Pass `ids` to components' `alertNotificationChannels`.
 */
export class NotificationChannels extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:monitoring:NotificationChannels";

  /** The APIs the channels call (enable them first: see `project.ProjectApis`). */
  static requiredApis(): GcpApi[] {
    return [gcpApis.monitoring];
  }

  /** Channel resource names (`projects/<p>/notificationChannels/<n>`): emails, PagerDuty, then Slack, each in the order given. */
  readonly ids: pulumi.Output<string>[];

  constructor(
    name: string,
    args: NotificationChannelsArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    validateNotificationChannelsArgs(name, args);
    super(NotificationChannels.__pulumiType, name, {}, opts);
    const emails = (args.emails ?? []).map(
      (e) =>
        new gcp.monitoring.NotificationChannel(
          childName(name, e.name),
          {
            project: args.project,
            type: "email",
            displayName: `taskstack ${e.name}`,
            labels: { email_address: e.email },
            userLabels: { ...managedByLabels },
            enabled: true,
          },
          { parent: this },
        ).name,
    );
    // Keys and tokens stay secret end to end: wrapped here in case they came in plain, and sent
    // as sensitive labels, which the provider never returns in state.
    const pagerDuty = (args.pagerDuty ?? []).map(
      (p) =>
        new gcp.monitoring.NotificationChannel(
          childName(name, p.name),
          {
            project: args.project,
            type: "pagerduty",
            displayName: `taskstack ${p.name}`,
            sensitiveLabels: { serviceKey: pulumi.secret(p.serviceKey) },
            userLabels: { ...managedByLabels },
            enabled: true,
          },
          { parent: this },
        ).name,
    );
    const slack = (args.slack ?? []).map(
      (c) =>
        new gcp.monitoring.NotificationChannel(
          childName(name, c.name),
          {
            project: args.project,
            type: "slack",
            displayName: `taskstack ${c.name}`,
            labels: { channel_name: c.channelName },
            sensitiveLabels: { authToken: pulumi.secret(c.authToken) },
            userLabels: { ...managedByLabels },
            enabled: true,
          },
          { parent: this },
        ).name,
    );
    this.ids = [...emails, ...pagerDuty, ...slack];
    this.registerOutputs({ ids: this.ids });
  }
}
