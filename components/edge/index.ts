export { HttpsStaticSite, validateHttpsStaticSiteArgs } from "./https-static-site";
export { oacBucketPolicy, siteBucketPolicy } from "./site-distribution";
export type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteLogBucket,
  HttpsStaticSiteOptions,
  SiteDnsRecord,
  SiteFunctionAssociation,
  SiteStandardLogging,
} from "./https-static-site";
export {
  DnsValidationMode,
  FrameOption,
  FunctionEventType,
  PriceClass,
  ReferrerPolicy,
  StandardLogFormat,
  siteDefaults,
} from "./https-static-site-types";
export {
  cloudFrontSecurityPolicies,
  meetsSecurityPolicy,
  distinctValidationNames,
  isWithinDomain,
} from "../../lib/domains";
export { awsProviderArgsFromStack } from "./aws-provider";
export { viewerRequestFunctionCode, cloudFrontFunctionRuntime } from "./viewer-request-function";
export type { ViewerRequestSettings } from "./viewer-request-function";
