import { describe, expect, it } from "vitest";
import { awsS3BucketpolicyDisallowPublicAccess as policy } from "../../../../../policies/aws/s3/bucketpolicy/disallow-public-access";
import { policyCases } from "../../../../../testing";
import {
  allowCloudFront,
  denyInsecureTransport,
  distributionArn,
  doc,
  sitePolicy,
} from "./fixtures";

const { Condition: _condition, ...unconditioned } = allowCloudFront;
const everyone = (principal: string) =>
  `Bucket policy Statement[0] allows "s3:GetObject" to Principal ${principal} with no condition restricting who, so anyone on the internet can do it. Name the principal (for CloudFront: Service cloudfront.amazonaws.com with Condition StringEquals AWS:SourceArn of the distribution).`;
const deputy = (index: number, service: string) =>
  `Bucket policy Statement[${index}] allows "s3:GetObject" to service ${service} without an AWS:SourceArn or AWS:SourceAccount condition, so that service acting for any AWS account can use it (confused deputy). Add Condition StringEquals AWS:SourceArn: the distribution's ARN.`;

describe(policy.name, () => {
  it("is mandatory and critical", () => {
    expect(policy.name).toBe("aws-s3-bucketpolicy-disallow-public-access");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("critical");
  });

  it.each(
    policyCases(policy, {
      fixture: sitePolicy,
      target: "site-policy",
      cases: [
        {
          title: 'Principal "*" without a condition',
          set: { policy: doc({ ...unconditioned, Principal: "*" }, denyInsecureTransport) },
          messages: [everyone('"*"')],
        },
        {
          title: 'Principal {AWS: "*"} without a condition',
          set: { policy: doc({ ...unconditioned, Principal: { AWS: "*" } }) },
          messages: [everyone('{"AWS":"*"}')],
        },
        {
          title: 'Principal {AWS: ["*"]} without a condition',
          set: { policy: doc({ ...unconditioned, Principal: { AWS: ["*"] } }) },
          messages: [everyone('{"AWS":["*"]}')],
        },
        {
          title: 'Principal "*" with only a non-restricting condition',
          set: {
            policy: doc({
              ...unconditioned,
              Principal: "*",
              Condition: { Bool: { "aws:SecureTransport": "true" } },
            }),
          },
          messages: [everyone('"*"')],
        },
        {
          title: "the CloudFront service principal without AWS:SourceArn",
          set: { policy: doc(denyInsecureTransport, unconditioned) },
          messages: [deputy(1, "cloudfront.amazonaws.com")],
        },
        {
          title: "a list of service principals without AWS:SourceArn",
          set: {
            policy: doc({
              ...unconditioned,
              Principal: { Service: ["cloudfront.amazonaws.com", "logging.s3.amazonaws.com"] },
            }),
          },
          messages: [deputy(0, "cloudfront.amazonaws.com, logging.s3.amazonaws.com")],
        },
        {
          title: "a policy that is not JSON",
          set: { policy: "{not json" },
          messages: ["Bucket policy is not valid JSON, so its grants cannot be checked."],
        },
        { title: "policy undefined (nothing granted)", set: { policy: undefined }, messages: [] },
        {
          title: "AWS:SourceAccount also binds the service principal",
          set: {
            policy: doc({
              ...unconditioned,
              Condition: { StringEquals: { "AWS:SourceAccount": "123456789012" } },
            }),
          },
          messages: [],
        },
        {
          title: "condition keys are matched case-insensitively",
          set: {
            policy: doc({
              ...unconditioned,
              Condition: { ArnLike: { "aws:sourcearn": distributionArn } },
            }),
          },
          messages: [],
        },
        {
          title: 'Principal "*" restricted to the organization passes',
          set: {
            policy: doc({
              ...unconditioned,
              Principal: "*",
              Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
            }),
          },
          messages: [],
        },
        {
          title: "a named account principal passes",
          set: {
            policy: doc({ ...unconditioned, Principal: { AWS: "arn:aws:iam::123456789012:root" } }),
          },
          messages: [],
        },
        {
          title: 'a Deny to Principal "*" is not a grant',
          set: { policy: doc({ ...denyInsecureTransport, Condition: undefined }) },
          messages: [],
        },
        {
          title: "the policy as an object instead of a JSON string",
          set: {
            policy: { Version: "2012-10-17", Statement: { ...unconditioned, Principal: "*" } },
          },
          messages: [everyone('"*"')],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
