// What the pack still gets wrong on the corpus, by mode: each line names the resource and the
// policy that must catch it (a miss) or says it was flagged though good (a false positive).
export const knownGaps: readonly string[] = [
  "engine missed bad-bucket-no-block (aws-s3-bucket-disallow-public-access)",
  "engine missed bad-bucket-no-encryption (aws-s3-bucket-enable-encryption)",
  "engine missed bad-bucket-public-read (aws-s3-bucket-disallow-public-access)",
  "engine missed bad-db-no-backups (gcp-spanner-database-enable-backup-schedule)",
  "engine missed bad-dist-no-headers (aws-cloudfront-distribution-enable-security-headers)",
  "engine missed bad-dist-no-logging (aws-cloudfront-distribution-enable-access-logging)",
  "engine missed bad-headers-weak-hsts (aws-cloudfront-distribution-enable-security-headers)",
  "engine missed bad-no-dead-letter (gcp-pubsub-subscription-enable-dead-letter-policy)",
  "engine missed bad-no-grants (gcp-pubsub-subscription-enforce-dead-letter-permissions)",
  "engine missed bad-undrained-dlq (gcp-pubsub-topic-enforce-dead-letter-subscription)",
  "preview missed bad-db-no-backups (gcp-spanner-database-enable-backup-schedule)",
  "preview missed bad-dist-no-headers (aws-cloudfront-distribution-enable-security-headers)",
  "preview missed bad-dist-no-logging (aws-cloudfront-distribution-enable-access-logging)",
  "preview missed bad-headers-weak-hsts (aws-cloudfront-distribution-enable-security-headers)",
  "preview missed bad-no-dead-letter (gcp-pubsub-subscription-enable-dead-letter-policy)",
  "preview missed bad-no-grants (gcp-pubsub-subscription-enforce-dead-letter-permissions)",
  "preview missed bad-undrained-dlq (gcp-pubsub-topic-enforce-dead-letter-subscription)",
];
