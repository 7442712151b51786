import * as gcp from "@pulumi/gcp";
import { validateStackResourcesOfType } from "@pulumi/policy/policy";
import type { StackValidationPolicy } from "@pulumi/policy/policy";
import { RefSet, field, parseRef, show } from "../references";

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
      // A RefSet, not an array: a lookup per subscription keeps the policy linear in the stack.
      const deadLetterTopics = new RefSet();
      for (const sub of args.resources) {
        const ref = parseRef(
          field(sub.props, "deadLetterPolicy", "deadLetterTopic"),
          "topics",
          sub.props["project"],
        );
        if (ref) deadLetterTopics.add(ref, true);
      }
      for (const sub of args.resources) {
        const policy: unknown = sub.props["deadLetterPolicy"];
        const deadLetterTopic = field(policy, "deadLetterTopic");
        if (typeof deadLetterTopic === "string" && deadLetterTopic !== "") continue;
        const topic = parseRef(sub.props["topic"], "topics", sub.props["project"]);
        if (topic && deadLetterTopics.has(topic)) continue;
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
