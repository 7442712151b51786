import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpApis } from "../project/project-apis";
import type { GcpApi } from "../project/project-apis";
import { managedByLabels } from "../shared/labels";
import { childName } from "../shared/naming";
import { validateArgs } from "../shared/schema";
import { notificationChannelsArgsSchema } from "./notification-channels-schema";

/** An email recipient of taskstack's alerts. */
export interface EmailChannel {
  /** Short name; the channel's logical name is `<component>-<name>`. */
  readonly name: string;
  readonly email: string;
}

/** A PagerDuty service alerts are sent to (Events API v1 integration key). */
export interface PagerDutyChannel {
  /** Short name; the channel's logical name is `<component>-<name>`. */
  readonly name: string;
  /** The integration key: a secret, from a `secure:` stack value. Sent as a sensitive label. */
  readonly serviceKey: pulumi.Input<string>;
}

/** A Slack channel alerts are posted to. */
export interface SlackChannel {
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
  readonly emails?: EmailChannel[];
  /** PagerDuty services. @default [] */
  readonly pagerDuty?: PagerDutyChannel[];
  /** Slack channels. @default [] */
  readonly slack?: SlackChannel[];
}

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

/** @deprecated Renamed `EmailChannel`, its name in the Python, Go and .NET SDKs (where `EmailChannelArgs` is the input class). */
export type EmailChannelArgs = EmailChannel;

/** @deprecated Renamed `PagerDutyChannel`, its name in the Python, Go and .NET SDKs (where `PagerDutyChannelArgs` is the input class). */
export type PagerDutyChannelArgs = PagerDutyChannel;

/** @deprecated Renamed `SlackChannel`, its name in the Python, Go and .NET SDKs (where `SlackChannelArgs` is the input class). */
export type SlackChannelArgs = SlackChannel;
