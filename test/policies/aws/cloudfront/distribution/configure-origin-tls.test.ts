import { describe, expect, it } from "vitest";
import { awsCloudfrontDistributionConfigureOriginTls as policy } from "../../../../../policies/aws/cloudfront/distribution/configure-origin-tls";
import { policyCases } from "../../../../../testing";
import type { PlannedResource } from "../../../../../testing";
import { compliantDistribution, replace, site } from "../../fixtures";

const s3Origin = compliantDistribution.origins[0];
const apiOrigin = (originSslProtocols: unknown, originProtocolPolicy = "https-only") => ({
  originId: "api",
  domainName: "api.acme-shop.example",
  customOriginConfig: {
    httpPort: 80,
    httpsPort: 443,
    originProtocolPolicy,
    ...(originSslProtocols === undefined ? {} : { originSslProtocols }),
  },
});

/** The site with a second, custom origin that accepts only TLSv1.2. */
const withApiOrigin = (): PlannedResource[] =>
  replace("site-distribution", (r) => ({
    ...r,
    inputs: { ...r.inputs, origins: [s3Origin, apiOrigin(["TLSv1.2"])] },
  }))(site());

const weak = (i: number, protocols: string, bad: string, verb: "is" | "are") =>
  `Distribution origins[${i}].customOriginConfig.originSslProtocols is ${protocols}; ${bad} ${verb} broken or deprecated (RFC 8996), so a downgrade exposes traffic to the origin. Set it to ["TLSv1.2"].`;

describe(policy.name, () => {
  it("is mandatory and high severity", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-configure-origin-tls");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("high");
  });

  it.each(
    policyCases(policy, {
      fixture: withApiOrigin,
      target: "site-distribution",
      cases: [
        ...["SSLv3", "TLSv1", "TLSv1.1"].map((p) => ({
          title: `originSslProtocols ${p} alongside TLSv1.2 fails`,
          set: { origins: [s3Origin, apiOrigin([p, "TLSv1.2"])] },
          messages: [weak(1, `["${p}","TLSv1.2"]`, p, "is")],
        })),
        {
          title: "two weak protocols are named together",
          set: { origins: [s3Origin, apiOrigin(["SSLv3", "TLSv1"])] },
          messages: [weak(1, '["SSLv3","TLSv1"]', "SSLv3, TLSv1", "are")],
        },
        {
          title: "each weak origin is reported at its own index",
          set: { origins: [apiOrigin(["TLSv1"]), s3Origin, apiOrigin(["TLSv1.1"])] },
          messages: [weak(0, '["TLSv1"]', "TLSv1", "is"), weak(2, '["TLSv1.1"]', "TLSv1.1", "is")],
        },
        {
          title: "an http-only custom origin fails: no TLS at all",
          set: { origins: [s3Origin, apiOrigin(["TLSv1.2"], "http-only")] },
          messages: [
            'Distribution origins[1].customOriginConfig.originProtocolPolicy is "http-only", so CloudFront reaches the origin without TLS and originSslProtocols is never used. Set it to "https-only".',
          ],
        },
        {
          title: "match-viewer is left to the plain-HTTP policy (viewers are HTTPS-only there)",
          set: { origins: [s3Origin, apiOrigin(["TLSv1.2"], "match-viewer")] },
          messages: [],
        },
        {
          title: "originSslProtocols undefined is not reported",
          set: { origins: [s3Origin, apiOrigin(undefined)] },
          messages: [],
        },
        { title: "origins undefined is not reported", set: { origins: undefined }, messages: [] },
        {
          title: "an S3 origin alone (no customOriginConfig) passes",
          set: { origins: [s3Origin] },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
