import { fixtureResource } from "../../../../../testing";
import type { PlannedResource } from "../../../../../testing";

// A bucket policy as the HTTPS static site writes it: CloudFront may read, bound to its
// distribution by AWS:SourceArn, and plain HTTP is denied.

export const bucketPolicyType = "aws:s3/bucketPolicy:BucketPolicy";
export const bucketArn = "arn:aws:s3:::acme-site";
export const distributionArn = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL";

export const allowCloudFront = {
  Sid: "AllowCloudFront",
  Effect: "Allow",
  Principal: { Service: "cloudfront.amazonaws.com" },
  Action: "s3:GetObject",
  Resource: `${bucketArn}/*`,
  Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
};

export const denyInsecureTransport = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [bucketArn, `${bucketArn}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

/** A policy document with these statements, as the provider holds it (a JSON string). */
export const doc = (...statements: unknown[]): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

export function sitePolicy(): PlannedResource[] {
  return [
    fixtureResource(bucketPolicyType, "site-policy", {
      bucket: "acme-site",
      policy: doc(allowCloudFront, denyInsecureTransport),
    }),
  ];
}
