import { describe, expect, it } from "vitest";
import { gcpCloudschedulerJobConfigureOidc as policy } from "../../../../../policies/gcp/cloudscheduler/job/configure-oidc";
import { policyCases } from "../../../../../testing";
import { compliantJob } from "./fixture";

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("gcp-cloudscheduler-job-configure-oidc");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantJob,
      target: "report-job",
      cases: [
        {
          title: "undefined oidcToken",
          set: { "httpTarget.oidcToken": undefined },
          messages: [
            'Job httpTarget "https://reports-x-ew.a.run.app/run" is called without an OIDC token, so the endpoint must accept anyone. Set httpTarget.oidcToken.serviceAccountEmail to an account holding the invoker role on the target.',
          ],
        },
        {
          title: "a Google API without an OAuth token",
          set: { "httpTarget.uri": "https://bigquery.googleapis.com/x" },
          messages: [
            'Job httpTarget "https://bigquery.googleapis.com/x" is a Google API but httpTarget.oauthToken is undefined. Set oauthToken.serviceAccountEmail (Google APIs take OAuth tokens).',
          ],
        },
        {
          title: "a Google API with an OAuth token",
          set: {
            "httpTarget.uri": "https://bigquery.googleapis.com/x",
            "httpTarget.oidcToken": undefined,
            "httpTarget.oauthToken": { serviceAccountEmail: "a@p.iam.gserviceaccount.com" },
          },
          messages: [],
        },
        {
          title: "a Pub/Sub job (no HTTP target)",
          set: {
            httpTarget: undefined,
            pubsubTarget: { topicName: "projects/p/topics/t", data: "eA==" },
          },
          messages: [],
        },
      ],
    }),
  )("$title", (c) => expect(c.run()).resolves.toBeUndefined());
});
