import { describe, expect, it } from "vitest";
import { gcpCloudschedulerJobDisallowDaylightSavingTimes as policy } from "../../../../../policies/gcp/cloudscheduler/job/disallow-daylight-saving-times";
import { policyCases } from "../../../../../testing";
import { compliantJob } from "./fixture";

describe(policy.name, () => {
  it("is advisory", () => {
    expect(policy.name).toBe("gcp-cloudscheduler-job-disallow-daylight-saving-times");
    expect(policy.enforcementLevel).toBe("advisory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantJob,
      target: "report-job",
      cases: [
        {
          title: "a run in Berlin's skipped and repeated hour",
          set: { schedule: "30 2 * * *" },
          messages: [
            'Job schedule "30 2 * * *" fires at 02:00-02:59 in Europe/Berlin, inside its daylight-saving changes (first on 2026-03-29 and 2026-10-25), where Google documents only that a job may run or not run. Pick a time outside 02:00-02:59 or use timeZone "Etc/UTC".',
          ],
        },
        {
          title: "an App Engine-format schedule (App Engine's own rules)",
          set: { schedule: "every day 02:30" },
          messages: [],
        },
        {
          title: "02:30 in Etc/UTC",
          set: { schedule: "30 2 * * *", timeZone: "Etc/UTC" },
          messages: [],
        },
        { title: "an undefined schedule", set: { schedule: undefined }, messages: [] },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
