import { describe, expect, it } from "vitest";
import { runProgram } from "taskstack/testing";
import { storefront } from "./storefront";

describe("storefront", () => {
  it("serves a private bucket over modern TLS with a us-east-1 certificate", async () => {
    const plan = await runProgram(storefront, { config: { "aws:region": "eu-west-1" } });

    const certificate = plan.get("aws:acm/certificate:Certificate", "storefront-certificate");
    expect(plan.byUrn(certificate.provider!)?.inputs["region"]).toBe("us-east-1");
    plan.hasResource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    plan.hasResource("aws:cloudfront/distribution:Distribution", {
      aliases: ["www.acme-shop.example", "acme-shop.example"],
      defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
      viewerCertificate: { sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
    });
    // One validation CNAME per name, and www's CNAME, in the Cloud DNS zone.
    expect(plan.resourceCount("gcp:dns/recordSet:RecordSet")).toBe(3);
    expect(plan.outputs["enterAtRegistrar"]).toEqual([
      { name: "acme-shop.example", type: "ALIAS", value: plan.outputs["cdn"] },
    ]);
  });
});
