import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../../gcp/pubsub/references";
import { conditionKeys, statementsOf } from "./statements";

/** Condition keys that tie an Allow to one account, organization, source or network. */
const restricting = [
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:principalorgid",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourcevpce",
  "aws:sourcevpc",
  "aws:sourceip",
];

const isEveryone = (principal: unknown): boolean =>
  principal === "*" ||
  field(principal, "AWS") === "*" ||
  (Array.isArray(field(principal, "AWS")) && (field(principal, "AWS") as unknown[]).includes("*"));

const services = (principal: unknown): string[] => {
  const s = field(principal, "Service");
  return (Array.isArray(s) ? s : [s]).filter((x): x is string => typeof x === "string");
};

/**
 * A bucket policy that allows `Principal: "*"` without a condition makes the bucket public, and
 * one that allows the CloudFront service principal without `AWS:SourceArn` lets every
 * distribution in every account read it, the confused deputy AWS warns about
 * (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html).
 */
export const awsS3BucketpolicyDisallowPublicAccess: ResourceValidationPolicy = {
  name: "aws-s3-bucketpolicy-disallow-public-access",
  description:
    'S3 bucket policies must not allow Principal "*" without a restricting condition, nor a service principal (CloudFront) without AWS:SourceArn or AWS:SourceAccount.',
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:s3/bucketPolicy:BucketPolicy") return;
    const statements = statementsOf(args.props["policy"]);
    if (statements === undefined) {
      reportViolation("Bucket policy is not valid JSON, so its grants cannot be checked.");
      return;
    }
    for (const s of statements) {
      if (s.effect !== "Allow") continue;
      const keys = conditionKeys(s);
      const restricted = restricting.some((k) => keys.has(k));
      if (isEveryone(s.principal) && !restricted) {
        reportViolation(
          `Bucket policy Statement[${s.index}] allows ${show(s.action)} to Principal ${show(s.principal)} with no condition restricting who, so anyone on the internet can do it. Name the principal (for CloudFront: Service cloudfront.amazonaws.com with Condition StringEquals AWS:SourceArn of the distribution).`,
        );
        continue;
      }
      const service = services(s.principal);
      if (service.length > 0 && !keys.has("aws:sourcearn") && !keys.has("aws:sourceaccount")) {
        reportViolation(
          `Bucket policy Statement[${s.index}] allows ${show(s.action)} to service ${service.join(", ")} without an AWS:SourceArn or AWS:SourceAccount condition, so that service acting for any AWS account can use it (confused deputy). Add Condition StringEquals AWS:SourceArn: the distribution's ARN.`,
        );
      }
    }
  },
};
