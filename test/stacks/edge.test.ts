import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaskstackInputError, edge } from "../../components";
import { renderTree } from "../../cli/render";
import { runPolicies, runProgram } from "../../testing";
import { parseStackConfig } from "../../stacks/config";
import { siteArgsFor } from "../../stacks/edge";
import { main } from "../../stacks/program";
import { assertExercised, failsOnlyWithInputErrors } from "../support/properties";
import type { Outcomes } from "../support/properties";

const stackDir = path.join(__dirname, "..", "..", "stacks");
const plan = (stack: string) => runProgram(main, { stack, stackDir, project: "taskstack" });
const file = "stacks/Pulumi.prod.yaml";
const base = {
  "aws:region": "eu-west-1",
  "taskstack:gcp": { project: "acme-shop-prod", region: "europe-west1" },
  "taskstack:monitoring": {
    notificationChannels: [{ name: "oncall", email: "oncall@acme-shop.example" }],
  },
};

describe("taskstack:aws.site", () => {
  it("prod serves www and the apex: Cloud DNS validation and www record in the stack's project, the apex at the registrar", async () => {
    const p = await plan("prod");
    const site = p.get(edge.HttpsStaticSite, "static-site");
    expect(p.get("aws:s3/bucket:Bucket", "static-site-bucket").protect).toBe(true);
    expect(
      p.get("aws:cloudfront/distribution:Distribution", "static-site-distribution").inputs,
    ).toMatchObject({
      aliases: ["www.acme-shop.example", "acme-shop.example"],
      loggingConfig: { bucket: "acme-shop-prod-cdn-logs.s3.amazonaws.com", prefix: "storefront/" },
    });
    expect(
      p
        .findResources("gcp:dns/recordSet:RecordSet")
        .map((r) => [r.name, r.inputs["project"], r.inputs["managedZone"], r.parent]),
    ).toEqual([
      [
        "static-site-validation-www-acme-shop-example",
        "acme-shop-prod",
        "acme-shop-example",
        site.urn,
      ],
      ["static-site-validation-acme-shop-example", "acme-shop-prod", "acme-shop-example", site.urn],
      ["static-site-alias-www-acme-shop-example", "acme-shop-prod", "acme-shop-example", site.urn],
    ]);
    const domain = String(
      p.get("aws:cloudfront/distribution:Distribution", "static-site-distribution").outputs[
        "domainName"
      ],
    );
    expect((p.outputs["site"] as { aliasRecords: unknown }).aliasRecords).toEqual([
      { name: "acme-shop.example", type: "ALIAS", value: domain },
    ]);

    // What `npm start -- prod` prints: the certificate with its us-east-1 provider, and the rest.
    const tree = renderTree(p);
    for (const line of [
      /aws:s3\/bucket:Bucket\s+static-site-bucket {2}\[protect\]/,
      /pulumi:providers:aws\s+static-site-us-east-1\n.*region: us-east-1/,
      /aws:acm\/certificate:Certificate[\s│]+static-site-certificate {2}\[provider=static-site-us-east-1\]/,
      /aws:acm\/certificateValidation:CertificateValidation[\s│]+static-site-certificate-validation {2}\[provider=static-site-us-east-1\]/,
      /aws:cloudfront\/originAccessControl:OriginAccessControl\s+static-site-oac/,
      /aws:cloudfront\/responseHeadersPolicy:ResponseHeadersPolicy\s+static-site-headers/,
      /aws:cloudfront\/distribution:Distribution\s+static-site-distribution\n.*aliases: www.acme-shop.example, acme-shop.example\n.*viewerCertificate:\n.*acmCertificateArn: arn:aws:acm:us-east-1:/,
      /gcp:dns\/recordSet:RecordSet\s+static-site-alias-www-acme-shop-example/,
    ]) {
      expect(tree).toMatch(line);
    }
  });

  it("staging publishes its records as outputs for the registrar, and only logging and WAF are advisory", async () => {
    const p = await plan("staging");
    expect(p.resourceCount("gcp:dns/recordSet:RecordSet")).toBe(0);
    expect(p.resourceCount("aws:route53/record:Record")).toBe(0);
    const out = p.outputs["site"] as { validationRecords: unknown[]; aliasRecords: unknown[] };
    expect(out.validationRecords).toHaveLength(1);
    expect(out.aliasRecords).toEqual([
      {
        name: "staging.acme-shop.example",
        type: "CNAME",
        value: p.get("aws:cloudfront/distribution:Distribution", "static-site-distribution")
          .outputs["domainName"],
      },
    ]);
    const report = await runPolicies(p, { stack: "staging" });
    expect(report.violations.map((v) => [v.policyName, v.enforcementLevel])).toEqual([
      ["aws-cloudfront-distribution-enable-access-logging", "advisory"],
      ["aws-cloudfront-distribution-enable-waf", "advisory"],
    ]);
  });

  it("docs is an AWS-only stack: no Google Cloud, no Kubernetes, no channels, and plans clean in prod", async () => {
    const p = await plan("docs");
    expect([...new Set(p.resources.map((r) => r.type))].sort()).toEqual([
      "aws:acm/certificate:Certificate",
      "aws:cloudfront/originAccessControl:OriginAccessControl",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketVersioning:BucketVersioning",
      "pulumi:providers:aws",
      "pulumi:pulumi:Stack",
      "taskstack:edge:HttpsStaticSite",
    ]);
    expect(p.outputs["site"]).toMatchObject({
      domainName: "acme-shop.example",
      dnsValidation: "external",
      awaitingValidationRecords: true,
      aliasRecords: [],
    });
    const report = await runPolicies(p, { stack: "docs", environment: "prod" });
    expect(report.violations).toEqual([]);
  });

  it("a Route 53 site in an AWS-only stack redirects www to the apex and serves directories", async () => {
    const p = await runProgram(main, {
      stack: "aws-route53",
      stackDir: path.join(__dirname, "fixtures"),
      project: "taskstack",
    });
    expect(p.resources.filter((r) => r.type.startsWith("gcp:"))).toEqual([]);
    expect(p.findResources("aws:route53/record:Record").map((r) => r.name)).toEqual([
      "static-site-validation-acme-docs-example",
      "static-site-validation-www-acme-docs-example",
      "static-site-alias-acme-docs-example-a",
      "static-site-alias-acme-docs-example-aaaa",
      "static-site-alias-www-acme-docs-example-a",
      "static-site-alias-www-acme-docs-example-aaaa",
    ]);
    expect(
      p.get("aws:cloudfront/function:Function", "static-site-viewer-request").inputs["code"],
    ).toBe(
      edge.viewerRequestFunctionCode({
        canonicalHost: "acme-docs.example",
        indexDocument: "index.html",
      }),
    );
    expect(p.get("aws:s3/bucket:Bucket", "static-site-bucket").outputs["region"]).toBe(
      "eu-central-1",
    );
    // Every policy mandatory but WAF (the site's choice, advisory as in staging.json): standard
    // logging v2 meets the logging one, and only the missing web ACL is reported.
    const report = await runPolicies(p, {
      stack: "aws-route53",
      config: { all: "mandatory", "aws-cloudfront-distribution-enable-waf": "advisory" },
    });
    expect(report.violations.map((v) => [v.policyName, v.enforcementLevel])).toEqual([
      ["aws-cloudfront-distribution-enable-waf", "advisory"],
    ]);
  });

  const awsOnly = {
    "aws:region": "eu-west-1",
    "taskstack:environment": "prod",
    "taskstack:aws": {
      site: { domainName: "a.example", aliases: ["www.a.example"], dnsValidation: "external" },
    },
  };

  it("accepts an AWS-only prod stack without taskstack:gcp or notification channels", () => {
    const config = parseStackConfig(awsOnly, file);
    expect(config["taskstack:gcp"]).toBeUndefined();
    expect(config["taskstack:monitoring"].notificationChannels).toEqual([]);
  });

  it.each([
    {
      title: "a site without aws:region",
      config: { ...awsOnly, "aws:region": undefined },
      problems: [
        "stacks/Pulumi.prod.yaml: aws:region: expected the AWS region of the site's bucket, such as eu-west-1 (the certificate is made in us-east-1 whatever it is), got nothing. Set it with `pulumi config set aws:region <region>`",
      ],
    },
    {
      title: "a misspelt aws:region",
      config: { ...awsOnly, "aws:region": "eu-west1" },
      problems: [
        'stacks/Pulumi.prod.yaml: aws:region: expected an AWS region such as eu-west-1, got "eu-west1"',
      ],
    },
    {
      title: "a Cloud DNS zone in the stack's project, without one",
      config: {
        ...awsOnly,
        "taskstack:aws": {
          site: {
            domainName: "a.example",
            aliases: ["www.a.example"],
            dnsValidation: "cloud-dns",
            cloudDnsManagedZone: "a-example",
          },
        },
      },
      problems: [
        "stacks/Pulumi.prod.yaml: taskstack:gcp: expected a mapping with project and region: taskstack:aws.site.cloudDnsManagedZone declares Google Cloud resources, got nothing",
      ],
    },
    {
      title: "notification channels (Google Cloud Monitoring ones) without a project",
      config: {
        ...awsOnly,
        "taskstack:monitoring": { notificationChannels: [{ name: "web", email: "web@a.example" }] },
      },
      problems: [
        "stacks/Pulumi.prod.yaml: taskstack:gcp: expected a mapping with project and region: taskstack:monitoring.notificationChannels declares Google Cloud resources, got nothing",
      ],
    },
  ])("refuses $title", ({ config, problems }) => {
    expect(() => parseStackConfig(config, file)).toThrow(new TaskstackInputError(problems));
  });

  it("dev has no site", async () => {
    const p = await plan("dev");
    expect(p.resourceCount(edge.HttpsStaticSite)).toBe(0);
    expect(p.outputs["site"]).toBeUndefined();
  });

  it("refuses unversioned site buckets in prod", () => {
    const config = {
      ...base,
      "taskstack:environment": "prod",
      "taskstack:aws": {
        site: {
          domainName: "a.example",
          aliases: ["www.a.example"],
          dnsValidation: "external",
          versioning: false,
        },
      },
    };
    expect(() => parseStackConfig(config, file)).toThrow(
      new TaskstackInputError([
        "stacks/Pulumi.prod.yaml: taskstack:aws.site.versioning: expected true in prod (overwritten or deleted files must be recoverable), got false",
      ]),
    );
  });

  it("reports a site's problems against the stack file, all at once", () => {
    const config = {
      ...base,
      "taskstack:environment": "staging",
      "taskstack:aws": {
        site: {
          domainName: "acme-shop.example",
          aliases: ["www.acme-shop.example", "acme-shop.example"],
          dnsValidation: "cloud-dns",
          cloudDnsManagedZone: "acme-shop-example",
          minimumProtocolVersion: "TLSv1.2_2019",
        },
      },
    };
    expect(() => parseStackConfig(config, file)).toThrow(
      new TaskstackInputError([
        'stacks/Pulumi.prod.yaml: taskstack:aws.site.minimumProtocolVersion: expected a CloudFront security policy of TLSv1.2_2021 or newer (TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025); older ones allow TLS below 1.2 or weak ciphers, got "TLSv1.2_2019"',
        'stacks/Pulumi.prod.yaml: taskstack:aws.site.aliases[1]: expected a name below acme-shop.example with cloud-dns: a CNAME cannot sit at the zone apex and Cloud DNS has no alias record for CloudFront, got "acme-shop.example". List it in externalAliasRecords and point it at the distribution at your registrar (ALIAS/ANAME), or use route53',
      ]),
    );
  });

  it("a site the stack file accepts is one the component accepts", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    const name = fc.constantFrom(
      "a.example",
      "www.a.example",
      "*.a.example",
      "b.example",
      "A.example",
    );
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(
          fc
            .record({
              domainName: fc.constantFrom("a.example", "a.example", "bad domain"),
              aliases: fc.subarray(["www.a.example", "a.example", "shop.a.example", "b.example"], {
                minLength: 1,
              }),
              dnsValidation: fc.constantFrom("route53", "cloud-dns", "external"),
              zone: fc.constantFrom("valid", "invalid", "missing"),
              // Mostly nothing else, else one more setting, valid or not.
              extra: fc.oneof(
                { weight: 6, arbitrary: fc.constant({}) },
                fc.record({ subjectAlternativeNames: fc.array(name, { maxLength: 2 }) }),
                fc.record({
                  externalAliasRecords: fc.subarray(["a.example", "shop.a.example", "c.example"]),
                }),
                fc.record({ cloudDnsProject: fc.constantFrom("acme-shop-dns", "X") }),
                fc.record({ route53ZoneId: fc.constant("Z0123456789ABCDEFGHIJ") }),
                fc.record({ versioning: fc.boolean() }),
                fc.record({
                  logBucket: fc.record(
                    {
                      bucketDomainName: fc.constant("acme-logs.s3.amazonaws.com"),
                      objectOwnership: fc.constantFrom(
                        "BucketOwnerPreferred",
                        "BucketOwnerEnforced",
                      ),
                    },
                    { requiredKeys: ["bucketDomainName"] },
                  ),
                }),
                fc.record({
                  tags: fc.dictionary(
                    fc.constantFrom("team", "bad key!"),
                    fc.constantFrom("web", "x"),
                  ),
                }),
              ),
            })
            .map(({ zone, extra, ...site }) => {
              const key = {
                route53: "route53ZoneId",
                "cloud-dns": "cloudDnsManagedZone",
                external: "",
              }[site.dnsValidation];
              const value =
                site.dnsValidation === "route53" ? "Z0123456789ABCDEFGHIJ" : "a-example";
              const withZone =
                key === "" || zone === "missing"
                  ? {}
                  : { [key]: zone === "valid" ? value : "Bad Zone" };
              return { ...site, ...withZone, ...extra };
            }),
          fc.constantFrom("dev", "staging", "prod"),
          fc.boolean(),
          (site, environment, deletionProtection) =>
            failsOnlyWithInputErrors(
              () => {
                const config = parseStackConfig(
                  {
                    ...base,
                    "taskstack:environment": environment,
                    "taskstack:deletionProtection": deletionProtection || environment === "prod",
                    "taskstack:aws": { site },
                  },
                  file,
                );
                const s = config["taskstack:aws"]?.site;
                if (s === undefined) throw new Error("the parsed stack lost its site");

                // Anything the stack accepted, the component must accept too: a TypeError or an
                // input error naming the component (not the file) fails the property.
                try {
                  edge.validateHttpsStaticSiteArgs("static-site", siteArgsFor(s, config));
                } catch (err) {
                  throw new Error(
                    `accepted by the stack file, refused by the component: ${String(err)}`,
                  );
                }
              },
              outcomes,
              (problem) => problem.startsWith(`${file}: taskstack:aws.site`),
            ),
        ),
        { numRuns: 1500, ...params },
      );
    });
  });
});
