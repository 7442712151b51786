import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { field } from "../../../gcp/pubsub/references";

/** Without access logs a request cannot be traced after an incident. Advisory: logs cost money. */
export const awsCloudfrontDistributionEnableAccessLogging: ResourceValidationPolicy = {
  name: "aws-cloudfront-distribution-enable-access-logging",
  description:
    "CloudFront distributions should write standard access logs (loggingConfig.bucket) to a log bucket whose ownership controls allow ACLs.",
  enforcementLevel: "advisory",
  validateResource: validateResourceOfType(
    aws.cloudfront.Distribution,
    (_d, args, reportViolation) => {
      const bucket = field(args.props, "loggingConfig", "bucket");
      if (typeof bucket !== "string" || bucket.length === 0) {
        reportViolation(
          "Distribution has no loggingConfig.bucket, so requests cannot be traced after an incident. Log to a bucket whose ownership controls are BucketOwnerPreferred (CloudFront writes logs with an ACL).",
        );
      }
    },
  ),
};
