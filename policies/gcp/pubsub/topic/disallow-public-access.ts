import type { ResourceValidationPolicy } from "@pulumi/policy";
import { grantTarget, publicGrants } from "../../../shared/public-iam";

const iamTypes: Readonly<Record<string, string>> = {
  "gcp:pubsub/topicIAMMember:TopicIAMMember": "topic",
  "gcp:pubsub/topicIAMBinding:TopicIAMBinding": "topic",
  "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy": "topic",
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": "subscription",
  "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding": "subscription",
  "gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy": "subscription",
};

/**
 * A topic anyone may publish to, or a subscription anyone may pull from, is an open door
 * (Checkov CKV_GCP_99, pulumi/compliance-policies).
 */
export const gcpPubsubTopicDisallowPublicAccess: ResourceValidationPolicy = {
  name: "gcp-pubsub-topic-disallow-public-access",
  description:
    "Pub/Sub topics and subscriptions must not grant any role to allUsers or allAuthenticatedUsers.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    const kind = iamTypes[args.type];
    if (kind === undefined) return;
    for (const grant of publicGrants(args.props)) {
      reportViolation(
        `Grants ${grant.role} on ${grantTarget(kind, args.props, kind)} to ${grant.member}, so anyone${grant.member === "allAuthenticatedUsers" ? " with a Google account" : ""} can use it. Grant the role to the service accounts that need it instead.`,
      );
    }
  },
};
