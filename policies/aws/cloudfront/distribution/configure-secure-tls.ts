import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import {
  acceptedSecurityPolicies,
  cloudFrontSecurityPolicies,
  meetsSecurityPolicy,
  minimumSecurityPolicy,
} from "../../../../lib/domains";
import { field, show } from "../../../gcp/pubsub/references";

/** The policy's knob, set per stack in `policies/config/<stack>.json`. */
export interface ConfigureSecureTlsConfig {
  /** The oldest viewer security policy accepted; newer ones pass (compared by order). */
  readonly minimumProtocolVersion: string;
}

/**
 * Security policies below TLSv1.2_2021 accept TLS 1.0/1.1 or CBC ciphers. Versions are compared by
 * their order, so TLSv1.2_2025 and TLSv1.3_2025 pass a TLSv1.2_2021 floor.
 */
export const awsCloudfrontDistributionConfigureSecureTls: ResourceValidationPolicy = {
  name: "aws-cloudfront-distribution-configure-secure-tls",
  description:
    "CloudFront distributions must set viewerCertificate.minimumProtocolVersion to TLSv1.2_2021 or newer (compared by order), which the default certificate cannot.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      minimumProtocolVersion: {
        type: "string",
        enum: [...cloudFrontSecurityPolicies],
        default: minimumSecurityPolicy,
      },
    },
  },
  validateResource: validateResourceOfType(
    aws.cloudfront.Distribution,
    (_d, args, reportViolation) => {
      const { minimumProtocolVersion: floor } = args.getConfig<ConfigureSecureTlsConfig>();
      const accepted = `${floor} or newer (${acceptedSecurityPolicies(floor).join(", ")})`;
      if (field(args.props, "viewerCertificate", "cloudfrontDefaultCertificate") === true) {
        reportViolation(
          `Distribution uses the CloudFront default certificate, which accepts TLSv1 whatever minimumProtocolVersion says. Use an ACM certificate with minimumProtocolVersion ${accepted}.`,
        );
        return;
      }
      const version = field(args.props, "viewerCertificate", "minimumProtocolVersion");
      if (!meetsSecurityPolicy(version, floor)) {
        reportViolation(
          `Distribution viewerCertificate.minimumProtocolVersion is ${show(version)}; expected ${accepted}.`,
        );
      }
    },
  ),
};
