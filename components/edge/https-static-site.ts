import * as aws from "@pulumi/aws";
import { cloudDns } from "./cloud-dns";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { childName } from "../shared/naming";
import { awsProviderArgsFromStack } from "./aws-provider";
import { declareDistribution, siteBucketPolicy } from "./site-distribution";
import { checkedWhenResolved, providerComputed } from "../shared/resolved";
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
  httpsStaticSiteShape,
  resolveSiteSettings,
} from "./https-static-site-schema";
import { validateHttpsStaticSiteArgs } from "./https-static-site-validation";
import type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteOptions,
  SiteDnsRecord,
} from "./https-static-site-types";

export { validateHttpsStaticSiteArgs } from "./https-static-site-validation";
export {
  DnsValidationMode,
  FrameOption,
  FunctionEventType,
  PriceClass,
  ReferrerPolicy,
  StandardLogFormat,
} from "./https-static-site-types";
export type {
  HttpsStaticSiteArgs,
  HttpsStaticSiteLogBucket,
  HttpsStaticSiteOptions,
  SiteDnsRecord,
  SiteFunctionAssociation,
  SiteStandardLogging,
} from "./https-static-site-types";

/**
 * The us-east-1 provider of each site, out of the class's fields: Pulumi's component analyzer
 * turns every field of a component class (`private` and `#private` ones too) into an output of
 * the schema Python, Go, .NET and YAML SDKs are generated from, and refers to a provider there
 * as `#/resources/aws`, which Pulumi's schema binder refuses. Getters it leaves out.
 */
const usEast1Providers = new WeakMap<HttpsStaticSite, aws.Provider>();

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
  get usEast1(): aws.Provider {
    const provider = usEast1Providers.get(this);
    if (provider === undefined) throw new Error("HttpsStaticSite: usEast1 read before it was set");
    return provider;
  }

  /**
   * @param opts Pulumi's resource options, plus `usEast1Provider`: the provider the certificate is
   * made through (by default one in us-east-1 with the stack's `aws:` config).
   */
  constructor(name: string, args: HttpsStaticSiteArgs, opts: HttpsStaticSiteOptions = {}) {
    // Validate before registering anything, so bad args declare nothing at all.
    validateHttpsStaticSiteArgs(name, args, opts);
    const { usEast1Provider, ...resourceOptions } = opts;
    super(HttpsStaticSite.__pulumiType, name, {}, resourceOptions);
    // A zone given as an Output is checked as a known one was, once it resolves.
    const zoneArg = (key: "route53ZoneId" | "cloudDnsManagedZone") => {
      const value = args[key];
      if (value === undefined) return {};
      // Required once given: a zone that resolves to nothing is refused too.
      const schema = httpsStaticSiteShape[key].unwrap();
      return { [key]: checkedWhenResolved("HttpsStaticSite", name, key, schema, value) };
    };
    const site: HttpsStaticSiteArgs = {
      ...args,
      ...zoneArg("route53ZoneId"),
      ...zoneArg("cloudDnsManagedZone"),
    };
    const d = resolveSiteSettings(site);
    const tags = { "managed-by": "taskstack", ...(site.tags ?? {}) };
    const parent = { parent: this };

    const usEast1 =
      usEast1Provider ??
      new aws.Provider(childName(name, "us-east-1"), awsProviderArgsFromStack("us-east-1"), parent);
    usEast1Providers.set(this, usEast1);
    const inUsEast1 = { parent: this, provider: usEast1 };

    this.bucket = new aws.s3.Bucket(
      childName(name, "bucket"),
      { forceDestroy: false, tags },
      { parent: this, protect: site.protect ?? false },
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
      const versioning = new aws.s3.BucketVersioning(
        childName(name, "versioning"),
        { bucket, versioningConfiguration: { status: "Enabled" } },
        parent,
      );
      // Every deploy overwrites files, and versioning keeps each old copy: without expiry the
      // bucket grows by a site per deploy. Old versions stay recoverable for the set days.
      new aws.s3.BucketLifecycleConfiguration(
        childName(name, "lifecycle"),
        {
          bucket,
          rules: [
            {
              id: "expire-noncurrent-versions",
              status: "Enabled",
              filter: { prefix: "" },
              noncurrentVersionExpiration: { noncurrentDays: d.noncurrentVersionExpirationDays },
              // Delete markers left alone once their versions are gone, and abandoned uploads.
              expiration: { expiredObjectDeleteMarker: true },
              abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
          ],
        },
        // S3 applies lifecycle rules to versions only once versioning is on.
        { parent: this, dependsOn: [versioning] },
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

    const names = certificateNames(site.aliases, site.subjectAlternativeNames);
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
    const certificateName = childName(name, "certificate");
    const validationOptions = providerComputed(`HttpsStaticSite ${JSON.stringify(name)}`, [
      {
        value: certificate.domainValidationOptions,
        what: `aws.acm.Certificate ${JSON.stringify(certificateName)} domainValidationOptions`,
        type: "aws:acm/certificate:Certificate",
        mock: 'domainValidationOptions: [{ domainName, resourceRecordName, resourceRecordType: "CNAME", resourceRecordValue }] for the domain and each alternative name',
        stand: names.map((domainName) => ({
          domainName,
          resourceRecordName: `_undefined-under-mocks.${validationBaseName(domainName)}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: "_undefined-under-mocks.acm-validations.aws.",
        })),
      },
    ] as const).apply(([options]) => options);
    const records = bases.map((base) => ({
      base,
      record: validationRecordFor(validationOptions, base),
    }));
    this.validationRecords = pulumi.output(records.map((r) => r.record));

    let validationFqdns: pulumi.Input<string>[] | undefined;
    if (site.dnsValidation === "route53") {
      validationFqdns = records.map(
        ({ base, record }) =>
          new aws.route53.Record(
            childName(name, "validation", domainSlug(base)),
            {
              zoneId: site.route53ZoneId as pulumi.Input<string>,
              name: record.name,
              type: record.type,
              records: [record.value],
              ttl: 300,
              // ACM derives the record from the account and the name, so a second certificate for
              // the same name (another stack or site, a console-issued one) asks for the very same
              // CNAME: without overwrite its `up` fails on "record already exists". As
              // terraform-aws-modules/acm's `validation_allow_overwrite_records` (default true).
              allowOverwrite: true,
            },
            // Shared that way, the record must outlive this stack: a `destroy` deleting it would
            // stop the other certificate's renewal. A leftover validation CNAME grants nothing.
            { parent: this, retainOnDelete: true },
          ).fqdn,
      );
    } else if (site.dnsValidation === "cloud-dns") {
      validationFqdns = records.map(({ base, record }) =>
        new (cloudDns().RecordSet)(
          childName(name, "validation", domainSlug(base)),
          {
            project: site.cloudDnsProject,
            managedZone: site.cloudDnsManagedZone as pulumi.Input<string>,
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
      site.dnsValidation === "external" && site.validationRecordsPublished !== true;
    let distributionArn: pulumi.Output<string> | undefined;
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
      const { distribution, aliasRecords } = declareDistribution(this, name, site, d, {
        bucket: this.bucket,
        originAccessControlId: oac.id,
        certificateArn: this.certificateArn,
        tags,
      });
      this.distribution = distribution;
      this.distributionDomainName = distribution.domainName;
      this.aliasRecords = aliasRecords;
      distributionArn = distribution.arn;
      if (site.standardLogging !== undefined) {
        // CloudFront's log delivery source must be made in us-east-1 (standard-logging.html).
        const source = new aws.cloudwatch.LogDeliverySource(
          childName(name, "log-source"),
          { logType: "ACCESS_LOGS", resourceArn: distribution.arn, tags },
          inUsEast1,
        );
        const destination = new aws.cloudwatch.LogDeliveryDestination(
          childName(name, "log-destination"),
          {
            outputFormat: site.standardLogging.outputFormat ?? "json",
            deliveryDestinationConfiguration: {
              destinationResourceArn: site.standardLogging.destinationArn,
            },
            tags,
          },
          inUsEast1,
        );
        new aws.cloudwatch.LogDelivery(
          childName(name, "log-delivery"),
          { deliverySourceName: source.name, deliveryDestinationArn: destination.arn, tags },
          inUsEast1,
        );
      }
    }

    // From the first `up` on: TLS-only access, and (once it exists) reads by this distribution.
    new aws.s3.BucketPolicy(
      childName(name, "bucket-policy"),
      { bucket, policy: siteBucketPolicy(this.bucket.arn, distributionArn) },
      // A policy put while the public access block is still being written can be refused.
      { parent: this, dependsOn: [publicAccessBlock] },
    );

    this.registerOutputs({
      bucketName: this.bucketName,
      distributionDomainName: this.distributionDomainName,
      certificateArn: this.certificateArn,
      validationRecords: this.validationRecords,
      aliasRecords: this.aliasRecords,
    });
  }
}

/** The validation record ACM asks for `base` (an apex and its wildcard share one). */
function validationRecordFor(
  domainValidationOptions: pulumi.Output<aws.types.output.acm.CertificateDomainValidationOption[]>,
  base: string,
): { name: pulumi.Output<string>; type: pulumi.Output<string>; value: pulumi.Output<string> } {
  const option = domainValidationOptions.apply((options) => {
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
