import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { childName } from "../shared/naming";
import { awsProviderArgsFromStack } from "./aws-provider";
import { declareDistribution } from "./site-distribution";
import { validateArgs } from "../shared/schema";
import type { Known, SameShape } from "../shared/schema";
import {
  absoluteName,
  distinctValidationNames,
  domainSlug,
  validationBaseName,
} from "../../lib/domains";
import {
  certificateNames,
  httpsStaticSiteArgsSchema,
  siteDefaults,
} from "./https-static-site-schema";
import type { DnsValidationMode } from "./https-static-site-schema";

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

export interface HttpsStaticSiteArgs {
  /** The DNS zone's domain (its apex), e.g. `acme-shop.example`; every name must be within it. */
  readonly domainName: string;
  /** Host names CloudFront serves, e.g. `["www.acme-shop.example"]`; the certificate covers each. */
  readonly aliases: readonly string[];
  /** More certificate names, e.g. `*.acme-shop.example`. @default [] */
  readonly subjectAlternativeNames?: readonly string[];
  /**
   * Where the certificate's DNS validation CNAMEs (and the aliases' records) go: `route53` (a
   * hosted zone), `cloud-dns` (a Google Cloud DNS managed zone) or `external` (stack outputs for
   * entry at a registrar).
   */
  readonly dnsValidation: DnsValidationMode;
  /** The Route 53 hosted zone of `domainName`; required with `route53`. @default - none */
  readonly route53ZoneId?: string;
  /** The Cloud DNS managed zone of `domainName`; required with `cloud-dns`. @default - none */
  readonly cloudDnsManagedZone?: string;
  /** The GCP project of the managed zone. @default - the gcp provider's project */
  readonly cloudDnsProject?: string;
  /**
   * Aliases whose record is kept outside the zone (the apex on Cloud DNS, which cannot hold a
   * CNAME); listed in `aliasRecords` for entry at the registrar. @default []
   */
  readonly externalAliasRecords?: readonly string[];
  /** Oldest viewer security policy (`TLSv1.2_2021` or newer). @default "TLSv1.2_2021" */
  readonly minimumProtocolVersion?: string;
  /** HSTS max-age, at least a year. @default 63072000 (2 years) */
  readonly hstsMaxAgeSeconds?: number;
  /** Add `preload` to HSTS (only once every subdomain serves HTTPS). @default false */
  readonly hstsPreload?: boolean;
  /** `X-Frame-Options`. @default "DENY" */
  readonly frameOption?: "DENY" | "SAMEORIGIN";
  /** `Referrer-Policy`. @default "strict-origin-when-cross-origin" */
  readonly referrerPolicy?:
    | "no-referrer"
    | "no-referrer-when-downgrade"
    | "origin"
    | "origin-when-cross-origin"
    | "same-origin"
    | "strict-origin"
    | "strict-origin-when-cross-origin"
    | "unsafe-url";
  /** Object served for `/`. @default "index.html" */
  readonly defaultRootObject?: string;
  /** Answer 403/404 with the root object and 200, for single-page apps. @default false */
  readonly spaFallback?: boolean;
  /** Keep old object versions in the bucket. @default true */
  readonly versioning?: boolean;
  /** CloudFront price class. @default "PriceClass_100" */
  readonly priceClass?: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
  /** A WAFv2 web ACL (scope CLOUDFRONT) in front of the distribution. @default - none */
  readonly webAclArn?: pulumi.Input<string>;
  /** Standard access logs to this bucket. @default - no access logs */
  readonly logBucket?: HttpsStaticSiteLogBucket;
  /** Key prefix of the access logs; only with `logBucket`. @default "cloudfront/" */
  readonly logPrefix?: string;
  /** Tags on every AWS resource that takes them, beside `managed-by: taskstack`. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Protect the bucket (the site's content) from deletion. @default false */
  readonly protect?: boolean;
  /**
   * With `external`: the validation records (the `validationRecords` output of the first `up`)
   * are entered at the registrar. Until then only the bucket and the certificate are created,
   * since ACM cannot issue it before; set it to create the distribution and its records on the
   * next `up`. Only with `external`. @default false
   */
  readonly validationRecordsPublished?: boolean;
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

/**
 * Checks HttpsStaticSite args with {@link httpsStaticSiteArgsSchema} before anything is declared,
 * throwing one TaskstackInputError that lists every problem as
 * `HttpsStaticSite "<name>" <path>: expected …, got …`. Outputs are not checked.
 */
export function validateHttpsStaticSiteArgs(name: unknown, args: unknown): void {
  validateArgs("HttpsStaticSite", name, httpsStaticSiteArgsSchema, args);
}

// The documented interface and the schema must describe the same args.
const argsMatchSchema: SameShape<
  Known<HttpsStaticSiteArgs>,
  z.input<typeof httpsStaticSiteArgsSchema>
> = true;
void argsMatchSchema;

/**
 * A static site in a private S3 bucket behind CloudFront over HTTPS: Origin Access Control, an ACM
 * certificate in us-east-1 validated through DNS (Route 53, Cloud DNS or a registrar), modern TLS,
 * security headers, and the aliases' DNS records.
 */
export class HttpsStaticSite extends pulumi.ComponentResource {
  static readonly __pulumiType = "taskstack:edge:HttpsStaticSite";

  /** The private bucket holding the site's files. */
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  /** The distribution; none while `external` validation waits for its records. */
  readonly distribution?: aws.cloudfront.Distribution;
  /** The distribution's own domain (`d….cloudfront.net`), the target of the alias records. */
  readonly distributionDomainName: pulumi.Output<string | undefined>;
  /** The certificate's ARN, once ACM has issued it (before, while records are awaited). */
  readonly certificateArn: pulumi.Output<string>;
  /**
   * True on the first `up` of an `external` site: only the bucket and the certificate exist, and
   * `validationRecords` are to be entered at the registrar before `validationRecordsPublished`.
   */
  readonly awaitingValidationRecords: boolean;
  /** The validation CNAMEs, one per distinct name (an apex and its wildcard share one). */
  readonly validationRecords: pulumi.Output<SiteDnsRecord[]>;
  /** Alias records to publish outside the zone (all of them with `external`). */
  readonly aliasRecords: pulumi.Output<SiteDnsRecord[]>;
  /** The us-east-1 provider the certificate is created through (CloudFront reads certificates only there). */
  readonly usEast1: aws.Provider;

  constructor(name: string, args: HttpsStaticSiteArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Validate before registering anything, so bad args declare nothing at all.
    validateHttpsStaticSiteArgs(name, args);
    super(HttpsStaticSite.__pulumiType, name, {}, opts);
    const d = { ...siteDefaults, ...definedOnly(args) };
    const tags = { "managed-by": "taskstack", ...(args.tags ?? {}) };
    const parent = { parent: this };

    this.usEast1 =
      args.usEast1Provider ??
      new aws.Provider(childName(name, "us-east-1"), awsProviderArgsFromStack("us-east-1"), parent);
    const inUsEast1 = { parent: this, provider: this.usEast1 };

    this.bucket = new aws.s3.Bucket(
      childName(name, "bucket"),
      { forceDestroy: false, tags },
      { parent: this, protect: args.protect ?? false },
    );
    this.bucketName = this.bucket.bucket;
    const bucket = this.bucket.id;
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      childName(name, "public-access-block"),
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      childName(name, "ownership"),
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    // SSE-S3: SSE-KMS would need the distribution in the key policy to serve a single object.
    new aws.s3.BucketServerSideEncryptionConfiguration(
      childName(name, "encryption"),
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    if (d.versioning) {
      new aws.s3.BucketVersioning(
        childName(name, "versioning"),
        { bucket, versioningConfiguration: { status: "Enabled" } },
        parent,
      );
    }

    const oac = new aws.cloudfront.OriginAccessControl(
      childName(name, "oac"),
      {
        description: `taskstack ${name}: CloudFront reads the bucket, signed with SigV4`,
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      },
      parent,
    );

    const names = certificateNames(args.aliases, args.subjectAlternativeNames);
    const certificate = new aws.acm.Certificate(
      childName(name, "certificate"),
      {
        domainName: names[0] as string,
        subjectAlternativeNames: names.slice(1),
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
        tags,
      },
      inUsEast1,
    );

    // One record per distinct name, keyed by that name (known now), never by the position of an
    // entry in domainValidationOptions (an Output whose order is the provider's).
    const bases = distinctValidationNames(names);
    const records = bases.map((base) => ({ base, record: validationRecordFor(certificate, base) }));
    this.validationRecords = pulumi.output(records.map((r) => r.record));

    let validationFqdns: pulumi.Input<string>[] | undefined;
    if (args.dnsValidation === "route53") {
      validationFqdns = records.map(
        ({ base, record }) =>
          new aws.route53.Record(
            childName(name, "validation", domainSlug(base)),
            {
              zoneId: args.route53ZoneId as string,
              name: record.name,
              type: record.type,
              records: [record.value],
              ttl: 300,
            },
            parent,
          ).fqdn,
      );
    } else if (args.dnsValidation === "cloud-dns") {
      validationFqdns = records.map(({ base, record }) =>
        new gcp.dns.RecordSet(
          childName(name, "validation", domainSlug(base)),
          {
            project: args.cloudDnsProject,
            managedZone: args.cloudDnsManagedZone as string,
            name: record.name.apply(absoluteName),
            type: record.type,
            ttl: 300,
            rrdatas: [record.value.apply(absoluteName)],
          },
          parent,
        ).name.apply((n) => n.replace(/\.$/, "")),
      );
    }
    // With `external`, ACM issues the certificate only once someone has entered the validation
    // records at the registrar, and those are known only after the certificate exists: the first
    // `up` stops here, with the records as outputs, instead of waiting on ACM until it times out.
    this.awaitingValidationRecords =
      args.dnsValidation === "external" && args.validationRecordsPublished !== true;
    if (this.awaitingValidationRecords) {
      this.certificateArn = certificate.arn;
      this.distributionDomainName = pulumi.output(undefined);
      this.aliasRecords = pulumi.output([]);
    } else {
      // The distribution takes the ARN from here, so it is created only once ACM has issued it.
      const validation = new aws.acm.CertificateValidation(
        childName(name, "certificate-validation"),
        { certificateArn: certificate.arn, validationRecordFqdns: validationFqdns },
        inUsEast1,
      );
      this.certificateArn = validation.certificateArn;
      const { distribution, aliasRecords } = declareDistribution(this, name, args, d, {
        bucket: this.bucket,
        publicAccessBlock,
        originAccessControlId: oac.id,
        certificateArn: this.certificateArn,
        tags,
      });
      this.distribution = distribution;
      this.distributionDomainName = distribution.domainName;
      this.aliasRecords = aliasRecords;
    }

    this.registerOutputs({
      bucketName: this.bucketName,
      distributionDomainName: this.distributionDomainName,
      certificateArn: this.certificateArn,
      validationRecords: this.validationRecords,
      aliasRecords: this.aliasRecords,
    });
  }
}

/** The settings given, without the keys left undefined, so defaults fill those in. */
function definedOnly<T extends object>(args: T): Partial<T> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The validation record ACM asks for `base` (an apex and its wildcard share one). */
function validationRecordFor(
  certificate: aws.acm.Certificate,
  base: string,
): { name: pulumi.Output<string>; type: pulumi.Output<string>; value: pulumi.Output<string> } {
  const option = certificate.domainValidationOptions.apply((options) => {
    const found = options.find((o) => validationBaseName(o.domainName) === base);
    if (!found) {
      throw new Error(
        `HttpsStaticSite: ACM returned no validation record for ${base} (got ${options.map((o) => o.domainName).join(", ") || "none"})`,
      );
    }
    return found;
  });
  return {
    name: option.resourceRecordName,
    type: option.resourceRecordType,
    value: option.resourceRecordValue,
  };
}
