import { describe, expect, it } from "vitest";
import { awsAcmCertificateConfigureDnsValidation as policy } from "../../../../../policies/aws/acm/certificate/configure-dns-validation";
import { policyCases } from "../../../../../testing";
import { site } from "../../fixtures";

const wrong = (v: string) =>
  `ACM certificate validationMethod is ${v}; expected "DNS": email validation needs someone to approve every renewal in time, DNS validation renews by itself while the CNAME stays.`;

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("aws-acm-certificate-configure-dns-validation");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-certificate",
      cases: [
        { title: "EMAIL", set: { validationMethod: "EMAIL" }, messages: [wrong('"EMAIL"')] },
        {
          title: "validationMethod undefined",
          set: { validationMethod: undefined },
          messages: [wrong("undefined")],
        },
        {
          title: "an imported certificate is out of scope",
          set: { validationMethod: undefined, certificateBody: "-----BEGIN CERTIFICATE-----" },
          messages: [],
        },
        {
          title: "a private CA certificate is out of scope",
          set: {
            validationMethod: undefined,
            certificateAuthorityArn:
              "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/x",
          },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
