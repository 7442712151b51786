export { HttpsStaticSite, validateHttpsStaticSiteArgs } from "./https-static-site";
export { oacBucketPolicy, siteBucketPolicy } from "./site-distribution";
export type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteLogBucket,
  SiteDnsRecord,
  SiteFunctionAssociation,
} from "./https-static-site";
export {
  httpsStaticSiteArgsSchema,
  httpsStaticSiteShape,
  httpsStaticSiteRules,
  certificateNames,
  dnsValidationModes,
  siteDefaults,
  resolveSiteSettings,
} from "./https-static-site-schema";
export type { DnsValidationMode } from "./https-static-site-schema";
export {
  cloudFrontSecurityPolicies,
  meetsSecurityPolicy,
  distinctValidationNames,
  isWithinDomain,
} from "../../lib/domains";
export { awsProviderArgsFromStack } from "./aws-provider";
export { viewerRequestFunctionCode, cloudFrontFunctionRuntime } from "./viewer-request-function";
export type { ViewerRequestSettings } from "./viewer-request-function";
