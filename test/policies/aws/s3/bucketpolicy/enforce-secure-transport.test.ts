import { describe, expect, it } from "vitest";
import { awsS3BucketpolicyEnforceSecureTransport as policy } from "../../../../../policies/aws/s3/bucketpolicy/enforce-secure-transport";
import { policyCases } from "../../../../../testing";
import { allowCloudFront, denyInsecureTransport, doc, sitePolicy } from "./fixtures";

const plainHttp =
  'Bucket policy has no Deny on "aws:SecureTransport": "false", so its objects can be read or written over plain HTTP. Add {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [bucket ARN, bucket ARN + "/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}.';

describe(policy.name, () => {
  it("is mandatory and high severity", () => {
    expect(policy.name).toBe("aws-s3-bucketpolicy-enforce-secure-transport");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("high");
  });

  it.each(
    policyCases(policy, {
      fixture: sitePolicy,
      target: "site-policy",
      cases: [
        {
          title: "no Deny statement at all",
          set: { policy: doc(allowCloudFront) },
          messages: [plainHttp],
        },
        {
          title: "the statement is an Allow, not a Deny",
          set: { policy: doc(allowCloudFront, { ...denyInsecureTransport, Effect: "Allow" }) },
          messages: [plainHttp],
        },
        {
          title: 'the Deny tests "aws:SecureTransport": "true"',
          set: {
            policy: doc(allowCloudFront, {
              ...denyInsecureTransport,
              Condition: { Bool: { "aws:SecureTransport": "true" } },
            }),
          },
          messages: [plainHttp],
        },
        {
          title: "the Deny has no condition on aws:SecureTransport",
          set: {
            policy: doc(allowCloudFront, {
              ...denyInsecureTransport,
              Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
            }),
          },
          messages: [plainHttp],
        },
        {
          title: "an empty Statement list",
          set: { policy: doc() },
          messages: [plainHttp],
        },
        { title: "policy undefined", set: { policy: undefined }, messages: [plainHttp] },
        {
          title: "a policy that is not JSON is left to disallow-public-access",
          set: { policy: "{not json" },
          messages: [],
        },
        {
          title: "the boolean false and a differently cased key pass",
          set: {
            policy: doc(allowCloudFront, {
              ...denyInsecureTransport,
              Condition: { Bool: { "AWS:SecureTransport": false } },
            }),
          },
          messages: [],
        },
        {
          title: 'a single-value list ["false"] passes (IAM condition values may be lists)',
          set: {
            policy: doc(allowCloudFront, {
              ...denyInsecureTransport,
              Condition: { Bool: { "aws:SecureTransport": ["false"] } },
            }),
          },
          messages: [],
        },
        {
          title: "a single Statement object (not a list) passes",
          set: {
            policy: JSON.stringify({ Version: "2012-10-17", Statement: denyInsecureTransport }),
          },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
