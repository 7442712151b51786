import { describe, expect, it } from "vitest";
import { gcpCloudschedulerJobConfigureRetry as policy } from "../../../../../policies/gcp/cloudscheduler/job/configure-retry";
import { policyCases } from "../../../../../testing";
import { compliantJob } from "./fixture";

const missing = (count: string, min: string, max: string) =>
  `Job retryConfig.retryCount is ${count}, minBackoffDuration ${min} and maxBackoffDuration ${max}; all three must be set. Set them, for example 3, "5s" and "3600s" (retryCount 0 says on purpose that a run is not retried).`;

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("gcp-cloudscheduler-job-configure-retry");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantJob,
      target: "report-job",
      cases: [
        {
          title: "undefined retryConfig",
          set: { retryConfig: undefined },
          messages: [missing("undefined", "undefined", "undefined")],
        },
        {
          title: "no retryCount",
          set: { "retryConfig.retryCount": undefined },
          messages: [missing("undefined", '"5s"', '"3600s"')],
        },
        {
          title: "no minimum backoff",
          set: { "retryConfig.minBackoffDuration": undefined },
          messages: [missing("3", "undefined", '"3600s"')],
        },
        {
          title: "no maximum backoff",
          set: { "retryConfig.maxBackoffDuration": undefined },
          messages: [missing("3", '"5s"', "undefined")],
        },
        {
          title: "too many retries",
          set: { "retryConfig.retryCount": 6 },
          messages: ["Job retryConfig.retryCount is 6; expected 0 to 5."],
        },
        { title: "no retries, on purpose", set: { "retryConfig.retryCount": 0 }, messages: [] },
      ],
    }),
  )("$title", (c) => expect(c.run()).resolves.toBeUndefined());
});
