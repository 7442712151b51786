import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { oneYearSeconds } from "../../../../lib/domains";
import { field, show } from "../../../gcp/pubsub/references";
import { dependenciesOfType, isUnknown, known, reportUndecided } from "../../../shared/preview";
import { stackIndex } from "../../../shared/stack-index";
import { awsTypes } from "../../types";

/** The policy's knobs, set per stack in `policies/config/<stack>.json`. */
export interface EnableSecurityHeadersConfig {
  /** The shortest HSTS max-age accepted, in seconds. */
  readonly hstsMaxAgeSeconds: number;
  /**
   * Ids of response headers policies declared outside the stack (AWS-managed or shared) that
   * someone has checked; any other id the stack does not declare cannot be checked and fails.
   */
  readonly acceptedPolicyIds: readonly string[];
  /**
   * Also require HSTS `includeSubDomains`. Off by default: on a site served at the apex it forces
   * HTTPS on every host of the domain, which taskstack's HttpsStaticSite leaves to the owner
   * (`hstsIncludeSubdomains`).
   */
  readonly requireIncludeSubdomains: boolean;
}

/** What a response headers policy lacks of HSTS and the browser security headers. */
function missingHeaders(
  props: Record<string, unknown>,
  minAge: number,
  requireIncludeSubdomains: boolean,
): string[] {
  const config = field(props, "securityHeadersConfig");
  const hsts = field(config, "strictTransportSecurity");
  const missing: string[] = [];
  const age = field(hsts, "accessControlMaxAgeSec");
  if (hsts === undefined) missing.push("strictTransportSecurity");
  else {
    if (typeof age !== "number" || age < minAge)
      missing.push(`strictTransportSecurity.accessControlMaxAgeSec of at least ${minAge}`);
    if (requireIncludeSubdomains && field(hsts, "includeSubdomains") !== true)
      missing.push("strictTransportSecurity.includeSubdomains");
  }
  for (const header of ["contentTypeOptions", "frameOptions", "referrerPolicy"]) {
    if (field(config, header) === undefined) missing.push(header);
  }
  return missing;
}

/** Each cache behavior of a distribution, with its path and the property it sits in. */
function behaviorsOf(props: Record<string, unknown>): [string, string, unknown][] {
  const behaviors: [string, string, unknown][] = [
    ["defaultCacheBehavior", "defaultCacheBehavior", props["defaultCacheBehavior"]],
  ];
  const ordered = props["orderedCacheBehaviors"];
  if (Array.isArray(ordered)) {
    ordered.forEach((b, i) =>
      behaviors.push([`orderedCacheBehaviors[${i}]`, "orderedCacheBehaviors", b]),
    );
  }
  return behaviors;
}

/**
 * Without HSTS a viewer's first request can be downgraded to HTTP; without nosniff, frame and
 * referrer headers a static site is open to MIME confusion, clickjacking and URL leaks. Every
 * cache behavior is checked: a path pattern without the headers is as exposed as the default.
 */
/**
 * AWS's managed response headers policies that send HSTS (max-age one year), nosniff,
 * frame-options and referrer-policy: Managed-SecurityHeadersPolicy,
 * Managed-CORS-and-SecurityHeadersPolicy and Managed-CORS-with-preflight-and-SecurityHeadersPolicy, by the ids AWS documents
 * (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html).
 */
const managedSecurityHeaders: ReadonlySet<string> = new Set([
  "67f7725c-6f97-4210-82d7-5512b31e9d03",
  "e61eb60c-9c35-4d20-a928-2b84e02af89c",
  "eaab4381-ed33-4a86-88ca-d9558dc6cd63",
]);

export const awsCloudfrontDistributionEnableSecurityHeaders: StackValidationPolicy = {
  name: "aws-cloudfront-distribution-enable-security-headers",
  description:
    "CloudFront cache behaviors must attach a response headers policy with HSTS (max-age of a year or more), content-type-options, frame-options and referrer-policy.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      hstsMaxAgeSeconds: { type: "number", minimum: 0, default: oneYearSeconds },
      acceptedPolicyIds: { type: "array", items: { type: "string" }, default: [] },
      requireIncludeSubdomains: { type: "boolean", default: false },
    },
  },
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const distributions = index.ofType(awsTypes.distribution);
    if (distributions.length === 0) args.notApplicable("no CloudFront distribution in the stack");
    const config = args.getConfig<EnableSecurityHeadersConfig>();
    const accepted = new Set(config.acceptedPolicyIds);
    const checked = new Set<PolicyResource>();
    for (const d of distributions) {
      const behaviors = known(() => behaviorsOf(d.props));
      if (isUnknown(behaviors)) {
        reportUndecided(
          reportViolation,
          d,
          behaviors,
          "which response headers policies its cache behaviors attach cannot be told yet",
        );
        continue;
      }
      for (const [path, property, behavior] of behaviors) {
        const id = known(() => field(behavior, "responseHeadersPolicyId"));
        if (!isUnknown(id) && (typeof id !== "string" || id.length === 0)) {
          reportViolation(
            `Distribution ${path} has no responseHeadersPolicyId, so its responses carry no HSTS or browser security headers. Attach an aws.cloudfront.ResponseHeadersPolicy with strictTransportSecurity, contentTypeOptions, frameOptions and referrerPolicy.`,
            d.urn,
          );
          continue;
        }
        if (typeof id === "string" && (accepted.has(id) || managedSecurityHeaders.has(id)))
          continue;
        // A declared policy's id is computed (unknown in a preview), so the policy is found
        // through the property's dependencies, as the engine records them.
        const declared = dependenciesOfType(d, property, awsTypes.headersPolicy);
        if (declared.length === 0) {
          if (isUnknown(id)) {
            reportUndecided(
              reportViolation,
              d,
              id,
              "which response headers policy it attaches cannot be told yet",
            );
          } else {
            reportViolation(
              `Distribution ${path}.responseHeadersPolicyId is ${show(id)}, a policy this stack does not declare, so its headers cannot be checked. Declare an aws.cloudfront.ResponseHeadersPolicy in the stack, or add the id to this policy's acceptedPolicyIds once you have checked it sends them.`,
              d.urn,
            );
          }
          continue;
        }
        for (const policy of declared) {
          if (checked.has(policy)) continue;
          checked.add(policy);
          const missing = known(() =>
            missingHeaders(policy.props, config.hstsMaxAgeSeconds, config.requireIncludeSubdomains),
          );
          if (isUnknown(missing)) {
            reportUndecided(
              reportViolation,
              policy,
              missing,
              "whether it sends HSTS and the browser security headers cannot be told yet",
            );
          } else if (missing.length > 0) {
            reportViolation(
              `Response headers policy used by distribution ${d.name} lacks ${missing.join(", ")}. Set them in securityHeadersConfig (with override true).`,
              policy.urn,
            );
          }
        }
      }
    }
  },
};
