import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { managedByLabels } from "../shared/labels";
import { childName } from "../shared/naming";
import { always, email, gcpProjectId, problem, shortName, validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";

/** An email recipient of taskstack's alerts. */
export interface EmailChannelArgs {
  /** Short name; the channel's logical name is `<component>-<name>`. */
  readonly name: string;
  readonly email: string;
}

export interface NotificationChannelsArgs {
  /** GCP project of the channels. @default - the provider's project (`gcp:project`) */
  readonly project?: pulumi.Input<string>;
  /** Email recipients. @default [] */
  readonly emails?: readonly EmailChannelArgs[];
}

export const emailChannelSchema = z.strictObject({ name: shortName, email });

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
  })
  .superRefine((a, ctx) => uniqueChannelNames(a.emails, ctx, "emails"), always);

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

  /** Channel resource names (`projects/<p>/notificationChannels/<n>`), in the order given. */
  readonly ids: pulumi.Output<string>[];

  constructor(
    name: string,
    args: NotificationChannelsArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    validateNotificationChannelsArgs(name, args);
    super(NotificationChannels.__pulumiType, name, {}, opts);
    this.ids = (args.emails ?? []).map(
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
    this.registerOutputs({ ids: this.ids });
  }
}
