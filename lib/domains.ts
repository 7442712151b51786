// Pure helpers about DNS names, ACM validation records and CloudFront security policies, shared by
// HttpsStaticSite, its schema, the stack section and the policy pack.

/** A DNS host name in lowercase: labels of letters, digits and -, at most 253 characters. */
export const hostNamePattern =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A certificate name: a host name, or `*.` and a host name (a wildcard covers one label). */
export const certificateNamePattern =
  /^(?:\*\.)?(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The name ACM validates for a certificate name: the wildcard label removed. */
export function validationBaseName(name: string): string {
  return name.startsWith("*.") ? name.slice(2) : name;
}

/** True when `name` is `domain` itself or a name below it (a wildcard counts by its base). */
export function isWithinDomain(name: string, domain: string): boolean {
  const base = validationBaseName(name);
  return base === domain || base.endsWith(`.${domain}`);
}

/**
 * The distinct names ACM asks to validate for a certificate's names, in first-seen order. ACM
 * strips the wildcard label before deriving the CNAME, so `example.com` and `*.example.com` share
 * one record: declaring it twice fails ("record already exists").
 */
export function distinctValidationNames(names: readonly string[]): string[] {
  return [...new Set(names.map(validationBaseName))];
}

/** A logical-name suffix for a DNS name: `www.acme.example` → `www-acme-example`. */
export function domainSlug(name: string): string {
  return validationBaseName(name)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** A fully qualified name with its trailing dot, as Cloud DNS stores record names and data. */
export function absoluteName(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}

/**
 * CloudFront's viewer security policies, oldest first. Versions are compared by their place here,
 * never by equality, so a newer policy (TLSv1.2_2025, TLSv1.3_2025) passes a floor of TLSv1.2_2021.
 */
export const cloudFrontSecurityPolicies = [
  "SSLv3",
  "TLSv1",
  "TLSv1_2016",
  "TLSv1.1_2016",
  "TLSv1.2_2018",
  "TLSv1.2_2019",
  "TLSv1.2_2021",
  "TLSv1.2_2025",
  "TLSv1.3_2025",
] as const;

export type CloudFrontSecurityPolicy = (typeof cloudFrontSecurityPolicies)[number];

/** The oldest security policy taskstack accepts: TLS 1.2 with only forward-secret AEAD ciphers. */
export const minimumSecurityPolicy: CloudFrontSecurityPolicy = "TLSv1.2_2021";

/** The policy's place in {@link cloudFrontSecurityPolicies}; -1 for an unknown value. */
export function securityPolicyRank(value: unknown): number {
  return typeof value === "string"
    ? (cloudFrontSecurityPolicies as readonly string[]).indexOf(value)
    : -1;
}

/** True when `value` is a known security policy at least as new as `floor`. */
export function meetsSecurityPolicy(
  value: unknown,
  floor: string = minimumSecurityPolicy,
): boolean {
  const rank = securityPolicyRank(value);
  return rank >= 0 && rank >= securityPolicyRank(floor);
}

/** The security policies at least as new as `floor`, for messages. */
export function acceptedSecurityPolicies(floor: string = minimumSecurityPolicy): string[] {
  return cloudFrontSecurityPolicies.filter((p) => meetsSecurityPolicy(p, floor));
}

/** The hosted zone id of every CloudFront distribution, the target zone of Route 53 alias records. */
export const cloudFrontHostedZoneId = "Z2FDTNDATAQYW2";

/** AWS's managed "CachingOptimized" cache policy: long TTLs, compression, no cookies or query strings. */
export const cachingOptimizedPolicyId = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/** A year in seconds: the shortest HSTS max-age browsers' preload lists and scanners accept. */
export const oneYearSeconds = 31_536_000;
