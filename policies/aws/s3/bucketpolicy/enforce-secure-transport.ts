import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field } from "../../../gcp/pubsub/references";
import { statementsOf } from "./statements";

/**
 * S3 answers plain HTTP unless the bucket policy denies it: a Deny on `aws:SecureTransport`
 * false is AWS's own recommendation (docs.aws.amazon.com/AmazonS3/latest/userguide/
 * security-best-practices.html, "Enforce encryption of data in transit"; Checkov CKV_AWS_... ).
 */
export const awsS3BucketpolicyEnforceSecureTransport: ResourceValidationPolicy = {
  name: "aws-s3-bucketpolicy-enforce-secure-transport",
  description:
    'S3 bucket policies must deny requests over plain HTTP: a Deny statement with Condition Bool "aws:SecureTransport": "false".',
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:s3/bucketPolicy:BucketPolicy") return;
    const statements = statementsOf(args.props["policy"]);
    if (statements === undefined) return;
    const denies = statements.some((s) => {
      if (s.effect !== "Deny") return false;
      const bool = field(s.condition, "Bool") as Record<string, unknown> | undefined;
      const value = Object.entries(bool ?? {}).find(
        ([k]) => k.toLowerCase() === "aws:securetransport",
      )?.[1];
      // IAM condition values may be lists (matched if any entry matches): ["false"] denies HTTP too.
      return (Array.isArray(value) ? value : [value]).some((v) => v === "false" || v === false);
    });
    if (!denies) {
      reportViolation(
        'Bucket policy has no Deny on "aws:SecureTransport": "false", so its objects can be read or written over plain HTTP. Add {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [bucket ARN, bucket ARN + "/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}.',
      );
    }
  },
};
