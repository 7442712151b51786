import { describe, expect, it } from "vitest";
import { renderTree } from "../../cli/render";
import { scheduleLines } from "../../cli/render-schedules";
import { scheduling } from "../../components";
import { fixtureResource, runProgram } from "../../testing";

const JOB = "gcp:cloudscheduler/job:Job";
const now = new Date("2026-10-24T12:00:00Z");

describe("next runs in the plan", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "a unix cron job, across the end of summer time",
      { schedule: "30 2 * * *", timeZone: "Europe/Berlin" },
      [
        "next runs (Europe/Berlin): 2026-10-25T02:30:00+02:00, 2026-10-25T02:30:00+01:00, 2026-10-26T02:30:00+01:00",
        "runs at 02:00-02:59 inside Europe/Berlin's daylight-saving changes may be skipped or doubled (Google does not say which)",
      ],
    ],
    [
      "a unix cron job outside the change",
      { schedule: "30 3 * * *", timeZone: "Europe/Berlin" },
      [
        "next runs (Europe/Berlin): 2026-10-25T03:30:00+01:00, 2026-10-26T03:30:00+01:00, 2026-10-27T03:30:00+01:00",
      ],
    ],
    [
      "an imported App Engine schedule",
      { schedule: "every 7 minutes", timeZone: "Etc/UTC" },
      ['next runs: computed by Cloud Scheduler (App Engine schedule format: "every 7 minutes")'],
    ],
    ["a job without a schedule", { timeZone: "Etc/UTC" }, []],
  ])("shows %s", (_case, inputs, lines) => {
    expect(scheduleLines(fixtureResource(JOB, "j", inputs), now)).toEqual(lines);
  });

  it("prints them under the job in the tree, with its effective settings", async () => {
    const plan = await runProgram(() => {
      new scheduling.CloudSchedulerJob("nightly", {
        region: "europe-west1",
        schedule: "0 3 * * *",
        timeZone: "UTC",
        topic: "projects/acme-shop-dev/topics/ticks",
      });
    });
    const tree = renderTree(plan, { now });
    expect(tree).toContain("timeZone: Etc/UTC");
    expect(tree).toContain(
      "next runs: 2026-10-25T03:00:00+00:00, 2026-10-26T03:00:00+00:00, 2026-10-27T03:00:00+00:00",
    );
  });
});
