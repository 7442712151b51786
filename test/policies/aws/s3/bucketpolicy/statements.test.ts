import { describe, expect, it } from "vitest";
import {
  conditionKeys,
  statementsOf,
} from "../../../../../policies/aws/s3/bucketpolicy/statements";
import { allowCloudFront, denyInsecureTransport, distributionArn, doc } from "./fixtures";

describe("statementsOf", () => {
  it.each([
    {
      title: "a JSON string with a Statement list",
      policy: doc(allowCloudFront, denyInsecureTransport),
      want: [
        {
          index: 0,
          effect: "Allow",
          principal: { Service: "cloudfront.amazonaws.com" },
          action: "s3:GetObject",
          condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
        },
        {
          index: 1,
          effect: "Deny",
          principal: "*",
          action: "s3:*",
          condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    },
    {
      title: "an object with a single Statement (not a list)",
      policy: { Statement: { Effect: "Deny", Principal: "*", Action: ["s3:*"] } },
      want: [{ index: 0, effect: "Deny", principal: "*", action: ["s3:*"], condition: {} }],
    },
    { title: "no Statement", policy: '{"Version":"2012-10-17"}', want: [] },
    { title: "undefined", policy: undefined, want: [] },
    { title: "a string that is not JSON", policy: "{not json", want: undefined },
  ])("$title", ({ policy, want }) => {
    expect(statementsOf(policy)).toEqual(want);
  });
});

describe("conditionKeys", () => {
  it.each([
    { title: "no condition", condition: {}, want: [] },
    {
      title: "keys of every operator, lowercased",
      condition: {
        StringEquals: { "AWS:SourceArn": distributionArn, "aws:SourceAccount": "123456789012" },
        Bool: { "aws:SecureTransport": "false" },
      },
      want: ["aws:sourcearn", "aws:sourceaccount", "aws:securetransport"],
    },
    {
      title: "an operator whose value is not an object is skipped",
      condition: {
        StringEquals: "aws:SourceArn",
        Null: null,
        IpAddress: { "aws:SourceIp": "10.0.0.0/8" },
      },
      want: ["aws:sourceip"],
    },
  ])("$title", ({ condition, want }) => {
    const [s] = statementsOf({ Statement: { Effect: "Allow", Condition: condition } }) ?? [];
    expect(s).toBeDefined();
    expect([...conditionKeys(s!)]).toEqual(want);
  });
});
