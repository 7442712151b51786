import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { minimumSecurityPolicy, oneYearSeconds } from "../../lib/domains";

// HttpsStaticSite's args, without zod, so the component's published types stay zod-free
// (https-static-site-schema.ts checks them). Each choice is an `as const` object and a union of
// its values under one name: Pulumi's component analyzer turns it into a schema enum for Python
// and Go, and TypeScript callers keep writing the plain strings.

/** How the certificate's DNS validation records are published. */
export const DnsValidationMode = {
  /** Records created in a Route 53 hosted zone (`route53ZoneId`). */
  Route53: "route53",
  /** Records created in a Google Cloud DNS managed zone (`cloudDnsManagedZone`). */
  CloudDns: "cloud-dns",
  /** Records returned as outputs for a registrar or DNS host outside the stack. */
  External: "external",
} as const;
export type DnsValidationMode = (typeof DnsValidationMode)[keyof typeof DnsValidationMode];

/** CloudFront price classes. */
export const PriceClass = {
  PriceClass100: "PriceClass_100",
  PriceClass200: "PriceClass_200",
  PriceClassAll: "PriceClass_All",
} as const;
export type PriceClass = (typeof PriceClass)[keyof typeof PriceClass];

/** `X-Frame-Options` values. */
export const FrameOption = {
  Deny: "DENY",
  SameOrigin: "SAMEORIGIN",
} as const;
export type FrameOption = (typeof FrameOption)[keyof typeof FrameOption];

/** `Referrer-Policy` values. */
export const ReferrerPolicy = {
  NoReferrer: "no-referrer",
  NoReferrerWhenDowngrade: "no-referrer-when-downgrade",
  Origin: "origin",
  OriginWhenCrossOrigin: "origin-when-cross-origin",
  SameOrigin: "same-origin",
  StrictOrigin: "strict-origin",
  StrictOriginWhenCrossOrigin: "strict-origin-when-cross-origin",
  UnsafeUrl: "unsafe-url",
} as const;
export type ReferrerPolicy = (typeof ReferrerPolicy)[keyof typeof ReferrerPolicy];

/** Output formats of CloudFront standard logging v2. */
export const StandardLogFormat = {
  Json: "json",
  W3c: "w3c",
  Parquet: "parquet",
  Plain: "plain",
} as const;
export type StandardLogFormat = (typeof StandardLogFormat)[keyof typeof StandardLogFormat];

/** CloudFront Function event types that can be associated with a cache behavior. */
export const FunctionEventType = {
  ViewerRequest: "viewer-request",
  ViewerResponse: "viewer-response",
} as const;
export type FunctionEventType = (typeof FunctionEventType)[keyof typeof FunctionEventType];

/** What a site gets for each setting left out (documented as `@default` on its args). */
export const siteDefaults = {
  minimumProtocolVersion: minimumSecurityPolicy,
  hstsMaxAgeSeconds: 2 * oneYearSeconds,
  hstsPreload: false,
  frameOption: "DENY",
  referrerPolicy: "strict-origin-when-cross-origin",
  defaultRootObject: "index.html",
  spaFallback: false,
  versioning: true,
  priceClass: "PriceClass_100",
  logPrefix: "cloudfront/",
  htmlCacheSeconds: 60,
  noncurrentVersionExpirationDays: 30,
  directoryIndex: false,
  certificateNameQuota: 10,
} as const;

/**
 * CloudFront standard logging (v2): a CloudWatch Logs delivery of the distribution's access logs
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html).
 */
export interface SiteStandardLogging {
  /**
   * Where the logs go: an S3 bucket's ARN (its policy must let `delivery.logs.amazonaws.com`
   * write), a CloudWatch Logs log group's ARN, or a Firehose stream's ARN.
   */
  readonly destinationArn: pulumi.Input<string>;
  /** The records' format. @default "json" */
  readonly outputFormat?: StandardLogFormat;
}

/** Where CloudFront writes standard access logs. */
export interface HttpsStaticSiteLogBucket {
  /** The log bucket's domain name, e.g. `acme-logs.s3.amazonaws.com` (`bucket.bucketDomainName`). */
  readonly bucketDomainName: pulumi.Input<string>;
  /**
   * The log bucket's `aws.s3.BucketOwnershipControls` object ownership. CloudFront writes logs
   * with an ACL, so only `BucketOwnerPreferred` or `ObjectWriter` work; anything else is refused.
   * @default - none, which is refused
   */
  readonly objectOwnership?: string;
}

/** A CloudFront Function run on every request or response of the site. */
export interface SiteFunctionAssociation {
  /** `viewer-request` (before the cache) or `viewer-response` (before the viewer). */
  readonly eventType: FunctionEventType;
  /** The function's ARN (`aws.cloudfront.Function.arn`), published (`publish: true`). */
  readonly functionArn: pulumi.Input<string>;
}

/** HttpsStaticSite's args (checked by {@link httpsStaticSiteArgsSchema}). */
export interface HttpsStaticSiteArgs {
  /** The DNS zone's domain (its apex), e.g. `acme-shop.example`; every name must be within it. */
  readonly domainName: string;
  /** Host names CloudFront serves, e.g. `["www.acme-shop.example"]`; the certificate covers each. */
  readonly aliases: string[];
  /** More certificate names, e.g. `*.acme-shop.example`. @default [] */
  readonly subjectAlternativeNames?: string[];
  /**
   * Where the certificate's DNS validation CNAMEs (and the aliases' records) go: `route53` (a
   * hosted zone), `cloud-dns` (a Google Cloud DNS managed zone) or `external` (stack outputs for
   * entry at a registrar).
   */
  readonly dnsValidation: DnsValidationMode;
  /**
   * The Route 53 hosted zone of `domainName` (e.g. an `aws.route53.Zone`'s `zoneId`); required
   * with `route53`. An Output is checked once it resolves. @default - none
   */
  readonly route53ZoneId?: pulumi.Input<string>;
  /**
   * The Cloud DNS managed zone of `domainName` (e.g. a `gcp.dns.ManagedZone`'s `name`); required
   * with `cloud-dns`. An Output is checked once it resolves. @default - none
   */
  readonly cloudDnsManagedZone?: pulumi.Input<string>;
  /** The GCP project of the managed zone. @default - the gcp provider's project */
  readonly cloudDnsProject?: string;
  /**
   * Aliases whose record is kept outside the zone (the apex on Cloud DNS, which cannot hold a
   * CNAME); listed in `aliasRecords` for entry at the registrar. @default []
   */
  readonly externalAliasRecords?: string[];
  /** Oldest viewer security policy (`TLSv1.2_2021` or newer). @default "TLSv1.2_2021" */
  readonly minimumProtocolVersion?: string;
  /** HSTS max-age, at least a year. @default 63072000 (2 years) */
  readonly hstsMaxAgeSeconds?: number;
  /** Add `preload` to HSTS (only once every subdomain serves HTTPS). @default false */
  readonly hstsPreload?: boolean;
  /** `X-Frame-Options`. @default "DENY" */
  readonly frameOption?: FrameOption;
  /** `Referrer-Policy`. @default "strict-origin-when-cross-origin" */
  readonly referrerPolicy?: ReferrerPolicy;
  /** Object served for `/`. @default "index.html" */
  readonly defaultRootObject?: string;
  /** Answer 403/404 with the root object and 200, for single-page apps. @default false */
  readonly spaFallback?: boolean;
  /** Keep old object versions in the bucket. @default true */
  readonly versioning?: boolean;
  /** CloudFront price class. @default "PriceClass_100" */
  readonly priceClass?: PriceClass;
  /** A WAFv2 web ACL (scope CLOUDFRONT) in front of the distribution. @default - none */
  readonly webAclArn?: pulumi.Input<string>;
  /** Standard access logs to this bucket. @default - no access logs */
  readonly logBucket?: HttpsStaticSiteLogBucket;
  /** Key prefix of the access logs; only with `logBucket`. @default "cloudfront/" */
  readonly logPrefix?: string;
  /** Tags on every AWS resource that takes them, beside `managed-by: taskstack`. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * `includeSubDomains` in HSTS. On for an apex alias, it forces HTTPS on every host of the
   * company's domain (intranet, mail, vendors' CNAMEs) for `hstsMaxAgeSeconds`, so it is off
   * there unless asked for; on a host below the apex it covers only that host's own subdomains.
   * @default - false when an alias is `domainName` itself, unless `hstsPreload`; true otherwise
   */
  readonly hstsIncludeSubdomains?: boolean;
  /** A `Content-Security-Policy` header on every response (at most 1783 characters). @default - none */
  readonly contentSecurityPolicy?: string;
  /** More response headers (at most 10; not the security headers above). @default {} */
  readonly customHeaders?: Readonly<Record<string, string>>;
  /**
   * How long CloudFront keeps HTML (`*.html`, at most this long whatever the upload says) and any
   * object uploaded without `Cache-Control` (this long). Others keep what their `Cache-Control`
   * says, up to a year: upload hashed assets with `public, max-age=31536000, immutable`.
   * @default 60 (cloudposse cloudfront-s3-cdn's default TTL)
   */
  readonly htmlCacheSeconds?: number;
  /** Object served, with status 404, for a missing path; not with `spaFallback`. @default - CloudFront's own error */
  readonly notFoundPage?: string;
  /** Delete an overwritten or deleted object's old version this many days later. @default 30 */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Serve `/docs/` from `/docs/<defaultRootObject>` and redirect `/docs` to `/docs/`, through the
   * site's viewer-request CloudFront Function. @default false
   */
  readonly directoryIndex?: boolean;
  /**
   * One of the aliases: requests for any other alias get a 301 to it (`www` → apex, or the
   * reverse), path and query kept, through the site's viewer-request function. @default - none
   */
  readonly canonicalHost?: string;
  /**
   * Your own CloudFront Functions, on every cache behavior; one per event type, and no
   * `viewer-request` one with `directoryIndex` or `canonicalHost`. @default []
   */
  readonly functionAssociations?: SiteFunctionAssociation[];
  /** ACM's names-per-certificate quota of your account (10 unless raised). @default 10 */
  readonly certificateNameQuota?: number;
  /**
   * Standard logging v2 (a CloudWatch Logs delivery, made in us-east-1 as CloudFront requires),
   * beside or instead of `logBucket`. @default - none
   */
  readonly standardLogging?: SiteStandardLogging;
  /** Protect the bucket (the site's content) from deletion. @default false */
  readonly protect?: boolean;
  /**
   * With `external`: the validation records (the `validationRecords` output of the first `up`)
   * are entered at the registrar. Until then only the bucket and the certificate are created,
   * since ACM cannot issue it before; set it to create the distribution and its records on the
   * next `up`. Only with `external`. @default false
   */
  readonly validationRecordsPublished?: boolean;
}

/**
 * HttpsStaticSite's resource options: Pulumi's, plus the us-east-1 provider. A provider is a
 * resource option in Pulumi's model, not an arg: as an arg, the schema Pulumi's component analyzer
 * derives for Python, Go, .NET and YAML (`pulumi package add`) refers to it as a resource
 * (`#/resources/aws`), which Pulumi's schema binder refuses. From those languages the site makes
 * its own us-east-1 provider from the stack's `aws:` config.
 */
export interface HttpsStaticSiteOptions extends pulumi.ComponentResourceOptions {
  /**
   * The us-east-1 provider for the certificate, for when the site's other resources use an
   * explicit provider (another account or role) that the stack's `aws:` config does not describe.
   * @default - a us-east-1 provider with the stack's `aws:` config (profile, roles, credentials)
   */
  readonly usEast1Provider?: aws.Provider;
}

/** A DNS record someone (or the component) must publish. */
export interface SiteDnsRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

/** The settings a site has a default for, resolved. */
export type ResolvedSiteSettings = {
  readonly [K in keyof typeof siteDefaults]-?: NonNullable<HttpsStaticSiteArgs[K]>;
} & { readonly hstsIncludeSubdomains: boolean };
