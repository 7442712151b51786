import { z } from "zod";
import {
  httpsStaticSiteRules,
  httpsStaticSiteShape,
} from "../../components/edge/https-static-site-schema";
import { always, expected } from "../../components/shared/schema";
import type { StackRules } from "./rules";

/**
 * A stack file's static site: HttpsStaticSite's args as they are (`cloudDnsProject` falls back to
 * `taskstack:gcp.project`), minus what the stack decides (`protect` follows
 * `taskstack:deletionProtection`, tags carry the environment).
 */
const site = z
  .strictObject(
    httpsStaticSiteShape,
    expected("a static site: a mapping with domainName and aliases"),
  )
  .superRefine(httpsStaticSiteRules, always);

/** `taskstack:aws`: the HTTPS static site in front of S3 (optional: dev may leave it out). */
export const awsSection = z
  .strictObject({ site: site.optional() }, expected("a mapping with an optional site"))
  .optional();

export type AwsConfig = z.output<typeof awsSection>;
export type SiteConfig = NonNullable<NonNullable<AwsConfig>["site"]>;

const key = "taskstack:aws";

export function awsRules(section: AwsConfig, rules: StackRules): void {
  const s = section?.site;
  if (s === undefined || rules.environment !== "prod") return;
  // Prod invariant: an overwritten or deleted page must be recoverable.
  if (s.versioning === false) {
    rules.problem(
      [key, "site", "versioning"],
      "true in prod (overwritten or deleted files must be recoverable)",
      false,
    );
  }
}
