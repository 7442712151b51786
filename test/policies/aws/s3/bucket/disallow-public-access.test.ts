import { describe, expect, it } from "vitest";
import { awsS3BucketDisallowPublicAccess as policy } from "../../../../../policies/aws/s3/bucket/disallow-public-access";
import { policyCases } from "../../../../../testing";
import { T, replace, site, urn, without } from "../../fixtures";

const flags = "blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets";
const noBlock = `S3 bucket has no aws.s3.BucketPublicAccessBlock, so a bucket policy or ACL can make it public. Add one with ${flags} true.`;
const bucketUrn = urn(T.bucket, "site-bucket");

describe(policy.name, () => {
  it("is a mandatory stack policy named for its resource type path", () => {
    expect(policy.name).toBe("aws-s3-bucket-disallow-public-access");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-public-access-block",
      cases: [
        ...[
          "blockPublicAcls",
          "blockPublicPolicy",
          "ignorePublicAcls",
          "restrictPublicBuckets",
        ].map((flag) => ({
          title: `${flag} false`,
          set: { [flag]: false },
          messages: [
            `Public access block leaves ${flag} off, so a bucket policy or ACL can make the bucket public. Set all four of ${flags} to true.`,
          ],
        })),
        {
          title: "every flag undefined",
          set: {
            blockPublicAcls: undefined,
            blockPublicPolicy: undefined,
            ignorePublicAcls: undefined,
            restrictPublicBuckets: undefined,
          },
          messages: [
            `Public access block leaves ${flags} off, so a bucket policy or ACL can make the bucket public. Set all four of ${flags} to true.`,
          ],
        },
        {
          title: "no public access block",
          change: without("site-public-access-block"),
          messages: [noBlock],
          urn: bucketUrn,
        },
        {
          title: "a block for another bucket (no dependency, another name)",
          set: { bucket: "other-bucket" },
          change: replace("site-public-access-block", (r) => ({ ...r, dependsOn: [] })),
          messages: [noBlock],
          urn: bucketUrn,
        },
        {
          title: "a block related by dependency only (auto-named bucket)",
          set: { bucket: "site-bucket-4f1a2b3" },
          change: replace("site-bucket", (r) => ({ ...r, inputs: {}, outputs: {} })),
          messages: [],
        },
        {
          title: "a public canned ACL on the bucket",
          change: replace("site-bucket", (r) => ({
            ...r,
            inputs: { ...r.inputs, acl: "public-read" },
          })),
          messages: [
            'S3 bucket acl is "public-read", which grants access beyond the account. Remove acl and serve the files through CloudFront with Origin Access Control.',
          ],
          urn: bucketUrn,
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
