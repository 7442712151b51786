import type * as pulumi from "@pulumi/pulumi";
import { edge } from "../components";
import type { StackConfig } from "./config";
import type { SiteConfig } from "./sections/aws";

/** What a stack with a static site exports; the DNS records are what someone may have to enter. */
export interface EdgeOutputs {
  readonly site?: {
    /** The zone the site's names are in, and where their records go. */
    readonly domainName: string;
    readonly dnsValidation: edge.DnsValidationMode;
    /** True while an `external` site waits for its validation records (step 1 of 2). */
    readonly awaitingValidationRecords: boolean;
    readonly bucketName: pulumi.Output<string>;
    /** Absent from the outputs while an `external` site waits for its validation records. */
    readonly distributionDomainName: pulumi.Output<string | undefined>;
    readonly certificateArn: pulumi.Output<string>;
    readonly validationRecords: pulumi.Output<edge.SiteDnsRecord[]>;
    readonly aliasRecords: pulumi.Output<edge.SiteDnsRecord[]>;
  };
}

/** HttpsStaticSite's args for a stack's site, as declareEdge passes them. */
export function siteArgsFor(s: SiteConfig, config: StackConfig): edge.HttpsStaticSiteArgs {
  const gcp = config["taskstack:gcp"];
  return {
    ...s,
    // The managed zone lives in the stack's GCP project unless the site names another (the
    // schema requires taskstack:gcp for a cloud-dns site without its own project).
    cloudDnsProject:
      s.dnsValidation === "cloud-dns" ? (s.cloudDnsProject ?? gcp?.project) : s.cloudDnsProject,
    tags: { environment: config["taskstack:environment"], ...gcp?.labels, ...(s.tags ?? {}) },
    protect: config["taskstack:deletionProtection"],
  };
}

/** Declares the stack's HTTPS static site from `taskstack:aws.site`, if it has one. */
export function declareEdge(config: StackConfig): EdgeOutputs {
  const s = config["taskstack:aws"]?.site;
  if (s === undefined) return {};
  const site = new edge.HttpsStaticSite("static-site", siteArgsFor(s, config));
  return {
    site: {
      domainName: s.domainName,
      dnsValidation: s.dnsValidation,
      awaitingValidationRecords: site.awaitingValidationRecords,
      bucketName: site.bucketName,
      distributionDomainName: site.distributionDomainName,
      certificateArn: site.certificateArn,
      validationRecords: site.validationRecords,
      aliasRecords: site.aliasRecords,
    },
  };
}
