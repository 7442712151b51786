import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { field } from "../../../gcp/pubsub/references";
import { isUnknown, known } from "../../../shared/preview";
import { stackIndex } from "../../../shared/stack-index";
import { awsTypes } from "../../types";

const logDeliverySourceType = "aws:cloudwatch/logDeliverySource:LogDeliverySource";

/**
 * Without access logs a request cannot be traced after an incident. Advisory: logs cost money.
 * Two ways count: legacy standard logging (`loggingConfig.bucket`), and standard logging v2, a
 * CloudWatch Logs delivery source of type ACCESS_LOGS on the distribution
 * (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html).
 */
export const awsCloudfrontDistributionEnableAccessLogging: StackValidationPolicy = {
  name: "aws-cloudfront-distribution-enable-access-logging",
  description:
    "CloudFront distributions should write standard access logs: legacy loggingConfig.bucket, or standard logging v2 (an aws.cloudwatch.LogDeliverySource of logType ACCESS_LOGS on the distribution).",
  enforcementLevel: "advisory",
  severity: "low",
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const distributions = index.ofType(awsTypes.distribution);
    if (distributions.length === 0) args.notApplicable("no CloudFront distribution in the stack");
    const logged = new Set<PolicyResource>();
    const loggedArns = new Set<string>();
    for (const source of index.ofType(logDeliverySourceType)) {
      if (known(() => source.props["logType"]) !== "ACCESS_LOGS") continue;
      // A distribution being created has no ARN yet; the engine still records the dependency.
      for (const d of source.propertyDependencies["resourceArn"] ?? []) logged.add(d);
      const arn = known(() => source.props["resourceArn"]);
      if (typeof arn === "string") loggedArns.add(arn);
    }
    for (const d of distributions) {
      if (logged.has(d)) continue;
      const arn = known(() => d.props["arn"]);
      if (typeof arn === "string" && loggedArns.has(arn)) continue;
      // Unknown means computed (a bucket's domain name): it is set.
      const bucket = known(() => field(d.props, "loggingConfig", "bucket"));
      if (isUnknown(bucket) || (typeof bucket === "string" && bucket.length > 0)) continue;
      reportViolation(
        "Distribution has no loggingConfig.bucket and no standard logging v2 delivery (aws.cloudwatch.LogDeliverySource with logType ACCESS_LOGS and its resourceArn), so requests cannot be traced after an incident. Add a v2 delivery to S3 or CloudWatch Logs, or log to a bucket whose ownership controls are BucketOwnerPreferred (legacy logging writes with an ACL).",
        d.urn,
      );
    }
  },
};
