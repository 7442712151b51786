import { describe, expect, it } from "vitest";
import { kubernetesBatchCronjobDisallowTtlAfterFinished as policy } from "../../../../../policies/kubernetes";
import { policyCases } from "../../../../../testing";
import { compliantCronJob } from "../../fixtures";

describe("kubernetes-batch-cronjob-disallow-ttl-after-finished", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-batch-cronjob-disallow-ttl-after-finished");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: () => [compliantCronJob()],
      target: "report",
      cases: [
        {
          title: "a TTL on the job template",
          set: { "spec.jobTemplate.spec.ttlSecondsAfterFinished": 600 },
          messages: [
            "CronJob spec.jobTemplate.spec.ttlSecondsAfterFinished is 600, so finished Jobs are deleted behind the controller's back. Remove it and set successfulJobsHistoryLimit and failedJobsHistoryLimit instead.",
          ],
        },
        {
          title: "a TTL of 0",
          set: { "spec.jobTemplate.spec.ttlSecondsAfterFinished": 0 },
          messages: [
            "CronJob spec.jobTemplate.spec.ttlSecondsAfterFinished is 0, so finished Jobs are deleted behind the controller's back. Remove it and set successfulJobsHistoryLimit and failedJobsHistoryLimit instead.",
          ],
        },
        {
          title: "an undefined job template",
          set: { "spec.jobTemplate": undefined },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
