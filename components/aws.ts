// `taskstack/aws`: the HTTPS static site (S3 + CloudFront + ACM) alone. It loads `@pulumi/pulumi`
// and `@pulumi/aws`; `@pulumi/gcp` only when a site validates its certificate through Cloud DNS.
import "./shared/peers-aws";

export { TaskstackInputError, isTaskstackInputError } from "./shared/errors";
export {
  HttpsStaticSite,
  validateHttpsStaticSiteArgs,
  DnsValidationMode,
  FrameOption,
  FunctionEventType,
  PriceClass,
  ReferrerPolicy,
  StandardLogFormat,
} from "./edge/https-static-site";
export type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteLogBucket,
  HttpsStaticSiteOptions,
  SiteDnsRecord,
} from "./edge/https-static-site";
