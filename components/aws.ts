// `taskstack/aws`: the HTTPS static site (S3 + CloudFront + ACM) alone. It loads `@pulumi/pulumi`
// and `@pulumi/aws`; `@pulumi/gcp` only when a site validates its certificate through Cloud DNS.
import "./shared/peers-aws";

export { TaskstackInputError, isTaskstackInputError } from "./shared/errors";
export { HttpsStaticSite, validateHttpsStaticSiteArgs } from "./edge/https-static-site";
export type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteLogBucket,
  SiteDnsRecord,
} from "./edge/https-static-site";
