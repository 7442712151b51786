import { fixtureResource, fixtureUrn } from "../../../testing";
import type { PlannedResource } from "../../../testing";

// A compliant HTTPS static site as hand-written resources, for the AWS policies' cases.

export const T = {
  provider: "pulumi:providers:aws",
  bucket: "aws:s3/bucket:Bucket",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  encryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  distribution: "aws:cloudfront/distribution:Distribution",
} as const;

export const urn = fixtureUrn;
export const certificateArn =
  "arn:aws:acm:us-east-1:123456789012:certificate/0f5e7a52-6d0b-4a8e-9f0e-3f2d1c0b9a87";
export const headersPolicyId = "2b6c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";

export const compliantHeaders = {
  strictTransportSecurity: {
    accessControlMaxAgeSec: 63072000,
    includeSubdomains: true,
    override: true,
  },
  contentTypeOptions: { override: true },
  frameOptions: { frameOption: "DENY", override: true },
  referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
};

export const compliantDistribution = {
  enabled: true,
  aliases: ["www.acme-shop.example"],
  origins: [{ originId: "s3", domainName: "site.s3.eu-west-1.amazonaws.com" }],
  defaultCacheBehavior: {
    targetOriginId: "s3",
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ["GET", "HEAD"],
    cachedMethods: ["GET", "HEAD"],
    responseHeadersPolicyId: headersPolicyId,
  },
  viewerCertificate: {
    acmCertificateArn: certificateArn,
    sslSupportMethod: "sni-only",
    minimumProtocolVersion: "TLSv1.2_2021",
  },
  loggingConfig: { bucket: "acme-logs.s3.amazonaws.com", prefix: "site/" },
  restrictions: { geoRestriction: { restrictionType: "none" } },
};

export function site(): PlannedResource[] {
  return [
    fixtureResource(T.provider, "us-east-1", { region: "us-east-1" }, { custom: true }),
    fixtureResource(T.bucket, "site-bucket", { bucket: "acme-site" }),
    fixtureResource(
      T.publicAccessBlock,
      "site-public-access-block",
      {
        bucket: "acme-site",
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { dependsOn: [urn(T.bucket, "site-bucket")] },
    ),
    fixtureResource(
      T.encryption,
      "site-encryption",
      {
        bucket: "acme-site",
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      { dependsOn: [urn(T.bucket, "site-bucket")] },
    ),
    fixtureResource(
      T.certificate,
      "site-certificate",
      { domainName: "www.acme-shop.example", validationMethod: "DNS" },
      { provider: urn(T.provider, "us-east-1") },
    ),
    fixtureResource(
      T.validation,
      "site-certificate-validation",
      { certificateArn },
      {
        provider: urn(T.provider, "us-east-1"),
        dependsOn: [urn(T.certificate, "site-certificate")],
      },
    ),
    fixtureResource(T.headers, "site-headers", { securityHeadersConfig: compliantHeaders }),
    fixtureResource(T.distribution, "site-distribution", compliantDistribution, {
      dependsOn: [urn(T.validation, "site-certificate-validation"), urn(T.headers, "site-headers")],
      // As the engine records them: which resources each input property's value came from.
      propertyDependencies: {
        viewerCertificate: [urn(T.validation, "site-certificate-validation")],
        defaultCacheBehavior: [urn(T.headers, "site-headers")],
      },
    }),
  ];
}

/** The fixture without the resources named. */
export const without =
  (...names: string[]) =>
  (resources: PlannedResource[]): PlannedResource[] =>
    resources.filter((r) => !names.includes(r.name));

/**
 * The fixture with one resource replaced. A change to its inputs alone is mirrored in its outputs,
 * as in every fixture resource: stack policies read outputs, as the analyzer hands them over.
 */
export const replace =
  (name: string, change: (r: PlannedResource) => PlannedResource) =>
  (resources: PlannedResource[]): PlannedResource[] =>
    resources.map((r) => {
      if (r.name !== name) return r;
      const next = change(r);
      return next.inputs !== r.inputs && next.outputs === r.outputs
        ? { ...next, outputs: next.inputs }
        : next;
    });
