import "./peers";
import type { Policies } from "@pulumi/policy";
import { withExemptions } from "../shared/exemptions";
import { awsAcmCertificateConfigureDnsValidation } from "./acm/certificate/configure-dns-validation";
import { awsCloudfrontDistributionConfigureAcmCertificate } from "./cloudfront/distribution/configure-acm-certificate";
import { awsCloudfrontDistributionConfigureSecureTls } from "./cloudfront/distribution/configure-secure-tls";
import { awsCloudfrontDistributionDisallowUnencryptedTraffic } from "./cloudfront/distribution/disallow-unencrypted-traffic";
import { awsCloudfrontDistributionEnableAccessLogging } from "./cloudfront/distribution/enable-access-logging";
import { awsCloudfrontDistributionEnableSecurityHeaders } from "./cloudfront/distribution/enable-security-headers";
import { awsCloudfrontDistributionEnforceUsEast1Certificate } from "./cloudfront/distribution/enforce-us-east-1-certificate";
import { awsS3BucketDisallowPublicAccess } from "./s3/bucket/disallow-public-access";
import { awsS3BucketEnableEncryption } from "./s3/bucket/enable-encryption";
import { awsCloudfrontDistributionConfigureOriginTls } from "./cloudfront/distribution/configure-origin-tls";
import { awsCloudfrontDistributionEnableWaf } from "./cloudfront/distribution/enable-waf";
import { awsS3BucketpolicyDisallowPublicAccess } from "./s3/bucketpolicy/disallow-public-access";
import { awsS3BucketpolicyEnforceSecureTransport } from "./s3/bucketpolicy/enforce-secure-transport";

export type { ConfigureSecureTlsConfig } from "./cloudfront/distribution/configure-secure-tls";
export type { EnableSecurityHeadersConfig } from "./cloudfront/distribution/enable-security-headers";
export { exemptKey, exemptReasonKey, withExemption, withExemptions } from "../shared/exemptions";
export type { PolicyExemption } from "../shared/exemptions";
export {
  awsAcmCertificateConfigureDnsValidation,
  awsCloudfrontDistributionConfigureAcmCertificate,
  awsCloudfrontDistributionConfigureSecureTls,
  awsCloudfrontDistributionDisallowUnencryptedTraffic,
  awsCloudfrontDistributionEnableAccessLogging,
  awsCloudfrontDistributionEnableSecurityHeaders,
  awsCloudfrontDistributionEnforceUsEast1Certificate,
  awsS3BucketDisallowPublicAccess,
  awsS3BucketEnableEncryption,
  awsCloudfrontDistributionConfigureOriginTls,
  awsCloudfrontDistributionEnableWaf,
  awsS3BucketpolicyDisallowPublicAccess,
  awsS3BucketpolicyEnforceSecureTransport,
};

/** Every AWS policy in the pack, each honouring per-resource exemptions. */
export const awsPolicies: Policies = withExemptions([
  awsS3BucketDisallowPublicAccess,
  awsS3BucketEnableEncryption,
  awsCloudfrontDistributionConfigureSecureTls,
  awsCloudfrontDistributionDisallowUnencryptedTraffic,
  awsCloudfrontDistributionConfigureAcmCertificate,
  awsCloudfrontDistributionEnableSecurityHeaders,
  awsCloudfrontDistributionEnableAccessLogging,
  awsAcmCertificateConfigureDnsValidation,
  awsCloudfrontDistributionEnforceUsEast1Certificate,
  awsCloudfrontDistributionConfigureOriginTls,
  awsCloudfrontDistributionEnableWaf,
  awsS3BucketpolicyDisallowPublicAccess,
  awsS3BucketpolicyEnforceSecureTransport,
]);
