import { describe, expect, it } from "vitest";
import { kubernetesBatchCronjobConfigureTimeZone as policy } from "../../../../../policies/kubernetes";
import { policyCases } from "../../../../../testing";
import { compliantCronJob } from "../../fixtures";

const fix = 'Set spec.timeZone to an IANA zone such as "Etc/UTC" or "Europe/Paris".';

describe("kubernetes-batch-cronjob-configure-time-zone", () => {
  it("is named for the resource type path and mandatory", () => {
    expect(policy.name).toBe("kubernetes-batch-cronjob-configure-time-zone");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each(
    policyCases(policy, {
      fixture: () => [compliantCronJob()],
      target: "report",
      cases: [
        {
          title: "a CRON_TZ= prefix beside the timeZone field",
          set: { "spec.schedule": "CRON_TZ=Europe/Paris */15 * * * *" },
          messages: [
            'CronJob spec.schedule "CRON_TZ=Europe/Paris */15 * * * *" carries a CRON_TZ= prefix, which Kubernetes does not support. Remove it and set spec.timeZone: "Europe/Paris" instead.',
          ],
        },
        {
          title: "a TZ= prefix instead of the timeZone field",
          set: { "spec.schedule": "TZ=Etc/UTC 0 2 * * *", "spec.timeZone": undefined },
          messages: [
            'CronJob spec.schedule "TZ=Etc/UTC 0 2 * * *" carries a TZ= prefix, which Kubernetes does not support. Remove it and set spec.timeZone: "Etc/UTC" instead.',
            `CronJob spec.timeZone is undefined, so the schedule runs in the controller manager's local zone. ${fix}`,
          ],
        },
        {
          title: "an undefined time zone",
          set: { "spec.timeZone": undefined },
          messages: [
            `CronJob spec.timeZone is undefined, so the schedule runs in the controller manager's local zone. ${fix}`,
          ],
        },
        {
          title: "an empty time zone",
          set: { "spec.timeZone": "" },
          messages: [
            `CronJob spec.timeZone is "", so the schedule runs in the controller manager's local zone. ${fix}`,
          ],
        },
        {
          title: "a macro schedule with a zone is fine",
          set: { "spec.schedule": "@daily", "spec.timeZone": "Etc/UTC" },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
