import { describe, expect, it } from "vitest";
import { parseAppEngineSchedule } from "../../../components/scheduling/app-engine-schedule";
import { nextRuns } from "../../../lib/cron";
import { askGroc, grocSdk } from "../../support/references";
import type { Answer, GrocQuery } from "../../support/references";

// taskstack's reading of App Engine schedules against App Engine's own parser (groc, from the
// Google Cloud SDK), for every grammar form, valid and invalid, in zones with and without
// daylight saving. For each (schedule, zone):
// - translated to unix cron: the cron fires at exactly groc's instants over 2026-2027;
// - kept as App Engine text: groc accepts it;
// - refused: groc refuses it too.
const UTC = "Etc/UTC";
const table: readonly (readonly [string, string])[] = [
  // intervals
  ["every 5 minutes", UTC],
  ["every 5 mins", UTC],
  ["every5 mins", UTC],
  ["every 12 hours", UTC],
  ["every 25 hours", UTC],
  ["every 1 minutes synchronized", UTC],
  ["every 5 minutes synchronized", UTC],
  ["every 90 minutes synchronized", UTC],
  ["every 2 hours synchronized", UTC],
  ["every 24 hours synchronized", UTC],
  ["every 1440 minutes synchronized", UTC],
  ["every 2 hours synchronized", "Europe/Paris"],
  ["every 6 hours synchronized", "America/New_York"],
  ["every 7 hours synchronized", UTC],
  ["every 25 hours synchronized", UTC],
  ["every 7 minutes synchronized", UTC],
  ["every 5 minutes from 10:00 to 14:00", UTC],
  ["every 5 minutes from 10:00 to 14:00", "Europe/Paris"],
  ["every 10 minutes from 9:00 to 17:30", "America/Chicago"],
  ["every 2 hours from 22:00 to 03:00", UTC],
  ["every 2 hours from 22:00 to 03:00", "Europe/Paris"],
  ["every 30 minutes from 23:00 to 01:00", "Asia/Kolkata"],
  ["every 7 minutes from 10:00 to 11:00", UTC],
  ["every 1 hours from 10:00 to 10:00", UTC],
  ["every 15 minutes from 08:00 to 18:00 on mon,tue,wed,thu,fri", UTC],
  ["every 15 minutes synchronized on sat,sun", UTC],
  ["every 3 hours synchronized on day", UTC],
  ["every 30 hours from 10:00 to 12:00 on mon", UTC],
  ["every 0 minutes", UTC],
  ["every 1 hour", UTC],
  ["every 7 min", UTC],
  ["every 3 minute", UTC],
  ["every 5 minutes from 10:00", UTC],
  ["every 5 minutes from 10:00 to 24:00", UTC],
  ["every 5 minutes synchronized from 10:00 to 11:00", UTC],
  // specific times
  ["every day 00:00", UTC],
  ["every day 02:30", "Europe/Paris"],
  ["every day 03:30", "Europe/Paris"],
  ["everyday 09:00", UTC],
  ["every monday 09:00", UTC],
  ["every mon,wed,fri 9:05", "America/New_York"],
  ["every sunday 01:30", "America/Chicago"],
  ["every sunday 04:30", "America/Chicago"],
  ["every saturday,sunday 12:00", "Australia/Sydney"],
  ["every day of month 06:00", UTC],
  ["every mon of jan,jul 08:00", UTC],
  ["every monday of quarter 08:00", UTC],
  ["every day of 2nd month of quarter 07:00", UTC],
  ["1st monday of sep,oct,nov 17:00", UTC],
  ["1st,third mon,wed of sep,oct 17:00", "Europe/Paris"],
  ["first sunday of month 00:00", UTC],
  ["5th friday of month 23:59", UTC],
  ["2nd,4th tue 10:00", UTC],
  ["1st monday of 1st month of quarter 09:00", UTC],
  ["1st,3rd month of quarter 09:00", UTC],
  ["2nd day of month 09:00", UTC],
  ["1st,15th day of month 09:00", UTC],
  ["2nd day 09:00", UTC],
  ["1 of month 00:00", UTC],
  ["1,15 of month 00:00", "Europe/Berlin"],
  ["1 of jan,july 00:00", UTC],
  ["31 of month 04:00", UTC],
  ["29 of feb 12:00", UTC],
  ["30,31 of feb 12:00", UTC],
  ["31 of feb 00:00", UTC],
  ["31 of apr,jun 00:00", UTC],
  ["31 of apr,jul 00:00", UTC],
  ["1 of quarter 00:00", UTC],
  ["15 of 3rd month of quarter 18:00", UTC],
  ["0 of month 00:00", UTC],
  ["32 of month 00:00", UTC],
  ["1 of month 24:00", UTC],
  ["every day 9:5", UTC],
  ["every days 09:00", UTC],
  ["every tues 09:00", UTC],
  ["every monday of sept 09:00", UTC],
  ["6th monday 09:00", UTC],
  ["4th month of quarter 09:00", UTC],
  ["every monday", UTC],
  ["1st month of quarter 09:00", UTC],
  ["last friday of month 17:00", UTC],
  ["every 5 minutes;", UTC],
  ["EVERY MONDAY 09:00", UTC],
  ["every day 02:00", "Europe/Berlin"],
  ["every day 01:15", "America/Havana"],
  ["every 1 hours synchronized", "Asia/Kolkata"],
];

const from = "2026-01-01T00:00:00Z";
const until = "2028-01-01T00:00:00Z";
const max = 3000;
const queries: GrocQuery[] = table.map(([schedule, timeZone]) => ({
  schedule,
  timeZone,
  from,
  until,
  max,
}));

const reference = grocSdk();
if (reference.absent) {
  console.warn(`SKIP (real part absent): App Engine groc differential: ${reference.absent}`);
}

describe.skipIf(reference.root === undefined)("App Engine schedules against groc", () => {
  const answers: Answer[] = reference.root ? askGroc(reference.root, queries) : [];
  const outcomes = { cron: 0, legacy: 0, invalid: 0 };

  it.each(table.map(([s, tz], i) => [s, tz, i] as const))(
    "%s in %s: taskstack and groc agree",
    (schedule, tz, i) => {
      const groc = answers[i] as Answer;
      const ours = parseAppEngineSchedule(schedule, tz);
      outcomes[ours.kind]++;
      // Refused by taskstack exactly where groc refuses it.
      expect({ schedule, refused: ours.kind === "invalid" }).toEqual({
        schedule,
        refused: groc.error !== undefined,
      });
      // Translated: the cron's runs are groc's, and end where groc's list ends (the horizon or
      // `max` runs).
      const theirs = ours.kind === "cron" ? (groc.runs ?? []) : [];
      const runs =
        ours.kind === "cron"
          ? nextRuns(ours.cron, tz, theirs.length + 1, new Date(from)).map((r) =>
              new Date(r).toISOString().replace(".000Z", "Z"),
            )
          : [];
      expect(runs.slice(0, theirs.length)).toEqual(theirs);
      const next = runs[theirs.length];
      expect(next === undefined || theirs.length === max || next > until).toBe(true);
    },
  );

  it("covers every outcome", () => {
    expect(table.length).toBeGreaterThanOrEqual(60);
    expect(outcomes.cron).toBeGreaterThan(20);
    expect(outcomes.legacy).toBeGreaterThan(10);
    expect(outcomes.invalid).toBeGreaterThan(15);
  });
});
