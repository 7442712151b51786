import type { PolicyResource } from "@pulumi/policy";
import { known } from "../shared/preview";

// Type tokens of the AWS resources the pack relates, and the one walk over a resource's
// dependencies that stack policies use instead of matching computed ids (unknown in preview).

export const awsTypes = {
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  encryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  encryptionV2:
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  distribution: "aws:cloudfront/distribution:Distribution",
  headersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  certificate: "aws:acm/certificate:Certificate",
  certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
} as const;

export const bucketTypes: readonly string[] = [awsTypes.bucket, awsTypes.bucketV2];

/**
 * The buckets a bucket-scoped resource (public access block, encryption configuration) belongs
 * to: those it depends on (its `bucket` input is the bucket's id, so the engine records the
 * dependency, known during preview), else the one whose literal `bucket` name its input names.
 */
export function targetBuckets(
  r: PolicyResource,
  bucketsByName: ReadonlyMap<string, PolicyResource>,
): PolicyResource[] {
  const fromBucket = (r.propertyDependencies["bucket"] ?? []).filter((d) =>
    bucketTypes.includes(d.type),
  );
  if (fromBucket.length > 0) return fromBucket;
  const related = r.dependencies.filter((d) => bucketTypes.includes(d.type));
  // The dependency is known during preview, while `bucket` (a bucket's id) may not be: read the
  // input only for resources that name a bucket literally.
  if (related.length > 0) return related;
  const named = known(() => r.props["bucket"]);
  const byName = typeof named === "string" ? bucketsByName.get(named) : undefined;
  return byName ? [byName] : [];
}

/** Buckets by their `bucket` input (known once Check has auto-named it), built once per run. */
export function bucketsByName(buckets: readonly PolicyResource[]): Map<string, PolicyResource> {
  const out = new Map<string, PolicyResource>();
  for (const b of buckets) {
    const name = known(() => b.props["bucket"]);
    if (typeof name === "string") out.set(name, b);
  }
  return out;
}
