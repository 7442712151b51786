import { z } from "zod";
import {
  always,
  bool,
  expected,
  gcpLabels,
  gcpProjectId,
  gcpRegion,
  httpsUrl,
  int,
  pattern,
  problem,
  serviceAccountEmail,
  shortName,
} from "../shared/schema";

// PubSubTopic's one args schema: the component validates with it, and the stack file's topics
// are built from its shape and rules (stacks/config.ts). Kept beside pubsub-topic.ts so the
// component file stays readable.

/** Message retention bounds, in seconds (10 minutes to 31 days). */
export const retention = { min: 600, max: 2_678_400 } as const;

/** What a subscription gets for each setting left out (documented as `@default` on its args). */
export const subscriptionDefaults = {
  ackDeadlineSeconds: 60,
  minimumBackoffSeconds: 10,
  maximumBackoffSeconds: 600,
  messageRetentionSeconds: 604_800,
  maxDeliveryAttempts: 5,
} as const;

/** Names taskstack gives its own subscriptions. */
const reservedSubscriptionNames: ReadonlySet<string> = new Set(["dead-letter"]);

/** GCP's limit on topic and subscription names, and on a subscription filter. */
const maxPubSubNameLength = 255;
const maxFilterBytes = 256;

const pubsubNameRule = /^(?!goog)[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;

/** A Pub/Sub topic name as GCP accepts it. */
export const pubSubTopicName = pattern(
  pubsubNameRule,
  "3–255 characters: a letter, then letters, digits, - _ . ~ + %, not starting with goog",
);

const retentionSeconds = int(retention.min, retention.max);

const filter = z
  .string(expected("a Pub/Sub filter expression"))
  .min(1, expected("a non-empty filter"))
  .refine(
    (f) => Buffer.byteLength(f, "utf8") <= maxFilterBytes,
    expected(`a filter of at most ${maxFilterBytes} bytes (GCP's limit)`),
  );

/** The fields of one subscription; a stack file's subscription adds `subscribers`. */
export const pubSubSubscriptionShape = {
  name: shortName,
  ackDeadlineSeconds: int(10, 600).optional(),
  minimumBackoffSeconds: int(0, 600).optional(),
  maximumBackoffSeconds: int(0, 600).optional(),
  messageRetentionSeconds: retentionSeconds.optional(),
  retainAckedMessages: bool.optional(),
  expirationTtlSeconds: int(86_400, 31_536_000).optional(),
  filter: filter.optional(),
  enableMessageOrdering: bool.optional(),
  enableExactlyOnceDelivery: bool.optional(),
  maxDeliveryAttempts: int(5, 100).optional(),
  deadLetter: bool.optional(),
  pushEndpoint: httpsUrl.optional(),
  pushServiceAccountEmail: serviceAccountEmail.optional(),
  pushAudience: z
    .string(expected("an OIDC audience"))
    .min(1, expected("an OIDC audience"))
    .optional(),
};

type SubscriptionLike = Partial<Record<keyof typeof pubSubSubscriptionShape, unknown>>;

/** Rules that span a subscription's fields. */
export function pubSubSubscriptionRules(s: SubscriptionLike, ctx: z.RefinementCtx): void {
  const min = s.minimumBackoffSeconds ?? subscriptionDefaults.minimumBackoffSeconds;
  const max = s.maximumBackoffSeconds ?? subscriptionDefaults.maximumBackoffSeconds;
  if (typeof min === "number" && typeof max === "number" && min > max) {
    problem(
      ctx,
      ["minimumBackoffSeconds"],
      `at most maximumBackoffSeconds (${max})`,
      min,
      "Lower it or raise maximumBackoffSeconds",
    );
  }
  // Pub/Sub spaces redeliveries exponentially from minimumBackoff and adds no jitter; at 0 a nacked
  // message comes straight back, a retry storm against a subscriber that is failing
  // (https://cloud.google.com/pubsub/docs/subscription-retry-policy).
  if (s.minimumBackoffSeconds === 0) {
    problem(
      ctx,
      ["minimumBackoffSeconds"],
      "at least 1 (0 redelivers a nacked message at once: a retry storm against a failing subscriber, and Pub/Sub adds no jitter)",
      0,
    );
  }
  const ttl = s.expirationTtlSeconds;
  const keep = s.messageRetentionSeconds ?? subscriptionDefaults.messageRetentionSeconds;
  if (typeof ttl === "number" && typeof keep === "number" && ttl < keep) {
    problem(
      ctx,
      ["expirationTtlSeconds"],
      `an integer of at least ${keep} (the message retention)`,
      ttl,
      "Or leave it unset so the subscription never expires",
    );
  }
  if (s.pushEndpoint !== undefined) {
    if (s.pushServiceAccountEmail === undefined) {
      problem(
        ctx,
        ["pushServiceAccountEmail"],
        "a service account email whose OIDC token authenticates pushes",
        undefined,
        "Push endpoints must not accept unauthenticated requests",
      );
    }
    if (s.enableExactlyOnceDelivery === true) {
      problem(
        ctx,
        ["enableExactlyOnceDelivery"],
        "false for a push subscription (exactly-once is pull only)",
        true,
      );
    }
  } else if (s.pushServiceAccountEmail !== undefined || s.pushAudience !== undefined) {
    problem(
      ctx,
      ["pushEndpoint"],
      "an https:// URL when pushServiceAccountEmail or pushAudience is set",
      undefined,
    );
  }
}

export const pubSubSubscriptionArgsSchema = z
  .strictObject(pubSubSubscriptionShape, expected("a subscription: a mapping with a name"))
  .superRefine(pubSubSubscriptionRules, always);

/** The topic-level fields a stack file can hold too. */
export const pubSubTopicSettingsShape = {
  messageRetentionSeconds: retentionSeconds.optional(),
  deadLetterRetentionSeconds: retentionSeconds.optional(),
  labels: gcpLabels.optional(),
  kmsKeyName: pattern(
    /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
    "a Cloud KMS key name: projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>",
  ).optional(),
  allowedPersistenceRegions: z
    .array(gcpRegion, expected("a list of regions"))
    .min(1, expected("at least one region"))
    .optional(),
};

/**
 * Rules that span a topic and its subscriptions. `nameKey` is where the topic's name sits:
 * `topicName` in component args, `name` in a stack file.
 */
export function pubSubTopicRules(nameKey: string) {
  return (t: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const topicName = t[nameKey];
    const subs = Array.isArray(t["subscriptions"]) ? (t["subscriptions"] as unknown[]) : [];
    const seen = new Set<string>();
    subs.forEach((sub, i) => {
      const subName = (sub as { name?: unknown } | null)?.name;
      if (typeof subName !== "string") return;
      const at = ["subscriptions", i, "name"];
      if (reservedSubscriptionNames.has(subName)) {
        problem(
          ctx,
          at,
          "a name other than dead-letter (taskstack names the dead-letter subscription so)",
          subName,
        );
      } else if (seen.has(subName)) {
        problem(ctx, at, "a name unique within the topic", subName);
      }
      seen.add(subName);
      if (typeof topicName === "string") {
        const derived = `${topicName}-${subName}`;
        if (derived.length > maxPubSubNameLength) {
          problem(
            ctx,
            at,
            `a shorter name: the subscription's name "${derived.slice(0, 40)}…" would be ${derived.length} characters, over GCP's ${maxPubSubNameLength}`,
            subName,
          );
        }
      }
    });
    if (typeof topicName === "string" && pubsubNameRule.test(topicName)) {
      const deadLetter = `${topicName}-dead-letter`;
      if (deadLetter.length > maxPubSubNameLength) {
        problem(
          ctx,
          [nameKey],
          `at most ${maxPubSubNameLength - "-dead-letter".length} characters (the dead-letter topic is named <name>-dead-letter)`,
          topicName,
        );
      }
    }
  };
}

/** PubSubTopic's args, as its constructor checks them (`topicName` already defaulted). */
export const pubSubTopicArgsSchema = z
  .strictObject(
    {
      project: gcpProjectId.optional(),
      projectNumber: pattern(/^[0-9]{6,20}$/, "a GCP project number (digits)").optional(),
      topicName: pubSubTopicName.optional(),
      ...pubSubTopicSettingsShape,
      subscriptions: z
        .array(pubSubSubscriptionArgsSchema, expected("a list of subscriptions"))
        .optional(),
      alertNotificationChannels: z
        .array(z.string(expected("a notification channel name")), expected("a list of channels"))
        .optional(),
      protect: bool.optional(),
    },
    expected("PubSubTopic args: a mapping"),
  )
  .superRefine(pubSubTopicRules("topicName"), always);

import type { DerivedName } from "../shared/claims";
export type { DerivedName };

/**
 * The physical names (topics, subscriptions) and logical names a PubSubTopic named `name` with
 * topic `topicName` declares. Two topics in one stack must share none of them, or `pulumi up`
 * fails halfway (physical) or the program crashes on a duplicate URN (logical).
 */
export function pubSubTopicDerivedNames(
  name: string,
  topicName: string,
  subscriptions: readonly { readonly name: string; readonly deadLetter?: boolean }[],
): DerivedName[] {
  const deadLettering = subscriptions.some((s) => s.deadLetter ?? true);
  const names: DerivedName[] = [
    { kind: "Pub/Sub topic", name: topicName },
    { kind: "Topic resource", name: `${name}-topic` },
  ];
  if (deadLettering) {
    names.push(
      { kind: "Pub/Sub topic", name: `${topicName}-dead-letter` },
      { kind: "Pub/Sub subscription", name: `${topicName}-dead-letter` },
      { kind: "Topic resource", name: `${name}-dead-letter-topic` },
      { kind: "Subscription resource", name: `${name}-dead-letter-sub` },
    );
  }
  for (const s of subscriptions) {
    names.push(
      { kind: "Pub/Sub subscription", name: `${topicName}-${s.name}` },
      { kind: "Subscription resource", name: `${name}-sub-${s.name}` },
    );
  }
  return names;
}
