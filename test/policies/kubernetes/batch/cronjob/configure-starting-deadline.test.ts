import { describe, expect, it } from "vitest";
import { kubernetesBatchCronjobConfigureStartingDeadline as policy } from "../../../../../policies/kubernetes";
import { policyCases } from "../../../../../testing";
import { compliantCronJob } from "../../fixtures";

describe("kubernetes-batch-cronjob-configure-starting-deadline", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-batch-cronjob-configure-starting-deadline");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: () => [compliantCronJob()],
      target: "report",
      cases: [
        {
          title: "an undefined starting deadline",
          set: { "spec.startingDeadlineSeconds": undefined },
          messages: [
            "CronJob spec.startingDeadlineSeconds is undefined, so a run missed during a controller outage starts however late the controller comes back. Set it to at least 10 and less than the schedule's interval.",
          ],
        },
        {
          title: "a deadline under the controller's 10 s",
          set: { "spec.startingDeadlineSeconds": 5 },
          messages: [
            "CronJob spec.startingDeadlineSeconds is 5; the controller checks every 10 s, so a shorter deadline can skip runs. Set it to at least 10.",
          ],
        },
        {
          title: "a deadline as long as the interval",
          set: { "spec.startingDeadlineSeconds": 900 },
          messages: [
            "CronJob spec.startingDeadlineSeconds is 900, not shorter than the schedule's shortest interval (900 s), so a late run can start after the next one was due. Lower it below 900.",
          ],
        },
        {
          title: "the interval read in the time zone (a 23-hour day)",
          set: { "spec.schedule": "@daily", "spec.startingDeadlineSeconds": 82_800 },
          messages: [
            "CronJob spec.startingDeadlineSeconds is 82800, not shorter than the schedule's shortest interval (82800 s), so a late run can start after the next one was due. Lower it below 82800.",
          ],
        },
        {
          title: "just under the interval is fine",
          set: { "spec.startingDeadlineSeconds": 899 },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
