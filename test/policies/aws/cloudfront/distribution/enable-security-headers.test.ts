import { describe, expect, it } from "vitest";
import { awsCloudfrontDistributionEnableSecurityHeaders as policy } from "../../../../../policies/aws/cloudfront/distribution/enable-security-headers";
import { policyCases } from "../../../../../testing";
import type { PlannedResource } from "../../../../../testing";
import { T, site, urn } from "../../fixtures";

/** AWS's managed SecurityHeadersPolicy, declared outside any stack. */
/** A shared policy another stack declares: its headers cannot be checked here. */
const sharedId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
/** AWS's Managed-SecurityHeadersPolicy: HSTS, nosniff, frame-options, referrer-policy. */
const managedId = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/** The stack without its own headers policy: the distribution points at an id from elsewhere. */
const withoutDeclaredHeaders = (rs: readonly PlannedResource[]): PlannedResource[] =>
  rs
    .filter((r) => r.name !== "site-headers")
    .map((r) =>
      r.name === "site-distribution"
        ? {
            ...r,
            dependsOn: r.dependsOn.filter((u) => u !== urn(T.headers, "site-headers")),
            propertyDependencies: { ...r.propertyDependencies, defaultCacheBehavior: [] },
          }
        : r,
    );

const lacks = (what: string) =>
  `Response headers policy used by distribution site-distribution lacks ${what}. Set them in securityHeadersConfig (with override true).`;

describe(policy.name, () => {
  it("is a mandatory stack policy with a typed HSTS floor", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-enable-security-headers");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties).toEqual({
      hstsMaxAgeSeconds: { type: "number", minimum: 0, default: 31536000 },
      acceptedPolicyIds: { type: "array", items: { type: "string" }, default: [] },
      requireIncludeSubdomains: { type: "boolean", default: false },
    });
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-headers",
      cases: [
        {
          title: "HSTS shorter than a year",
          set: { "securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec": 86400 },
          messages: [lacks("strictTransportSecurity.accessControlMaxAgeSec of at least 31536000")],
        },
        {
          // On an apex it would force HTTPS on every host of the domain: the owner's call.
          title: "HSTS without includeSubdomains (allowed by default)",
          set: { "securityHeadersConfig.strictTransportSecurity.includeSubdomains": false },
          messages: [],
        },
        ...["strictTransportSecurity", "contentTypeOptions", "frameOptions", "referrerPolicy"].map(
          (header) => ({
            title: `${header} undefined`,
            set: { [`securityHeadersConfig.${header}`]: undefined },
            messages: [lacks(header)],
          }),
        ),
        {
          title: "securityHeadersConfig undefined",
          set: { securityHeadersConfig: undefined },
          messages: [
            lacks("strictTransportSecurity, contentTypeOptions, frameOptions, referrerPolicy"),
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-headers",
      config: { requireIncludeSubdomains: true },
      cases: [
        {
          title: "HSTS without includeSubdomains, when required",
          set: { "securityHeadersConfig.strictTransportSecurity.includeSubdomains": false },
          messages: [lacks("strictTransportSecurity.includeSubdomains")],
        },
        {
          title: "HSTS includeSubdomains undefined, when required",
          set: { "securityHeadersConfig.strictTransportSecurity.includeSubdomains": undefined },
          messages: [lacks("strictTransportSecurity.includeSubdomains")],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-distribution",
      cases: [
        {
          title: "no response headers policy on the distribution",
          set: { "defaultCacheBehavior.responseHeadersPolicyId": undefined },
          messages: [
            "Distribution defaultCacheBehavior has no responseHeadersPolicyId, so its responses carry no HSTS or browser security headers. Attach an aws.cloudfront.ResponseHeadersPolicy with strictTransportSecurity, contentTypeOptions, frameOptions and referrerPolicy.",
          ],
        },
        {
          title: "an ordered cache behavior without a response headers policy",
          set: {
            orderedCacheBehaviors: [
              {
                pathPattern: "/assets/*",
                targetOriginId: "s3",
                viewerProtocolPolicy: "https-only",
              },
            ],
          },
          messages: [
            "Distribution orderedCacheBehaviors[0] has no responseHeadersPolicyId, so its responses carry no HSTS or browser security headers. Attach an aws.cloudfront.ResponseHeadersPolicy with strictTransportSecurity, contentTypeOptions, frameOptions and referrerPolicy.",
          ],
        },
        {
          title: "AWS's managed security-headers policy, by id",
          set: { "defaultCacheBehavior.responseHeadersPolicyId": managedId },
          change: withoutDeclaredHeaders,
          messages: [],
        },
        {
          title: "a policy id the stack does not declare (a shared policy)",
          set: { "defaultCacheBehavior.responseHeadersPolicyId": sharedId },
          change: withoutDeclaredHeaders,
          messages: [
            `Distribution defaultCacheBehavior.responseHeadersPolicyId is "${sharedId}", a policy this stack does not declare, so its headers cannot be checked. Declare an aws.cloudfront.ResponseHeadersPolicy in the stack, or add the id to this policy's acceptedPolicyIds once you have checked it sends them.`,
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-headers",
      config: { requireIncludeSubdomains: true },
      cases: [
        {
          title: "HSTS without includeSubdomains, when required",
          set: { "securityHeadersConfig.strictTransportSecurity.includeSubdomains": false },
          messages: [lacks("strictTransportSecurity.includeSubdomains")],
        },
        {
          title: "HSTS includeSubdomains undefined, when required",
          set: { "securityHeadersConfig.strictTransportSecurity.includeSubdomains": undefined },
          messages: [lacks("strictTransportSecurity.includeSubdomains")],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-distribution",
      config: { acceptedPolicyIds: [sharedId] },
      cases: [
        {
          title: "a policy id listed in acceptedPolicyIds passes",
          set: { "defaultCacheBehavior.responseHeadersPolicyId": sharedId },
          change: withoutDeclaredHeaders,
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
