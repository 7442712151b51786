import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { field, show } from "../../../gcp/pubsub/references";
import { isUnknown, known, reportUndecided } from "../../../shared/preview";
import { stackIndex } from "../../../shared/stack-index";
import { awsTypes, bucketTypes, bucketsByName, targetBuckets } from "../../types";

const algorithms = ["AES256", "aws:kms", "aws:kms:dsse"];

/** The algorithms a rules list sets by default, in order. */
function defaultAlgorithms(rules: unknown): unknown[] {
  return Array.isArray(rules)
    ? rules.map((r) => field(r, "applyServerSideEncryptionByDefault", "sseAlgorithm"))
    : [];
}

const encrypts = (rules: unknown): boolean =>
  defaultAlgorithms(rules).some((a) => typeof a === "string" && algorithms.includes(a));

/**
 * S3 encrypts new objects with SSE-S3 unless told otherwise, but only a declared configuration
 * keeps that a reviewed decision (and the place a KMS key is chosen) instead of an account default.
 */
/**
 * Inline encryption: aws.s3.Bucket's `serverSideEncryptionConfiguration.rule`, or
 * aws.s3.BucketV2's `serverSideEncryptionConfigurations[].rules[].applyServerSideEncryptionByDefaults[]`.
 */
function encryptsInline(props: Record<string, unknown>): boolean {
  const rule = field(props, "serverSideEncryptionConfiguration", "rule");
  if (rule !== undefined && encrypts([rule])) return true;
  const configs = props["serverSideEncryptionConfigurations"];
  return (Array.isArray(configs) ? configs : []).some((c) => {
    const rules = field(c, "rules");
    return (Array.isArray(rules) ? rules : []).some((r) => {
      const defaults = field(r, "applyServerSideEncryptionByDefaults");
      return (Array.isArray(defaults) ? defaults : []).some((d) => {
        const algorithm = field(d, "sseAlgorithm");
        return typeof algorithm === "string" && algorithms.includes(algorithm);
      });
    });
  });
}

export const awsS3BucketEnableEncryption: StackValidationPolicy = {
  name: "aws-s3-bucket-enable-encryption",
  description:
    "S3 buckets must declare default server-side encryption (AES256, aws:kms or aws:kms:dsse) through aws.s3.BucketServerSideEncryptionConfiguration.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const index = stackIndex(args.resources);
    const buckets = bucketTypes.flatMap((t) => index.ofType(t));
    if (buckets.length === 0) args.notApplicable("no S3 bucket in the stack");
    const byName = bucketsByName(buckets);
    const covered = new Set<PolicyResource>();
    for (const config of [
      ...index.ofType(awsTypes.encryption),
      ...index.ofType(awsTypes.encryptionV2),
    ]) {
      // A broken configuration is reported once, on itself, not again on its bucket.
      for (const bucket of targetBuckets(config, byName)) covered.add(bucket);
      const rules = known(() => defaultAlgorithms(config.props["rules"]));
      if (isUnknown(rules)) {
        reportUndecided(reportViolation, config, rules, "its algorithm cannot be checked yet");
      } else if (!rules.some((a) => typeof a === "string" && algorithms.includes(a))) {
        reportViolation(
          `Encryption configuration sets sseAlgorithm ${show(rules)}; expected a rule with applyServerSideEncryptionByDefault.sseAlgorithm ${algorithms.join(", ")}.`,
          config.urn,
        );
      }
    }
    for (const bucket of buckets) {
      if (covered.has(bucket)) continue;
      const inline = known(() => encryptsInline(bucket.props));
      if (inline === true) continue;
      if (isUnknown(inline)) {
        reportUndecided(
          reportViolation,
          bucket,
          inline,
          "whether it declares default encryption cannot be told yet",
        );
        continue;
      }
      reportViolation(
        "S3 bucket declares no default encryption. Add an aws.s3.BucketServerSideEncryptionConfiguration with applyServerSideEncryptionByDefault.sseAlgorithm AES256 or aws:kms.",
        bucket.urn,
      );
    }
  },
};
