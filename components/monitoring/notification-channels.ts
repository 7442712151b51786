import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { managedByLabels } from "../shared/labels";
import { childName } from "../shared/naming";
import { ArgsProblems, emailPattern } from "../shared/validation";

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

/** Checks NotificationChannels args, throwing one TaskstackInputError listing every problem. */
export function validateNotificationChannelsArgs(args: NotificationChannelsArgs): void {
  const p = new ArgsProblems("NotificationChannels");
  const seen = new Set<string>();
  (args.emails ?? []).forEach((e, i) => {
    if (!/^[a-z][a-z0-9-]*$/.test(e.name) || seen.has(e.name)) {
      p.add(`emails[${i}].name`, "a unique lowercase name", e.name);
    }
    seen.add(e.name);
    if (!emailPattern.test(e.email)) p.add(`emails[${i}].email`, "an email address", e.email);
  });
  p.throwIfAny();
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
    validateNotificationChannelsArgs(args);
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
