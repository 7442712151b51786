import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy/policy";
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
import type { PubSubCollection, PubSubRef } from "../references";

const agent =
  "the Pub/Sub service agent (serviceAccount:service-<project-number>@gcp-sa-pubsub.iam.gserviceaccount.com)";

const iamTypes = {
  topics: {
    member: "gcp:pubsub/topicIAMMember:TopicIAMMember",
    binding: "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
    policy: "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
    target: "topic",
  },
  subscriptions: {
    member: "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
    binding: "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding",
    policy: "gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy",
    target: "subscription",
  },
} as const;

/**
 * Every target on which some IAM member or binding grants the service agent `role`, from one pass
 * over the IAM resources of the collection (looked up through the stack index).
 */
/** Pub/Sub roles that include the permission each grant is for (publish; acknowledge). */
const covering: Readonly<Record<string, readonly string[]>> = {
  "roles/pubsub.publisher": ["roles/pubsub.publisher", "roles/pubsub.editor", "roles/pubsub.admin"],
  "roles/pubsub.subscriber": [
    "roles/pubsub.subscriber",
    "roles/pubsub.editor",
    "roles/pubsub.admin",
  ],
};

const projectIamTypes = [
  "gcp:projects/iAMMember:IAMMember",
  "gcp:projects/iAMBinding:IAMBinding",
  "gcp:projects/iAMPolicy:IAMPolicy",
];

/** The members a grant resource gives `role`: member, members, or policyData's bindings. */
function membersWithRole(r: PolicyResource, roles: readonly string[]): unknown[] {
  if (r.props["policyData"] !== undefined) {
    let policy: unknown;
    try {
      policy = JSON.parse(String(r.props["policyData"]));
    } catch {
      return [];
    }
    const bindings = field(policy, "bindings");
    return (Array.isArray(bindings) ? bindings : [])
      .filter((b) => roles.includes(String(field(b, "role"))))
      .flatMap((b) => asArray(field(b, "members")));
  }
  if (!roles.includes(String(r.props["role"]))) return [];
  return r.props["member"] !== undefined ? [r.props["member"]] : asArray(r.props["members"]);
}

const isAgent = (m: unknown): boolean => typeof m === "string" && pubsubServiceAgent.test(m);

interface Grants {
  readonly onResource: RefSet;
  /** Projects where the agent holds the role for every topic or subscription. */
  readonly projects: Set<string>;
}

function agentGrants(index: StackIndex, collection: PubSubCollection, role: string): Grants {
  const types = iamTypes[collection];
  const roles = covering[role] ?? [role];
  const onResource = new RefSet();
  for (const r of [
    ...index.ofType(types.member),
    ...index.ofType(types.binding),
    ...index.ofType(types.policy),
  ]) {
    if (!membersWithRole(r, roles).some(isAgent)) continue;
    const granted = parseRef(r.props[types.target], collection, r.props["project"]);
    if (granted) onResource.add(granted, true);
  }
  const projects = new Set<string>();
  for (const r of projectIamTypes.flatMap((t) => index.ofType(t))) {
    if (!membersWithRole(r, roles).some(isAgent)) continue;
    projects.add(String(r.props["project"] ?? ""));
  }
  return { onResource, projects };
}

/** True when the agent holds the role on this topic or subscription, or on its whole project. */
function granted(grants: Grants, ref: PubSubRef, project: unknown): boolean {
  if (grants.onResource.has(ref)) return true;
  const where = ref.project ?? (typeof project === "string" ? project : undefined);
  return where === undefined ? grants.projects.size > 0 : grants.projects.has(where);
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
  severity: "high",
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
      if (topic && !granted(publishers, topic, sub.props["project"])) {
        reportViolation(
          `Subscription deadLetterPolicy.deadLetterTopic is ${show(value)} but no TopicIAMMember, TopicIAMBinding, TopicIAMPolicy or project-level grant gives ${agent} roles/pubsub.publisher on that topic, so dead letters cannot be forwarded and are redelivered forever. Add a gcp.pubsub.TopicIAMMember with topic ${show(value)}, role "roles/pubsub.publisher" and the service agent as member.`,
          sub.urn,
        );
      }
      const self = selfRef(sub.props, "subscriptions");
      if (self === undefined) {
        reportViolation(
          `Subscription name is ${show(sub.props["name"])}, so no grant of roles/pubsub.subscriber to ${agent} can be matched to it. Set name on the subscription and add a gcp.pubsub.SubscriptionIAMMember with that subscription, role "roles/pubsub.subscriber" and the service agent as member.`,
          sub.urn,
        );
      } else if (!granted(subscribers, self, sub.props["project"])) {
        reportViolation(
          `Subscription name is ${show(sub.props["name"])} and it has a deadLetterPolicy, but no SubscriptionIAMMember, SubscriptionIAMBinding, SubscriptionIAMPolicy or project-level grant gives ${agent} roles/pubsub.subscriber on it, so Pub/Sub cannot acknowledge the messages it dead-letters. Add a gcp.pubsub.SubscriptionIAMMember with subscription ${show(sub.props["name"])}, role "roles/pubsub.subscriber" and the service agent as member.`,
          sub.urn,
        );
      }
    }
  },
};
