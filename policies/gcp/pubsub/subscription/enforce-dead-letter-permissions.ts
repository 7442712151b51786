import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { stackIndex } from "../../../shared/stack-index";
import type { StackIndex } from "../../../shared/stack-index";
import { isUnknown, known, reportUndecided } from "../../../shared/preview";
import type { Unknown } from "../../../shared/preview";
import {
  TargetSet,
  field,
  knownSelfRef,
  pubsubServiceAgent,
  resolveTarget,
  show,
  showTarget,
  subscriptionType,
  topicType,
} from "../references";
import type { PubSubCollection, Target } from "../references";

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

/**
 * Whether a grant resource gives the agent one of `roles`: "yes", "no", or an `Unknown` when its
 * role or members are only known after the update. Reads member, members, or policyData's bindings.
 */
function grantsAgent(r: PolicyResource, roles: readonly string[]): "yes" | "no" | Unknown {
  const policyData = known(() => r.props["policyData"]);
  if (isUnknown(policyData)) return policyData;
  if (policyData !== undefined) {
    let policy: unknown;
    try {
      policy = JSON.parse(String(policyData));
    } catch {
      return "no";
    }
    const bindings = field(policy, "bindings");
    const members = (Array.isArray(bindings) ? bindings : [])
      .filter((b) => roles.includes(String(field(b, "role"))))
      .flatMap((b) => asArray(field(b, "members")));
    return members.some(isAgent) ? "yes" : "no";
  }
  const role = known(() => r.props["role"]);
  if (isUnknown(role)) return role;
  if (!roles.includes(String(role))) return "no";
  const members = known(() => {
    const member: unknown = r.props["member"];
    return member !== undefined ? [member] : asArray(r.props["members"]);
  });
  if (isUnknown(members)) return members;
  return members.some(isAgent) ? "yes" : "no";
}

const isAgent = (m: unknown): boolean => typeof m === "string" && pubsubServiceAgent.test(m);

interface Grants {
  readonly onResource: TargetSet;
  /** Projects where the agent holds the role for every topic or subscription. */
  readonly projects: Set<string>;
  /** A grant a preview cannot read yet (its member, role or target): it may be the missing one. */
  undecided: Unknown | undefined;
}

/**
 * Every topic or subscription on which some IAM member, binding or policy grants the service
 * agent `role`, and every project where it holds it, from one pass over the grant resources.
 */
function agentGrants(
  index: StackIndex,
  collection: PubSubCollection,
  type: string,
  role: string,
): Grants {
  const types = iamTypes[collection];
  const roles = covering[role] ?? [role];
  const grants: Grants = {
    onResource: new TargetSet(collection),
    projects: new Set(),
    undecided: undefined,
  };
  for (const r of [
    ...index.ofType(types.member),
    ...index.ofType(types.binding),
    ...index.ofType(types.policy),
  ]) {
    const gives = grantsAgent(r, roles);
    if (gives === "no") continue;
    if (isUnknown(gives)) {
      grants.undecided ??= gives;
      continue;
    }
    grants.onResource.add(resolveTarget(r, [types.target], collection, type));
  }
  grants.undecided ??= grants.onResource.undecided;
  for (const r of projectIamTypes.flatMap((t) => index.ofType(t))) {
    const gives = grantsAgent(r, roles);
    if (gives === "no") continue;
    const project = known(() => r.props["project"]);
    if (isUnknown(gives) || isUnknown(project)) {
      grants.undecided ??= isUnknown(gives) ? gives : (project as Unknown);
      continue;
    }
    grants.projects.add(String(project ?? ""));
  }
  return grants;
}

/** True when the agent holds the role on this topic or subscription, or on its whole project. */
function granted(grants: Grants, target: Target, project: unknown): boolean {
  if (grants.onResource.has(target)) return true;
  const where = target.kind === "ref" ? target.ref.project : undefined;
  const inProject = where ?? (typeof project === "string" ? project : undefined);
  return inProject === undefined ? grants.projects.size > 0 : grants.projects.has(inProject);
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
    const subscriptions = index.ofType(subscriptionType).filter((r) => {
      const policy = known(() => r.props["deadLetterPolicy"]);
      return policy !== undefined && policy !== null;
    });
    if (subscriptions.length === 0) args.notApplicable("no subscription has a deadLetterPolicy");
    const publishers = agentGrants(index, "topics", topicType, "roles/pubsub.publisher");
    const subscribers = agentGrants(
      index,
      "subscriptions",
      subscriptionType,
      "roles/pubsub.subscriber",
    );
    for (const sub of subscriptions) {
      const project = known(() => sub.props["project"]);
      const inProject = isUnknown(project) ? undefined : project;
      const topic = resolveTarget(
        sub,
        ["deadLetterPolicy", "deadLetterTopic"],
        "topics",
        topicType,
      );
      // A missing deadLetterTopic is gcp-pubsub-subscription-enable-dead-letter-policy's finding.
      if (topic.kind === "unknown") {
        reportUndecided(
          reportViolation,
          sub,
          topic.unknown,
          "which topic needs the agent's roles/pubsub.publisher cannot be told yet",
        );
      } else if (topic.kind !== "unset" && !granted(publishers, topic, inProject)) {
        if (publishers.undecided !== undefined) {
          reportUndecided(
            reportViolation,
            sub,
            publishers.undecided,
            "whether the agent holds roles/pubsub.publisher on its dead-letter topic cannot be told yet",
          );
        } else {
          const value = showTarget(topic, "topics");
          reportViolation(
            `Subscription deadLetterPolicy.deadLetterTopic is ${value} but no TopicIAMMember, TopicIAMBinding, TopicIAMPolicy or project-level grant gives ${agent} roles/pubsub.publisher on that topic, so dead letters cannot be forwarded and are redelivered forever. Add a gcp.pubsub.TopicIAMMember with topic ${value}, role "roles/pubsub.publisher" and the service agent as member.`,
            sub.urn,
          );
        }
      }
      const self: Target = { kind: "resource", resource: sub };
      const name = known(() => sub.props["name"]);
      if (granted(subscribers, self, inProject)) continue;
      if (subscribers.undecided !== undefined || isUnknown(name)) {
        reportUndecided(
          reportViolation,
          sub,
          subscribers.undecided ?? (name as Unknown),
          "whether the agent holds roles/pubsub.subscriber on it cannot be told yet",
        );
      } else if (knownSelfRef(sub, "subscriptions") === undefined) {
        reportViolation(
          `Subscription name is ${show(name)}, so no grant of roles/pubsub.subscriber to ${agent} can be matched to it. Set name on the subscription and add a gcp.pubsub.SubscriptionIAMMember with that subscription, role "roles/pubsub.subscriber" and the service agent as member.`,
          sub.urn,
        );
      } else {
        reportViolation(
          `Subscription name is ${show(name)} and it has a deadLetterPolicy, but no SubscriptionIAMMember, SubscriptionIAMBinding, SubscriptionIAMPolicy or project-level grant gives ${agent} roles/pubsub.subscriber on it, so Pub/Sub cannot acknowledge the messages it dead-letters. Add a gcp.pubsub.SubscriptionIAMMember with subscription ${show(name)}, role "roles/pubsub.subscriber" and the service agent as member.`,
          sub.urn,
        );
      }
    }
  },
};
