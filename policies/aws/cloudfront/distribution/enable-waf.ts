import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";

/** A public distribution without a web ACL has no rate limiting or managed rule sets. Advisory: WAF costs money. */
export const awsCloudfrontDistributionEnableWaf: ResourceValidationPolicy = {
  name: "aws-cloudfront-distribution-enable-waf",
  description: "CloudFront distributions should be protected by an AWS WAF web ACL (webAclId).",
  enforcementLevel: "advisory",
  severity: "low",
  validateResource: validateResourceOfType(
    aws.cloudfront.Distribution,
    (d, _args, reportViolation) => {
      if (typeof d.webAclId !== "string" || d.webAclId === "") {
        reportViolation(
          "Distribution has no webAclId, so nothing rate-limits or filters requests before they reach it. Attach an aws.wafv2.WebAcl (scope CLOUDFRONT, in us-east-1) with AWS managed rule groups and a rate-based rule.",
        );
      }
    },
  ),
};
