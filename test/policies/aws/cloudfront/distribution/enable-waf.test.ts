import { describe, expect, it } from "vitest";
import { awsCloudfrontDistributionEnableWaf as policy } from "../../../../../policies/aws/cloudfront/distribution/enable-waf";
import { policyCases } from "../../../../../testing";
import type { PlannedResource } from "../../../../../testing";
import { replace, site } from "../../fixtures";

const webAclArn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/a1b2c3";
const noWaf =
  "Distribution has no webAclId, so nothing rate-limits or filters requests before they reach it. Attach an aws.wafv2.WebAcl (scope CLOUDFRONT, in us-east-1) with AWS managed rule groups and a rate-based rule.";

/** The site with a WAFv2 web ACL attached to its distribution. */
const protectedSite = (): PlannedResource[] =>
  replace("site-distribution", (r) => ({ ...r, inputs: { ...r.inputs, webAclId: webAclArn } }))(
    site(),
  );

describe(policy.name, () => {
  it("is advisory and low severity", () => {
    expect(policy.name).toBe("aws-cloudfront-distribution-enable-waf");
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.severity).toBe("low");
  });

  it.each(
    policyCases(policy, {
      fixture: protectedSite,
      target: "site-distribution",
      cases: [
        { title: "webAclId undefined", set: { webAclId: undefined }, messages: [noWaf] },
        { title: "webAclId empty", set: { webAclId: "" }, messages: [noWaf] },
        {
          title: "a WAF Classic web ACL id (a bare GUID) passes",
          set: { webAclId: "473e64fd-f30b-4765-81a0-62ad96dd167a" },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
