// The edge variants `npm run bench` compares: N static sites through edge.HttpsStaticSite, and the
// very same provider resources written by hand. test/bench/edge.test.ts keeps them doing the same work.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { edge } from "../components";
import type { Plan } from "../testing/assertions";
import { runProgram } from "../testing/engine";
import { collectGarbage, formatTable, median, timed } from "./measure";
import { assertSameWork } from "./pubsub";

export type EdgeVariant = "raw" | "component";

const zoneId = "Z0123456789ABCDEFGHIJ";
const domainOf = (i: number): string => `site-${i}.example`;

/** N sites through the component: apex, www and a wildcard, Route 53, defaults. */
function componentProgram(n: number): () => void {
  return () => {
    for (let i = 0; i < n; i++) {
      const domain = domainOf(i);
      new edge.HttpsStaticSite(`site-${i}`, {
        domainName: domain,
        aliases: [`www.${domain}`, domain],
        subjectAlternativeNames: [`*.${domain}`],
        dnsValidation: "route53",
        route53ZoneId: zoneId,
      });
    }
  };
}

/** The same resources, names and inputs as HttpsStaticSite declares for those args, by hand. */
function rawProgram(n: number): () => void {
  return () => {
    for (let i = 0; i < n; i++) {
      const name = `site-${i}`;
      const domain = domainOf(i);
      const tags = { "managed-by": "taskstack" };
      const usEast1 = new aws.Provider(`${name}-us-east-1`, { region: "us-east-1" });
      const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false, tags });
      const pab = new aws.s3.BucketPublicAccessBlock(`${name}-public-access-block`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
      });
      new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
            bucketKeyEnabled: true,
          },
        ],
      });
      const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
      });
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
          bucket: bucket.id,
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
        },
        { dependsOn: [versioning] },
      );
      const oac = new aws.cloudfront.OriginAccessControl(`${name}-oac`, {
        description: `taskstack ${name}: CloudFront reads the bucket, signed with SigV4`,
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      });
      const cert = new aws.acm.Certificate(
        `${name}-certificate`,
        {
          domainName: `www.${domain}`,
          subjectAlternativeNames: [domain, `*.${domain}`],
          validationMethod: "DNS",
          keyAlgorithm: "RSA_2048",
          tags,
        },
        { provider: usEast1 },
      );
      const fqdns = [`www.${domain}`, domain].map((base) => {
        const o = cert.domainValidationOptions.apply((opts) =>
          opts.find((x) => x.domainName.replace(/^\*\./, "") === base)!,
        );
        return new aws.route53.Record(
          `${name}-validation-${base.replace(/\./g, "-")}`,
          {
            zoneId,
            name: o.resourceRecordName,
            type: o.resourceRecordType,
            records: [o.resourceRecordValue],
            ttl: 300,
            allowOverwrite: true,
          },
          { retainOnDelete: true },
        ).fqdn;
      });
      const validation = new aws.acm.CertificateValidation(
        `${name}-certificate-validation`,
        { certificateArn: cert.arn, validationRecordFqdns: fqdns },
        { provider: usEast1 },
      );
      const headers = new aws.cloudfront.ResponseHeadersPolicy(`${name}-headers`, {
        comment: `taskstack ${name}: HSTS and browser security headers`,
        securityHeadersConfig: {
          strictTransportSecurity: {
            accessControlMaxAgeSec: 63072000,
            includeSubdomains: false,
            preload: false,
            override: true,
          },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: "DENY", override: true },
          referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        },
      });
      const cachePolicy = (role: string, comment: string, maxTtl: number) =>
        new aws.cloudfront.CachePolicy(`${name}-${role}`, {
          comment: `taskstack ${name}: ${comment}`,
          minTtl: 0,
          defaultTtl: 60,
          maxTtl,
          parametersInCacheKeyAndForwardedToOrigin: {
            cookiesConfig: { cookieBehavior: "none" },
            headersConfig: { headerBehavior: "none" },
            queryStringsConfig: { queryStringBehavior: "none" },
            enableAcceptEncodingGzip: true,
            enableAcceptEncodingBrotli: true,
          },
        });
      const cache = cachePolicy(
        "cache",
        "objects without Cache-Control 60 s, others as they say up to a year",
        31536000,
      );
      const htmlCache = cachePolicy("html-cache", "HTML at most 60 s", 60);
      const behavior = {
        targetOriginId: "s3",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        responseHeadersPolicyId: headers.id,
      };
      const distribution = new aws.cloudfront.Distribution(`${name}-distribution`, {
        enabled: true,
        comment: `taskstack ${name}`,
        aliases: [`www.${domain}`, domain],
        defaultRootObject: "index.html",
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        priceClass: "PriceClass_100",
        origins: [
          {
            originId: "s3",
            domainName: bucket.bucketRegionalDomainName,
            originAccessControlId: oac.id,
          },
        ],
        defaultCacheBehavior: { ...behavior, cachePolicyId: cache.id },
        orderedCacheBehaviors: [
          { ...behavior, pathPattern: "*.html", cachePolicyId: htmlCache.id },
        ],
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: {
          acmCertificateArn: validation.certificateArn,
          sslSupportMethod: "sni-only",
          minimumProtocolVersion: "TLSv1.2_2021",
        },
        tags,
      });
      new aws.s3.BucketPolicy(
        `${name}-bucket-policy`,
        {
          bucket: bucket.id,
          policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
              {
                Sid: "AllowCloudFrontReadThroughOac",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: pulumi.interpolate`${bucket.arn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": distribution.arn } },
              },
            ],
          }),
        },
        { dependsOn: [pab] },
      );
      for (const alias of [`www.${domain}`, domain]) {
        for (const type of ["A", "AAAA"]) {
          new aws.route53.Record(
            `${name}-alias-${alias.replace(/\./g, "-")}-${type.toLowerCase()}`,
            {
              zoneId,
              name: alias,
              type,
              aliases: [
                {
                  name: distribution.domainName,
                  zoneId: distribution.hostedZoneId,
                  evaluateTargetHealth: false,
                },
              ],
            },
          );
        }
      }
    }
  };
}

export const edgePrograms: Record<EdgeVariant, (n: number) => () => void> = {
  raw: rawProgram,
  component: componentProgram,
};

/** Throws unless both variants declared the same provider resources; returns how many. */
export function assertSameEdgeWork(n: number, raw: Plan, component: Plan): number {
  return assertSameWork(n, raw, component, "HttpsStaticSite");
}

async function run(variant: EdgeVariant, n: number): Promise<{ ms: number; plan: Plan }> {
  collectGarbage();
  const { ms, value } = await timed(() =>
    runProgram(edgePrograms[variant](n), { project: "bench" }),
  );
  return { ms, plan: value };
}

/** Measures both variants (rounds alternate which goes first) and prints one table. */
export async function benchEdge(quick: boolean): Promise<void> {
  const sizes: readonly (readonly [number, number])[] = quick
    ? [[5, 1]]
    : [
        [10, 3],
        [100, 2],
      ];
  await run("component", 2);
  const rows: string[][] = [];
  for (const [n, rounds] of sizes) {
    const raw = await run("raw", n);
    const component = await run("component", n);
    const resources = assertSameEdgeWork(n, raw.plan, component.plan);
    const samples: Record<EdgeVariant, number[]> = { raw: [raw.ms], component: [component.ms] };
    for (let round = 1; round < rounds; round++) {
      const order: EdgeVariant[] = round % 2 === 0 ? ["raw", "component"] : ["component", "raw"];
      for (const variant of order) samples[variant].push((await run(variant, n)).ms);
    }
    const [r, c] = [median(samples.raw), median(samples.component)];
    rows.push([String(n), String(resources), r.toFixed(0), c.toFixed(0), (c / r).toFixed(2)]);
    process.stderr.write(`measured edge N=${n} (${rounds} round${rounds === 1 ? "" : "s"})\n`);
  }
  console.log(
    "\nHttpsStaticSite vs raw @pulumi/aws (apex, www and wildcard on Route 53), median wall time\n",
  );
  console.log(formatTable(["N", "resources", "raw ms", "HttpsStaticSite ms", "ratio"], rows));
}
