import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../../gcp/pubsub/references";

const encryptedViewer = new Set(["redirect-to-https", "https-only"]);

/** Plain HTTP between viewer and CloudFront, or CloudFront and a custom origin, is readable and forgeable. */
export const awsCloudfrontDistributionDisallowUnencryptedTraffic: ResourceValidationPolicy = {
  name: "aws-cloudfront-distribution-disallow-unencrypted-traffic",
  description:
    'CloudFront cache behaviors must use viewerProtocolPolicy "redirect-to-https" or "https-only", and custom origins originProtocolPolicy "https-only".',
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    aws.cloudfront.Distribution,
    (_d, args, reportViolation) => {
      const behaviors: [string, unknown][] = [
        ["defaultCacheBehavior", args.props["defaultCacheBehavior"]],
      ];
      const ordered = args.props["orderedCacheBehaviors"];
      if (Array.isArray(ordered)) {
        ordered.forEach((b, i) => behaviors.push([`orderedCacheBehaviors[${i}]`, b]));
      }
      for (const [path, behavior] of behaviors) {
        const policy = field(behavior, "viewerProtocolPolicy");
        if (typeof policy !== "string" || !encryptedViewer.has(policy)) {
          reportViolation(
            `Distribution ${path}.viewerProtocolPolicy is ${show(policy)}, so viewers can fetch over plain HTTP. Set it to "redirect-to-https" or "https-only".`,
          );
        }
      }
      const origins = args.props["origins"];
      if (!Array.isArray(origins)) return;
      origins.forEach((origin, i) => {
        const custom = field(origin, "customOriginConfig");
        if (custom === undefined) return;
        const policy = field(custom, "originProtocolPolicy");
        if (policy !== "https-only") {
          reportViolation(
            `Distribution origins[${i}].customOriginConfig.originProtocolPolicy is ${show(policy)}, so CloudFront can fetch from the origin over plain HTTP. Set it to "https-only".`,
          );
        }
      });
    },
  ),
};
