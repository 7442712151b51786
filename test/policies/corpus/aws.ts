import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsConfig } from "./scenario";
import type { Scenario } from "./scenario";

// AWS resources as people write them by hand for a static site: S3 buckets (Bucket and
// BucketV2, encryption inline or as its own resource), bucket policies for CloudFront, ACM
// certificates (explicit us-east-1 provider, or the default provider of a us-east-1 stack),
// CloudFront distributions with their own or AWS-managed headers policies, legacy or v2 logging.

/** AWS's managed SecurityHeadersPolicy (Managed-SecurityHeadersPolicy), by its documented id. */
const managedSecurityHeaders = "67f7725c-6f97-4210-82d7-5512b31e9d03";
/** AWS's managed CachingOptimized cache policy. */
const cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/** A private, encrypted bucket with its public access block. */
function privateBucket(name: string): aws.s3.Bucket {
  const bucket = new aws.s3.Bucket(name, {});
  new aws.s3.BucketPublicAccessBlock(`${name}-block`, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
    bucket: bucket.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
  });
  return bucket;
}

function bucketPolicy(
  bucket: aws.s3.Bucket,
  distributionArn: pulumi.Input<string> | undefined,
  principal: unknown = { Service: "cloudfront.amazonaws.com" },
  secureTransport = true,
): pulumi.Output<string> {
  return pulumi.all([bucket.arn, distributionArn]).apply(([arn, source]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowCloudFront",
          Effect: "Allow",
          Principal: principal,
          Action: "s3:GetObject",
          Resource: `${arn}/*`,
          ...(source ? { Condition: { StringEquals: { "AWS:SourceArn": source } } } : {}),
        },
        ...(secureTransport
          ? [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ]
          : []),
      ],
    }),
  );
}

function headersPolicy(name: string, maxAge = 63_072_000): aws.cloudfront.ResponseHeadersPolicy {
  return new aws.cloudfront.ResponseHeadersPolicy(name, {
    securityHeadersConfig: {
      strictTransportSecurity: {
        accessControlMaxAgeSec: maxAge,
        includeSubdomains: true,
        preload: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: "DENY", override: true },
      referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
    },
  });
}

interface Site {
  readonly bucket: aws.s3.Bucket;
  readonly certificateArn: pulumi.Input<string>;
  readonly headersId: pulumi.Input<string>;
  readonly logs: aws.s3.Bucket;
  readonly oac: aws.cloudfront.OriginAccessControl;
}

function site(prefix: string, certProvider?: aws.Provider): Site {
  const bucket = privateBucket(`${prefix}-content`);
  const logs = privateBucket(`${prefix}-logs`);
  const cert = new aws.acm.Certificate(
    `${prefix}-cert`,
    { domainName: `${prefix}.example.com`, validationMethod: "DNS" },
    certProvider ? { provider: certProvider } : {},
  );
  const oac = new aws.cloudfront.OriginAccessControl(`${prefix}-oac`, {
    originAccessControlOriginType: "s3",
    signingBehavior: "always",
    signingProtocol: "sigv4",
  });
  return {
    bucket,
    certificateArn: cert.arn,
    headersId: headersPolicy(`${prefix}-headers`).id,
    logs,
    oac,
  };
}

type DistributionArgs = aws.cloudfront.DistributionArgs;

function distributionArgs(prefix: string, s: Site): DistributionArgs {
  return {
    enabled: true,
    aliases: [`${prefix}.example.com`],
    defaultRootObject: "index.html",
    httpVersion: "http2and3",
    isIpv6Enabled: true,
    webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/a1b2c3",
    origins: [
      {
        originId: "content",
        domainName: s.bucket.bucketRegionalDomainName,
        originAccessControlId: s.oac.id,
      },
    ],
    defaultCacheBehavior: {
      targetOriginId: "content",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD"],
      cachedMethods: ["GET", "HEAD"],
      cachePolicyId: cachingOptimized,
      responseHeadersPolicyId: s.headersId,
      compress: true,
    },
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: {
      acmCertificateArn: s.certificateArn,
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    },
    loggingConfig: { bucket: s.logs.bucketDomainName, prefix: `${prefix}/` },
  };
}

type Behavior = aws.types.input.cloudfront.DistributionDefaultCacheBehavior;

function behavior(s: Site, change: Partial<Behavior>): Behavior {
  return { ...(distributionArgs("x", s).defaultCacheBehavior as Behavior), ...change };
}

function distribution(prefix: string, s: Site, change: Partial<DistributionArgs> = {}) {
  const d = new aws.cloudfront.Distribution(prefix, { ...distributionArgs(prefix, s), ...change });
  new aws.s3.BucketPolicy(`aux-${prefix}-policy`, {
    bucket: s.bucket.id,
    policy: bucketPolicy(s.bucket, d.arn),
  });
  return d;
}

const useEast1 = () => new aws.Provider("us-east-1", { region: "us-east-1" });

export const awsScenarios: readonly Scenario[] = [
  {
    title: "HTTPS site: certificate through an explicit us-east-1 provider, own headers policy",
    config: awsConfig,
    program: () => {
      const s = site("good-site", useEast1());
      distribution("good-site", s);
    },
  },
  {
    title: "HTTPS site in a us-east-1 stack: certificate through the default provider",
    config: { "aws:region": "us-east-1" },
    program: () => {
      const s = site("good-east");
      distribution("good-east", s);
    },
  },
  {
    title: "HTTPS site with AWS's managed security-headers policy by id",
    config: awsConfig,
    program: () => {
      const s = { ...site("good-managed", useEast1()), headersId: managedSecurityHeaders };
      distribution("good-managed", s);
    },
  },
  {
    title: "CloudFront standard logging v2 (CloudWatch Logs delivery), no legacy loggingConfig",
    config: awsConfig,
    program: () => {
      const east = useEast1();
      const s = site("good-logv2", east);
      const d = distribution("good-logv2", s, { loggingConfig: undefined });
      const source = new aws.cloudwatch.LogDeliverySource(
        "good-logv2-source",
        { name: "site-access", logType: "ACCESS_LOGS", resourceArn: d.arn },
        { provider: east },
      );
      const destination = new aws.cloudwatch.LogDeliveryDestination(
        "good-logv2-destination",
        {
          name: "site-access-s3",
          outputFormat: "parquet",
          deliveryDestinationConfiguration: { destinationResourceArn: s.logs.arn },
        },
        { provider: east },
      );
      new aws.cloudwatch.LogDelivery(
        "good-logv2-delivery",
        { deliverySourceName: source.name, deliveryDestinationArn: destination.arn },
        { provider: east },
      );
    },
  },
  {
    title: "S3: BucketV2 with inline encryption, Bucket with inline encryption",
    config: awsConfig,
    program: () => {
      const v2 = new aws.s3.BucketV2("good-bucketv2-inline", {
        serverSideEncryptionConfigurations: [
          { rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms" }] }] },
        ],
      });
      const v1 = new aws.s3.Bucket("good-bucket-inline", {
        serverSideEncryptionConfiguration: {
          rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        },
      });
      for (const [name, b] of [
        ["good-bucketv2-inline-block", v2],
        ["good-bucket-inline-block", v1],
      ] as const) {
        new aws.s3.BucketPublicAccessBlock(name, {
          bucket: b.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
      }
    },
  },
  {
    title: "S3: public buckets, unencrypted buckets, open bucket policies",
    config: awsConfig,
    program: () => {
      new aws.s3.Bucket("bad-bucket-public-read", {
        acl: "public-read",
        serverSideEncryption: undefined,
        serverSideEncryptionConfiguration: {
          rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        },
      } as aws.s3.BucketArgs);
      new aws.s3.Bucket("bad-bucket-no-block", {
        serverSideEncryptionConfiguration: {
          rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        },
      });
      const plain = new aws.s3.Bucket("bad-bucket-no-encryption", {});
      new aws.s3.BucketPublicAccessBlock("aux-plain-block", {
        bucket: plain.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const open = privateBucket("aux-open");
      new aws.s3.BucketPolicy("bad-policy-everyone", {
        bucket: open.id,
        policy: bucketPolicy(open, undefined, "*"),
      });
      const deputy = privateBucket("aux-deputy");
      new aws.s3.BucketPolicy("bad-policy-no-source-arn", {
        bucket: deputy.id,
        policy: bucketPolicy(deputy, undefined),
      });
      const http = privateBucket("aux-http");
      new aws.s3.BucketPolicy("bad-policy-allows-http", {
        bucket: http.id,
        policy: bucketPolicy(
          http,
          "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF",
          undefined,
          false,
        ),
      });
    },
    bad: {
      "bad-bucket-public-read": "aws-s3-bucket-disallow-public-access",
      "bad-bucket-no-block": "aws-s3-bucket-disallow-public-access",
      "bad-bucket-no-encryption": "aws-s3-bucket-enable-encryption",
      "bad-policy-everyone": "aws-s3-bucketpolicy-disallow-public-access",
      "bad-policy-no-source-arn": "aws-s3-bucketpolicy-disallow-public-access",
      "bad-policy-allows-http": "aws-s3-bucketpolicy-enforce-secure-transport",
    },
  },
  {
    title: "CloudFront: weak TLS, plain HTTP, old origin TLS, no WAF, default certificate",
    config: awsConfig,
    program: () => {
      const east = useEast1();
      const s = site("aux-edge", east);
      distribution("bad-dist-old-tls", s, {
        aliases: ["old-tls.example.com"],
        viewerCertificate: {
          acmCertificateArn: s.certificateArn,
          sslSupportMethod: "sni-only",
          minimumProtocolVersion: "TLSv1",
        },
      });
      distribution("bad-dist-plain-http", s, {
        aliases: ["plain.example.com"],
        defaultCacheBehavior: behavior(s, { viewerProtocolPolicy: "allow-all" }),
      });
      distribution("bad-dist-origin-sslv3", s, {
        aliases: ["legacy.example.com"],
        origins: [
          {
            originId: "content",
            domainName: "legacy-origin.example.com",
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "https-only",
              originSslProtocols: ["SSLv3", "TLSv1"],
            },
          },
        ],
      });
      distribution("bad-dist-origin-http-only", s, {
        aliases: ["http-origin.example.com"],
        origins: [
          {
            originId: "content",
            domainName: "http-origin.example.com",
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "http-only",
              originSslProtocols: ["TLSv1.2"],
            },
          },
        ],
      });
      distribution("bad-dist-no-waf", s, { aliases: ["nowaf.example.com"], webAclId: undefined });
      distribution("bad-dist-default-cert", s, {
        aliases: ["default-cert.example.com"],
        viewerCertificate: {
          cloudfrontDefaultCertificate: true,
          minimumProtocolVersion: "TLSv1.2_2021",
        },
      });
      distribution("bad-dist-no-logging", s, {
        aliases: ["nolog.example.com"],
        loggingConfig: undefined,
      });
      distribution("bad-dist-no-headers", s, {
        aliases: ["noheaders.example.com"],
        defaultCacheBehavior: behavior(s, { responseHeadersPolicyId: undefined }),
      });
      const weak = headersPolicy("bad-headers-weak-hsts", 300);
      distribution("aux-dist-weak-headers", s, {
        aliases: ["weak.example.com"],
        defaultCacheBehavior: behavior(s, { responseHeadersPolicyId: weak.id }),
      });
    },
    bad: {
      "bad-dist-old-tls": "aws-cloudfront-distribution-configure-secure-tls",
      "bad-dist-plain-http": "aws-cloudfront-distribution-disallow-unencrypted-traffic",
      "bad-dist-origin-sslv3": "aws-cloudfront-distribution-configure-origin-tls",
      "bad-dist-origin-http-only": "aws-cloudfront-distribution-configure-origin-tls",
      "bad-dist-no-waf": "aws-cloudfront-distribution-enable-waf",
      "bad-dist-default-cert": "aws-cloudfront-distribution-configure-acm-certificate",
      "bad-dist-no-logging": "aws-cloudfront-distribution-enable-access-logging",
      "bad-dist-no-headers": "aws-cloudfront-distribution-enable-security-headers",
      "bad-headers-weak-hsts": "aws-cloudfront-distribution-enable-security-headers",
    },
  },
  {
    title: "ACM: email validation, a certificate outside us-east-1 used by CloudFront",
    config: awsConfig,
    program: () => {
      new aws.acm.Certificate("bad-cert-email", {
        domainName: "mail.example.com",
        validationMethod: "EMAIL",
      });
      const s = site("aux-wrong-region");
      distribution("aux-wrong-region-dist", s);
    },
    bad: {
      "bad-cert-email": "aws-acm-certificate-configure-dns-validation",
      "aux-wrong-region-cert": "aws-cloudfront-distribution-enforce-us-east-1-certificate",
    },
  },
];
