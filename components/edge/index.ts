export { HttpsStaticSite, validateHttpsStaticSiteArgs } from "./https-static-site";
export { oacBucketPolicy } from "./site-distribution";
export type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteLogBucket,
  SiteDnsRecord,
} from "./https-static-site";
export {
  httpsStaticSiteArgsSchema,
  httpsStaticSiteShape,
  httpsStaticSiteRules,
  certificateNames,
  dnsValidationModes,
  siteDefaults,
} from "./https-static-site-schema";
export type { DnsValidationMode } from "./https-static-site-schema";
export {
  cloudFrontSecurityPolicies,
  meetsSecurityPolicy,
  distinctValidationNames,
  isWithinDomain,
} from "../../lib/domains";
export { awsProviderArgsFromStack } from "./aws-provider";
