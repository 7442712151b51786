import { describe, expect, it } from "vitest";
import {
  awsCloudfrontDistributionEnableSecurityHeaders as policy,
  managedSecurityHeadersPolicyId,
} from "../../../../../policies/aws/cloudfront/distribution/enable-security-headers";
import { policyCases } from "../../../../../testing";
import { T, site, urn } from "../../fixtures";

const lacks = (what: string) =>
  `Response headers policy used by distribution site-distribution lacks ${what}. Set them in securityHeadersConfig (with override true).`;

describe(policy.name, () => {
  it("is a mandatory stack policy with a typed HSTS floor", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-enable-security-headers");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties).toEqual({
      hstsMaxAgeSeconds: { type: "number", minimum: 0, default: 31536000 },
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
          title: "HSTS without includeSubdomains",
          set: { "securityHeadersConfig.strictTransportSecurity.includeSubdomains": false },
          messages: [lacks("strictTransportSecurity.includeSubdomains")],
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
      target: "site-distribution",
      cases: [
        {
          title: "no response headers policy on the distribution",
          set: { "defaultCacheBehavior.responseHeadersPolicyId": undefined },
          messages: [
            "Distribution defaultCacheBehavior has no responseHeadersPolicyId, so responses carry no HSTS or browser security headers. Attach an aws.cloudfront.ResponseHeadersPolicy with strictTransportSecurity, contentTypeOptions, frameOptions and referrerPolicy.",
          ],
        },
        {
          title: "AWS's managed SecurityHeadersPolicy passes",
          set: { "defaultCacheBehavior.responseHeadersPolicyId": managedSecurityHeadersPolicyId },
          change: (rs) =>
            rs.map((r) =>
              r.name === "site-distribution"
                ? {
                    ...r,
                    dependsOn: r.dependsOn.filter((u) => u !== urn(T.headers, "site-headers")),
                  }
                : r.name === "site-headers"
                  ? { ...r, inputs: {}, outputs: {} }
                  : r,
            ),
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
