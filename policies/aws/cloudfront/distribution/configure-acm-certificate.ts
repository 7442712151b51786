import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../../gcp/pubsub/references";

/**
 * A distribution with aliases needs a certificate for them: CloudFront's default certificate only
 * covers `*.cloudfront.net`. SNI is what every current client speaks; a dedicated-IP certificate
 * costs $600 a month for nothing.
 */
export const awsCloudfrontDistributionConfigureAcmCertificate: ResourceValidationPolicy = {
  name: "aws-cloudfront-distribution-configure-acm-certificate",
  description:
    'CloudFront distributions with aliases must serve them with an ACM certificate (viewerCertificate.acmCertificateArn, not the default certificate) over sslSupportMethod "sni-only".',
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    aws.cloudfront.Distribution,
    (_d, args, reportViolation) => {
      const aliases = args.props["aliases"];
      if (!Array.isArray(aliases) || aliases.length === 0) return;
      const certificate = args.props["viewerCertificate"];
      const arn = field(certificate, "acmCertificateArn");
      if (
        field(certificate, "cloudfrontDefaultCertificate") === true ||
        typeof arn !== "string" ||
        arn.length === 0
      ) {
        reportViolation(
          `Distribution serves aliases ${aliases.join(", ")} without an ACM certificate (viewerCertificate is ${show(certificate)}). Set viewerCertificate.acmCertificateArn to a us-east-1 certificate covering them, with cloudfrontDefaultCertificate unset.`,
        );
        return;
      }
      const method = field(certificate, "sslSupportMethod");
      if (method !== "sni-only") {
        reportViolation(
          `Distribution viewerCertificate.sslSupportMethod is ${show(method)}; expected "sni-only" (dedicated-IP certificates cost $600 a month and serve no current client better).`,
        );
      }
    },
  ),
};
