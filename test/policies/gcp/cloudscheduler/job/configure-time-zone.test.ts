import { describe, expect, it } from "vitest";
import { gcpCloudschedulerJobConfigureTimeZone as policy } from "../../../../../policies/gcp/cloudscheduler/job/configure-time-zone";
import { policyCases } from "../../../../../testing";
import { compliantJob } from "./fixture";

describe(policy.name, () => {
  it("is mandatory", () => {
    expect(policy.name).toBe("gcp-cloudscheduler-job-configure-time-zone");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: compliantJob,
      target: "report-job",
      cases: [
        {
          title: "undefined timeZone",
          set: { timeZone: undefined },
          messages: [
            'Job timeZone is undefined, so the schedule runs in UTC whatever the team meant. Set timeZone, for example "Europe/Berlin" or "Etc/UTC".',
          ],
        },
        {
          title: "an unknown zone",
          set: { timeZone: "Europe/Atlantis" },
          messages: [
            'Job timeZone "Europe/Atlantis" is not an IANA time zone. Use one such as "Europe/Berlin".',
          ],
        },
        {
          title: "a bare UTC",
          set: { timeZone: "UTC" },
          messages: [
            'Job timeZone "UTC" is stored by Cloud Scheduler as "Etc/UTC", so every preview shows a diff. Write "Etc/UTC".',
          ],
        },
        { title: "Etc/UTC", set: { timeZone: "Etc/UTC" }, messages: [] },
      ],
    }),
  )("$title", (c) => expect(c.run()).resolves.toBeUndefined());
});
