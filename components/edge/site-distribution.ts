import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../shared/naming";
import { absoluteName, cachingOptimizedPolicyId, domainSlug } from "../../lib/domains";
import type { HttpsStaticSiteArgs, SiteDnsRecord } from "./https-static-site";
import type { siteDefaults } from "./https-static-site-schema";

/** The settings a site has a default for, resolved. */
export type ResolvedSiteSettings = {
  readonly [K in keyof typeof siteDefaults]-?: NonNullable<HttpsStaticSiteArgs[K]>;
};

/** What the distribution is built on: the site's bucket, OAC and issued certificate. */
export interface DistributionInputs {
  readonly bucket: aws.s3.Bucket;
  readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  readonly originAccessControlId: pulumi.Input<string>;
  /** The certificate's ARN once ACM has issued it (from the CertificateValidation). */
  readonly certificateArn: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The distribution half of an HttpsStaticSite, as children of `site`: the security headers policy,
 * the distribution, the bucket policy that lets only this distribution read (through OAC), and the
 * aliases' DNS records. Returns the distribution and the alias records kept outside the zone.
 */
export function declareDistribution(
  site: pulumi.ComponentResource,
  name: string,
  args: HttpsStaticSiteArgs,
  d: ResolvedSiteSettings,
  inputs: DistributionInputs,
): { distribution: aws.cloudfront.Distribution; aliasRecords: pulumi.Output<SiteDnsRecord[]> } {
  const parent = { parent: site };
  const headers = new aws.cloudfront.ResponseHeadersPolicy(
    childName(name, "headers"),
    {
      comment: `taskstack ${name}: HSTS and browser security headers`,
      securityHeadersConfig: {
        strictTransportSecurity: {
          accessControlMaxAgeSec: d.hstsMaxAgeSeconds,
          includeSubdomains: true,
          preload: d.hstsPreload,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: d.frameOption, override: true },
        referrerPolicy: { referrerPolicy: d.referrerPolicy, override: true },
      },
    },
    parent,
  );

  const originId = "s3";
  const rootPath = `/${d.defaultRootObject}`;
  const distribution = new aws.cloudfront.Distribution(
    childName(name, "distribution"),
    {
      enabled: true,
      comment: `taskstack ${name}`,
      aliases: [...args.aliases],
      defaultRootObject: d.defaultRootObject,
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: d.priceClass,
      origins: [
        {
          originId,
          domainName: inputs.bucket.bucketRegionalDomainName,
          originAccessControlId: inputs.originAccessControlId,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: cachingOptimizedPolicyId,
        responseHeadersPolicyId: headers.id,
      },
      // Without s3:ListBucket a missing key answers 403, so both codes fall back.
      customErrorResponses: d.spaFallback
        ? [403, 404].map((errorCode) => ({
            errorCode,
            responseCode: 200,
            responsePagePath: rootPath,
            errorCachingMinTtl: 10,
          }))
        : undefined,
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: {
        acmCertificateArn: inputs.certificateArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: d.minimumProtocolVersion,
      },
      loggingConfig: args.logBucket
        ? { bucket: args.logBucket.bucketDomainName, prefix: d.logPrefix, includeCookies: false }
        : undefined,
      webAclId: args.webAclArn,
      tags: inputs.tags,
    },
    parent,
  );

  new aws.s3.BucketPolicy(
    childName(name, "bucket-policy"),
    {
      bucket: inputs.bucket.id,
      policy: oacBucketPolicy(inputs.bucket.arn, distribution.arn),
    },
    // A policy put while the public access block is still being written can be refused.
    { parent: site, dependsOn: [inputs.publicAccessBlock] },
  );

  const external = new Set(
    args.dnsValidation === "external" ? args.aliases : (args.externalAliasRecords ?? []),
  );
  for (const alias of args.aliases) {
    if (external.has(alias)) continue;
    if (args.dnsValidation === "route53") {
      for (const type of ["A", "AAAA"]) {
        new aws.route53.Record(
          childName(name, "alias", domainSlug(alias), type.toLowerCase()),
          {
            zoneId: args.route53ZoneId as string,
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
          parent,
        );
      }
    } else {
      new gcp.dns.RecordSet(
        childName(name, "alias", domainSlug(alias)),
        {
          project: args.cloudDnsProject,
          managedZone: args.cloudDnsManagedZone as string,
          name: absoluteName(alias),
          type: "CNAME",
          ttl: 300,
          rrdatas: [distribution.domainName.apply(absoluteName)],
        },
        parent,
      );
    }
  }
  const aliasRecords = distribution.domainName.apply((target) =>
    args.aliases
      .filter((alias) => external.has(alias))
      .map((alias) => ({
        name: alias,
        // A registrar's apex takes an ALIAS/ANAME (or CNAME flattening), never a plain CNAME.
        type: alias === args.domainName ? "ALIAS" : "CNAME",
        value: target,
      })),
  );
  return { distribution, aliasRecords };
}

/** The one statement of the bucket policy: this distribution, through OAC, may read objects. */
export function oacBucketPolicy(
  bucketArn: pulumi.Input<string>,
  distributionArn: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowCloudFrontReadThroughOac",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: pulumi.interpolate`${bucketArn}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
      },
    ],
  });
}
