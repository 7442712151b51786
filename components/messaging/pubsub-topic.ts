import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpApis } from "../project/project-apis";
import type { GcpApi } from "../project/project-apis";
import type { z } from "zod";
import { TaskstackInputError, describeValue } from "../shared/errors";
import { managedByLabels } from "../shared/labels";
import { deadLetterAlertPolicyArgs } from "../monitoring/alert-policies";
import { childName, memberSlug } from "../shared/naming";
import { isKnown, validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import {
  pubSubTopicArgsSchema,
  pubSubTopicDerivedNames,
  subscriptionDefaults,
} from "./pubsub-topic-schema";
import { claimDerivedNamesWhenResolved } from "../shared/claims";
import { checkedMember } from "../shared/resolved";

/** One subscription on a PubSubTopic. */
export interface PubSubSubscription {
  /**
   * Short name, unique within the topic. The subscription is named `<topicName>-<name>` and its
   * logical name is `<component>-sub-<name>`.
   */
  readonly name: string;
  /** Seconds a subscriber has to ack before redelivery (10–600). @default 60 */
  readonly ackDeadlineSeconds?: number;
  /** Shortest wait before redelivering a nacked message (0–600). @default 10 */
  readonly minimumBackoffSeconds?: number;
  /** Longest wait before redelivering a nacked message (0–600). @default 600 */
  readonly maximumBackoffSeconds?: number;
  /** How long unacked messages are kept (600–2678400). @default 604800 (7 days) */
  readonly messageRetentionSeconds?: number;
  /** Keep acked messages for replay through seek. @default false */
  readonly retainAckedMessages?: boolean;
  /**
   * Delete the subscription after this many idle seconds (at least 86400 and the retention).
   * @default - never expires (`expirationPolicy.ttl: ""`; the service's own default is 31 days)
   */
  readonly expirationTtlSeconds?: number;
  /** Deliver only messages matching this filter, e.g. `attributes.type = "order.paid"`. @default - all messages */
  readonly filter?: string;
  /** Deliver messages with the same ordering key in order. @default false */
  readonly enableMessageOrdering?: boolean;
  /** Exactly-once delivery (pull subscriptions only). @default false */
  readonly enableExactlyOnceDelivery?: boolean;
  /** Forward a message to the dead-letter topic after this many attempts (5–100). @default 5 */
  readonly maxDeliveryAttempts?: number;
  /** Dead-letter undeliverable messages. Turning it off retries a poison message forever. @default true */
  readonly deadLetter?: boolean;
  /** HTTPS endpoint to push to; makes this a push subscription. @default - a pull subscription */
  readonly pushEndpoint?: pulumi.Input<string>;
  /** Service account whose OIDC token authenticates each push; required with `pushEndpoint`. @default - none */
  readonly pushServiceAccountEmail?: pulumi.Input<string>;
  /** Audience of the push OIDC token. @default - the push endpoint URL */
  readonly pushAudience?: pulumi.Input<string>;
}

export interface PubSubTopicArgs {
  /** GCP project of every resource. @default - the provider's project (`gcp:project`) */
  readonly project?: pulumi.Input<string>;
  /**
   * The project's number, which names the Pub/Sub service agent
   * (`service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com`).
   * @default - looked up with `gcp:organizations/getProject`
   */
  readonly projectNumber?: pulumi.Input<string>;
  /** The topic's name, which publishers use. @default - the component name */
  readonly topicName?: string;
  /** How long the topic keeps messages for replay (600–2678400 seconds). @default - no topic retention */
  readonly messageRetentionSeconds?: number;
  /** Labels on every resource, beside `managed-by: taskstack`. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Cloud KMS key (`projects/…/cryptoKeys/…`) encrypting the topics. The Pub/Sub service agent is
   * granted `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it, and the topics wait for that grant.
   * @default - Google-managed encryption
   */
  readonly kmsKeyName?: pulumi.Input<string>;
  /** Regions where messages may be stored, e.g. `["europe-west1"]`. @default - any region */
  readonly allowedPersistenceRegions?: string[];
  /** Subscriptions on the topic. @default [] */
  readonly subscriptions?: PubSubSubscription[];
  /** How long the dead-letter subscription keeps messages (600–2678400 seconds). @default 604800 (7 days) */
  readonly deadLetterRetentionSeconds?: number;
  /**
   * Notification channels alerted when a message lands in the dead-letter subscription, so dead
   * letters are looked at before their retention drops them. @default [] (no alert policy)
   */
  readonly alertNotificationChannels?: pulumi.Input<string>[];
  /** Protect the topics and subscriptions (not the IAM grants) from deletion. @default false */
  readonly protect?: boolean;
}

/**
 * Checks PubSubTopic args with {@link pubSubTopicArgsSchema} before anything is declared, returning
 * nothing or throwing one TaskstackInputError that lists every problem as
 * `PubSubTopic "<name>" <path>: expected …, got …`. Values that are Outputs are not checked.
 */
export function validatePubSubTopicArgs(name: unknown, args: unknown): void {
  const withTopicName =
    typeof args === "object" && args !== null && !Array.isArray(args)
      ? { ...args, topicName: (args as { topicName?: unknown }).topicName ?? name }
      : args;
  validateArgs("PubSubTopic", name, pubSubTopicArgsSchema, withTopicName);
}

// The documented interface and the schema must describe the same args.
const argsMatchSchema: SameShape<
  Known<PubSubTopicArgs>,
  z.input<typeof pubSubTopicArgsSchema>
> = true;
void argsMatchSchema;

const seconds = (n: number): string => `${n}s`;

/**
 * `projects/<p>/topics/<name>` from the topic's project and name rather than its id: both are
 * known during `pulumi preview` (the id is not), so policies can relate subscriptions to topics
 * before anything is created.
 */
const topicPath = (topic: gcp.pubsub.Topic): pulumi.Output<string> =>
  pulumi.interpolate`projects/${topic.project}/topics/${topic.name}`;

/**
 * A Pub/Sub topic with its subscriptions and dead-lettering done right: one dead-letter topic with
 * a subscription of its own (so dead letters are kept, not dropped), the Pub/Sub service agent
 * allowed to publish to it and to subscribe on each source subscription (without both, messages
 * are never forwarded), and subscriptions that never expire unless told to.
 */
export class PubSubTopic extends pulumi.ComponentResource {
  /** The APIs a topic with these args calls (enable them first: see `project.ProjectApis`). */
  static requiredApis(args: PubSubTopicArgs): GcpApi[] {
    return [
      gcpApis.pubsub,
      ...((args.alertNotificationChannels ?? []).length > 0 ? [gcpApis.monitoring] : []),
    ];
  }

  static readonly __pulumiType = "taskstack:messaging:PubSubTopic";

  /** The topic publishers send to. */
  readonly topic: gcp.pubsub.Topic;
  /** `projects/<project>/topics/<name>`. */
  readonly topicId: pulumi.Output<string>;
  /** Subscriptions by their short name. */
  readonly subscriptions: Readonly<Record<string, gcp.pubsub.Subscription>>;
  /** Where undeliverable messages go; undefined when no subscription dead-letters. */
  readonly deadLetterTopic?: gcp.pubsub.Topic;
  /** The subscription that keeps dead letters for inspection and replay. */
  readonly deadLetterSubscription?: gcp.pubsub.Subscription;
  /** The Pub/Sub service agent, as an IAM member (`serviceAccount:service-<n>@gcp-sa-pubsub…`). */
  readonly serviceAgentMember: pulumi.Output<string>;

  private readonly componentName: string;
  private readonly project?: pulumi.Input<string>;

  constructor(name: string, args: PubSubTopicArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Validate before registering anything, so bad args declare nothing at all.
    validatePubSubTopicArgs(name, args);
    args = {
      ...args,
      project: claimDerivedNamesWhenResolved(
        `PubSubTopic ${JSON.stringify(name)}`,
        pubSubTopicDerivedNames(name, args.topicName ?? name, args.subscriptions ?? []),
        args.project,
      ),
    };
    super(PubSubTopic.__pulumiType, name, {}, opts);
    this.componentName = name;
    this.project = args.project;

    const topicName = args.topicName ?? name;
    const protect = args.protect ?? false;
    const labels = { ...managedByLabels, ...(args.labels ?? {}) };
    const subscriptionArgs = args.subscriptions ?? [];
    const storagePolicy = args.allowedPersistenceRegions
      ? { allowedPersistenceRegions: [...args.allowedPersistenceRegions] }
      : undefined;
    const topicSettings = {
      project: args.project,
      labels,
      kmsKeyName: args.kmsKeyName,
      messageStoragePolicy: storagePolicy,
    };

    this.serviceAgentMember = pulumi.interpolate`serviceAccount:service-${resolveProjectNumber(name, args, this)}@gcp-sa-pubsub.iam.gserviceaccount.com`;

    // Topics encrypted with a customer key stay unusable until the service agent may use the key.
    const keyGrant =
      args.kmsKeyName === undefined
        ? undefined
        : new gcp.kms.CryptoKeyIAMMember(
            childName(name, "kms-encrypter-decrypter"),
            {
              cryptoKeyId: args.kmsKeyName,
              role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
              member: this.serviceAgentMember,
            },
            { parent: this },
          );
    const topicOptions = { parent: this, protect, dependsOn: keyGrant ? [keyGrant] : [] };

    this.topic = new gcp.pubsub.Topic(
      childName(name, "topic"),
      {
        ...topicSettings,
        name: topicName,
        messageRetentionDuration:
          args.messageRetentionSeconds === undefined
            ? undefined
            : seconds(args.messageRetentionSeconds),
      },
      topicOptions,
    );
    this.topicId = this.topic.id;

    const deadLettering = subscriptionArgs.some((s) => s.deadLetter ?? true);
    let deadLetterPublisher: gcp.pubsub.TopicIAMMember | undefined;
    if (deadLettering) {
      const dlTopic = new gcp.pubsub.Topic(
        childName(name, "dead-letter-topic"),
        { ...topicSettings, name: `${topicName}-dead-letter` },
        topicOptions,
      );
      this.deadLetterTopic = dlTopic;
      this.deadLetterSubscription = new gcp.pubsub.Subscription(
        childName(name, "dead-letter-sub"),
        {
          project: args.project,
          name: `${topicName}-dead-letter`,
          topic: topicPath(dlTopic),
          labels,
          ackDeadlineSeconds: 60,
          messageRetentionDuration: seconds(
            args.deadLetterRetentionSeconds ?? subscriptionDefaults.messageRetentionSeconds,
          ),
          expirationPolicy: { ttl: "" },
          retryPolicy: {
            minimumBackoff: seconds(subscriptionDefaults.minimumBackoffSeconds),
            maximumBackoff: seconds(subscriptionDefaults.maximumBackoffSeconds),
          },
        },
        { parent: this, protect },
      );
      deadLetterPublisher = new gcp.pubsub.TopicIAMMember(
        childName(name, "dead-letter-publisher"),
        {
          project: args.project,
          topic: dlTopic.name,
          role: "roles/pubsub.publisher",
          member: this.serviceAgentMember,
        },
        { parent: this },
      );
      const channels = args.alertNotificationChannels ?? [];
      if (channels.length > 0) {
        new gcp.monitoring.AlertPolicy(
          childName(name, "dead-letter-alert"),
          deadLetterAlertPolicyArgs({
            project: args.project,
            topicName,
            deadLetterSubscriptionName: this.deadLetterSubscription.name,
            notificationChannels: channels,
            labels,
          }),
          { parent: this },
        );
      }
    }

    const subscriptions: Record<string, gcp.pubsub.Subscription> = {};
    for (const sub of subscriptionArgs) {
      const deadLetter = (sub.deadLetter ?? true) && this.deadLetterTopic !== undefined;
      const subscription = new gcp.pubsub.Subscription(
        childName(name, "sub", sub.name),
        {
          project: args.project,
          name: `${topicName}-${sub.name}`,
          topic: topicPath(this.topic),
          labels,
          ackDeadlineSeconds: sub.ackDeadlineSeconds ?? subscriptionDefaults.ackDeadlineSeconds,
          messageRetentionDuration: seconds(
            sub.messageRetentionSeconds ?? subscriptionDefaults.messageRetentionSeconds,
          ),
          retainAckedMessages: sub.retainAckedMessages ?? false,
          expirationPolicy: {
            ttl: sub.expirationTtlSeconds === undefined ? "" : seconds(sub.expirationTtlSeconds),
          },
          retryPolicy: {
            minimumBackoff: seconds(
              sub.minimumBackoffSeconds ?? subscriptionDefaults.minimumBackoffSeconds,
            ),
            maximumBackoff: seconds(
              sub.maximumBackoffSeconds ?? subscriptionDefaults.maximumBackoffSeconds,
            ),
          },
          filter: sub.filter,
          enableMessageOrdering: sub.enableMessageOrdering ?? false,
          enableExactlyOnceDelivery: sub.enableExactlyOnceDelivery ?? false,
          deadLetterPolicy:
            deadLetter && this.deadLetterTopic
              ? {
                  deadLetterTopic: topicPath(this.deadLetterTopic),
                  maxDeliveryAttempts:
                    sub.maxDeliveryAttempts ?? subscriptionDefaults.maxDeliveryAttempts,
                }
              : undefined,
          pushConfig:
            sub.pushEndpoint === undefined
              ? undefined
              : {
                  pushEndpoint: sub.pushEndpoint,
                  oidcToken: {
                    serviceAccountEmail: sub.pushServiceAccountEmail as pulumi.Input<string>,
                    audience: sub.pushAudience,
                  },
                },
        },
        // Forwarding fails until the service agent may publish to the dead-letter topic.
        {
          parent: this,
          protect,
          dependsOn: deadLetter && deadLetterPublisher ? [deadLetterPublisher] : [],
        },
      );
      subscriptions[sub.name] = subscription;
      if (deadLetter) {
        new gcp.pubsub.SubscriptionIAMMember(
          childName(name, "sub", sub.name, "dead-letter-subscriber"),
          {
            project: args.project,
            subscription: subscription.name,
            role: "roles/pubsub.subscriber",
            member: this.serviceAgentMember,
          },
          { parent: this },
        );
      }
    }
    this.subscriptions = subscriptions;

    this.registerOutputs({
      topicId: this.topicId,
      subscriptionIds: Object.fromEntries(Object.entries(subscriptions).map(([k, s]) => [k, s.id])),
      deadLetterTopicId: this.deadLetterTopic?.id,
      serviceAgentMember: this.serviceAgentMember,
    });
  }

  /**
   * Lets `member` publish to the topic: binds exactly `roles/pubsub.publisher` on this topic.
   * `id` names the binding in the plan; it is derived from `member` when that is a plain string.
   */
  grantPublish(member: pulumi.Input<string>, id?: string): gcp.pubsub.TopicIAMMember {
    const checked = checkedMember("PubSubTopic", this.componentName, "grantPublish", member);
    return new gcp.pubsub.TopicIAMMember(
      childName(this.componentName, "publisher", bindingId("grantPublish", member, id)),
      {
        project: this.project,
        topic: this.topic.name,
        role: "roles/pubsub.publisher",
        member: checked,
      },
      { parent: this },
    );
  }

  /**
   * Lets `member` pull from one subscription: binds exactly `roles/pubsub.subscriber` on it.
   * `id` names the binding in the plan; it is derived from `member` when that is a plain string.
   */
  grantSubscribe(
    subscription: string,
    member: pulumi.Input<string>,
    id?: string,
  ): gcp.pubsub.SubscriptionIAMMember {
    const target = this.subscriptions[subscription];
    const checked = checkedMember("PubSubTopic", this.componentName, "grantSubscribe", member);
    if (!target) {
      throw new TaskstackInputError([
        `PubSubTopic ${this.componentName} grantSubscribe: expected one of ${Object.keys(this.subscriptions).join(", ") || "(no subscriptions)"}, got ${describeValue(subscription)}`,
      ]);
    }
    return new gcp.pubsub.SubscriptionIAMMember(
      childName(
        this.componentName,
        "sub",
        subscription,
        "subscriber",
        bindingId("grantSubscribe", member, id),
      ),
      {
        project: this.project,
        subscription: target.name,
        role: "roles/pubsub.subscriber",
        member: checked,
      },
      { parent: this },
    );
  }
}

/**
 * The project number in the service agent's email: given, or looked up. A lookup that returns no
 * number (a consumer's own mocks often answer with the inputs) fails loudly rather than declaring
 * `service-undefined@…` grants that silently do nothing.
 */
function resolveProjectNumber(
  name: string,
  args: PubSubTopicArgs,
  parent: pulumi.Resource,
): pulumi.Input<string> {
  if (args.projectNumber !== undefined) return args.projectNumber;
  const found = gcp.organizations.getProjectOutput(
    args.project === undefined ? {} : { projectId: args.project },
    { parent },
  );
  return found.number.apply((n) => {
    if (typeof n !== "string" || !/^[0-9]+$/.test(n)) {
      throw new TaskstackInputError([
        `PubSubTopic ${JSON.stringify(name)} projectNumber: expected gcp:organizations/getProject to return the project's number, got ${describeValue(n)}. Pass projectNumber, or make your mocks answer that invoke with a number`,
      ]);
    }
    return n;
  });
}

function bindingId(method: string, member: pulumi.Input<string>, id: string | undefined): string {
  if (id !== undefined) return id;
  if (isKnown(member) && typeof member === "string") return memberSlug(member);
  throw new TaskstackInputError([
    `PubSubTopic ${method} id: expected a stable id for a member that is an Output, got nothing. Pass it as the last argument`,
  ]);
}

/** @deprecated Renamed `PubSubSubscription`, its name in the Python, Go and .NET SDKs (where `PubSubSubscriptionArgs` is the input class). */
export type PubSubSubscriptionArgs = PubSubSubscription;
