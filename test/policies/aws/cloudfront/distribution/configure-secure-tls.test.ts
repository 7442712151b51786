import { describe, expect, it } from "vitest";
import { awsCloudfrontDistributionConfigureSecureTls as policy } from "../../../../../policies/aws/cloudfront/distribution/configure-secure-tls";
import { policyCases } from "../../../../../testing";
import { site } from "../../fixtures";

const accepted = "TLSv1.2_2021 or newer (TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025)";
const tooOld = (v: string) =>
  `Distribution viewerCertificate.minimumProtocolVersion is ${v}; expected ${accepted}.`;

describe(policy.name, () => {
  it("is mandatory with a typed floor", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-configure-secure-tls");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties?.["minimumProtocolVersion"]).toMatchObject({
      default: "TLSv1.2_2021",
    });
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-distribution",
      cases: [
        ...["TLSv1.2_2025", "TLSv1.3_2025"].map((v) => ({
          title: `${v} passes (compared by order)`,
          set: { "viewerCertificate.minimumProtocolVersion": v },
          messages: [],
        })),
        ...["TLSv1.2_2019", "TLSv1.1_2016", "TLSv1", "SSLv3", "TLSv9"].map((v) => ({
          title: `${v} fails`,
          set: { "viewerCertificate.minimumProtocolVersion": v },
          messages: [tooOld(`"${v}"`)],
        })),
        {
          title: "minimumProtocolVersion undefined",
          set: { "viewerCertificate.minimumProtocolVersion": undefined },
          messages: [tooOld("undefined")],
        },
        {
          title: "the default certificate",
          set: { viewerCertificate: { cloudfrontDefaultCertificate: true } },
          messages: [
            `Distribution uses the CloudFront default certificate, which accepts TLSv1 whatever minimumProtocolVersion says. Use an ACM certificate with minimumProtocolVersion ${accepted}.`,
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
      config: { minimumProtocolVersion: "TLSv1.2_2025" },
      cases: [
        {
          title: "a stricter floor from the stack's config refuses TLSv1.2_2021",
          set: {},
          messages: [
            'Distribution viewerCertificate.minimumProtocolVersion is "TLSv1.2_2021"; expected TLSv1.2_2025 or newer (TLSv1.2_2025, TLSv1.3_2025).',
          ],
        },
      ],
    }).slice(1),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
