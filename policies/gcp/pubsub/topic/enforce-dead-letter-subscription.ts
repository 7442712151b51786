import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { reportUndecided } from "../../../shared/preview";
import { stackIndex } from "../../../shared/stack-index";
import {
  RefSet,
  TargetSet,
  knownSelfRef,
  resolveTarget,
  showTarget,
  subscriptionType,
  topicType,
} from "../references";
import type { Target } from "../references";

interface DeadLetterUse {
  readonly target: Extract<Target, { kind: "resource" | "ref" }>;
  readonly subscription: PolicyResource;
}

function describe(uses: readonly DeadLetterUse[], topic: string): string {
  const names = uses.map((u) => u.subscription.name).join(", ");
  const noun = uses.length === 1 ? "subscription" : "subscriptions";
  return `Topic ${topic} is the deadLetterPolicy.deadLetterTopic of ${noun} ${names} but no subscription has topic ${topic}, so dead-lettered messages are dropped. Add a gcp.pubsub.Subscription with topic ${topic} (and an alert on its backlog).`;
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
    // Every lookup below goes through an index or a set built once: linear in the stack.
    const index = stackIndex(args.resources);
    const drained = new TargetSet("topics");
    const uses: DeadLetterUse[] = [];
    for (const sub of index.ofType(subscriptionType)) {
      drained.add(resolveTarget(sub, ["topic"], "topics", topicType));
      const target = resolveTarget(
        sub,
        ["deadLetterPolicy", "deadLetterTopic"],
        "topics",
        topicType,
      );
      if (target.kind === "unknown") {
        reportUndecided(
          reportViolation,
          sub,
          target.unknown,
          "whether its dead-letter topic has a subscription cannot be told yet",
        );
      } else if (target.kind !== "unset") uses.push({ target, subscription: sub });
    }
    if (uses.length === 0)
      args.notApplicable("no subscription sets deadLetterPolicy.deadLetterTopic");

    const declaredTopics = new RefSet<PolicyResource>();
    for (const t of index.ofType(topicType)) {
      const self = knownSelfRef(t, "topics");
      if (self !== undefined) declaredTopics.add(self, t);
    }
    const byDeclaredTopic = new Map<PolicyResource, DeadLetterUse[]>();
    for (const use of uses) {
      const declared =
        use.target.kind === "resource" ? use.target.resource : declaredTopics.find(use.target.ref);
      if (drained.has(use.target)) continue;
      if (declared && drained.has({ kind: "resource", resource: declared })) continue;
      if (drained.undecided !== undefined) {
        reportUndecided(
          reportViolation,
          declared ?? use.subscription,
          drained.undecided,
          "whether any subscription drains this dead-letter topic cannot be told yet",
        );
      } else if (declared) {
        byDeclaredTopic.set(declared, [...(byDeclaredTopic.get(declared) ?? []), use]);
      } else {
        // Declared elsewhere (another stack or by hand): the subscription is what this stack owns.
        reportViolation(describe([use], showTarget(use.target, "topics")), use.subscription.urn);
      }
    }
    for (const [topic, topicUses] of byDeclaredTopic) {
      const first = topicUses[0];
      const shown =
        first?.target.kind === "ref"
          ? showTarget(first.target, "topics")
          : showTarget({ kind: "resource", resource: topic }, "topics");
      reportViolation(describe(topicUses, shown), topic.urn);
    }
  },
};
