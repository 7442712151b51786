import * as gcp from "@pulumi/gcp";
import { validateStackResourcesOfType } from "@pulumi/policy";
import type { StackValidationPolicy } from "@pulumi/policy";
import { isUnknown, known, reportUndecided } from "../../../shared/preview";
import { TargetSet, field, resolveTarget, show, topicType } from "../references";

/**
 * A message its consumer can never process is redelivered forever without a dead-letter topic,
 * and blocks ordered delivery behind it. Stack-level, because the subscription that drains a
 * dead-letter topic is exempt (it has nowhere further to send), and only the other subscriptions
 * tell which topics are dead-letter topics.
 */
export const gcpPubsubSubscriptionEnableDeadLetterPolicy: StackValidationPolicy = {
  name: "gcp-pubsub-subscription-enable-dead-letter-policy",
  description:
    "Pub/Sub subscriptions must set deadLetterPolicy.deadLetterTopic, except subscriptions that drain a dead-letter topic.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: validateStackResourcesOfType(
    gcp.pubsub.Subscription,
    (_subs, args, reportViolation) => {
      // A set with lookups, not an array: one lookup per subscription keeps the policy linear.
      const deadLetterTopics = new TargetSet("topics");
      for (const sub of args.resources) {
        deadLetterTopics.add(
          resolveTarget(sub, ["deadLetterPolicy", "deadLetterTopic"], "topics", topicType),
        );
      }
      for (const sub of args.resources) {
        const policy = known(() => sub.props["deadLetterPolicy"]);
        const deadLetterTopic = isUnknown(policy)
          ? policy
          : known(() => field(policy, "deadLetterTopic"));
        // Unknown during a preview means computed from another resource: it is set.
        if (isUnknown(deadLetterTopic) && deadLetterTopic.path !== "deadLetterPolicy") continue;
        if (typeof deadLetterTopic === "string" && deadLetterTopic !== "") continue;
        const topic = resolveTarget(sub, ["topic"], "topics", topicType);
        if (deadLetterTopics.has(topic)) continue;
        const undecided = isUnknown(deadLetterTopic)
          ? deadLetterTopic
          : topic.kind === "unknown"
            ? topic.unknown
            : deadLetterTopics.undecided;
        if (undecided !== undefined) {
          reportUndecided(
            reportViolation,
            sub,
            undecided,
            "whether it sets a dead-letter topic or drains one cannot be told yet",
          );
          continue;
        }
        const found =
          policy === undefined || policy === null
            ? "deadLetterPolicy is undefined"
            : `deadLetterPolicy.deadLetterTopic is ${show(deadLetterTopic)}`;
        reportViolation(
          `Subscription ${found}, so a message its consumer cannot process is redelivered forever. Set deadLetterPolicy.deadLetterTopic to "projects/<project>/topics/<topic>" of a dead-letter topic that has its own subscription, and deadLetterPolicy.maxDeliveryAttempts (5-100).`,
          sub.urn,
        );
      }
    },
  ),
};
