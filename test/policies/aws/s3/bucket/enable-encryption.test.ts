import { describe, expect, it } from "vitest";
import { awsS3BucketEnableEncryption as policy } from "../../../../../policies/aws/s3/bucket/enable-encryption";
import { policyCases } from "../../../../../testing";
import { T, replace, site, urn, without } from "../../fixtures";

const none =
  "S3 bucket declares no default encryption. Add an aws.s3.BucketServerSideEncryptionConfiguration with applyServerSideEncryptionByDefault.sseAlgorithm AES256 or aws:kms.";
const bucketUrn = urn(T.bucket, "site-bucket");

describe(policy.name, () => {
  it("is a mandatory stack policy named for its resource type path", () => {
    expect(policy.name).toBe("aws-s3-bucket-enable-encryption");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-encryption",
      cases: [
        {
          title: "aws:kms passes",
          set: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
          messages: [],
        },
        {
          title: "an unknown algorithm",
          set: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "none" } }] },
          messages: [
            'Encryption configuration sets sseAlgorithm ["none"]; expected a rule with applyServerSideEncryptionByDefault.sseAlgorithm AES256, aws:kms, aws:kms:dsse.',
          ],
        },
        {
          title: "rules undefined",
          set: { rules: undefined },
          messages: [
            "Encryption configuration sets sseAlgorithm []; expected a rule with applyServerSideEncryptionByDefault.sseAlgorithm AES256, aws:kms, aws:kms:dsse.",
          ],
        },
        {
          title: "no encryption configuration",
          change: without("site-encryption"),
          messages: [none],
          urn: bucketUrn,
        },
        {
          title: "an inline configuration on the bucket",
          change: (rs) =>
            replace("site-bucket", (r) => ({
              ...r,
              inputs: {
                ...r.inputs,
                serverSideEncryptionConfiguration: {
                  rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                },
              },
            }))(without("site-encryption")(rs)),
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
