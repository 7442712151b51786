import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { show } from "../../../gcp/pubsub/references";
import { isUnknown, known } from "../../../shared/preview";
import { stackIndex } from "../../../shared/stack-index";
import { awsTypes, bucketTypes, bucketsByName, targetBuckets } from "../../types";

const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
const publicAcls = new Set(["public-read", "public-read-write", "authenticated-read"]);

/**
 * A bucket without all four public-access blocks is one bucket policy or ACL away from serving
 * everything to everyone; a site bucket is read by CloudFront through OAC, never publicly.
 */
export const awsS3BucketDisallowPublicAccess: StackValidationPolicy = {
  name: "aws-s3-bucket-disallow-public-access",
  description:
    "S3 buckets must have an aws.s3.BucketPublicAccessBlock with all four blocks true and no public canned ACL.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const buckets = bucketTypes.flatMap((t) => index.ofType(t));
    if (buckets.length === 0) args.notApplicable("no S3 bucket in the stack");
    const byName = bucketsByName(buckets);
    const blocked = new Set<PolicyResource>();
    for (const block of index.ofType(awsTypes.publicAccessBlock)) {
      // A flag computed from another resource is unknown in a preview: not reported as off.
      const off = flags.filter((f) => {
        const value = known(() => block.props[f]);
        return !isUnknown(value) && value !== true;
      });
      if (off.length > 0) {
        reportViolation(
          `Public access block leaves ${off.join(", ")} off, so a bucket policy or ACL can make the bucket public. Set all four of ${flags.join(", ")} to true.`,
          block.urn,
        );
      }
      for (const bucket of targetBuckets(block, byName)) blocked.add(bucket);
    }
    for (const bucket of buckets) {
      const acl = known(() => bucket.props["acl"]);
      if (typeof acl === "string" && publicAcls.has(acl)) {
        reportViolation(
          `S3 bucket acl is ${show(acl)}, which grants access beyond the account. Remove acl and serve the files through CloudFront with Origin Access Control.`,
          bucket.urn,
        );
      }
      if (!blocked.has(bucket)) {
        reportViolation(
          `S3 bucket has no aws.s3.BucketPublicAccessBlock, so a bucket policy or ACL can make it public. Add one with ${flags.join(", ")} true.`,
          bucket.urn,
        );
      }
    }
  },
};
