import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { field, show } from "../../../gcp/pubsub/references";

/** Protocols CloudFront can use to a custom origin that are broken or deprecated (RFC 8996). */
const weak: ReadonlySet<string> = new Set(["SSLv3", "TLSv1", "TLSv1.1"]);

/**
 * CloudFront to a custom origin: HTTPS, TLS 1.2 only. `http-only` uses no TLS at all, whatever
 * originSslProtocols says, so it fails here too (aws-cloudfront-distribution-disallow-unencrypted-
 * traffic also reports it, with match-viewer, among its plain-HTTP checks).
 */
export const awsCloudfrontDistributionConfigureOriginTls: ResourceValidationPolicy = {
  name: "aws-cloudfront-distribution-configure-origin-tls",
  description:
    'CloudFront custom origins must be reached over TLSv1.2 only (customOriginConfig.originProtocolPolicy not "http-only", originSslProtocols without SSLv3, TLSv1, TLSv1.1).',
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    aws.cloudfront.Distribution,
    (_d, args, reportViolation) => {
      const origins = args.props["origins"];
      if (!Array.isArray(origins)) return;
      origins.forEach((origin: unknown, i) => {
        const policy = field(origin, "customOriginConfig", "originProtocolPolicy");
        if (policy === "http-only") {
          reportViolation(
            `Distribution origins[${i}].customOriginConfig.originProtocolPolicy is "http-only", so CloudFront reaches the origin without TLS and originSslProtocols is never used. Set it to "https-only".`,
          );
        }
        const protocols = field(origin, "customOriginConfig", "originSslProtocols");
        if (!Array.isArray(protocols)) return;
        const bad = protocols.filter((p) => typeof p === "string" && weak.has(p));
        if (bad.length > 0) {
          reportViolation(
            `Distribution origins[${i}].customOriginConfig.originSslProtocols is ${show(protocols)}; ${bad.join(", ")} ${bad.length === 1 ? "is" : "are"} broken or deprecated (RFC 8996), so a downgrade exposes traffic to the origin. Set it to ["TLSv1.2"].`,
          );
        }
      });
    },
  ),
};
