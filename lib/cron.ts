import { z } from "zod";
import { CronSyntaxError, parseRobfig, robfigNext, robfigRuns } from "./robfig-cron";
import type { RobfigSchedule } from "./robfig-cron";
import { formatInZone, localTime, transitionsBetween } from "./time-zone";
import { expected } from "./zod-messages";

// Unix cron, as Cloud Scheduler and Kubernetes CronJobs read it: five fields (minute hour
// day-of-month month day-of-week), `*`, numbers, month and day names, lists, ranges and steps.
// Runs are computed with taskstack's port of robfig/cron v3 (robfig-cron.ts), the library the
// Kubernetes CronJob controller uses, checked against the Go library in the differential tests.
// Cloud Scheduler runs "on wall clock time" (cloud.google.com/scheduler/docs/configuring/
// cron-job-schedules, "Time zone"), which is what the port computes outside daylight-saving
// changes; inside them Google documents only that jobs "may run or not run unexpectedly", which
// is why a schedule that fires there is refused by default (daylightSavingHazard below).

const monthNames = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];
const dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const fieldNames = ["minute", "hour", "day of month", "month", "day of week"] as const;

/** Kubernetes' macros (`@daily`…), which Cloud Scheduler does not take. */
const macros: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export interface CronOptions {
  /** Accept Kubernetes' `@daily`-style macros. @default false */
  readonly macros?: boolean;
}

/**
 * Why a schedule is not valid unix cron, or undefined when it is. The text is an `expected …`
 * phrase for taskstack's messages.
 */
export function cronProblem(text: string, options: CronOptions = {}): string | undefined {
  const trimmed = text.trim();
  if (/^(CRON_TZ|TZ)=/.test(trimmed)) {
    return "a schedule without a time zone prefix (set the timeZone field instead of CRON_TZ=/TZ=)";
  }
  const expanded = options.macros ? (macros[trimmed] ?? trimmed) : trimmed;
  if (expanded.startsWith("@")) {
    return options.macros
      ? `unix cron or one of ${Object.keys(macros).join(", ")}`
      : "unix cron with five fields (macros such as @daily are not accepted here)";
  }
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) {
    return `unix cron with five fields (minute hour day-of-month month day-of-week), not ${fields.length}`;
  }
  for (const [i, field] of fields.entries()) {
    const names = i === 3 ? monthNames : i === 4 ? dayNames : [];
    const atoms = field.split(/[,/-]/);
    const ok = atoms.every((a) => a === "*" || /^\d+$/.test(a) || names.includes(a.toLowerCase()));
    if (!ok) return `unix cron: the ${fieldNames[i]} field "${field}" uses syntax unix cron lacks`;
  }
  try {
    parse(expanded, options);
  } catch (err) {
    if (err instanceof CronSyntaxError) return `unix cron (${err.message})`;
    throw err;
  }
  return undefined;
}

/**
 * The schedule as robfig reads it. Kubernetes schedules (`macros`) are robfig's own syntax (day
 * of week 0-6); Cloud Scheduler also takes 7 for Sunday (its cron format page), read here as 0.
 */
function parse(schedule: string, options: CronOptions): RobfigSchedule {
  const text = schedule.trim();
  if (options.macros) return parseRobfig(text);
  const f = text.split(/\s+/);
  if (f.length === 5) {
    f[4] = (f[4] as string)
      .split(",")
      .map((part) => part.replace(/^7$/, "0").replace(/^(\d)-7$/, "$1-6,0"))
      .join(",");
  }
  return parseRobfig(f.join(" "));
}

/** A unix cron schedule, checked with a real parser. */
export function cronSchedule(options: CronOptions = {}) {
  return z.string(expected("a unix cron schedule")).superRefine((text, ctx) => {
    const why = cronProblem(text, options);
    if (why !== undefined)
      ctx.addIssue({ code: "custom", message: `expected ${why}`, input: text });
  });
}

/** True for an IANA time zone this runtime knows (`Europe/Paris`, `Etc/UTC`, `UTC`). */
export function isTimeZone(tz: string): boolean {
  // Intl ignores case; the services do not, so the name must be written as IANA writes it.
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name, not a legacy or fixed-offset one (`EST`, `PST8PDT`). */
export const timeZone = z
  .string(expected("an IANA time zone such as Europe/Paris or Etc/UTC"))
  .refine(isTimeZone, expected("an IANA time zone such as Europe/Paris or Etc/UTC"))
  .superRefine((tz, ctx) => {
    const why = legacyZoneProblem(tz);
    if (why !== undefined) ctx.addIssue({ code: "custom", message: `expected ${why}`, input: tz });
  });

/**
 * The form Cloud Scheduler stores a time zone in: a bare `UTC` comes back as `Etc/UTC`, so a stack
 * that sends `UTC` would show a diff on every preview.
 */
export function normalizeTimeZone(tz: string): string {
  return tz === "UTC" || tz === "Etc/UCT" || tz === "UCT" || tz === "Zulu" ? "Etc/UTC" : tz;
}

/**
 * The next `count` runs of a valid schedule in a time zone, as ISO 8601 with the zone's offset
 * (`2026-11-26T02:00:00+01:00`).
 */
export function nextRuns(
  schedule: string,
  tz: string,
  count: number,
  from: Date = new Date(),
  options: CronOptions = {},
): string[] {
  return robfigRuns(parse(schedule, options), tz, from.getTime(), count).map((t) =>
    formatInZone(t, tz),
  );
}

/** The shortest and longest gap between consecutive runs of a schedule, in seconds. */
export interface ScheduleIntervals {
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

// Walking a year of runs takes up to a third of a second (an every-minute schedule), and schemas,
// components and the plan ask for the same few schedules over and over: each is walked once per
// process. Bounded, since a long-lived process (a test run, a language server) sees many.
const intervalCache = new Map<string, ScheduleIntervals>();
const intervalCacheLimit = 1000;

/**
 * The shortest and longest gap between consecutive runs, in seconds, over the runs of the next
 * year (at most 2,000 runs): what a CronJob's `startingDeadlineSeconds` must stay under, and how
 * long an absence alert must wait before "no run happened" means something stopped. Computed
 * once per schedule, zone and options.
 */
export function scheduleIntervals(
  schedule: string,
  tz: string,
  options: CronOptions = {},
  from: Date = new Date(Date.UTC(2026, 0, 1)),
): ScheduleIntervals {
  const key = [schedule, tz, options.macros === true, from.getTime()].join("\u0000");
  const cached = intervalCache.get(key);
  if (cached !== undefined) return cached;
  const horizon = from.getTime() + 400 * 86_400_000;
  const parsed = parse(schedule, options);
  // Up to 2,001 runs, the last being the first past the horizon (a yearly schedule has two).
  let previous = robfigNext(parsed, tz, from.getTime());
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < 2000 && previous !== undefined; i++) {
    const next = robfigNext(parsed, tz, previous);
    if (next === undefined) break;
    const gap = (next - previous) / 1000;
    min = Math.min(min, gap);
    max = Math.max(max, gap);
    previous = next;
    if (next > horizon) break;
  }
  const intervals = { minSeconds: min, maxSeconds: max };
  if (intervalCache.size >= intervalCacheLimit) intervalCache.clear();
  intervalCache.set(key, intervals);
  return intervals;
}

/** Where a schedule's local fire times meet its zone's daylight-saving changes. */
export interface DaylightSavingHazard {
  /** First date (local, YYYY-MM-DD) on which a run falls in the gap and is skipped. */
  readonly skipped?: string;
  /** First date on which a run falls in the overlap and runs twice. */
  readonly repeated?: string;
  /** The local wall-clock windows involved, e.g. `02:00-02:59`. */
  readonly windows: readonly string[];
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * The first day within two years of `from` on which the schedule would fire inside its zone's
 * daylight-saving gap (a local time that does not exist: robfig skips the day, Cloud Scheduler's
 * behaviour is undocumented) and inside its overlap (a local time that happens twice: robfig runs
 * twice), or undefined when it never does.
 */
export function daylightSavingHazard(
  schedule: string,
  tz: string,
  options: CronOptions = {},
  from: Date = new Date(Date.UTC(2026, 0, 1)),
): DaylightSavingHazard | undefined {
  const s = parse(schedule, options);
  // A schedule that fires every hour keeps firing through the change, evenly spaced in elapsed
  // time (robfig and a wall clock agree): only schedules that skip hours can lose or double a run.
  if (s.hour.values.size === 24) return undefined;
  let skipped: string | undefined;
  let repeated: string | undefined;
  const windows = new Set<string>();
  const start = from.getTime();
  for (const t of transitionsBetween(tz, start, start + 2 * 366 * 86_400_000)) {
    const gap = t.offset > t.before;
    // The local wall-clock minutes that are missing (gap) or happen twice (overlap).
    const wallStart = t.at + (gap ? t.before : t.offset);
    const width = Math.abs(t.offset - t.before);
    let hit: number | undefined;
    for (let wall = wallStart; wall < wallStart + width; wall += 60_000) {
      const l = localTime("Etc/UTC", wall);
      const dayOk =
        s.dom.star || s.dow.star
          ? s.dom.values.has(l.day) && s.dow.values.has(l.weekday)
          : s.dom.values.has(l.day) || s.dow.values.has(l.weekday);
      if (
        dayOk &&
        s.month.values.has(l.month) &&
        s.hour.values.has(l.hour) &&
        s.minute.values.has(l.minute)
      ) {
        hit = wall;
        break;
      }
    }
    if (hit === undefined) continue;
    const first = localTime("Etc/UTC", wallStart);
    const last = localTime("Etc/UTC", wallStart + width - 60_000);
    windows.add(`${two(first.hour)}:${two(first.minute)}-${two(last.hour)}:${two(last.minute)}`);
    const l = localTime("Etc/UTC", hit);
    const date = `${l.year}-${two(l.month)}-${two(l.day)}`;
    if (gap) skipped ??= date;
    else repeated ??= date;
  }
  if (skipped === undefined && repeated === undefined) return undefined;
  return {
    ...(skipped !== undefined ? { skipped } : {}),
    ...(repeated !== undefined ? { repeated } : {}),
    windows: [...windows],
  };
}

/** The hazard as an `expected …` phrase and a fix naming the dates, for taskstack's messages. */
export function daylightSavingProblem(
  hazard: DaylightSavingHazard,
  tz: string,
  optOut: string,
): { expected: string; fix: string } {
  const effects = [
    ...(hazard.skipped ? [`would not run on ${hazard.skipped}`] : []),
    ...(hazard.repeated ? [`would run twice on ${hazard.repeated}`] : []),
  ].join(" and ");
  const windows = hazard.windows.join(", ");
  return {
    expected: `local run times outside ${tz}'s daylight-saving changes (${windows})`,
    fix:
      `As written it ${effects}. Pick a time outside ${windows}, or use timeZone Etc/UTC, ` +
      `or set ${optOut}: true to keep the scheduler's own behaviour`,
  };
}

/**
 * Legacy and fixed-offset zone names (tzdata's `backward` and POSIX-style names): valid IANA
 * names, but `EST` never observes daylight saving, so a job meant for New York runs an hour off
 * all summer. Each maps to the city zone people usually mean; a fixed offset that is really
 * wanted is written `Etc/GMT+5` (POSIX sign: five hours behind UTC), which is accepted.
 */
const legacyZones: Readonly<Record<string, string>> = {
  EST: "America/New_York",
  MST: "America/Denver (or America/Phoenix, which has no daylight saving)",
  HST: "Pacific/Honolulu",
  EST5EDT: "America/New_York",
  CST6CDT: "America/Chicago",
  MST7MDT: "America/Denver",
  PST8PDT: "America/Los_Angeles",
  CET: "Europe/Paris (or another city in the zone)",
  MET: "Europe/Paris (or another city in the zone)",
  EET: "Europe/Athens (or another city in the zone)",
  WET: "Europe/Lisbon",
  GMT: "Etc/UTC, or Europe/London for British time",
  "GMT+0": "Etc/UTC",
  "GMT-0": "Etc/UTC",
  GMT0: "Etc/UTC",
  Greenwich: "Etc/UTC",
  Universal: "Etc/UTC",
};

/** Why a zone name is a legacy one, with the city zone to use, or undefined. */
export function legacyZoneProblem(tz: string): string | undefined {
  const city = legacyZones[tz];
  if (city === undefined) return undefined;
  return `a city time zone such as ${city}: ${tz} is a legacy name whose daylight-saving rules are not a city's (write Etc/GMT±N if a fixed offset is really meant)`;
}
