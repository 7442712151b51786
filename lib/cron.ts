import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { expected } from "./zod-messages";

// Unix cron, as Cloud Scheduler and Kubernetes CronJobs read it: five fields (minute hour
// day-of-month month day-of-week), `*`, numbers, month and day names, lists, ranges and steps.
// cron-parser computes the runs; the checks here refuse what it would accept but the services do
// not (a seconds field, `L`, `W`, `#`, `?`, `H`), so a schedule that validates is one they run.

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
    CronExpressionParser.parse(`0 ${expanded}`, { tz: "Etc/UTC" });
  } catch (err) {
    return `unix cron (${err instanceof Error ? err.message : String(err)})`;
  }
  return undefined;
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

/** An IANA time zone name. */
export const timeZone = z
  .string(expected("an IANA time zone such as Europe/Paris or Etc/UTC"))
  .refine(isTimeZone, expected("an IANA time zone such as Europe/Paris or Etc/UTC"));

/**
 * The form Cloud Scheduler stores a time zone in: a bare `UTC` comes back as `Etc/UTC`, so a stack
 * that sends `UTC` would show a diff on every preview.
 */
export function normalizeTimeZone(tz: string): string {
  return tz === "UTC" || tz === "Etc/UCT" || tz === "UCT" || tz === "Zulu" ? "Etc/UTC" : tz;
}

function iterate(schedule: string, tz: string, from: Date, options: CronOptions) {
  const expanded = options.macros ? (macros[schedule.trim()] ?? schedule.trim()) : schedule.trim();
  return CronExpressionParser.parse(`0 ${expanded}`, { tz, currentDate: from });
}

/**
 * The next `count` runs of a valid schedule in a time zone, as ISO 8601 with the zone's offset
 * (`2026-11-26T02:00:00.000+01:00`).
 */
export function nextRuns(
  schedule: string,
  tz: string,
  count: number,
  from: Date = new Date(),
  options: CronOptions = {},
): string[] {
  const it = iterate(schedule, tz, from, options);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(it.next().toISOString() ?? "");
  return out.map((utc) => inZone(new Date(utc), tz));
}

/** An instant as local time in a zone, ISO 8601 with its offset. */
function inZone(date: Date, tz: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(
    Number(parts["year"]),
    Number(parts["month"]) - 1,
    Number(parts["day"]),
    Number(parts["hour"]),
    Number(parts["minute"]),
    Number(parts["second"]),
  );
  const offsetMinutes = Math.round((local - date.getTime()) / 60_000);
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  const p = (k: string) => parts[k] ?? "00";
  return `${p("year")}-${p("month")}-${p("day")}T${p("hour")}:${p("minute")}:${p("second")}${offset}`;
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
  const it = iterate(schedule, tz, from, options);
  const horizon = from.getTime() + 400 * 86_400_000;
  let previous = it.next().getTime();
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < 2000; i++) {
    const next = it.next().getTime();
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
