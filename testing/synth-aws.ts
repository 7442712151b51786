import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ResourceSynthesizer, SynthResourceArgs } from "./synthesize";

// Outputs the AWS provider computes for the resources HttpsStaticSite reads back: bucket names and
// domains, CloudFront ids and domains, ACM ARNs and `domainValidationOptions`. Deterministic: the
// same program and stack give the same values in every run. (No imports from ./synthesize but
// types: it spreads this table into its own, so a value import would be a cycle.)

const hex = (text: string, length: number): string =>
  createHash("sha256").update(text).digest("hex").slice(0, length);

/** A stable 12-digit AWS account id for a stack. */
export function awsAccountId(stack: string): string {
  return (BigInt(`0x${hex(`aws-account:${stack}`, 15)}`) % 10n ** 12n).toString().padStart(12, "1");
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

const key = (args: SynthResourceArgs): string => `${args.ctx.stack}/${args.type}/${args.name}`;

function uuid(text: string): string {
  const h = hex(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** CloudFront-style ids: `E` and 13 uppercase letters and digits. */
function cloudFrontId(text: string): string {
  return `E${BigInt(`0x${hex(text, 20)}`)
    .toString(36)
    .toUpperCase()
    .padStart(13, "0")
    .slice(0, 13)}`;
}

// Explicit providers get a synthesized id; resources refer to them as `<urn>::<id>`, so the id
// says which region a resource created through that provider lives in.
const providerRegions = new Map<string, string>();

/** The region a resource is created in: its own `region` input, its provider's, else `aws:region`. */
export function awsRegionOf(args: SynthResourceArgs): string {
  const own = str(args.inputs["region"]);
  if (own) return own;
  const providerId = args.provider?.split("::").pop();
  const viaProvider = providerId === undefined ? undefined : providerRegions.get(providerId);
  return viaProvider ?? new pulumi.Config("aws").get("region") ?? "us-east-1";
}

const provider: ResourceSynthesizer = (args) => {
  const region =
    str(args.inputs["region"]) ?? new pulumi.Config("aws").get("region") ?? "us-east-1";
  const id = uuid(`provider:${key(args)}:${region}`);
  providerRegions.set(id, region);
  return { id };
};

const bucket: ResourceSynthesizer = (args) => {
  const prefix = str(args.inputs["bucketPrefix"]);
  const name =
    str(args.inputs["bucket"]) ??
    (prefix ? `${prefix}${hex(key(args), 20)}` : `${args.name}-${hex(key(args), 7)}`);
  const region = awsRegionOf(args);
  return {
    id: name,
    state: {
      bucket: name,
      arn: `arn:aws:s3:::${name}`,
      bucketDomainName: `${name}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
      hostedZoneId: "Z3AQBSTGFYJSTF",
      region,
    },
  };
};

/**
 * ACM's `domainValidationOptions`: one entry per name on the certificate, as DescribeCertificate
 * returns them. ACM strips the wildcard label before deriving the record, so `example.com` and
 * `*.example.com` carry the same record: what a component must merge.
 */
export function acmValidationOptions(
  stack: string,
  names: readonly string[],
): Record<string, string>[] {
  return [...new Set(names)].map((domainName) => {
    const base = domainName.replace(/^\*\./, "");
    return {
      domainName,
      resourceRecordName: `_${hex(`acm-name:${stack}:${base}`, 32)}.${base}.`,
      resourceRecordType: "CNAME",
      resourceRecordValue: `_${hex(`acm-value:${stack}:${base}`, 32)}.${hex(`acm-zone:${base}`, 10)}.acm-validations.aws.`,
    };
  });
}

const certificate: ResourceSynthesizer = (args) => {
  const region = awsRegionOf(args);
  const arn = `arn:aws:acm:${region}:${awsAccountId(args.ctx.stack)}:certificate/${uuid(key(args))}`;
  const domainName = str(args.inputs["domainName"]);
  const sans = Array.isArray(args.inputs["subjectAlternativeNames"])
    ? (args.inputs["subjectAlternativeNames"] as unknown[]).filter(
        (n): n is string => typeof n === "string",
      )
    : [];
  const names = domainName ? [domainName, ...sans] : sans;
  return {
    id: arn,
    state: {
      arn,
      domainValidationOptions: acmValidationOptions(args.ctx.stack, names),
      status: "PENDING_VALIDATION",
      type: "AMAZON_ISSUED",
      validationEmails: [],
    },
  };
};

const distribution: ResourceSynthesizer = (args) => {
  const id = cloudFrontId(`distribution:${key(args)}`);
  return {
    id,
    state: {
      arn: `arn:aws:cloudfront::${awsAccountId(args.ctx.stack)}:distribution/${id}`,
      domainName: `d${hex(`cloudfront-domain:${key(args)}`, 13)}.cloudfront.net`,
      hostedZoneId: "Z2FDTNDATAQYW2",
      status: "Deployed",
      etag: hex(`etag:${key(args)}`, 14).toUpperCase(),
      callerReference: `terraform-${hex(key(args), 20)}`,
    },
  };
};

const route53Record: ResourceSynthesizer = (args) => {
  const zone = str(args.inputs["zoneId"]) ?? "";
  const name = (str(args.inputs["name"]) ?? args.name).replace(/\.$/, "");
  const type = str(args.inputs["type"]) ?? "";
  return { id: `${zone}_${name}_${type}`, state: { fqdn: name } };
};

const cloudDnsRecord: ResourceSynthesizer = (args) => {
  const project = str(args.inputs["project"]) ?? args.ctx.gcpProject;
  const zone = str(args.inputs["managedZone"]) ?? "";
  const name = str(args.inputs["name"]) ?? "";
  const type = str(args.inputs["type"]) ?? "";
  return {
    id: `projects/${project}/managedZones/${zone}/rrsets/${name}/${type}`,
    state: { project },
  };
};

/**
 * A CloudFront Function: named as Pulumi auto-names it (`<logical name>-<7 hex>`) unless its
 * `name` is given; CloudFront's ARN carries the account and that name.
 */
const cloudFrontFunction: ResourceSynthesizer = (args) => {
  const name = str(args.inputs["name"]) ?? `${args.name}-${hex(key(args), 7)}`;
  return {
    id: name,
    state: {
      name,
      arn: `arn:aws:cloudfront::${awsAccountId(args.ctx.stack)}:function/${name}`,
      etag: hex(`etag:${key(args)}`, 14).toUpperCase(),
      liveStageEtag: hex(`live:${key(args)}`, 14).toUpperCase(),
      status: "UNASSOCIATED",
    },
  };
};

/** Synthesizers for the AWS (and Cloud DNS) resources of `components/edge/`. */
export const awsResourceSynthesizers: Record<string, ResourceSynthesizer> = {
  "pulumi:providers:aws": provider,
  "aws:s3/bucket:Bucket": bucket,
  "aws:s3/bucketV2:BucketV2": bucket,
  "aws:acm/certificate:Certificate": certificate,
  "aws:acm/certificateValidation:CertificateValidation": (args) => ({
    id: new Date(0).toISOString(),
    state: { certificateArn: args.inputs["certificateArn"] },
  }),
  "aws:cloudfront/distribution:Distribution": distribution,
  "aws:cloudfront/originAccessControl:OriginAccessControl": (args) => ({
    id: cloudFrontId(`oac:${key(args)}`),
    state: { etag: hex(`etag:${key(args)}`, 14).toUpperCase() },
  }),
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (args) => ({
    id: uuid(`headers:${key(args)}`),
    state: { etag: hex(`etag:${key(args)}`, 14).toUpperCase() },
  }),
  "aws:cloudfront/cachePolicy:CachePolicy": (args) => ({
    id: uuid(`cache-policy:${key(args)}`),
    state: { etag: hex(`etag:${key(args)}`, 14).toUpperCase() },
  }),
  "aws:cloudfront/function:Function": cloudFrontFunction,
  "aws:route53/record:Record": route53Record,
  "gcp:dns/recordSet:RecordSet": cloudDnsRecord,
};
