import type { ResourceValidationPolicy } from "@pulumi/policy";
import { grantTarget, publicGrants } from "../../../shared/public-iam";

const iamTypes: ReadonlySet<string> = new Set([
  "gcp:cloudtasks/queueIamMember:QueueIamMember",
  "gcp:cloudtasks/queueIamBinding:QueueIamBinding",
  "gcp:cloudtasks/queueIamPolicy:QueueIamPolicy",
]);

/** A queue anyone may enqueue to runs anyone's requests with the queue's OIDC identity. */
export const gcpCloudtasksQueueDisallowPublicAccess: ResourceValidationPolicy = {
  name: "gcp-cloudtasks-queue-disallow-public-access",
  description: "Cloud Tasks queues must not grant any role to allUsers or allAuthenticatedUsers.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    if (!iamTypes.has(args.type)) return;
    for (const grant of publicGrants(args.props)) {
      reportViolation(
        `Grants ${grant.role} on ${grantTarget("queue", args.props, "name")} to ${grant.member}, so anyone${grant.member === "allAuthenticatedUsers" ? " with a Google account" : ""} can enqueue tasks that run with the queue's identity. Grant roles/cloudtasks.enqueuer to the producers' service accounts instead.`,
      );
    }
  },
};
