import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy/policy";
import { field, show } from "../references";

/**
 * Without an OIDC token a push endpoint receives anonymous requests: it either accepts anyone's
 * messages or rejects Pub/Sub's.
 */
export const gcpPubsubSubscriptionConfigurePushOidc: ResourceValidationPolicy = {
  name: "gcp-pubsub-subscription-configure-push-oidc",
  description:
    "Push subscriptions must authenticate with OIDC: pushConfig.oidcToken.serviceAccountEmail must be set when pushConfig.pushEndpoint is.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateResourceOfType(
    gcp.pubsub.Subscription,
    (_sub, args, reportViolation) => {
      const endpoint = field(args.props, "pushConfig", "pushEndpoint");
      // Pull subscriptions have nothing to authenticate.
      if (typeof endpoint !== "string" || endpoint === "") return;
      const email = field(args.props, "pushConfig", "oidcToken", "serviceAccountEmail");
      if (typeof email === "string" && email !== "") return;
      reportViolation(
        `Subscription pushConfig.pushEndpoint is ${show(endpoint)} but pushConfig.oidcToken.serviceAccountEmail is ${show(email)}, so push requests carry no identity the endpoint can verify. Set pushConfig.oidcToken.serviceAccountEmail to the service account the endpoint authorizes.`,
      );
    },
  ),
};
