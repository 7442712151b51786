import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { field, show } from "../../../gcp/pubsub/references";
import { isUnknown, known, reportUndecided } from "../../../shared/preview";
import { stackIndex } from "../../../shared/stack-index";
import { awsTypes } from "../../types";

const required = "us-east-1";

/**
 * The region a resource is created in: its own `region` input (AWS provider v7), else its explicit
 * provider's; undefined when it goes through the default provider.
 */
function regionOf(r: PolicyResource): string | undefined {
  // A `region` the provider fills in is unknown in a preview: the provider's then decides.
  const own = known(() => r.props["region"]);
  if (typeof own === "string") return own;
  const viaProvider = known(() => r.provider?.props["region"]);
  return typeof viaProvider === "string" ? viaProvider : undefined;
}

/**
 * The certificates a distribution uses: those it depends on, directly or through the
 * aws.acm.CertificateValidation whose ARN it takes. Dependencies are known during preview; the
 * ARN is not.
 */
/** The engine names a default provider `default` or `default_<version>`. */
function isDefaultProvider(r: PolicyResource): boolean {
  return r.provider === undefined || /::default(?:_[\w-]+)?$/.test(r.provider.urn);
}

function certificatesOf(d: PolicyResource): PolicyResource[] {
  const out = new Set<PolicyResource>();
  for (const dep of d.dependencies) {
    if (dep.type === awsTypes.certificate) out.add(dep);
    if (dep.type !== awsTypes.certificateValidation) continue;
    for (const inner of dep.dependencies) if (inner.type === awsTypes.certificate) out.add(inner);
  }
  return [...out];
}

/**
 * CloudFront reads certificates only from us-east-1, whatever region the stack runs in: a
 * certificate made through the stack's default provider in eu-west-1 fails at deploy time.
 */
export const awsCloudfrontDistributionEnforceUsEast1Certificate: StackValidationPolicy = {
  name: "aws-cloudfront-distribution-enforce-us-east-1-certificate",
  description:
    'ACM certificates used by CloudFront distributions must be created in us-east-1, through an aws.Provider with region "us-east-1" (or the resource\'s own region input).',
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const distributions = stackIndex(args.resources).ofType(awsTypes.distribution);
    if (distributions.length === 0) args.notApplicable("no CloudFront distribution in the stack");
    const reported = new Set<PolicyResource>();
    for (const d of distributions) {
      const certificates = certificatesOf(d);
      for (const cert of certificates) {
        const region = regionOf(cert);
        if (region === required || reported.has(cert)) continue;
        reported.add(cert);
        const own = known(() => cert.props["region"]);
        const viaDefault = (own === undefined || isUnknown(own)) && isDefaultProvider(cert);
        const where = viaDefault
          ? `through the default provider (the stack's aws:region${region === undefined ? "" : `, ${region}`})`
          : region === undefined
            ? `through provider ${cert.provider?.name ?? ""}, which sets no region (an explicit provider reads AWS_REGION or the AWS profile, not the stack's aws:region)`
            : `in ${region}`;
        reportViolation(
          `ACM certificate is used by distribution ${d.name} but created ${where}; CloudFront reads certificates only from us-east-1. Create it through an aws.Provider with region "us-east-1".`,
          cert.urn,
        );
      }
      if (certificates.length > 0) continue;
      // A certificate declared elsewhere: its ARN says where it lives.
      const arn = known(() => field(d.props, "viewerCertificate", "acmCertificateArn"));
      if (isUnknown(arn)) {
        reportUndecided(
          reportViolation,
          d,
          arn,
          "the region of a certificate this stack does not declare cannot be told yet",
        );
        continue;
      }
      const region =
        typeof arn === "string" ? /^arn:aws[\w-]*:acm:([^:]+):/.exec(arn)?.[1] : undefined;
      if (region !== undefined && region !== required) {
        reportViolation(
          `Distribution viewerCertificate.acmCertificateArn ${show(arn)} is in ${region}; CloudFront reads certificates only from us-east-1.`,
          d.urn,
        );
      }
    }
  },
};
