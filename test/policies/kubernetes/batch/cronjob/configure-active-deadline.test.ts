import { describe, expect, it } from "vitest";
import { kubernetesBatchCronjobConfigureActiveDeadline as policy } from "../../../../../policies/kubernetes";
import { policyCases } from "../../../../../testing";
import { compliantCronJob } from "../../fixtures";

const fix =
  "Set spec.jobTemplate.spec.activeDeadlineSeconds to the longest a run may take (at most the schedule's interval).";

describe("kubernetes-batch-cronjob-configure-active-deadline", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-batch-cronjob-configure-active-deadline");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: () => [compliantCronJob()],
      target: "report",
      cases: [
        {
          title: "an undefined run deadline",
          set: { "spec.jobTemplate.spec.activeDeadlineSeconds": undefined },
          messages: [
            `CronJob spec.jobTemplate.spec.activeDeadlineSeconds is undefined, so a stuck run never ends and, with Forbid, blocks every later run. ${fix}`,
          ],
        },
        {
          title: "a zero deadline",
          set: { "spec.jobTemplate.spec.activeDeadlineSeconds": 0 },
          messages: [
            `CronJob spec.jobTemplate.spec.activeDeadlineSeconds is 0; expected a positive number of seconds. ${fix}`,
          ],
        },
        {
          title: "a deadline as text",
          set: { "spec.jobTemplate.spec.activeDeadlineSeconds": "900" },
          messages: [
            `CronJob spec.jobTemplate.spec.activeDeadlineSeconds is "900"; expected a positive number of seconds. ${fix}`,
          ],
        },
        {
          title: "an undefined job template",
          set: { "spec.jobTemplate": undefined },
          messages: [
            `CronJob spec.jobTemplate.spec.activeDeadlineSeconds is undefined, so a stuck run never ends and, with Forbid, blocks every later run. ${fix}`,
          ],
        },
        {
          title: "a one-second deadline is accepted",
          set: { "spec.jobTemplate.spec.activeDeadlineSeconds": 1 },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
