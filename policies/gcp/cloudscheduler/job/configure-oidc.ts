import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../../pubsub/references";

function isGoogleApi(uri: unknown): boolean {
  if (typeof uri !== "string") return false;
  try {
    return new URL(uri).hostname.endsWith(".googleapis.com");
  } catch {
    return false;
  }
}

/**
 * An HTTP target without a token can only be an endpoint open to the internet. Cloud Run and
 * Cloud Functions check OIDC tokens; Google APIs take OAuth tokens (and refuse OIDC ones).
 */
export const gcpCloudschedulerJobConfigureOidc: ResourceValidationPolicy = {
  name: "gcp-cloudscheduler-job-configure-oidc",
  description:
    "Cloud Scheduler HTTP targets must authenticate: an OIDC token for your own endpoints (Cloud Run, Cloud Functions), an OAuth token for *.googleapis.com.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(gcp.cloudscheduler.Job, (_j, args, reportViolation) => {
    const target = args.props["httpTarget"];
    if (target === undefined) return;
    const uri = field(target, "uri");
    const oidc = field(target, "oidcToken", "serviceAccountEmail");
    const oauth = field(target, "oauthToken", "serviceAccountEmail");
    if (isGoogleApi(uri)) {
      if (oauth === undefined) {
        reportViolation(
          `Job httpTarget ${show(uri)} is a Google API but httpTarget.oauthToken is undefined. Set oauthToken.serviceAccountEmail (Google APIs take OAuth tokens).`,
        );
      }
    } else if (oidc === undefined) {
      reportViolation(
        `Job httpTarget ${show(uri)} is called without an OIDC token, so the endpoint must accept anyone. Set httpTarget.oidcToken.serviceAccountEmail to an account holding the invoker role on the target.`,
      );
    }
  }),
};
