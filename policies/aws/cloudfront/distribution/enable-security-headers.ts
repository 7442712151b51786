import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { oneYearSeconds } from "../../../../components/edge/domains";
import { field } from "../../../gcp/pubsub/references";
import { stackIndex } from "../../../shared/stack-index";
import { awsTypes } from "../../types";

/** The policy's knob, set per stack in `policies/config/<stack>.json`. */
export interface EnableSecurityHeadersConfig {
  /** The shortest HSTS max-age accepted, in seconds. */
  readonly hstsMaxAgeSeconds: number;
}

/** AWS's managed "SecurityHeadersPolicy": HSTS for a year with includeSubDomains, and the rest. */
export const managedSecurityHeadersPolicyId = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/** What a response headers policy lacks of HSTS and the browser security headers. */
function missingHeaders(props: Record<string, unknown>, minAge: number): string[] {
  const config = field(props, "securityHeadersConfig");
  const hsts = field(config, "strictTransportSecurity");
  const missing: string[] = [];
  const age = field(hsts, "accessControlMaxAgeSec");
  if (hsts === undefined) missing.push("strictTransportSecurity");
  else {
    if (typeof age !== "number" || age < minAge)
      missing.push(`strictTransportSecurity.accessControlMaxAgeSec of at least ${minAge}`);
    if (field(hsts, "includeSubdomains") !== true)
      missing.push("strictTransportSecurity.includeSubdomains");
  }
  for (const header of ["contentTypeOptions", "frameOptions", "referrerPolicy"]) {
    if (field(config, header) === undefined) missing.push(header);
  }
  return missing;
}

/**
 * Without HSTS a viewer's first request can be downgraded to HTTP; without nosniff, frame and
 * referrer headers a static site is open to MIME confusion, clickjacking and URL leaks.
 */
export const awsCloudfrontDistributionEnableSecurityHeaders: StackValidationPolicy = {
  name: "aws-cloudfront-distribution-enable-security-headers",
  description:
    "CloudFront distributions must attach a response headers policy with HSTS (max-age of a year or more, includeSubdomains), content-type-options, frame-options and referrer-policy.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      hstsMaxAgeSeconds: { type: "number", minimum: 0, default: oneYearSeconds },
    },
  },
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const distributions = index.ofType(awsTypes.distribution);
    if (distributions.length === 0) args.notApplicable("no CloudFront distribution in the stack");
    const { hstsMaxAgeSeconds } = args.getConfig<EnableSecurityHeadersConfig>();
    const checked = new Set<PolicyResource>();
    for (const d of distributions) {
      const id = field(d.props, "defaultCacheBehavior", "responseHeadersPolicyId");
      if (typeof id !== "string" || id.length === 0) {
        reportViolation(
          "Distribution defaultCacheBehavior has no responseHeadersPolicyId, so responses carry no HSTS or browser security headers. Attach an aws.cloudfront.ResponseHeadersPolicy with strictTransportSecurity, contentTypeOptions, frameOptions and referrerPolicy.",
          d.urn,
        );
        continue;
      }
      if (id === managedSecurityHeadersPolicyId) continue;
      // The id is computed, so the policy is found through the dependency the engine records;
      // one declared elsewhere cannot be checked here.
      for (const policy of d.dependencies) {
        if (policy.type !== awsTypes.headersPolicy || checked.has(policy)) continue;
        checked.add(policy);
        const missing = missingHeaders(policy.props, hstsMaxAgeSeconds);
        if (missing.length > 0) {
          reportViolation(
            `Response headers policy used by distribution ${d.name} lacks ${missing.join(", ")}. Set them in securityHeadersConfig (with override true).`,
            policy.urn,
          );
        }
      }
    }
  },
};
