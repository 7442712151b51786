import { describe, expect, it } from "vitest";
import { kubernetesBatchCronjobDisallowDaylightSavingTimes as policy } from "../../../../../policies/kubernetes";
import { policyCases } from "../../../../../testing";
import { compliantCronJob } from "../../fixtures";

describe("kubernetes-batch-cronjob-disallow-daylight-saving-times", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-batch-cronjob-disallow-daylight-saving-times");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: () => [compliantCronJob()],
      target: "report",
      cases: [
        {
          title: "a nightly run in Paris's skipped and repeated hour",
          set: { "spec.schedule": "0 2 * * *" },
          messages: [
            'CronJob spec.schedule "0 2 * * *" fires at 02:00-02:59 in Europe/Paris, inside its daylight-saving changes: the controller skips the run on 2026-03-29 and runs it twice on 2026-10-25. Pick a time outside 02:00-02:59, use spec.timeZone Etc/UTC, or annotate the CronJob taskstack.dev/allow-daylight-saving-transitions: "true" to keep that behaviour.',
          ],
        },
        {
          title: "a Sunday run in Chicago's repeated hour",
          set: { "spec.schedule": "30 1 * * 0", "spec.timeZone": "America/Chicago" },
          messages: [
            'CronJob spec.schedule "30 1 * * 0" fires at 01:00-01:59 in America/Chicago, inside its daylight-saving changes: the controller runs it twice on 2026-11-01. Pick a time outside 01:00-01:59, use spec.timeZone Etc/UTC, or annotate the CronJob taskstack.dev/allow-daylight-saving-transitions: "true" to keep that behaviour.',
          ],
        },
        {
          title: "the same run annotated as intended",
          set: {
            "spec.schedule": "0 2 * * *",
            "metadata.annotations": { "taskstack.dev/allow-daylight-saving-transitions": "true" },
          },
          messages: [],
        },
        { title: "the run at 04:00", set: { "spec.schedule": "0 4 * * *" }, messages: [] },
        {
          title: "02:00 in Etc/UTC",
          set: { "spec.schedule": "0 2 * * *", "spec.timeZone": "Etc/UTC" },
          messages: [],
        },
        { title: "an undefined schedule", set: { "spec.schedule": undefined }, messages: [] },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
