import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertExercised } from "../support/properties";
import {
  cronProblem,
  isTimeZone,
  nextRuns,
  normalizeTimeZone,
  scheduleIntervals,
} from "../../lib/cron";

describe("cronProblem", () => {
  it.each(["0 2 * * *", "*/5 * * * *", "0 9 * * MON-FRI", "0 9 1-7 * mon", "15 3 1 JAN,JUL *"])(
    "accepts %s",
    (schedule) => {
      expect(cronProblem(schedule)).toBeUndefined();
    },
  );

  it.each([
    ["0 0 L * *", 'unix cron: the day of month field "L" uses syntax unix cron lacks'],
    ["0 0 * * 5#2", 'unix cron: the day of week field "5#2" uses syntax unix cron lacks'],
    ["0 0 ? * *", 'unix cron: the day of month field "?" uses syntax unix cron lacks'],
    [
      "0 0 0 * * *",
      "unix cron with five fields (minute hour day-of-month month day-of-week), not 6",
    ],
    [
      "CRON_TZ=Europe/Paris 0 2 * * *",
      "a schedule without a time zone prefix (set the timeZone field instead of CRON_TZ=/TZ=)",
    ],
    ["@daily", "unix cron with five fields (macros such as @daily are not accepted here)"],
    ["61 * * * *", 'unix cron (the minute field\'s "61" is outside 0-59)'],
    ["0 25 * * *", 'unix cron (the hour field\'s "25" is outside 0-23)'],
    ["0 0 5-1 * *", 'unix cron (the day of month field\'s range "5-1" runs backwards)'],
  ])("refuses %s", (schedule, why) => {
    expect(cronProblem(schedule)).toBe(why);
  });

  it("accepts Kubernetes macros only when asked", () => {
    expect(cronProblem("@daily", { macros: true })).toBeUndefined();
    expect(cronProblem("@fortnightly", { macros: true })).toBe(
      "unix cron or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly",
    );
  });

  it("never throws, whatever the text", () => {
    const counts = { accepted: 0, refused: 0 };
    assertExercised(counts, { accepted: 20, refused: 20 }, (params) => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            // A valid one among the random ones, so the run always sees both answers (the token
            // arrays below make a valid five-field schedule only about once in a hundred).
            fc.constantFrom("*/15 * * * 1-5", "0 5 * * MON"),
            fc
              .array(fc.constantFrom("*", "0", "5", "*/15", "1-5", "MON", "L", "#", "?", "60"), {
                minLength: 4,
                maxLength: 6,
              })
              .map((f) => f.join(" ")),
          ),
          (text) => {
            const why = cronProblem(text);
            if (why === undefined) counts.accepted++;
            else counts.refused++;
            return why === undefined || typeof why === "string";
          },
        ),
        { numRuns: 1000, ...params },
      );
    });
  });
});

describe("schedules over time", () => {
  it("lists the next runs in the schedule's time zone, across a DST change", () => {
    expect(nextRuns("30 1 * * *", "America/New_York", 3, new Date("2026-03-07T00:00:00Z"))).toEqual(
      ["2026-03-07T01:30:00-05:00", "2026-03-08T01:30:00-05:00", "2026-03-09T01:30:00-04:00"],
    );
  });

  it.each([
    ["*/5 * * * *", "Etc/UTC", 300, 300],
    ["0 9 * * 1", "Etc/UTC", 604_800, 604_800],
    ["0 0 1 * *", "Etc/UTC", 2_419_200, 2_678_400],
    // robfig runs it twice an hour apart on the fall-back day and skips the spring-forward day.
    ["0 2 * * *", "Europe/Paris", 3600, 169_200],
    ["0 3 * * *", "Europe/Paris", 82_800, 90_000],
  ])("%s in %s runs between %i and %i s apart", (schedule, tz, min, max) => {
    expect(scheduleIntervals(schedule, tz)).toEqual({ minSeconds: min, maxSeconds: max });
  });
});

describe("time zones", () => {
  it.each([
    ["Europe/Paris", true],
    ["Etc/UTC", true],
    ["UTC", true],
    ["America/Argentina/Buenos_Aires", true],
    ["europe/paris", false],
    ["Mars/Olympus", false],
    [" UTC", false],
  ])("%s is valid: %s", (tz, valid) => {
    expect(isTimeZone(tz)).toBe(valid);
  });

  it("stores a bare UTC as Etc/UTC, as Cloud Scheduler does", () => {
    expect(normalizeTimeZone("UTC")).toBe("Etc/UTC");
    expect(normalizeTimeZone("Europe/Paris")).toBe("Europe/Paris");
  });
});
