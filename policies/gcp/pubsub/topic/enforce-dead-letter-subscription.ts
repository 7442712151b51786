import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy/policy";
import { stackIndex } from "../../../shared/stack-index";
import { RefSet, field, parseRef, selfRef, show, subscriptionType, topicType } from "../references";
import type { PubSubRef } from "../references";

interface DeadLetterUse {
  readonly ref: PubSubRef;
  /** The `deadLetterTopic` input as written, for the message. */
  readonly value: string;
  readonly subscription: PolicyResource;
}

function describe(uses: readonly DeadLetterUse[]): string {
  const first = uses[0];
  const names = uses.map((u) => u.subscription.name).join(", ");
  const noun = uses.length === 1 ? "subscription" : "subscriptions";
  const value = show(first?.value);
  return `Topic ${value} is the deadLetterPolicy.deadLetterTopic of ${noun} ${names} but no subscription has topic ${value}, so dead-lettered messages are dropped. Add a gcp.pubsub.Subscription with topic ${value} (and an alert on its backlog).`;
}

/**
 * Pub/Sub drops messages published to a topic without subscriptions: a dead-letter topic that
 * nobody subscribes to turns "dead-lettered" into "deleted".
 */
export const gcpPubsubTopicEnforceDeadLetterSubscription: StackValidationPolicy = {
  name: "gcp-pubsub-topic-enforce-dead-letter-subscription",
  description:
    "Every Pub/Sub topic used as a deadLetterPolicy.deadLetterTopic must have a subscription of its own.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    // Every lookup below goes through an index or a RefSet built once: linear in the stack.
    const index = stackIndex(args.resources);
    const drained = new RefSet();
    const uses: DeadLetterUse[] = [];
    for (const sub of index.ofType(subscriptionType)) {
      const topic = parseRef(sub.props["topic"], "topics", sub.props["project"]);
      if (topic) drained.add(topic, true);
      const value = field(sub.props, "deadLetterPolicy", "deadLetterTopic");
      const ref = parseRef(value, "topics", sub.props["project"]);
      if (ref && typeof value === "string") uses.push({ ref, value, subscription: sub });
    }
    if (uses.length === 0)
      args.notApplicable("no subscription sets deadLetterPolicy.deadLetterTopic");

    const declaredTopics = new RefSet<PolicyResource>();
    for (const t of index.ofType(topicType)) {
      const self = selfRef(t.props, "topics");
      if (self !== undefined) declaredTopics.add(self, t);
    }
    const byDeclaredTopic = new Map<PolicyResource, DeadLetterUse[]>();
    for (const use of uses) {
      const declared = declaredTopics.find(use.ref);
      const isDrained = (extra?: PubSubRef): boolean =>
        drained.has(use.ref) || (extra !== undefined && drained.has(extra));
      if (declared) {
        if (isDrained(selfRef(declared.props, "topics"))) continue;
        byDeclaredTopic.set(declared, [...(byDeclaredTopic.get(declared) ?? []), use]);
      } else if (!isDrained()) {
        // Declared elsewhere (another stack or by hand): the subscription is what this stack owns.
        reportViolation(describe([use]), use.subscription.urn);
      }
    }
    for (const [topic, topicUses] of byDeclaredTopic)
      reportViolation(describe(topicUses), topic.urn);
  },
};
