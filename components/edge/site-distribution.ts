import * as aws from "@pulumi/aws";
import { cloudDns } from "./cloud-dns";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../shared/naming";
import { providerComputed } from "../shared/resolved";
import { absoluteName, domainSlug } from "../../lib/domains";
import type {
  HttpsStaticSiteArgs,
  ResolvedSiteSettings,
  SiteDnsRecord,
} from "./https-static-site-schema";
import {
  cloudFrontFunctionRuntime,
  needsViewerRequestFunction,
  viewerRequestFunctionCode,
} from "./viewer-request-function";

export type { ResolvedSiteSettings } from "./https-static-site-schema";

/** What the distribution is built on: the site's bucket, OAC and issued certificate. */
export interface DistributionInputs {
  readonly bucket: aws.s3.Bucket;
  readonly originAccessControlId: pulumi.Input<string>;
  /** The certificate's ARN once ACM has issued it (from the CertificateValidation). */
  readonly certificateArn: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/** A year in seconds: the longest an object keeps in CloudFront when its upload says so. */
const oneYearSeconds = 31_536_000;

/**
 * The distribution half of an HttpsStaticSite, as children of `site`: the response headers
 * policy, the cache policies, the site's viewer-request function (when asked for), the
 * distribution, and the aliases' DNS records. Returns the distribution and the alias records kept
 * outside the zone.
 */
export function declareDistribution(
  site: pulumi.ComponentResource,
  name: string,
  args: HttpsStaticSiteArgs,
  d: ResolvedSiteSettings,
  inputs: DistributionInputs,
): { distribution: aws.cloudfront.Distribution; aliasRecords: pulumi.Output<SiteDnsRecord[]> } {
  const parent = { parent: site };
  const customHeaders = Object.entries(args.customHeaders ?? {});
  const headers = new aws.cloudfront.ResponseHeadersPolicy(
    childName(name, "headers"),
    {
      comment: `taskstack ${name}: HSTS and browser security headers`,
      securityHeadersConfig: {
        strictTransportSecurity: {
          accessControlMaxAgeSec: d.hstsMaxAgeSeconds,
          includeSubdomains: d.hstsIncludeSubdomains,
          preload: d.hstsPreload,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: d.frameOption, override: true },
        referrerPolicy: { referrerPolicy: d.referrerPolicy, override: true },
        ...(args.contentSecurityPolicy !== undefined
          ? {
              contentSecurityPolicy: {
                contentSecurityPolicy: args.contentSecurityPolicy,
                override: true,
              },
            }
          : {}),
      },
      ...(customHeaders.length > 0
        ? {
            customHeadersConfig: {
              items: customHeaders.map(([header, value]) => ({ header, value, override: true })),
            },
          }
        : {}),
    },
    parent,
  );

  // CloudFront keeps an object for the cache policy's default TTL unless its Cache-Control says
  // otherwise (within min and max): https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html.
  // The managed CachingOptimized policy defaults to 24 h, so after a deploy the old index.html
  // (pointing at deleted hashed assets) was served for a day. Here anything uploaded without
  // Cache-Control lives `htmlCacheSeconds` (cloudposse cloudfront-s3-cdn: 60 s; aws-static-website:
  // 10 min) and assets that say `max-age=31536000, immutable` live a year; `*.html` is capped at
  // `htmlCacheSeconds` whatever the upload says. No cookies, headers or query strings in the key,
  // gzip and brotli, as CachingOptimized.
  const cachePolicy = (role: string, comment: string, maxTtl: number) =>
    new aws.cloudfront.CachePolicy(
      childName(name, role),
      {
        comment: `taskstack ${name}: ${comment}`,
        minTtl: 0,
        defaultTtl: d.htmlCacheSeconds,
        maxTtl,
        parametersInCacheKeyAndForwardedToOrigin: {
          cookiesConfig: { cookieBehavior: "none" },
          headersConfig: { headerBehavior: "none" },
          queryStringsConfig: { queryStringBehavior: "none" },
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        },
      },
      parent,
    );
  const assetsCache = cachePolicy(
    "cache",
    `objects without Cache-Control ${d.htmlCacheSeconds} s, others as they say up to a year`,
    oneYearSeconds,
  );
  const htmlCache = cachePolicy(
    "html-cache",
    `HTML at most ${d.htmlCacheSeconds} s`,
    d.htmlCacheSeconds,
  );

  const functionAssociations: { eventType: string; functionArn: pulumi.Input<string> }[] = [
    ...(args.functionAssociations ?? []).map((a) => ({
      eventType: a.eventType,
      functionArn: a.functionArn,
    })),
  ];
  const viewerRequest = {
    canonicalHost: args.canonicalHost,
    indexDocument: d.directoryIndex ? d.defaultRootObject : undefined,
  };
  if (needsViewerRequestFunction(viewerRequest)) {
    const fn = new aws.cloudfront.Function(
      childName(name, "viewer-request"),
      {
        runtime: cloudFrontFunctionRuntime,
        comment: `taskstack ${name}: ${[
          args.canonicalHost !== undefined ? `redirect to ${args.canonicalHost}` : "",
          d.directoryIndex ? "directory index" : "",
        ]
          .filter(Boolean)
          .join(", ")}`,
        code: viewerRequestFunctionCode(viewerRequest),
        publish: true,
      },
      parent,
    );
    functionAssociations.unshift({ eventType: "viewer-request", functionArn: fn.arn });
  }

  const originId = "s3";
  const rootPath = `/${d.defaultRootObject}`;
  const behavior = {
    targetOriginId: originId,
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ["GET", "HEAD", "OPTIONS"],
    cachedMethods: ["GET", "HEAD"],
    compress: true,
    responseHeadersPolicyId: headers.id,
    ...(functionAssociations.length > 0 ? { functionAssociations } : {}),
  };
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
      defaultCacheBehavior: { ...behavior, cachePolicyId: assetsCache.id },
      orderedCacheBehaviors: [{ ...behavior, pathPattern: "*.html", cachePolicyId: htmlCache.id }],
      customErrorResponses: errorResponses(d, rootPath, args.notFoundPage),
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

  const external = new Set(
    args.dnsValidation === "external" ? args.aliases : (args.externalAliasRecords ?? []),
  );
  // A CNAME's data is the distribution's own domain, which CloudFront assigns.
  let distributionDomain: pulumi.Output<string> | undefined;
  const cnameTarget = () =>
    (distributionDomain ??= providerComputed(`HttpsStaticSite ${JSON.stringify(name)}`, [
      {
        value: distribution.domainName,
        what: `aws.cloudfront.Distribution ${JSON.stringify(childName(name, "distribution"))} domainName`,
        type: "aws:cloudfront/distribution:Distribution",
        mock: 'domainName: "d111111abcdef8.cloudfront.net"',
        stand: "undefined-under-mocks.cloudfront.net",
      },
    ] as const).apply(([domain]) => domain));
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
      new (cloudDns().RecordSet)(
        childName(name, "alias", domainSlug(alias)),
        {
          project: args.cloudDnsProject,
          managedZone: args.cloudDnsManagedZone as string,
          name: absoluteName(alias),
          type: "CNAME",
          ttl: 300,
          rrdatas: [cnameTarget().apply(absoluteName)],
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

/**
 * Answers for a missing key. The bucket grants no s3:ListBucket, so S3 answers a missing key with
 * 403, not 404: both codes are mapped.
 */
function errorResponses(
  d: ResolvedSiteSettings,
  rootPath: string,
  notFoundPage: string | undefined,
): aws.types.input.cloudfront.DistributionCustomErrorResponse[] | undefined {
  if (d.spaFallback) {
    return [403, 404].map((errorCode) => ({
      errorCode,
      responseCode: 200,
      responsePagePath: rootPath,
      errorCachingMinTtl: 10,
    }));
  }
  if (notFoundPage !== undefined) {
    return [403, 404].map((errorCode) => ({
      errorCode,
      responseCode: 404,
      responsePagePath: `/${notFoundPage}`,
      errorCachingMinTtl: 10,
    }));
  }
  return undefined;
}

/** The statement that lets this distribution, through OAC, read objects. */
function oacStatement(bucketArn: pulumi.Input<string>, distributionArn: pulumi.Input<string>) {
  return {
    Sid: "AllowCloudFrontReadThroughOac",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: pulumi.interpolate`${bucketArn}/*`,
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}

/** The one statement of an OAC bucket policy: this distribution, through OAC, may read objects. */
export function oacBucketPolicy(
  bucketArn: pulumi.Input<string>,
  distributionArn: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [oacStatement(bucketArn, distributionArn)],
  });
}

/**
 * The site bucket's policy: no request over plain HTTP, by anyone (`aws:SecureTransport`, as AWS's
 * S3 security best practices and cloudposse's `allow_ssl_requests_only` do), and, once the
 * distribution exists, its reads through OAC.
 */
export function siteBucketPolicy(
  bucketArn: pulumi.Input<string>,
  distributionArn?: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      ...(distributionArn !== undefined ? [oacStatement(bucketArn, distributionArn)] : []),
    ],
  });
}
