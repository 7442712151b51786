import * as aws from "@pulumi/aws";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { edge, TaskstackInputError } from "../../../components";
import { absoluteName, domainSlug, securityPolicyRank } from "../../../lib/domains";
import { Secret, declaredBeforeFailure, runPolicies, runProgram } from "../../../testing";
import { acmValidationOptions, awsAccountId } from "../../../testing/synth-aws";
import { assertExercised, failsOnlyWithInputErrors } from "../../support/properties";
import type { Outcomes } from "../../support/properties";

const T = {
  provider: "pulumi:providers:aws",
  bucket: "aws:s3/bucket:Bucket",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
  function: "aws:cloudfront/function:Function",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  distribution: "aws:cloudfront/distribution:Distribution",
  record: "aws:route53/record:Record",
  recordSet: "gcp:dns/recordSet:RecordSet",
} as const;

const domain = "acme-shop.example";
const zoneId = "Z0123456789ABCDEFGHIJ";
const stack = "test";
/** What the offline engine's ACM answers for a name, as `acmValidationOptions` synthesizes it. */
const acm = (name: string) => acmValidationOptions(stack, [name])[0] as Record<string, string>;

/** The bucket policy's first statement: nothing reaches the bucket over plain HTTP. */
const tlsOnly = (bucketName: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

const route53Site: edge.HttpsStaticSiteArgs = {
  domainName: domain,
  aliases: [`www.${domain}`, domain],
  subjectAlternativeNames: [`*.${domain}`],
  dnsValidation: "route53",
  route53ZoneId: zoneId,
};

async function plan(args: edge.HttpsStaticSiteArgs, config: Record<string, unknown> = {}) {
  return runProgram(
    () => {
      const site = new edge.HttpsStaticSite("site", args);
      return {
        bucketName: site.bucketName,
        // null, not undefined: an undefined stack output makes Pulumi warn that it will not show.
        distributionDomainName: site.distributionDomainName.apply((d) => d ?? null),
        certificateArn: site.certificateArn,
        validationRecords: site.validationRecords,
        aliasRecords: site.aliasRecords,
      };
    },
    { config: { "aws:region": "eu-west-1", ...config } },
  );
}

describe("HttpsStaticSite defaults (Route 53)", () => {
  it("declares a private bucket, OAC, a us-east-1 certificate, merged validation records, the distribution and alias records", async () => {
    const p = await plan(route53Site);
    const component = p.get(edge.HttpsStaticSite, "site");
    expect(
      p
        .children(component)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual(
      [
        `${T.provider} site-us-east-1`,
        `${T.bucket} site-bucket`,
        `${T.publicAccessBlock} site-public-access-block`,
        `${T.ownership} site-ownership`,
        `${T.encryption} site-encryption`,
        `${T.versioning} site-versioning`,
        `${T.lifecycle} site-lifecycle`,
        `${T.oac} site-oac`,
        `${T.certificate} site-certificate`,
        // One record for the apex and its wildcard, keyed by the name, not by position.
        `${T.record} site-validation-www-acme-shop-example`,
        `${T.record} site-validation-acme-shop-example`,
        `${T.validation} site-certificate-validation`,
        `${T.headers} site-headers`,
        `${T.cachePolicy} site-cache`,
        `${T.cachePolicy} site-html-cache`,
        `${T.distribution} site-distribution`,
        `${T.bucketPolicy} site-bucket-policy`,
        `${T.record} site-alias-www-acme-shop-example-a`,
        `${T.record} site-alias-www-acme-shop-example-aaaa`,
        `${T.record} site-alias-acme-shop-example-a`,
        `${T.record} site-alias-acme-shop-example-aaaa`,
      ].sort(),
    );

    const provider = p.get(T.provider, "site-us-east-1");
    // The provider's own defaults, JSON-encoded as the SDK sends provider config to the engine.
    expect(provider.inputs).toEqual({
      region: "us-east-1",
      skipCredentialsValidation: "false",
      skipRegionValidation: "true",
    });
    const bucket = p.get(T.bucket, "site-bucket");
    expect(bucket.inputs).toEqual({ forceDestroy: false, tags: { "managed-by": "taskstack" } });
    expect(bucket.provider).toBeUndefined();
    expect(bucket.protect).toBe(false);
    const bucketName = String(bucket.outputs["bucket"]);
    expect(p.get(T.publicAccessBlock, "site-public-access-block").inputs).toEqual({
      bucket: bucketName,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(p.get(T.ownership, "site-ownership").inputs).toEqual({
      bucket: bucketName,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    expect(p.get(T.encryption, "site-encryption").inputs).toEqual({
      bucket: bucketName,
      rules: [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true },
      ],
    });
    const versioning = p.get(T.versioning, "site-versioning");
    expect(versioning.inputs).toEqual({
      bucket: bucketName,
      versioningConfiguration: { status: "Enabled" },
    });
    // Each deploy leaves a version behind: they expire, so the bucket does not grow per deploy.
    const lifecycle = p.get(T.lifecycle, "site-lifecycle");
    expect(lifecycle.inputs).toEqual({
      bucket: bucketName,
      rules: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: { prefix: "" },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          expiration: { expiredObjectDeleteMarker: true },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    });
    expect(lifecycle.dependsOn).toContain(versioning.urn);
    expect(p.get(T.oac, "site-oac").inputs).toEqual({
      description: "taskstack site: CloudFront reads the bucket, signed with SigV4",
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });

    const cert = p.get(T.certificate, "site-certificate");
    expect(cert.provider).toBe(provider.urn);
    expect(cert.inputs).toEqual({
      domainName: `www.${domain}`,
      subjectAlternativeNames: [domain, `*.${domain}`],
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags: { "managed-by": "taskstack" },
    });
    const certArn = String(cert.outputs["arn"]);
    expect(certArn).toMatch(
      new RegExp(`^arn:aws:acm:us-east-1:${awsAccountId(stack)}:certificate/`),
    );

    for (const name of [`www.${domain}`, domain]) {
      const o = acm(name);
      // Another certificate for the name may rely on it after this stack is gone.
      expect(p.get(T.record, `site-validation-${domainSlug(name)}`).retainOnDelete).toBe(true);
      expect(p.get(T.record, `site-validation-${domainSlug(name)}`).inputs).toEqual({
        zoneId,
        name: o["resourceRecordName"],
        type: "CNAME",
        records: [o["resourceRecordValue"]],
        ttl: 300,
        // A second certificate for the same name asks for the same CNAME: overwrite, not fail.
        allowOverwrite: true,
      });
    }
    const validation = p.get(T.validation, "site-certificate-validation");
    expect(validation.provider).toBe(provider.urn);
    expect(validation.inputs).toEqual({
      certificateArn: certArn,
      validationRecordFqdns: [
        acm(`www.${domain}`)["resourceRecordName"]!.replace(/\.$/, ""),
        acm(domain)["resourceRecordName"]!.replace(/\.$/, ""),
      ],
    });

    const headers = p.get(T.headers, "site-headers");
    expect(headers.inputs).toEqual({
      comment: "taskstack site: HSTS and browser security headers",
      securityHeadersConfig: {
        strictTransportSecurity: {
          accessControlMaxAgeSec: 63072000,
          // The apex is an alias: includeSubDomains would force HTTPS on every host of the domain.
          includeSubdomains: false,
          preload: false,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
      },
    });

    const cacheKey = {
      cookiesConfig: { cookieBehavior: "none" },
      headersConfig: { headerBehavior: "none" },
      queryStringsConfig: { queryStringBehavior: "none" },
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    };
    const cache = p.get(T.cachePolicy, "site-cache");
    expect(cache.inputs).toEqual({
      comment:
        "taskstack site: objects without Cache-Control 60 s, others as they say up to a year",
      minTtl: 0,
      defaultTtl: 60,
      maxTtl: 31536000,
      parametersInCacheKeyAndForwardedToOrigin: cacheKey,
    });
    const htmlCache = p.get(T.cachePolicy, "site-html-cache");
    expect(htmlCache.inputs).toEqual({
      comment: "taskstack site: HTML at most 60 s",
      minTtl: 0,
      defaultTtl: 60,
      maxTtl: 60,
      parametersInCacheKeyAndForwardedToOrigin: cacheKey,
    });
    expect(p.resourceCount(T.function)).toBe(0);
    const behavior = {
      targetOriginId: "s3",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD", "OPTIONS"],
      cachedMethods: ["GET", "HEAD"],
      compress: true,
      responseHeadersPolicyId: headers.id,
    };
    const distribution = p.get(T.distribution, "site-distribution");
    expect(distribution.inputs).toEqual({
      enabled: true,
      comment: "taskstack site",
      aliases: [`www.${domain}`, domain],
      defaultRootObject: "index.html",
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: "PriceClass_100",
      origins: [
        {
          originId: "s3",
          domainName: `${bucketName}.s3.eu-west-1.amazonaws.com`,
          originAccessControlId: p.get(T.oac, "site-oac").id,
        },
      ],
      defaultCacheBehavior: { ...behavior, cachePolicyId: cache.id },
      // HTML stays fresh whatever its upload said; `/` and `/docs/` take the default behavior,
      // where an object uploaded without Cache-Control lives htmlCacheSeconds too.
      orderedCacheBehaviors: [{ ...behavior, pathPattern: "*.html", cachePolicyId: htmlCache.id }],
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: {
        acmCertificateArn: certArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
      },
      tags: { "managed-by": "taskstack" },
    });
    // The distribution waits for the validated certificate, not just the certificate.
    expect(distribution.dependsOn).toContain(validation.urn);

    const bucketPolicy = p.get(T.bucketPolicy, "site-bucket-policy");
    expect(bucketPolicy.inputs["bucket"]).toBe(bucketName);
    expect(JSON.parse(String(bucketPolicy.inputs["policy"]))).toEqual({
      Version: "2012-10-17",
      Statement: [
        tlsOnly(bucketName),
        {
          Sid: "AllowCloudFrontReadThroughOac",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${bucketName}/*`,
          Condition: { StringEquals: { "AWS:SourceArn": distribution.outputs["arn"] } },
        },
      ],
    });
    expect(bucketPolicy.dependsOn).toContain(
      p.get(T.publicAccessBlock, "site-public-access-block").urn,
    );

    const target = String(distribution.outputs["domainName"]);
    for (const alias of [`www.${domain}`, domain]) {
      for (const type of ["A", "AAAA"]) {
        expect(
          p.get(T.record, `site-alias-${domainSlug(alias)}-${type.toLowerCase()}`).inputs,
        ).toEqual({
          zoneId,
          name: alias,
          type,
          aliases: [{ name: target, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
        });
      }
    }

    expect(p.outputs).toEqual({
      bucketName,
      distributionDomainName: target,
      certificateArn: certArn,
      validationRecords: [`www.${domain}`, domain].map((n) => ({
        name: acm(n)["resourceRecordName"],
        type: "CNAME",
        value: acm(n)["resourceRecordValue"],
      })),
      aliasRecords: [],
    });
  });
});

describe("HttpsStaticSite's us-east-1 provider", () => {
  it("takes the stack's aws: config, as the default provider would, credentials kept secret", async () => {
    const p = await plan(route53Site, {
      "aws:profile": "acme-prod",
      "aws:assumeRoles": [{ roleArn: "arn:aws:iam::123456789012:role/deployer" }],
      "aws:allowedAccountIds": ["123456789012"],
      "aws:defaultTags": { tags: { team: "web" } },
      "aws:accessKey": { secure: "v1:AAAA" },
      "aws:secretKey": { secure: "v1:BBBB" },
    });
    const provider = p.get(T.provider, "site-us-east-1");
    // Provider config reaches the engine JSON-encoded, as the SDK sends it.
    expect(provider.inputs).toEqual({
      region: "us-east-1",
      profile: "acme-prod",
      assumeRoles: '[{"roleArn":"arn:aws:iam::123456789012:role/deployer"}]',
      allowedAccountIds: '["123456789012"]',
      defaultTags: '{"tags":{"team":"web"}}',
      accessKey: new Secret("[secret aws:accessKey]"),
      secretKey: new Secret("[secret aws:secretKey]"),
      skipCredentialsValidation: "false",
      skipRegionValidation: "true",
    });
    expect(JSON.stringify(p)).not.toContain("[secret aws:secretKey]");
    expect(p.get(T.certificate, "site-certificate").provider).toBe(provider.urn);
  });

  it("uses the provider it is given as an option, makes none of its own, and keeps the others", async () => {
    let site: edge.HttpsStaticSite | undefined;
    let given: aws.Provider | undefined;
    const p = await runProgram(() => {
      given = new aws.Provider("deploy-account-us-east-1", {
        region: "us-east-1",
        assumeRoles: [{ roleArn: "arn:aws:iam::210987654321:role/site-deployer" }],
      });
      site = new edge.HttpsStaticSite("site", route53Site, {
        usEast1Provider: given,
        protect: true,
      });
    });
    expect(p.resourceCount(T.provider)).toBe(1);
    const provider = p.get(T.provider, "deploy-account-us-east-1");
    expect(provider.inputs).toMatchObject({
      region: "us-east-1",
      assumeRoles: '[{"roleArn":"arn:aws:iam::210987654321:role/site-deployer"}]',
    });
    // Through it: what must be in us-east-1; the rest (the distribution too) through the default.
    expect(p.get(T.certificate, "site-certificate").provider).toBe(provider.urn);
    expect(p.get(T.validation, "site-certificate-validation").provider).toBe(provider.urn);
    expect(p.get(T.distribution, "site-distribution").provider).toBeUndefined();
    expect(p.get(T.bucket, "site-bucket").provider).toBeUndefined();
    // The same children as with a provider of its own, less that provider.
    const children = (q: typeof p) =>
      q
        .children(q.get(edge.HttpsStaticSite, "site"))
        .map((r) => `${r.type} ${r.name}`)
        .filter((r) => r !== `${T.provider} site-us-east-1`)
        .sort();
    expect(children(p)).toEqual(children(await plan(route53Site)));
    // Pulumi's own options still reach the component.
    expect(p.get(edge.HttpsStaticSite, "site").protect).toBe(true);
    expect(site?.usEast1).toBe(given);
  });

  it("exposes the provider it made as usEast1", async () => {
    let site: edge.HttpsStaticSite | undefined;
    const p = await runProgram(() => {
      site = new edge.HttpsStaticSite("site", route53Site);
    });
    const made = site?.usEast1;
    expect(aws.Provider.isInstance(made)).toBe(true);
    const urn = await new Promise((resolve) => made?.urn.apply(resolve));
    expect(urn).toBe(p.get(T.provider, "site-us-east-1").urn);
  });

  it("refuses an option that is not an AWS provider", () => {
    expect(() =>
      edge.validateHttpsStaticSiteArgs("site", route53Site, {
        usEast1Provider: { region: "us-east-1" },
      }),
    ).toThrow(
      new TaskstackInputError([
        'HttpsStaticSite "site" opts.usEast1Provider: expected an aws.Provider, got {"region":"us-east-1"}',
      ]),
    );
  });

  it("refuses usEast1Provider among the args, naming the option, and declares nothing", async () => {
    const usEast1 = { region: "us-east-1" };
    const message =
      'HttpsStaticSite "site" usEast1Provider: expected it among the options, not the args (a provider is a resource option), got {"region":"us-east-1"} in the args. Pass it as the third argument: new HttpsStaticSite(name, args, { usEast1Provider })';
    expect(() =>
      edge.validateHttpsStaticSiteArgs("site", { ...route53Site, usEast1Provider: usEast1 }),
    ).toThrow(new TaskstackInputError([message]));
    const err = await runProgram(() => {
      const provider = new aws.Provider("deploy-account-us-east-1", { region: "us-east-1" });
      // As a JavaScript caller, or one holding an old args object, would still pass it.
      const args = { ...route53Site, usEast1Provider: provider } as edge.HttpsStaticSiteArgs;
      new edge.HttpsStaticSite("site", args);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskstackInputError);
    expect((err as TaskstackInputError).problems).toEqual([
      message.replace('{"region":"us-east-1"}', "an aws.Provider"),
    ]);
    expect(declaredBeforeFailure(err).map((r) => r.type)).toEqual([
      "pulumi:pulumi:Stack",
      T.provider,
    ]);
  });
});

describe("HttpsStaticSite custom (Cloud DNS, apex at the registrar, SPA, logs, WAF)", () => {
  const webAclArn =
    "arn:aws:wafv2:us-east-1:123456789012:global/webacl/storefront/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const args: edge.HttpsStaticSiteArgs = {
    domainName: domain,
    aliases: [`www.${domain}`, domain],
    dnsValidation: "cloud-dns",
    cloudDnsManagedZone: "acme-shop-example",
    cloudDnsProject: "acme-shop-prod",
    externalAliasRecords: [domain],
    minimumProtocolVersion: "TLSv1.2_2025",
    hstsMaxAgeSeconds: 31536000,
    hstsPreload: true,
    frameOption: "SAMEORIGIN",
    referrerPolicy: "no-referrer",
    defaultRootObject: "app.html",
    spaFallback: true,
    versioning: false,
    priceClass: "PriceClass_All",
    webAclArn,
    logBucket: {
      bucketDomainName: "acme-logs.s3.amazonaws.com",
      objectOwnership: "BucketOwnerPreferred",
    },
    logPrefix: "storefront/",
    tags: { team: "storefront" },
    protect: true,
  };

  it("declares Cloud DNS validation and www records, lists the apex for the registrar, and applies every setting", async () => {
    const p = await plan(args);
    expect(p.resourceCount(T.versioning)).toBe(0);
    expect(p.resourceCount(T.record)).toBe(0);
    expect(p.get(T.bucket, "site-bucket").protect).toBe(true);
    expect(p.get(T.bucket, "site-bucket").inputs["tags"]).toEqual({
      "managed-by": "taskstack",
      team: "storefront",
    });

    expect(p.findResources(T.recordSet).map((r) => r.name)).toEqual([
      "site-validation-www-acme-shop-example",
      "site-validation-acme-shop-example",
      "site-alias-www-acme-shop-example",
    ]);
    for (const name of [`www.${domain}`, domain]) {
      const o = acm(name);
      expect(p.get(T.recordSet, `site-validation-${domainSlug(name)}`).inputs).toEqual({
        project: "acme-shop-prod",
        managedZone: "acme-shop-example",
        name: o["resourceRecordName"],
        type: "CNAME",
        ttl: 300,
        rrdatas: [o["resourceRecordValue"]],
      });
    }
    const distribution = p.get(T.distribution, "site-distribution");
    const target = String(distribution.outputs["domainName"]);
    expect(p.get(T.recordSet, "site-alias-www-acme-shop-example").inputs).toEqual({
      project: "acme-shop-prod",
      managedZone: "acme-shop-example",
      name: `www.${domain}.`,
      type: "CNAME",
      ttl: 300,
      rrdatas: [absoluteName(target)],
    });
    expect(
      p.get(T.validation, "site-certificate-validation").inputs["validationRecordFqdns"],
    ).toEqual(
      [`www.${domain}`, domain].map((n) => acm(n)["resourceRecordName"]!.replace(/\.$/, "")),
    );

    expect(distribution.inputs).toMatchObject({
      defaultRootObject: "app.html",
      priceClass: "PriceClass_All",
      webAclId: webAclArn,
      loggingConfig: {
        bucket: "acme-logs.s3.amazonaws.com",
        prefix: "storefront/",
        includeCookies: false,
      },
      customErrorResponses: [403, 404].map((errorCode) => ({
        errorCode,
        responseCode: 200,
        responsePagePath: "/app.html",
        errorCachingMinTtl: 10,
      })),
    });
    expect(distribution.inputs["viewerCertificate"]).toEqual({
      acmCertificateArn: p.get(T.certificate, "site-certificate").outputs["arn"],
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2025",
    });
    expect(p.get(T.headers, "site-headers").inputs["securityHeadersConfig"]).toEqual({
      strictTransportSecurity: {
        accessControlMaxAgeSec: 31536000,
        includeSubdomains: true,
        preload: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: "SAMEORIGIN", override: true },
      referrerPolicy: { referrerPolicy: "no-referrer", override: true },
    });
    expect(p.outputs["aliasRecords"]).toEqual([{ name: domain, type: "ALIAS", value: target }]);
  });

  const externalSite: edge.HttpsStaticSiteArgs = {
    domainName: domain,
    aliases: [`shop.${domain}`],
    subjectAlternativeNames: [`*.${domain}`, domain],
    dnsValidation: "external",
  };
  const validationRecords = [`shop.${domain}`, domain].map((n) => ({
    name: acm(n)["resourceRecordName"],
    type: "CNAME",
    value: acm(n)["resourceRecordValue"],
  }));

  it("with external DNS, first declares the bucket and certificate and exports the records to enter", async () => {
    const p = await plan(externalSite);
    // ACM cannot issue before the records are entered, so nothing waits on it yet.
    expect(p.resourceCount(T.validation)).toBe(0);
    expect(p.resourceCount(T.distribution)).toBe(0);
    expect(p.resourceCount(T.headers)).toBe(0);
    // Plain HTTP is refused from the first `up`; CloudFront's read comes with the distribution.
    const bucketName = String(p.get(T.bucket, "site-bucket").outputs["bucket"]);
    expect(
      JSON.parse(String(p.get(T.bucketPolicy, "site-bucket-policy").inputs["policy"])),
    ).toEqual({ Version: "2012-10-17", Statement: [tlsOnly(bucketName)] });
    expect(p.resourceCount(T.record)).toBe(0);
    expect(p.resourceCount(T.recordSet)).toBe(0);
    expect(p.resourceCount(T.bucket)).toBe(1);
    expect(p.resourceCount(T.publicAccessBlock)).toBe(1);
    const certificate = p.get(T.certificate, "site-certificate");
    expect(p.outputs["validationRecords"]).toEqual(validationRecords);
    expect(p.outputs["certificateArn"]).toBe(certificate.outputs["arn"]);
    expect(p.outputs["aliasRecords"]).toEqual([]);
    expect(p.outputs["distributionDomainName"]).toBeNull();
  });

  it("with external DNS and the records published, waits for ACM and serves the site", async () => {
    const p = await plan({ ...externalSite, validationRecordsPublished: true });
    expect(p.resourceCount(T.record)).toBe(0);
    expect(p.resourceCount(T.recordSet)).toBe(0);
    expect(p.get(T.validation, "site-certificate-validation").inputs).toEqual({
      certificateArn: p.get(T.certificate, "site-certificate").outputs["arn"],
    });
    const distribution = p.get(T.distribution, "site-distribution");
    const target = String(distribution.outputs["domainName"]);
    expect(p.outputs["validationRecords"]).toEqual(validationRecords);
    expect(p.outputs["aliasRecords"]).toEqual([
      { name: `shop.${domain}`, type: "CNAME", value: target },
    ]);
    expect(p.outputs["distributionDomainName"]).toBe(target);
  });
});

describe("HttpsStaticSite serving options", () => {
  const fnArn = "arn:aws:cloudfront::123456789012:function/add-cache-tags";
  const args: edge.HttpsStaticSiteArgs = {
    ...route53Site,
    directoryIndex: true,
    canonicalHost: domain,
    functionAssociations: [{ eventType: "viewer-response", functionArn: fnArn }],
    hstsIncludeSubdomains: true,
    contentSecurityPolicy: "default-src 'self'; img-src 'self' data:",
    customHeaders: { "Permissions-Policy": "camera=()", "X-Robots-Tag": "noindex" },
    htmlCacheSeconds: 300,
    notFoundPage: "404.html",
    noncurrentVersionExpirationDays: 90,
  };

  it("declares the site's function on every behavior beside the caller's, headers, 404 page, TTLs and expiry", async () => {
    const p = await plan(args);
    const fn = p.get(T.function, "site-viewer-request");
    expect(fn.inputs).toEqual({
      runtime: "cloudfront-js-2.0",
      comment: `taskstack site: redirect to ${domain}, directory index`,
      code: edge.viewerRequestFunctionCode({ canonicalHost: domain, indexDocument: "index.html" }),
      publish: true,
    });
    expect(fn.outputs["arn"]).toMatch(
      new RegExp(
        `^arn:aws:cloudfront::${awsAccountId(stack)}:function/site-viewer-request-[0-9a-f]{7}$`,
      ),
    );
    const distribution = p.get(T.distribution, "site-distribution");
    const associations = [
      { eventType: "viewer-request", functionArn: fn.outputs["arn"] },
      { eventType: "viewer-response", functionArn: fnArn },
    ];
    const behaviors = [
      distribution.inputs["defaultCacheBehavior"],
      ...(distribution.inputs["orderedCacheBehaviors"] as unknown[]),
    ] as Record<string, unknown>[];
    expect(behaviors.map((b) => b["functionAssociations"])).toEqual([associations, associations]);
    expect(distribution.inputs["customErrorResponses"]).toEqual(
      [403, 404].map((errorCode) => ({
        errorCode,
        responseCode: 404,
        responsePagePath: "/404.html",
        errorCachingMinTtl: 10,
      })),
    );
    expect(p.get(T.headers, "site-headers").inputs).toMatchObject({
      securityHeadersConfig: {
        strictTransportSecurity: { includeSubdomains: true, preload: false },
        contentSecurityPolicy: {
          contentSecurityPolicy: "default-src 'self'; img-src 'self' data:",
          override: true,
        },
      },
      customHeadersConfig: {
        items: [
          { header: "Permissions-Policy", value: "camera=()", override: true },
          { header: "X-Robots-Tag", value: "noindex", override: true },
        ],
      },
    });
    expect(p.get(T.cachePolicy, "site-cache").inputs).toMatchObject({
      defaultTtl: 300,
      maxTtl: 31536000,
    });
    expect(p.get(T.cachePolicy, "site-html-cache").inputs).toMatchObject({
      defaultTtl: 300,
      maxTtl: 300,
    });
    expect(p.get(T.lifecycle, "site-lifecycle").inputs["rules"]).toMatchObject([
      { noncurrentVersionExpiration: { noncurrentDays: 90 } },
    ]);
  });

  it.each([
    { aliases: [`www.${domain}`], preload: undefined, includeSubdomains: true },
    { aliases: [`www.${domain}`, domain], preload: undefined, includeSubdomains: false },
    { aliases: [`www.${domain}`, domain], preload: true, includeSubdomains: true },
  ])(
    "HSTS includeSubDomains defaults to $includeSubdomains for aliases $aliases (preload $preload)",
    async ({ aliases, preload, includeSubdomains }) => {
      const p = await plan({ ...route53Site, aliases, hstsPreload: preload });
      expect(p.get(T.headers, "site-headers").inputs["securityHeadersConfig"]).toMatchObject({
        strictTransportSecurity: { includeSubdomains },
      });
    },
  );

  it("delivers standard logs v2 from us-east-1 to the destination given", async () => {
    const destinationArn = "arn:aws:s3:::acme-cdn-logs";
    const p = await plan({ ...route53Site, standardLogging: { destinationArn } });
    const provider = p.get(T.provider, "site-us-east-1");
    const distribution = p.get(T.distribution, "site-distribution");
    const source = p.get("aws:cloudwatch/logDeliverySource:LogDeliverySource", "site-log-source");
    expect(source.provider).toBe(provider.urn);
    expect(source.inputs).toEqual({
      logType: "ACCESS_LOGS",
      resourceArn: distribution.outputs["arn"],
      tags: { "managed-by": "taskstack" },
    });
    const destination = p.get(
      "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
      "site-log-destination",
    );
    expect(destination.provider).toBe(provider.urn);
    expect(destination.inputs).toEqual({
      outputFormat: "json",
      deliveryDestinationConfiguration: { destinationResourceArn: destinationArn },
      tags: { "managed-by": "taskstack" },
    });
    const delivery = p.get("aws:cloudwatch/logDelivery:LogDelivery", "site-log-delivery");
    expect(delivery.provider).toBe(provider.urn);
    expect(delivery.inputs).toEqual({
      deliverySourceName: source.outputs["name"],
      deliveryDestinationArn: destination.outputs["arn"],
      tags: { "managed-by": "taskstack" },
    });
    expect(String(source.outputs["name"])).toMatch(/^site-log-source-[0-9a-f]{7}$/);
    // The access-logging policy counts a v2 delivery as logs.
    const report = await runPolicies(p, { stack: "prod", environment: "prod" });
    expect(
      report.violations.filter(
        (v) => v.policyName === "aws-cloudfront-distribution-enable-access-logging",
      ),
    ).toEqual([]);
  });

  it("without versioning, has nothing to expire", async () => {
    const p = await plan({ ...route53Site, versioning: false });
    expect(p.resourceCount(T.versioning)).toBe(0);
    expect(p.resourceCount(T.lifecycle)).toBe(0);
  });
});

const valid = route53Site;
const ownershipMessage = (got: string) =>
  `HttpsStaticSite "site" logBucket.objectOwnership: expected BucketOwnerPreferred or ObjectWriter: CloudFront writes standard logs with an ACL, so the log bucket's ownership controls must allow ACLs, got ${got}. Give the log bucket an aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerPreferred and say so here`;

describe("HttpsStaticSite bad input", () => {
  it.each([
    {
      title: "validationRecordsPublished without external DNS",
      args: { ...valid, validationRecordsPublished: true },
      problems: [
        'HttpsStaticSite "site" validationRecordsPublished: expected nothing unless dnsValidation is external (route53 and cloud-dns publish the records themselves), got true',
      ],
    },
    {
      title: "an invalid domain name",
      args: { ...valid, domainName: "Acme_Shop..example" },
      problems: [
        'HttpsStaticSite "site" domainName: expected a lowercase DNS host name such as "www.example.com" (no wildcard, no trailing dot), got "Acme_Shop..example"',
      ],
    },
    {
      title: "an apex alias with Cloud DNS",
      args: {
        domainName: domain,
        aliases: [`www.${domain}`, domain],
        dnsValidation: "cloud-dns",
        cloudDnsManagedZone: "acme-shop-example",
      },
      problems: [
        'HttpsStaticSite "site" aliases[1]: expected a name below acme-shop.example with cloud-dns: a CNAME cannot sit at the zone apex and Cloud DNS has no alias record for CloudFront, got "acme-shop.example". List it in externalAliasRecords and point it at the distribution at your registrar (ALIAS/ANAME), or use route53',
      ],
    },
    {
      title: "TLS below 1.2",
      args: { ...valid, minimumProtocolVersion: "TLSv1.1_2016" },
      problems: [
        'HttpsStaticSite "site" minimumProtocolVersion: expected a CloudFront security policy of TLSv1.2_2021 or newer (TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025); older ones allow TLS below 1.2 or weak ciphers, got "TLSv1.1_2016"',
      ],
    },
    {
      title: "a wildcard outside the domain",
      args: { ...valid, subjectAlternativeNames: ["*.other.example"] },
      problems: [
        `HttpsStaticSite "site" subjectAlternativeNames[0]: expected acme-shop.example, a name below it, or a wildcard below it (the validation records live in acme-shop.example's zone), got "*.other.example"`,
      ],
    },
    {
      title: "a logging bucket without ownership controls",
      args: { ...valid, logBucket: { bucketDomainName: "acme-logs.s3.amazonaws.com" } },
      problems: [ownershipMessage("nothing")],
    },
    {
      title: "a logging bucket whose ownership disables ACLs",
      args: {
        ...valid,
        logBucket: {
          bucketDomainName: "acme-logs.s3.amazonaws.com",
          objectOwnership: "BucketOwnerEnforced",
        },
      },
      problems: [ownershipMessage('"BucketOwnerEnforced"')],
    },
    {
      title: "an alias outside the domain, listed twice",
      args: { ...valid, aliases: ["www.other.example", "www.other.example"] },
      problems: [
        'HttpsStaticSite "site" aliases[0]: expected acme-shop.example or a name below it, got "www.other.example"',
        'HttpsStaticSite "site" aliases[1]: expected host names listed once, got "www.other.example"',
      ],
    },
    {
      title: "two aliases whose record names collide",
      args: { ...valid, aliases: [`shop-eu.${domain}`, `shop.eu.${domain}`] },
      problems: [
        'HttpsStaticSite "site" aliases[1]: expected names whose resource names differ: "shop.eu.acme-shop.example" and "shop-eu.acme-shop.example" both make the validation record "<site>-validation-shop-eu-acme-shop-example", got "shop.eu.acme-shop.example". Drop one of them, or serve one from another site',
        'HttpsStaticSite "site" aliases[1]: expected names whose resource names differ: "shop.eu.acme-shop.example" and "shop-eu.acme-shop.example" both make the alias record "<site>-alias-shop-eu-acme-shop-example", got "shop.eu.acme-shop.example". Drop one of them, or serve one from another site',
      ],
    },
    {
      title: "a first alias longer than a certificate's common name",
      args: { ...valid, aliases: [`${"a".repeat(50)}.${domain}`] },
      problems: [
        `HttpsStaticSite "site" aliases[0]: expected a first alias of at most 64 characters: it becomes the certificate's common name, which ACM caps at 64 (RFC 5280), got "${"a".repeat(50)}.acme-shop.example". List a shorter alias first; later names may be up to 253 characters`,
      ],
    },
    {
      title: "more names than ACM's default quota",
      args: {
        ...valid,
        aliases: Array.from({ length: 10 }, (_, i) => `s${i}.${domain}`),
        subjectAlternativeNames: [`*.${domain}`],
      },
      problems: [
        "HttpsStaticSite \"site\" subjectAlternativeNames: expected at most 10 distinct certificate names, aliases and subjectAlternativeNames together (ACM's quota per certificate is 10 by default), got 11. Use a wildcard name, split the site, or set certificateNameQuota once your account's ACM quota is raised",
      ],
    },
    {
      title: "a canonical host that is no alias",
      args: { ...valid, canonicalHost: `shop.${domain}` },
      problems: [
        'HttpsStaticSite "site" canonicalHost: expected one of the aliases, got "shop.acme-shop.example"',
      ],
    },
    {
      title: "preload without includeSubDomains",
      args: { ...valid, hstsPreload: true, hstsIncludeSubdomains: false },
      problems: [
        'HttpsStaticSite "site" hstsIncludeSubdomains: expected true (or unset) with hstsPreload: browsers\' preload list takes only includeSubDomains (hstspreload.org), got false',
      ],
    },
    {
      title: "a 404 page with SPA fallback",
      args: { ...valid, spaFallback: true, notFoundPage: "404.html" },
      problems: [
        'HttpsStaticSite "site" notFoundPage: expected nothing with spaFallback (every missing path is then answered by the root object), got "404.html"',
      ],
    },
    {
      title: "a security header as a custom header",
      args: { ...valid, customHeaders: { "Strict-Transport-Security": "max-age=1" } },
      problems: [
        'HttpsStaticSite "site" customHeaders.Strict-Transport-Security: expected a header the security settings do not set: CloudFront refuses a security header as a custom one, got "Strict-Transport-Security". Use the site\'s own setting for it (hsts…, frameOption, referrerPolicy)',
      ],
    },
    {
      title: "a viewer-request function beside the built-in one",
      args: {
        ...valid,
        directoryIndex: true,
        functionAssociations: [
          {
            eventType: "viewer-request",
            functionArn: "arn:aws:cloudfront::123456789012:function/rewrite",
          },
        ],
      },
      problems: [
        'HttpsStaticSite "site" functionAssociations[0].eventType: expected viewer-response while directoryIndex or canonicalHost is set: those are the site\'s own viewer-request function, and CloudFront runs one per event, got "viewer-request". Put the directory index or the redirect in your function, and unset them here',
      ],
    },
    {
      title: "standard logging to something that is no log destination",
      args: {
        ...valid,
        standardLogging: { destinationArn: "arn:aws:sqs:us-east-1:123456789012:logs" },
      },
      problems: [
        'HttpsStaticSite "site" standardLogging.destinationArn: expected the ARN of an S3 bucket, a CloudWatch Logs log group or a Firehose stream, got "arn:aws:sqs:us-east-1:123456789012:logs"',
      ],
    },
    {
      title: "a zone for the wrong mode",
      args: {
        domainName: domain,
        aliases: [`www.${domain}`],
        dnsValidation: "route53",
        cloudDnsManagedZone: "x",
      },
      problems: [
        'HttpsStaticSite "site" route53ZoneId: expected the hosted zone id of the domain with dnsValidation route53, got nothing',
        'HttpsStaticSite "site" cloudDnsManagedZone: expected nothing with dnsValidation route53 (only cloud-dns uses it), got "x"',
      ],
    },
  ])(
    "refuses $title with one clear error per problem, declaring nothing",
    async ({ args, problems }) => {
      const run = runProgram(() => {
        new edge.HttpsStaticSite("site", args as edge.HttpsStaticSiteArgs);
      });
      const err = await run.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TaskstackInputError);
      expect((err as TaskstackInputError).problems).toEqual(problems);
      expect(declaredBeforeFailure(err).map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    },
  );

  it("refuses a site name too long for its origin access control and function", () => {
    const name = "n".repeat(50);
    expect(() =>
      edge.validateHttpsStaticSiteArgs(name, { ...valid, directoryIndex: true }),
    ).toThrow(
      new TaskstackInputError([
        `HttpsStaticSite "${name}" name: expected at most 41 characters: the CloudFront Function is named "<name>-viewer-request-<7 random characters>" and AWS takes at most 64, got "${name}" (50). Give the site a shorter name`,
      ]),
    );
    expect(() => edge.validateHttpsStaticSiteArgs("n".repeat(52), valid)).not.toThrow();
    expect(() => edge.validateHttpsStaticSiteArgs("n".repeat(53), valid)).toThrow(
      /name: expected at most 52 characters: the origin access control is named/,
    );
  });

  it("only ever fails with a TaskstackInputError, accepting and refusing", () => {
    const outcomes: Outcomes = { accepted: 0, rejected: 0 };
    const name = fc.oneof(
      fc.constantFrom(domain, `www.${domain}`, `*.${domain}`, "other.example", "*.other.example"),
      fc.domain(),
      fc.string(),
    );
    assertExercised(outcomes, { accepted: 10, rejected: 10 }, (params) => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything(),
            // A valid site with a few settings landing in and out of range.
            fc
              .record(
                {
                  aliases: fc.subarray([
                    `www.${domain}`,
                    domain,
                    `shop.${domain}`,
                    "other.example",
                  ]),
                  minimumProtocolVersion: fc.constantFrom(
                    "TLSv1.2_2019",
                    "TLSv1.2_2021",
                    "TLSv1.3_2025",
                  ),
                  hstsMaxAgeSeconds: fc.integer({ min: 30_000_000, max: 70_000_000 }),
                },
                { requiredKeys: [] },
              )
              .map((changed) => ({ ...valid, ...changed })),
            fc.record(
              {
                domainName: fc.oneof(fc.constant(domain), name),
                aliases: fc.array(name, { maxLength: 3 }),
                subjectAlternativeNames: fc.array(name, { maxLength: 2 }),
                dnsValidation: fc.constantFrom("route53", "cloud-dns", "external", "dns"),
                route53ZoneId: fc.constantFrom(zoneId, "zone"),
                cloudDnsManagedZone: fc.constantFrom("acme-shop-example", "Bad Zone"),
                externalAliasRecords: fc.array(name, { maxLength: 2 }),
                minimumProtocolVersion: fc.constantFrom(
                  "TLSv1",
                  "TLSv1.2_2019",
                  "TLSv1.2_2021",
                  "TLSv1.3_2025",
                  "x",
                ),
                hstsMaxAgeSeconds: fc.integer({ min: 0, max: 70_000_000 }),
                logBucket: fc.record(
                  {
                    bucketDomainName: fc.constantFrom("acme-logs.s3.amazonaws.com", "logs"),
                    objectOwnership: fc.constantFrom(
                      "BucketOwnerPreferred",
                      "ObjectWriter",
                      "BucketOwnerEnforced",
                    ),
                  },
                  { requiredKeys: ["bucketDomainName"] },
                ),
                logPrefix: fc.constantFrom("cloudfront/", "bad prefix"),
                tags: fc.dictionary(fc.string(), fc.anything()),
              },
              { requiredKeys: [] },
            ),
          ),
          fc.oneof(fc.constant("site"), fc.anything()),
          (args, n) =>
            failsOnlyWithInputErrors(() => edge.validateHttpsStaticSiteArgs(n, args), outcomes),
        ),
        { numRuns: 1500, ...params },
      );
    });
  });
});

describe("edge helpers", () => {
  it.each([
    [["a.example", "*.a.example"], ["a.example"]],
    [
      ["www.a.example", "a.example", "*.a.example"],
      ["www.a.example", "a.example"],
    ],
    [["*.a.example"], ["a.example"]],
    [["x.a.example", "x.a.example"], ["x.a.example"]],
  ])("distinctValidationNames(%j) = %j", (names, expected) => {
    expect(edge.distinctValidationNames(names)).toEqual(expected);
  });

  it.each([
    ["a.example", "a.example", true],
    ["www.a.example", "a.example", true],
    ["*.a.example", "a.example", true],
    ["*.b.a.example", "a.example", true],
    ["ba.example", "a.example", false],
    ["*.other.example", "a.example", false],
    ["a.example", "www.a.example", false],
  ])("isWithinDomain(%s, %s) is %s", (name, d, expected) => {
    expect(edge.isWithinDomain(name, d)).toBe(expected);
  });

  it.each([
    ["TLSv1.2_2021", true],
    ["TLSv1.2_2025", true],
    ["TLSv1.3_2025", true],
    ["TLSv1.2_2019", false],
    ["TLSv1.2_2018", false],
    ["TLSv1", false],
    ["TLSv1.2", false],
    [undefined, false],
  ])("meetsSecurityPolicy(%s) is %s (by order, not equality)", (v, expected) => {
    expect(edge.meetsSecurityPolicy(v)).toBe(expected);
  });

  it("orders every CloudFront security policy oldest first", () => {
    expect(edge.cloudFrontSecurityPolicies.map(securityPolicyRank)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it("synthesizes ACM validation options like DescribeCertificate: one per name, an apex and its wildcard sharing a record", () => {
    const options = acmValidationOptions(stack, [domain, `*.${domain}`, `www.${domain}`]);
    expect(options.map((o) => o["domainName"])).toEqual([domain, `*.${domain}`, `www.${domain}`]);
    expect(options[0]!["resourceRecordName"]).toBe(options[1]!["resourceRecordName"]);
    expect(options[0]!["resourceRecordValue"]).toBe(options[1]!["resourceRecordValue"]);
    expect(options[2]!["resourceRecordName"]).not.toBe(options[0]!["resourceRecordName"]);
    expect(options[0]!["resourceRecordName"]).toMatch(/^_[0-9a-f]{32}\.acme-shop\.example\.$/);
    expect(options[0]!["resourceRecordValue"]).toMatch(
      /^_[0-9a-f]{32}\.[0-9a-f]{10}\.acm-validations\.aws\.$/,
    );
    expect(acmValidationOptions(stack, [domain])).toEqual([options[0]]);
  });
});
