import { describe, expect, it } from "vitest";
import { kubernetesBatchCronjobConfigureConcurrencyPolicy as policy } from "../../../../../policies/kubernetes";
import { policyCases } from "../../../../../testing";
import { compliantCronJob } from "../../fixtures";

describe("kubernetes-batch-cronjob-configure-concurrency-policy", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-batch-cronjob-configure-concurrency-policy");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: () => [compliantCronJob()],
      target: "report",
      cases: [
        {
          title: "an undefined policy (Allow)",
          set: { "spec.concurrencyPolicy": undefined },
          messages: [
            'CronJob spec.concurrencyPolicy is undefined (the default, "Allow"), so overlapping runs pile up. Set it to "Forbid".',
          ],
        },
        {
          title: "Allow",
          set: { "spec.concurrencyPolicy": "Allow" },
          messages: [
            'CronJob spec.concurrencyPolicy is "Allow", so overlapping runs pile up. Set it to "Forbid".',
          ],
        },
        { title: "Replace is fine", set: { "spec.concurrencyPolicy": "Replace" }, messages: [] },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
