import { describe, expect, it } from "vitest";
import { awsCloudfrontDistributionDisallowUnencryptedTraffic as policy } from "../../../../../policies/aws/cloudfront/distribution/disallow-unencrypted-traffic";
import { policyCases } from "../../../../../testing";
import { compliantDistribution, site } from "../../fixtures";

const viewer = (path: string, v: string) =>
  `Distribution ${path}.viewerProtocolPolicy is ${v}, so viewers can fetch over plain HTTP. Set it to "redirect-to-https" or "https-only".`;

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-disallow-unencrypted-traffic");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-distribution",
      cases: [
        {
          title: "https-only passes",
          set: { "defaultCacheBehavior.viewerProtocolPolicy": "https-only" },
          messages: [],
        },
        {
          title: "allow-all",
          set: { "defaultCacheBehavior.viewerProtocolPolicy": "allow-all" },
          messages: [viewer("defaultCacheBehavior", '"allow-all"')],
        },
        {
          title: "viewerProtocolPolicy undefined",
          set: { "defaultCacheBehavior.viewerProtocolPolicy": undefined },
          messages: [viewer("defaultCacheBehavior", "undefined")],
        },
        {
          title: "an ordered behavior that allows HTTP",
          set: {
            orderedCacheBehaviors: [
              { ...compliantDistribution.defaultCacheBehavior, pathPattern: "/a/*" },
              {
                ...compliantDistribution.defaultCacheBehavior,
                pathPattern: "/b/*",
                viewerProtocolPolicy: "allow-all",
              },
            ],
          },
          messages: [viewer("orderedCacheBehaviors[1]", '"allow-all"')],
        },
        {
          title: "a custom origin fetched over HTTP",
          set: {
            origins: [
              ...compliantDistribution.origins,
              {
                originId: "api",
                domainName: "api.acme-shop.example",
                customOriginConfig: { originProtocolPolicy: "match-viewer" },
              },
            ],
          },
          messages: [
            'Distribution origins[1].customOriginConfig.originProtocolPolicy is "match-viewer", so CloudFront can fetch from the origin over plain HTTP. Set it to "https-only".',
          ],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
