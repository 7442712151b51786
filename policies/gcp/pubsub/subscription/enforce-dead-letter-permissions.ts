import type { StackValidationPolicy } from "@pulumi/policy";
import { stackIndex } from "../../../shared/stack-index";
import type { StackIndex } from "../../../shared/stack-index";
import {
  RefSet,
  field,
  parseRef,
  pubsubServiceAgent,
  selfRef,
  show,
  subscriptionType,
} from "../references";
import type { PubSubCollection } from "../references";

const agent =
  "the Pub/Sub service agent (serviceAccount:service-<project-number>@gcp-sa-pubsub.iam.gserviceaccount.com)";

const iamTypes = {
  topics: {
    member: "gcp:pubsub/topicIAMMember:TopicIAMMember",
    binding: "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
    target: "topic",
  },
  subscriptions: {
    member: "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
    binding: "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding",
    target: "subscription",
  },
} as const;

/**
 * Every target on which some IAM member or binding grants the service agent `role`, from one pass
 * over the IAM resources of the collection (looked up through the stack index).
 */
function agentGrants(index: StackIndex, collection: PubSubCollection, role: string): RefSet {
  const types = iamTypes[collection];
  const grants = new RefSet();
  for (const r of [...index.ofType(types.member), ...index.ofType(types.binding)]) {
    if (r.props["role"] !== role) continue;
    const members: unknown[] =
      r.type === types.member ? [r.props["member"]] : asArray(r.props["members"]);
    if (!members.some((m) => typeof m === "string" && pubsubServiceAgent.test(m))) continue;
    const granted = parseRef(r.props[types.target], collection, r.props["project"]);
    if (granted) grants.add(granted, true);
  }
  return grants;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Dead-lettering is done by Pub/Sub's own service agent: without publisher on the dead-letter
 * topic and subscriber on the source subscription, forwarding fails and the message is
 * redelivered forever, exactly as if there were no dead-letter policy.
 */
export const gcpPubsubSubscriptionEnforceDeadLetterPermissions: StackValidationPolicy = {
  name: "gcp-pubsub-subscription-enforce-dead-letter-permissions",
  description:
    "A subscription with a deadLetterPolicy needs the Pub/Sub service agent to hold roles/pubsub.publisher on the dead-letter topic and roles/pubsub.subscriber on the subscription.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const subscriptions = index
      .ofType(subscriptionType)
      .filter(
        (r) => r.props["deadLetterPolicy"] !== undefined && r.props["deadLetterPolicy"] !== null,
      );
    if (subscriptions.length === 0) args.notApplicable("no subscription has a deadLetterPolicy");
    const publishers = agentGrants(index, "topics", "roles/pubsub.publisher");
    const subscribers = agentGrants(index, "subscriptions", "roles/pubsub.subscriber");
    for (const sub of subscriptions) {
      const value = field(sub.props, "deadLetterPolicy", "deadLetterTopic");
      const topic = parseRef(value, "topics", sub.props["project"]);
      // A missing deadLetterTopic is gcp-pubsub-subscription-enable-dead-letter-policy's finding.
      if (topic && !publishers.has(topic)) {
        reportViolation(
          `Subscription deadLetterPolicy.deadLetterTopic is ${show(value)} but no TopicIAMMember or TopicIAMBinding grants ${agent} roles/pubsub.publisher on that topic, so dead letters cannot be forwarded and are redelivered forever. Add a gcp.pubsub.TopicIAMMember with topic ${show(value)}, role "roles/pubsub.publisher" and the service agent as member.`,
          sub.urn,
        );
      }
      const self = selfRef(sub.props, "subscriptions");
      if (self === undefined) {
        reportViolation(
          `Subscription name is ${show(sub.props["name"])}, so no grant of roles/pubsub.subscriber to ${agent} can be matched to it. Set name on the subscription and add a gcp.pubsub.SubscriptionIAMMember with that subscription, role "roles/pubsub.subscriber" and the service agent as member.`,
          sub.urn,
        );
      } else if (!subscribers.has(self)) {
        reportViolation(
          `Subscription name is ${show(sub.props["name"])} and it has a deadLetterPolicy, but no SubscriptionIAMMember or SubscriptionIAMBinding grants ${agent} roles/pubsub.subscriber on it, so Pub/Sub cannot acknowledge the messages it dead-letters. Add a gcp.pubsub.SubscriptionIAMMember with subscription ${show(sub.props["name"])}, role "roles/pubsub.subscriber" and the service agent as member.`,
          sub.urn,
        );
      }
    }
  },
};
