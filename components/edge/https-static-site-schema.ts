import * as aws from "@pulumi/aws";
import { z } from "zod";
import { always, bool, expected, gcpProjectId, int, pattern, problem } from "../shared/schema";
import {
  acceptedSecurityPolicies,
  certificateNamePattern,
  hostNamePattern,
  isWithinDomain,
  meetsSecurityPolicy,
  minimumSecurityPolicy,
  oneYearSeconds,
} from "../../lib/domains";

// HttpsStaticSite's one args schema: the component validates with it, and the stack file's
// `taskstack:aws.site` is built from its shape and rules (stacks/sections/aws.ts).

/** How the certificate's DNS validation records are published. */
export const dnsValidationModes = ["route53", "cloud-dns", "external"] as const;
export type DnsValidationMode = (typeof dnsValidationModes)[number];

export const priceClasses = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export const frameOptions = ["DENY", "SAMEORIGIN"] as const;
export const referrerPolicies = [
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
] as const;
/** S3 object ownership settings that keep ACLs enabled, which CloudFront's standard logs need. */
export const loggingOwnerships = ["BucketOwnerPreferred", "ObjectWriter"] as const;

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
} as const;

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
  const mode = s.dnsValidation;
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
    if (!seen.has(name)) problem(ctx, ["externalAliasRecords", i], "one of the aliases", name);
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

/** HttpsStaticSite's args, as its constructor checks them. */
export const httpsStaticSiteArgsSchema = z
  .strictObject(
    {
      ...httpsStaticSiteShape,
      protect: bool.optional(),
      usEast1Provider: z
        .custom<aws.Provider>((v) => aws.Provider.isInstance(v), expected("an aws.Provider"))
        .optional(),
    },
    expected("HttpsStaticSite args: a mapping"),
  )
  .superRefine(httpsStaticSiteRules, always);

/** The names a site's certificate covers: the aliases, then the other names, each once. */
export function certificateNames(
  aliases: readonly string[],
  subjectAlternativeNames: readonly string[] = [],
): string[] {
  return [...new Set([...aliases, ...subjectAlternativeNames])];
}
