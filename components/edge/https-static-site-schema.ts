import * as aws from "@pulumi/aws";
import { z } from "zod";
import { describeValue } from "../shared/errors";
import {
  DnsValidationMode,
  FrameOption,
  FunctionEventType,
  PriceClass,
  ReferrerPolicy,
  StandardLogFormat,
  siteDefaults,
} from "./https-static-site-types";
import type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteLogBucket,
  ResolvedSiteSettings,
  SiteDnsRecord,
  SiteFunctionAssociation,
  SiteStandardLogging,
} from "./https-static-site-types";
import { always, bool, expected, gcpProjectId, int, pattern, problem } from "../shared/schema";
import {
  acceptedSecurityPolicies,
  certificateNamePattern,
  hostNamePattern,
  isWithinDomain,
  meetsSecurityPolicy,
  minimumSecurityPolicy,
  domainSlug,
  oneYearSeconds,
  validationBaseName,
} from "../../lib/domains";

// HttpsStaticSite's one args schema: the component validates with it, and the stack file's
// `taskstack:aws.site` is built from its shape and rules (stacks/sections/aws.ts). The args'
// interfaces and enums live in https-static-site-types.ts, without zod.

const valuesOf = <T extends Record<string, string>>(o: T) =>
  Object.values(o) as [T[keyof T], ...T[keyof T][]];
/** How the certificate's DNS validation records are published. */
export const dnsValidationModes = valuesOf(DnsValidationMode);
export const priceClasses = valuesOf(PriceClass);
export const frameOptions = valuesOf(FrameOption);
export const referrerPolicies = valuesOf(ReferrerPolicy);
/** S3 object ownership settings that keep ACLs enabled, which CloudFront's standard logs need. */
export const loggingOwnerships = ["BucketOwnerPreferred", "ObjectWriter"] as const;
/** Output formats of CloudFront standard logging v2. */
export const standardLogFormats = valuesOf(StandardLogFormat);
/** CloudFront Function event types that can be associated with a cache behavior. */
export const functionEventTypes = valuesOf(FunctionEventType);

export {
  DnsValidationMode,
  FrameOption,
  FunctionEventType,
  PriceClass,
  ReferrerPolicy,
  StandardLogFormat,
  siteDefaults,
};
export type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteLogBucket,
  ResolvedSiteSettings,
  SiteDnsRecord,
  SiteFunctionAssociation,
  SiteStandardLogging,
};

/**
 * ACM's default quota of names on one certificate ("Number of domain names per ACM certificate",
 * https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html); an account can have it
 * raised, to at most 100.
 */
export const acmDefaultNamesPerCertificate = 10;
/**
 * The certificate's first name becomes its subject common name, which RFC 5280 caps at 64
 * octets; ACM refuses a longer first name (RequestCertificate, `DomainName`). Later names may be
 * up to 253.
 */
export const acmFirstNameMaxLength = 64;
/**
 * CloudFront refuses a longer Content-Security-Policy value (TooLongCSPInResponseHeadersPolicy;
 * the number is on the CloudFront quotas page, "Response headers policies",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html).
 */
export const contentSecurityPolicyMaxLength = 1783;
/** Custom headers in one response headers policy (same page; TooManyCustomHeadersInResponseHeadersPolicy). */
export const customHeadersMax = 10;
/**
 * Headers a response headers policy sets through its security headers config: CloudFront refuses
 * them as custom headers, and taskstack sets them from its own arguments.
 */
export const securityHeaderNames = [
  "content-security-policy",
  "referrer-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-frame-options",
  "x-xss-protection",
] as const;

const hostName = pattern(
  hostNamePattern,
  'a lowercase DNS host name such as "www.example.com" (no wildcard, no trailing dot)',
);
const certificateName = pattern(
  certificateNamePattern,
  'a lowercase DNS name such as "www.example.com" or "*.example.com"',
);

const names = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, expected(`a list of ${what}`));

export const httpsStaticSiteShape = {
  domainName: hostName,
  aliases: names(hostName, "host names").min(1, expected("at least one host name")),
  subjectAlternativeNames: names(certificateName, "certificate names").optional(),
  dnsValidation: z.enum(dnsValidationModes, expected(`one of ${dnsValidationModes.join(", ")}`)),
  route53ZoneId: pattern(
    /^Z[A-Z0-9]{1,31}$/,
    'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
  ).optional(),
  cloudDnsManagedZone: pattern(
    /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    "a Cloud DNS managed zone name: lowercase letters, digits and -, starting with a letter",
  ).optional(),
  cloudDnsProject: gcpProjectId.optional(),
  externalAliasRecords: names(hostName, "host names").optional(),
  validationRecordsPublished: bool.optional(),
  minimumProtocolVersion: z
    .string(expected("a CloudFront security policy"))
    .refine(
      (v) => meetsSecurityPolicy(v),
      expected(
        `a CloudFront security policy of ${minimumSecurityPolicy} or newer (${acceptedSecurityPolicies().join(", ")}); older ones allow TLS below 1.2 or weak ciphers`,
      ),
    )
    .optional(),
  hstsMaxAgeSeconds: int(oneYearSeconds, 2_147_483_647).optional(),
  hstsPreload: bool.optional(),
  frameOption: z.enum(frameOptions, expected(`one of ${frameOptions.join(", ")}`)).optional(),
  referrerPolicy: z
    .enum(referrerPolicies, expected(`one of ${referrerPolicies.join(", ")}`))
    .optional(),
  defaultRootObject: pattern(
    /^[A-Za-z0-9._~-][A-Za-z0-9._~/-]{0,254}$/,
    'an object key such as "index.html" (no leading /)',
  ).optional(),
  spaFallback: bool.optional(),
  versioning: bool.optional(),
  priceClass: z.enum(priceClasses, expected(`one of ${priceClasses.join(", ")}`)).optional(),
  webAclArn: pattern(
    /^arn:aws:wafv2:us-east-1:[0-9]{12}:global\/webacl\/[A-Za-z0-9_-]+\/[a-f0-9-]{36}$/,
    "a WAFv2 web ACL ARN with scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)",
  ).optional(),
  logBucket: z
    .strictObject(
      {
        bucketDomainName: pattern(
          /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\.s3(?:\.[a-z0-9-]+)?\.amazonaws\.com$/,
          'a bucket domain name such as "acme-logs.s3.amazonaws.com"',
        ),
        objectOwnership: z.string(expected("the log bucket's S3 object ownership")).optional(),
      },
      expected("a log bucket: a mapping with bucketDomainName and objectOwnership"),
    )
    .optional(),
  logPrefix: pattern(
    /^[A-Za-z0-9!_.*'()/-]{0,100}$/,
    "an S3 key prefix such as cloudfront/",
  ).optional(),
  hstsIncludeSubdomains: bool.optional(),
  contentSecurityPolicy: z
    .string(expected("a Content-Security-Policy value"))
    .min(1, expected("a Content-Security-Policy value"))
    .max(
      contentSecurityPolicyMaxLength,
      expected(
        `a Content-Security-Policy value of at most ${contentSecurityPolicyMaxLength} characters (CloudFront's limit)`,
      ),
    )
    .optional(),
  customHeaders: z
    .record(
      pattern(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}$/, "HTTP header names"),
      z.string(expected("a header value")),
      expected("a map of response header names to values"),
    )
    .optional(),
  htmlCacheSeconds: int(1, 86_400).optional(),
  notFoundPage: pattern(
    /^[A-Za-z0-9._~-][A-Za-z0-9._~/-]{0,254}$/,
    'an object key such as "404.html" (no leading /)',
  ).optional(),
  noncurrentVersionExpirationDays: int(1, 3650).optional(),
  directoryIndex: bool.optional(),
  canonicalHost: hostName.optional(),
  functionAssociations: z
    .array(
      z.strictObject(
        {
          eventType: z.enum(
            functionEventTypes,
            expected(`one of ${functionEventTypes.join(", ")}`),
          ),
          functionArn: pattern(
            /^arn:aws:cloudfront::[0-9]{12}:function\/[A-Za-z0-9_-]{1,64}$/,
            "a CloudFront Function ARN (arn:aws:cloudfront::<account>:function/<name>)",
          ),
        },
        expected("a function association: a mapping with eventType and functionArn"),
      ),
      expected("a list of function associations"),
    )
    .optional(),
  certificateNameQuota: int(acmDefaultNamesPerCertificate, 100).optional(),
  standardLogging: z
    .strictObject(
      {
        destinationArn: pattern(
          /^arn:aws:(?:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]|logs:[a-z0-9-]+:[0-9]{12}:log-group:[\w./#-]+(?::\*)?|firehose:[a-z0-9-]+:[0-9]{12}:deliverystream\/[\w.-]+)$/,
          "the ARN of an S3 bucket, a CloudWatch Logs log group or a Firehose stream",
        ),
        outputFormat: z
          .enum(standardLogFormats, expected(`one of ${standardLogFormats.join(", ")}`))
          .optional(),
      },
      expected("standard logging: a mapping with destinationArn and an optional outputFormat"),
    )
    .optional(),
  tags: z
    .record(
      pattern(/^[\w.:/=+@ -]{1,128}$/, "tag keys of at most 128 characters"),
      pattern(/^[\w.:/=+@ -]{0,256}$/, "tag values of at most 256 characters"),
      expected("a map of tags"),
    )
    .optional(),
};

type SiteLike = Partial<Record<keyof typeof httpsStaticSiteShape, unknown>>;

const strings = (value: unknown): [string, number][] =>
  Array.isArray(value)
    ? value.flatMap((v, i): [string, number][] => (typeof v === "string" ? [[v, i]] : []))
    : [];

/** Rules that span a site's fields: names inside the domain, DNS mode settings, logging. */
export function httpsStaticSiteRules(s: SiteLike, ctx: z.RefinementCtx): void {
  // An invalid domain is reported once, by its own field, not again by every name checked against it.
  const domain =
    typeof s.domainName === "string" && hostNamePattern.test(s.domainName)
      ? s.domainName
      : undefined;
  // An unknown mode is reported once, by its own field, not again by each mode-dependent rule.
  const mode = (dnsValidationModes as readonly unknown[]).includes(s.dnsValidation)
    ? s.dnsValidation
    : undefined;
  const aliases = strings(s.aliases);
  const external = new Set(strings(s.externalAliasRecords).map(([n]) => n));
  const seen = new Set<string>();
  for (const [alias, i] of aliases) {
    if (seen.has(alias)) {
      problem(ctx, ["aliases", i], "host names listed once", alias);
      continue;
    }
    seen.add(alias);
    if (domain !== undefined && !isWithinDomain(alias, domain)) {
      problem(ctx, ["aliases", i], `${domain} or a name below it`, alias);
    } else if (mode === "cloud-dns" && alias === domain && !external.has(alias)) {
      problem(
        ctx,
        ["aliases", i],
        `a name below ${domain} with cloud-dns: a CNAME cannot sit at the zone apex and Cloud DNS has no alias record for CloudFront`,
        alias,
        "List it in externalAliasRecords and point it at the distribution at your registrar (ALIAS/ANAME), or use route53",
      );
    }
  }
  for (const [name, i] of strings(s.subjectAlternativeNames)) {
    if (domain !== undefined && !isWithinDomain(name, domain)) {
      problem(
        ctx,
        ["subjectAlternativeNames", i],
        `${domain}, a name below it, or a wildcard below it (the validation records live in ${domain}'s zone)`,
        name,
      );
    }
  }
  for (const [name, i] of strings(s.externalAliasRecords)) {
    if (Array.isArray(s.aliases) && !seen.has(name))
      problem(ctx, ["externalAliasRecords", i], "one of the aliases", name);
  }
  const requireFor = (key: keyof SiteLike, needed: DnsValidationMode, what: string): void => {
    if (mode === needed && s[key] === undefined) {
      problem(ctx, [key], `${what} with dnsValidation ${needed}`, undefined);
    } else if (mode !== undefined && mode !== needed && s[key] !== undefined) {
      problem(
        ctx,
        [key],
        `nothing with dnsValidation ${String(mode)} (only ${needed} uses it)`,
        s[key],
      );
    }
  };
  requireFor("route53ZoneId", "route53", "the hosted zone id of the domain");
  requireFor("cloudDnsManagedZone", "cloud-dns", "the managed zone of the domain");
  if (mode !== "cloud-dns" && s.cloudDnsProject !== undefined) {
    problem(
      ctx,
      ["cloudDnsProject"],
      "nothing unless dnsValidation is cloud-dns",
      s.cloudDnsProject,
    );
  }
  if (mode !== "external" && s.validationRecordsPublished !== undefined) {
    problem(
      ctx,
      ["validationRecordsPublished"],
      "nothing unless dnsValidation is external (route53 and cloud-dns publish the records themselves)",
      s.validationRecordsPublished,
    );
  }
  if (mode === "external" && s.externalAliasRecords !== undefined) {
    problem(
      ctx,
      ["externalAliasRecords"],
      "nothing with dnsValidation external (every alias record is external then)",
      s.externalAliasRecords,
    );
  }
  certificateRules(s, aliases, ctx);
  servingRules(s, seen, ctx);
  const log = s.logBucket;
  if (typeof log === "object" && log !== null && !Array.isArray(log)) {
    const ownership = (log as { objectOwnership?: unknown }).objectOwnership;
    if (!(loggingOwnerships as readonly unknown[]).includes(ownership)) {
      problem(
        ctx,
        ["logBucket", "objectOwnership"],
        `${loggingOwnerships.join(" or ")}: CloudFront writes standard logs with an ACL, so the log bucket's ownership controls must allow ACLs`,
        ownership,
        "Give the log bucket an aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerPreferred and say so here",
      );
    }
  } else if (s.logPrefix !== undefined) {
    problem(ctx, ["logPrefix"], "nothing without logBucket", s.logPrefix);
  }
}

/**
 * Names the certificate and the records are derived from: ACM's limits, and logical names that
 * two distinct names must not share (`shop-eu.a.example` and `shop.eu.a.example` both slug to
 * `shop-eu-a-example`, so their records would be one Pulumi resource declared twice).
 */
function certificateRules(s: SiteLike, aliases: [string, number][], ctx: z.RefinementCtx): void {
  const first = aliases[0];
  if (first !== undefined && first[0].length > acmFirstNameMaxLength) {
    problem(
      ctx,
      ["aliases", 0],
      `a first alias of at most ${acmFirstNameMaxLength} characters: it becomes the certificate's common name, which ACM caps at ${acmFirstNameMaxLength} (RFC 5280)`,
      first[0],
      "List a shorter alias first; later names may be up to 253 characters",
    );
  }
  const sans = strings(s.subjectAlternativeNames);
  const names = [...new Set([...aliases, ...sans].map(([n]) => n))];
  const quota =
    typeof s.certificateNameQuota === "number"
      ? s.certificateNameQuota
      : acmDefaultNamesPerCertificate;
  if (names.length > quota) {
    problem(
      ctx,
      [s.subjectAlternativeNames === undefined ? "aliases" : "subjectAlternativeNames"],
      `at most ${quota} distinct certificate names, aliases and subjectAlternativeNames together (ACM's quota per certificate${quota === acmDefaultNamesPerCertificate ? " is 10 by default" : " as raised"})`,
      names.length,
      "Use a wildcard name, split the site, or set certificateNameQuota once your account's ACM quota is raised",
    );
  }
  const slugs = new Map<string, string>();
  const claim = (name: string, path: (string | number)[], kind: string): void => {
    const slug = `${kind}-${domainSlug(name)}`;
    const other = slugs.get(slug);
    if (other === undefined) slugs.set(slug, validationBaseName(name));
    else if (other !== validationBaseName(name)) {
      problem(
        ctx,
        path,
        `names whose resource names differ: "${name}" and "${other}" both make the ${kind} record "<site>-${slug}"`,
        name,
        "Drop one of them, or serve one from another site",
      );
    }
  };
  for (const [name, i] of aliases) claim(name, ["aliases", i], "validation");
  for (const [name, i] of sans) claim(name, ["subjectAlternativeNames", i], "validation");
  for (const [name, i] of aliases) claim(name, ["aliases", i], "alias");
}

/** How the site serves: caching, headers, error pages, functions, old versions. */
function servingRules(s: SiteLike, aliases: Set<string>, ctx: z.RefinementCtx): void {
  if (typeof s.canonicalHost === "string" && aliases.size > 0) {
    if (!aliases.has(s.canonicalHost)) {
      problem(ctx, ["canonicalHost"], "one of the aliases", s.canonicalHost);
    } else if (aliases.size < 2) {
      problem(
        ctx,
        ["canonicalHost"],
        "nothing with a single alias (no other host reaches the site to be redirected)",
        s.canonicalHost,
      );
    }
  }
  if (s.hstsPreload === true && s.hstsIncludeSubdomains === false) {
    problem(
      ctx,
      ["hstsIncludeSubdomains"],
      "true (or unset) with hstsPreload: browsers' preload list takes only includeSubDomains (hstspreload.org)",
      false,
    );
  }
  if (s.notFoundPage !== undefined && s.spaFallback === true) {
    problem(
      ctx,
      ["notFoundPage"],
      "nothing with spaFallback (every missing path is then answered by the root object)",
      s.notFoundPage,
    );
  }
  if (s.noncurrentVersionExpirationDays !== undefined && s.versioning === false) {
    problem(
      ctx,
      ["noncurrentVersionExpirationDays"],
      "nothing with versioning false (there are no old versions to expire)",
      s.noncurrentVersionExpirationDays,
    );
  }
  const headers = s.customHeaders;
  if (typeof headers === "object" && headers !== null && !Array.isArray(headers)) {
    const names = Object.keys(headers);
    if (names.length > customHeadersMax) {
      problem(
        ctx,
        ["customHeaders"],
        `at most ${customHeadersMax} custom headers (CloudFront's limit per response headers policy)`,
        names,
      );
    }
    const lower = new Set<string>();
    for (const name of names) {
      const key = name.toLowerCase();
      if ((securityHeaderNames as readonly string[]).includes(key)) {
        problem(
          ctx,
          ["customHeaders", name],
          "a header the security settings do not set: CloudFront refuses a security header as a custom one",
          name,
          key === "content-security-policy"
            ? "Use contentSecurityPolicy"
            : "Use the site's own setting for it (hsts…, frameOption, referrerPolicy)",
        );
      } else if (lower.has(key)) {
        problem(ctx, ["customHeaders", name], "each header once (names ignore case)", name);
      }
      lower.add(key);
    }
  }
  const builtIn = s.directoryIndex === true || s.canonicalHost !== undefined;
  const seenTypes = new Set<unknown>();
  const associations = Array.isArray(s.functionAssociations) ? s.functionAssociations : [];
  associations.forEach((a: unknown, i) => {
    const type = (a as { eventType?: unknown } | null)?.eventType;
    if (seenTypes.has(type)) {
      problem(
        ctx,
        ["functionAssociations", i, "eventType"],
        "one function per event type (CloudFront runs one per event and cache behavior)",
        type,
      );
    } else if (type === "viewer-request" && builtIn) {
      problem(
        ctx,
        ["functionAssociations", i, "eventType"],
        "viewer-response while directoryIndex or canonicalHost is set: those are the site's own viewer-request function, and CloudFront runs one per event",
        type,
        "Put the directory index or the redirect in your function, and unset them here",
      );
    }
    seenTypes.add(type);
  });
}

/** HttpsStaticSite's args, as its constructor checks them. */
export const httpsStaticSiteArgsSchema = z
  .strictObject(
    {
      ...httpsStaticSiteShape,
      protect: bool.optional(),
    },
    expected("HttpsStaticSite args: a mapping"),
  )
  .superRefine(httpsStaticSiteRules, always);

/**
 * What HttpsStaticSite adds to Pulumi's resource options (the rest are Pulumi's to check). The
 * constructor reports its problems under `opts.`, beside the args'.
 */
export const httpsStaticSiteOptionsSchema = z.looseObject(
  {
    usEast1Provider: z
      .custom<aws.Provider>((v) => aws.Provider.isInstance(v), expected("an aws.Provider"))
      .optional(),
  },
  expected("HttpsStaticSite options: a mapping"),
);

/** The names a site's certificate covers: the aliases, then the other names, each once. */
export function certificateNames(
  aliases: readonly string[],
  subjectAlternativeNames: readonly string[] = [],
): string[] {
  return [...new Set([...aliases, ...subjectAlternativeNames])];
}

/** A site's settings with every default filled in (undefined keys take the default). */
export function resolveSiteSettings(args: HttpsStaticSiteArgs): ResolvedSiteSettings {
  const given = Object.fromEntries(
    Object.entries(args).filter(([, v]) => v !== undefined),
  ) as Partial<HttpsStaticSiteArgs>;
  const d = { ...siteDefaults, ...given };
  return {
    ...d,
    hstsIncludeSubdomains:
      args.hstsIncludeSubdomains ?? (d.hstsPreload || !args.aliases.includes(args.domainName)),
  } as ResolvedSiteSettings;
}

/** The name Pulumi gives a child it auto-names: its logical name, `-`, and 7 random characters. */
const autoNameSuffix = 8;

/**
 * Children whose physical name Pulumi derives from the site's name, with the service's limit:
 * the origin access control (OriginAccessControlConfig.Name, "up to 64 characters", CloudFront API
 * reference) and the site's CloudFront Function (FunctionName, 64 characters, [a-zA-Z0-9-_]).
 */
export function siteNameProblems(name: unknown, args: unknown): string[] {
  if (typeof name !== "string" || name.length === 0) return [];
  const a = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
  // OAC: OriginAccessControlConfig.Name, "up to 64 characters" (CloudFront API reference);
  // function: FunctionName, 64; log delivery source and destination: 1 to 60 characters
  // (CloudWatch Logs API reference, PutDeliverySource and PutDeliveryDestination).
  const children: [string, string, number][] = [["oac", "origin access control", 64]];
  if (a["directoryIndex"] === true || a["canonicalHost"] !== undefined) {
    children.push(["viewer-request", "CloudFront Function", 64]);
  }
  if (a["standardLogging"] !== undefined) {
    children.push(["log-destination", "log delivery destination", 60]);
  }
  const problems: string[] = [];
  for (const [role, what, limit] of children) {
    const max = limit - autoNameSuffix - role.length - 1;
    if (name.length > max) {
      problems.push(
        `HttpsStaticSite ${JSON.stringify(name)} name: expected at most ${max} characters: the ${what} is named "<name>-${role}-<7 random characters>" and AWS takes at most ${limit}, got ${describeValue(name)} (${name.length}). Give the site a shorter name`,
      );
    }
  }
  return problems;
}
