import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { edge } from "../../../../../components";
import { awsCloudfrontDistributionEnforceUsEast1Certificate as policy } from "../../../../../policies/aws/cloudfront/distribution/enforce-us-east-1-certificate";
import { policyCases, runPolicies, runProgram, unknownValue } from "../../../../../testing";
import { T, compliantDistribution, replace, site, urn } from "../../fixtures";

const created = (where: string, distribution = "site-distribution") =>
  `ACM certificate is used by distribution ${distribution} but created ${where}; CloudFront reads certificates only from us-east-1. Create it through an aws.Provider with region "us-east-1".`;
const certUrn = urn(T.certificate, "site-certificate");

describe(policy.name, () => {
  it("is a mandatory stack policy", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-enforce-us-east-1-certificate");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "us-east-1",
      cases: [
        {
          title: "a provider in eu-west-1",
          set: { region: "eu-west-1" },
          messages: [created("in eu-west-1")],
          urn: certUrn,
        },
        {
          title: "the provider's region undefined",
          set: { region: undefined },
          messages: [
            created(
              "through provider us-east-1, which sets no region (an explicit provider reads AWS_REGION or the AWS profile, not the stack's aws:region)",
            ),
          ],
          urn: certUrn,
        },
        {
          title: "no explicit provider",
          change: replace("site-certificate", ({ provider: _p, ...r }) => r),
          messages: [created("through the default provider (the stack's aws:region)")],
          urn: certUrn,
        },
        {
          title: "the certificate's own region input wins (AWS provider v7)",
          change: replace("site-certificate", ({ provider: _p, ...r }) => ({
            ...r,
            inputs: { ...r.inputs, region: "us-east-1" },
          })),
          messages: [],
        },
        {
          title: "a certificate the distribution depends on directly",
          change: (rs) =>
            replace("site-distribution", (r) => ({ ...r, dependsOn: [certUrn] }))(
              replace("us-east-1", (r) => ({ ...r, inputs: { region: "eu-central-1" } }))(rs),
            ),
          messages: [created("in eu-central-1")],
          urn: certUrn,
        },
        {
          title: "a certificate declared elsewhere, by its ARN's region",
          change: replace("site-distribution", (r) => ({
            ...r,
            dependsOn: [],
            inputs: {
              ...compliantDistribution,
              viewerCertificate: {
                ...compliantDistribution.viewerCertificate,
                acmCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
              },
            },
          })),
          messages: [
            'Distribution viewerCertificate.acmCertificateArn "arn:aws:acm:eu-west-1:123456789012:certificate/abc" is in eu-west-1; CloudFront reads certificates only from us-east-1.',
          ],
          urn: urn(T.distribution, "site-distribution"),
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });

  it("passes HttpsStaticSite in a eu-west-1 stack: its certificate goes through its us-east-1 provider", async () => {
    const plan = await runProgram(
      () => {
        new edge.HttpsStaticSite("site", {
          domainName: "acme-shop.example",
          aliases: ["www.acme-shop.example"],
          dnsValidation: "external",
        });
      },
      { config: { "aws:region": "eu-west-1" } },
    );
    const report = await runPolicies(plan, { policies: [policy], config: {} });
    expect(report.violations).toEqual([]);
    expect(String(plan.get(T.certificate, "site-certificate").outputs["arn"])).toMatch(
      /^arn:aws:acm:us-east-1:/,
    );
  });

  it("reports a raw certificate made through the stack's eu-west-1 default provider", async () => {
    const plan = await runProgram(
      () => {
        const cert = new aws.acm.Certificate("cert", {
          domainName: "www.acme-shop.example",
          validationMethod: "DNS",
        });
        new aws.cloudfront.Distribution("cdn", {
          ...compliantDistribution,
          viewerCertificate: {
            ...compliantDistribution.viewerCertificate,
            acmCertificateArn: cert.arn,
          },
        });
      },
      { config: { "aws:region": "eu-west-1" } },
    );
    const report = await runPolicies(plan, { policies: [policy], config: {} });
    expect(report.violations.map((v) => [v.resourceName, v.message])).toEqual([
      [
        "cert",
        // The analyzer prefixes every message with the policy's description.
        `${policy.description}\n${created("through the default provider (the stack's aws:region, eu-west-1)", "cdn")}`,
      ],
    ]);
    expect(String(plan.get(T.certificate, "cert").outputs["arn"])).toMatch(
      /^arn:aws:acm:eu-west-1:/,
    );
  });

  it("reports the same certificate in an engine-faithful preview, where its ARN and region are unknown", async () => {
    const plan = await runProgram(
      () => {
        const cert = new aws.acm.Certificate("cert", {
          domainName: "www.acme-shop.example",
          validationMethod: "DNS",
        });
        new aws.cloudfront.Distribution("cdn", {
          ...compliantDistribution,
          viewerCertificate: {
            ...compliantDistribution.viewerCertificate,
            acmCertificateArn: cert.arn,
          },
        });
      },
      { config: { "aws:region": "eu-west-1" }, preview: "engine" },
    );
    const report = await runPolicies(plan, { policies: [policy], config: {} });
    expect(report.violations.map((v) => [v.resourceName, v.enforcementLevel, v.message])).toEqual([
      [
        "cert",
        "mandatory",
        `${policy.description}\n${created("through the default provider (the stack's aws:region, eu-west-1)", "cdn")}`,
      ],
    ]);
  });

  it("reads the provider's region when the certificate's own is unknown in a preview, instead of giving up on the stack", async () => {
    const resources = site().map((r) =>
      r.type === T.certificate ? { ...r, outputs: { ...r.outputs, region: unknownValue } } : r,
    );
    const report = await runPolicies(
      { project: "taskstack", stack: "test", resources, outputs: {}, preview: true },
      { policies: [policy], config: {} },
    );
    expect(report.violations).toEqual([]);
  });
});
