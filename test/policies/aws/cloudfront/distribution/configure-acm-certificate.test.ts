import { describe, expect, it } from "vitest";
import { awsCloudfrontDistributionConfigureAcmCertificate as policy } from "../../../../../policies/aws/cloudfront/distribution/configure-acm-certificate";
import { policyCases } from "../../../../../testing";
import { site } from "../../fixtures";

const noCert = (certificate: string) =>
  `Distribution serves aliases www.acme-shop.example without an ACM certificate (viewerCertificate is ${certificate}). Set viewerCertificate.acmCertificateArn to a us-east-1 certificate covering them, with cloudfrontDefaultCertificate unset.`;

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-configure-acm-certificate");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-distribution",
      cases: [
        {
          title: "the default certificate with aliases",
          set: { viewerCertificate: { cloudfrontDefaultCertificate: true } },
          messages: [noCert('{"cloudfrontDefaultCertificate":true}')],
        },
        {
          title: "viewerCertificate undefined",
          set: { viewerCertificate: undefined },
          messages: [noCert("undefined")],
        },
        {
          title: "a dedicated-IP certificate",
          set: { "viewerCertificate.sslSupportMethod": "vip" },
          messages: [
            'Distribution viewerCertificate.sslSupportMethod is "vip"; expected "sni-only" (dedicated-IP certificates cost $600 a month and serve no current client better).',
          ],
        },
        {
          title: "the default certificate without aliases is not this policy's concern",
          set: { aliases: undefined, viewerCertificate: { cloudfrontDefaultCertificate: true } },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
