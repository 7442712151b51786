import { describe, expect, it } from "vitest";
import { CronSyntaxError, parseRobfig, robfigRuns } from "../../../components/shared/robfig-cron";
import { askRobfig, isoSeconds, robfigBinary } from "../../support/references";
import type { Answer, RobfigQuery } from "../../support/references";

// taskstack's port of robfig/cron v3 against the library itself (the Kubernetes CronJob
// controller's scheduler), over two years of runs from 2026-01-01, for schedules and zones chosen
// to cross daylight-saving gaps and overlaps (Europe/Paris, America/New_York, America/Chicago,
// Australia/Sydney, America/Sao_Paulo's old midnight transitions, Asia/Kolkata, Etc/UTC).
const zones = [
  "Etc/UTC",
  "Europe/Paris",
  "America/New_York",
  "America/Chicago",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "America/Sao_Paulo",
  "Asia/Kolkata",
  "America/Havana",
];
const schedules = [
  "0 2 * * *",
  "30 2 * * *",
  "0 1 * * *",
  "30 1 * * 0",
  "0 3 * * *",
  "0 0 * * *",
  "15 */2 * * *",
  "*/30 * * * *",
  "0 * * * *",
  "45 23 * * 6",
  "0 9 * * MON-FRI",
  "0 9 1-7 * mon",
  "0 9 1,15 * *",
  "0 4 31 * *",
  "0 12 29 2 *",
  "0 0 1 jan,jul *",
  "5 0 * 3,10 0",
  "@daily",
  "@hourly",
  "@weekly",
  "@monthly",
  "@yearly",
  "0 0 */5 * *",
  "0 2 * * 1/2",
  "0 0,12 1 */2 *",
];
// The whole run list for a schedule would be large for hourly ones: 2,000 runs from the start,
// plus 60 runs from a few days before each transition of these zones in 2026 and Europe's in
// March 2027.
const starts = [
  "2026-01-01T00:00:00Z",
  "2026-03-06T00:00:00Z",
  "2026-03-26T00:00:00Z",
  "2026-04-03T00:00:00Z",
  "2026-09-25T00:00:00Z",
  "2026-10-23T00:00:00Z",
  "2026-10-30T00:00:00Z",
  "2027-03-26T00:00:00Z",
];

const until = "2028-01-01T00:00:00Z";
const queries: RobfigQuery[] = zones.flatMap((timeZone) =>
  schedules.flatMap((schedule) =>
    starts.map((from, i) => ({ schedule, timeZone, from, count: i === 0 ? 800 : 60, until })),
  ),
);

const refused = [
  "0 2 * * 7",
  "60 * * * *",
  "0 24 * * *",
  "0 0 0 * *",
  "0 0 * 13 *",
  "0 0 * * 1-8",
  "0 0 5-1 * *",
  "@fortnightly",
  "0 0 * *",
  "*/0 * * * *",
  "0 0 L * *",
];

const reference = robfigBinary();
if (reference.absent)
  console.warn(`SKIP (real part absent): robfig/cron v3 differential: ${reference.absent}`);

describe.skipIf(reference.path === undefined)("robfig/cron port against robfig/cron v3", () => {
  const answers: Answer[] = reference.path
    ? askRobfig(reference.path, [
        ...queries,
        ...refused.map((schedule) => ({
          schedule,
          timeZone: "Etc/UTC",
          from: "2026-01-01T00:00:00Z",
          count: 1,
        })),
      ])
    : [];

  it(`fires at exactly robfig's instants for ${schedules.length} schedules in ${zones.length} zones (${queries.length} windows)`, () => {
    let compared = 0;
    const mismatches: string[] = [];
    queries.forEach((q, i) => {
      const theirs = answers[i]?.runs ?? [];
      const ours = robfigRuns(
        parseRobfig(q.schedule),
        q.timeZone,
        Date.parse(q.from),
        q.count,
        Date.parse(until),
      ).map(isoSeconds);
      compared += theirs.length;
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        const at = ours.findIndex((o, j) => o !== theirs[j]);
        mismatches.push(
          `${q.schedule} in ${q.timeZone} from ${q.from}: run ${at} ours ${ours[at]} robfig ${theirs[at]}`,
        );
      }
    });
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(100_000);
  });

  it.each(refused.map((s, i) => [s, i] as const))("refuses %s as robfig does", (schedule, i) => {
    expect(answers[queries.length + i]?.error).toBeDefined();
    expect(() => parseRobfig(schedule)).toThrow(CronSyntaxError);
  });
});
