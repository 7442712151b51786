import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { show } from "../../../gcp/pubsub/references";

/**
 * An email-validated certificate renews only when someone clicks a link in time; a DNS-validated
 * one renews by itself as long as its CNAME stays. Imported and private-CA certificates are not
 * validated by ACM, so they are out of scope.
 */
export const awsAcmCertificateConfigureDnsValidation: ResourceValidationPolicy = {
  name: "aws-acm-certificate-configure-dns-validation",
  description:
    'ACM certificates issued by Amazon must use validationMethod "DNS", so they renew without anyone clicking an email.',
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateResourceOfType(aws.acm.Certificate, (_c, args, reportViolation) => {
    if (args.props["certificateBody"] !== undefined) return;
    if (args.props["certificateAuthorityArn"] !== undefined) return;
    const method = args.props["validationMethod"];
    if (method !== "DNS") {
      reportViolation(
        `ACM certificate validationMethod is ${show(method)}; expected "DNS": email validation needs someone to approve every renewal in time, DNS validation renews by itself while the CNAME stays.`,
      );
    }
  }),
};
