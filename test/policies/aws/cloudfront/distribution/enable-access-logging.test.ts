import { describe, expect, it } from "vitest";
import { awsCloudfrontDistributionEnableAccessLogging as policy } from "../../../../../policies/aws/cloudfront/distribution/enable-access-logging";
import { policyCases } from "../../../../../testing";
import { site } from "../../fixtures";

const message =
  "Distribution has no loggingConfig.bucket and no standard logging v2 delivery (aws.cloudwatch.LogDeliverySource with logType ACCESS_LOGS and its resourceArn), so requests cannot be traced after an incident. Add a v2 delivery to S3 or CloudWatch Logs, or log to a bucket whose ownership controls are BucketOwnerPreferred (legacy logging writes with an ACL).";

describe(policy.name, () => {
  it("is advisory", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-enable-access-logging");
    expect(policy.enforcementLevel).toBe("advisory");
  });

  it.each(
    policyCases(policy, {
      fixture: site,
      target: "site-distribution",
      cases: [
        {
          title: "loggingConfig undefined",
          set: { loggingConfig: undefined },
          messages: [message],
        },
        { title: "an empty bucket", set: { "loggingConfig.bucket": "" }, messages: [message] },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
