import { daylightSavingHazard } from "../../lib/cron";
import { transitionsBetween } from "../../lib/time-zone";

// The App Engine cron.yaml schedule grammar exactly as App Engine's own parser, groc, reads it
// (google/appengine/cron: GrocLexer.py, GrocParser.py, groctimespecification.py in the Google
// Cloud SDK), and its exact translation to unix cron where one exists. Checked against groc itself
// in test/components/scheduling/app-engine-schedule.differential.test.ts.
//
//   interval:  every N (hours|mins|minutes) [from HH:MM to HH:MM | synchronized] [on WEEKDAYS]
//   specific:  (every|ORDINALS) (day|WEEKDAYS) [of (month|MONTHS|quarter|QUARTER-ORDINALS month of quarter)] HH:MM
//              DAYS-OF-MONTH of (month|MONTHS|quarter|QUARTER-ORDINALS month of quarter) HH:MM
//
// groc lowercases the text and skips blanks between tokens (`every5 mins` is valid); `hour`,
// `min`, `minute`, `sept`, `tues` and `24:00` are not words it knows. `2nd day of month` is day 2.
//
// Cloud Scheduler accepts this format as it is (its "English-like" schedules), so a schedule unix
// cron cannot express exactly is kept as written and reported as such: never approximated.

export type AppEngineSchedule =
  | { readonly kind: "cron"; readonly cron: string }
  | { readonly kind: "legacy"; readonly schedule: string; readonly why: string }
  | { readonly kind: "invalid"; readonly expected: string };

const grammar =
  'an App Engine schedule such as "every 12 hours", "every 5 minutes from 10:00 to 14:00", "every monday 09:00", "1st monday of sep,oct 17:00" or "1 of jan,july 00:00"';

type Kind =
  | "every"
  | "num"
  | "time"
  | "ordinal"
  | "hours"
  | "minutes"
  | "day"
  | "weekday"
  | "month"
  | "monthName"
  | "quarter"
  | "of"
  | "from"
  | "to"
  | "synchronized"
  | "on"
  | "comma";

interface Token {
  readonly kind: Kind;
  readonly value: number;
  readonly text: string;
}

// Keywords as groc's lexer knows them (GrocLexer.py); the longest match wins.
const keywords: readonly (readonly [string, Kind, number])[] = [
  ["every", "every", 0],
  ["synchronized", "synchronized", 0],
  ["quarter", "quarter", 0],
  ["minutes", "minutes", 0],
  ["mins", "minutes", 0],
  ["hours", "hours", 0],
  ["month", "month", 0],
  ["from", "from", 0],
  ["day", "day", 0],
  ["of", "of", 0],
  ["to", "to", 0],
  ["on", "on", 0],
  ...(
    [
      ["first", 1],
      ["1st", 1],
      ["second", 2],
      ["2nd", 2],
      ["third", 3],
      ["3rd", 3],
      ["fourth", 4],
      ["4th", 4],
      ["fifth", 5],
      ["5th", 5],
    ] as const
  ).map(([w, v]) => [w, "ordinal", v] as const),
  ...(
    [
      ["sunday", 0],
      ["sun", 0],
      ["monday", 1],
      ["mon", 1],
      ["tuesday", 2],
      ["tue", 2],
      ["wednesday", 3],
      ["wed", 3],
      ["thursday", 4],
      ["thu", 4],
      ["friday", 5],
      ["fri", 5],
      ["saturday", 6],
      ["sat", 6],
    ] as const
  ).map(([w, v]) => [w, "weekday", v] as const),
  ...(
    [
      ["january", 1],
      ["jan", 1],
      ["february", 2],
      ["feb", 2],
      ["march", 3],
      ["mar", 3],
      ["april", 4],
      ["apr", 4],
      ["may", 5],
      ["june", 6],
      ["jun", 6],
      ["july", 7],
      ["jul", 7],
      ["august", 8],
      ["aug", 8],
      ["september", 9],
      ["sep", 9],
      ["october", 10],
      ["oct", 10],
      ["november", 11],
      ["nov", 11],
      ["december", 12],
      ["dec", 12],
    ] as const
  ).map(([w, v]) => [w, "monthName", v] as const),
];

class Refused extends Error {}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const blank = /^[ \t\r\n]+/.exec(rest);
    if (blank) {
      i += blank[0].length;
      continue;
    }
    // A time is H:MM or HH:MM with hours 0-23 (groc's TIME); "24:00" is not one.
    const time = /^(?:[01]?\d|2[0-3]):[0-5]\d/.exec(rest);
    if (time) {
      const [h, m] = time[0].split(":").map(Number) as [number, number];
      out.push({ kind: "time", value: h * 60 + m, text: time[0] });
      i += time[0].length;
      continue;
    }
    const clock = /^\d+:\d+/.exec(rest);
    if (clock) throw new Refused(`a time of day as HH:MM, from 00:00 to 23:59 (not "${clock[0]}")`);
    let best: readonly [string, Kind, number] | undefined;
    for (const k of keywords) {
      if (rest.startsWith(k[0]) && (best === undefined || k[0].length > best[0].length)) best = k;
    }
    // An ordinal such as "1st" starts with a digit: it wins over the number when it matches.
    if (best !== undefined) {
      out.push({ kind: best[1], value: best[2], text: best[0] });
      i += best[0].length;
      continue;
    }
    const num = /^\d+/.exec(rest);
    if (num) {
      out.push({ kind: "num", value: Number(num[0]), text: num[0] });
      i += num[0].length;
      continue;
    }
    if (rest[0] === ",") {
      out.push({ kind: "comma", value: 0, text: "," });
      i += 1;
      continue;
    }
    // Name the whole word the unknown text sits in ("often", not the "ten" left after "of").
    let start = i;
    while (start > 0 && /[a-z0-9]/.test(text[start - 1] as string)) start--;
    const word = /^[^ ,]+/.exec(text.slice(start))?.[0] ?? rest;
    throw new Refused(`${grammar} ("${word}" is not a word of it)`);
  }
  return out;
}

interface Specific {
  readonly form: "specific";
  readonly ordinals: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly monthdays: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly time: number;
}
interface Interval {
  readonly form: "interval";
  readonly seconds: number;
  readonly synchronized: boolean;
  readonly range?: { readonly from: number; readonly to: number };
  readonly weekdays?: ReadonlySet<number>;
}

const allOf = (from: number, to: number) =>
  new Set(Array.from({ length: to - from + 1 }, (_, i) => from + i));

/** groc's parser and its TimeSpecification constructors' checks. Throws Refused. */
function parse(text: string): Specific | Interval {
  const toks = tokenize(text);
  let p = 0;
  const peek = (k = 0) => toks[p + k];
  const take = (kind: Kind, what: string): Token => {
    const t = toks[p];
    if (t === undefined || t.kind !== kind) {
      throw new Refused(`${grammar} (${what} expected ${t ? `at "${t.text}"` : "at the end"})`);
    }
    p++;
    return t;
  };
  const list = (kind: Kind, what: string): number[] => {
    const values = [take(kind, what).value];
    while (peek()?.kind === "comma") {
      p++;
      values.push(take(kind, what).value);
    }
    return values;
  };
  const end = () => {
    const t = peek();
    if (t !== undefined)
      throw new Refused(
        `${grammar} (nothing expected after "${toks[p - 1]?.text}", got "${t.text}")`,
      );
  };
  const first = peek();
  if (first === undefined) throw new Refused(grammar);

  if (first.kind === "every" && peek(1)?.kind === "num") {
    p++;
    const n = take("num", "a number").value;
    const unit = peek();
    if (unit?.kind !== "hours" && unit?.kind !== "minutes") {
      throw new Refused(
        `${grammar} (an interval counts hours, mins or minutes${unit ? `, not "${unit.text}"` : ""})`,
      );
    }
    p++;
    if (n < 1) throw new Refused("an interval of at least 1");
    const seconds = n * (unit.kind === "hours" ? 3600 : 60);
    let synchronized = false;
    let range: { from: number; to: number } | undefined;
    if (peek()?.kind === "from") {
      p++;
      const from = take("time", "a time as HH:MM").value;
      take("to", '"to"');
      range = { from, to: take("time", "a time as HH:MM").value };
    } else if (peek()?.kind === "synchronized") {
      p++;
      synchronized = true;
    }
    let weekdays: Set<number> | undefined;
    if (peek()?.kind === "on") {
      p++;
      if (peek()?.kind === "day") p++;
      else weekdays = new Set(list("weekday", "weekday names"));
      if (weekdays?.size === 7) weekdays = undefined;
    }
    end();
    if (weekdays !== undefined && seconds > 86_400) {
      throw new Refused("an interval of at most 24 hours with on <weekdays>");
    }
    if (synchronized && (seconds > 86_400 || 86_400 % seconds !== 0)) {
      throw new Refused(
        "an interval that divides 24 hours evenly with synchronized (1, 2, 3, 4, 6, 8, 12 or 24 hours, or such a number of minutes)",
      );
    }
    return {
      form: "interval",
      seconds,
      synchronized,
      ...(range ? { range } : synchronized ? { range: { from: 0, to: 23 * 60 + 59 } } : {}),
      ...(weekdays ? { weekdays } : {}),
    };
  }

  let ordinals = new Set<number>();
  let weekdays = new Set<number>();
  let monthdays = new Set<number>();
  if (first.kind === "num") {
    monthdays = new Set(list("num", "days of the month"));
    if (peek()?.kind !== "of")
      throw new Refused(`${grammar} ("of" expected after the days of the month)`);
  } else {
    if (first.kind === "every") {
      p++;
    } else if (first.kind === "ordinal") {
      ordinals = new Set(list("ordinal", "ordinals such as 1st,third"));
    } else {
      throw new Refused(
        `${grammar} (it starts with "every", an ordinal or days of the month, not "${first.text}")`,
      );
    }
    if (peek()?.kind === "day") {
      p++;
      if (ordinals.size > 0) {
        // "2nd day" is the second day of the month.
        monthdays = ordinals;
        ordinals = new Set();
      } else {
        ordinals = allOf(1, 5);
        weekdays = allOf(0, 6);
      }
    } else {
      weekdays = new Set(list("weekday", '"day" or weekday names such as mon,wed'));
      if (ordinals.size === 0) ordinals = allOf(1, 5);
    }
  }
  let months = allOf(1, 12);
  if (peek()?.kind === "of") {
    p++;
    const t = peek();
    if (t?.kind === "month") {
      p++;
    } else if (t?.kind === "monthName") {
      months = new Set(list("monthName", "month names such as jan,july"));
    } else if (t?.kind === "quarter") {
      p++;
      months = new Set([1, 4, 7, 10]);
    } else if (t?.kind === "ordinal" && t.value <= 3) {
      const offsets = list("ordinal", "1st, 2nd or 3rd (month of quarter)");
      if (offsets.some((o) => o > 3)) throw new Refused("1st, 2nd or 3rd month of quarter");
      take("month", '"month"');
      take("of", '"of"');
      take("quarter", '"quarter"');
      months = new Set(offsets.flatMap((o) => [o, o + 3, o + 6, o + 9]));
    } else {
      throw new Refused(
        `${grammar} (after "of": month, month names, quarter or "1st month of quarter")`,
      );
    }
  }
  const time = take("time", "a time of day as HH:MM, from 00:00 to 23:59").value;
  end();
  if (monthdays.size > 0) {
    const days = [...monthdays];
    if (Math.min(...days) < 1) throw new Refused("days of the month from 1");
    if (Math.max(...days) > 31) throw new Refused("days of the month up to 31");
    // groc refuses a list none of whose days exists in any of the months (a leap year assumed).
    const longest = Math.max(
      ...[...months].map((m) => new Date(Date.UTC(2024, m, 0)).getUTCDate()),
    );
    if (Math.min(...days) > longest) {
      throw new Refused(
        `a day of the month that exists in one of its months (day ${Math.min(...days)} never does)`,
      );
    }
  }
  return { form: "specific", ordinals, weekdays, monthdays, months, time };
}

const field = (values: Iterable<number>, all: number): string => {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  return sorted.length === all ? "*" : sorted.join(",");
};

/**
 * The unix cron for a set of minutes of the day, when the set is exactly "these minutes of these
 * hours" (a cartesian product, which is all one cron line can say); otherwise undefined.
 */
function cronForTimes(times: readonly number[], dow: string): string | undefined {
  const byHour = new Map<number, number[]>();
  for (const t of times) {
    const list = byHour.get(Math.floor(t / 60)) ?? [];
    list.push(t % 60);
    byHour.set(Math.floor(t / 60), list);
  }
  const minuteSets = [...byHour.values()].map((m) => field(m, 60));
  if (minuteSets.length === 0 || minuteSets.some((m) => m !== minuteSets[0])) return undefined;
  return `${minuteSets[0] as string} ${field(byHour.keys(), 24)} * * ${dow}`;
}

// The years over which a zone's daylight-saving changes are looked at.
const horizonStart = Date.UTC(2026, 0, 1);
const horizonEnd = Date.UTC(2029, 0, 1);

/** True when a change of the zone's offset happens at a local time inside the range. */
function rangeMeetsTransition(tz: string, from: number, to: number): boolean {
  const inRange = (minuteOfDay: number) =>
    from <= to
      ? minuteOfDay >= from && minuteOfDay <= to
      : minuteOfDay >= from || minuteOfDay <= to;
  return transitionsBetween(tz, horizonStart, horizonEnd).some((t) =>
    [t.at + t.before, t.at + t.offset].some((wall) =>
      inRange(Math.floor((wall % 86_400_000) / 60_000)),
    ),
  );
}

function translate(spec: Specific | Interval, text: string, tz: string): AppEngineSchedule {
  const legacy = (why: string): AppEngineSchedule => ({ kind: "legacy", schedule: text, why });
  let cron: string | undefined;
  if (spec.form === "interval") {
    if (spec.range === undefined) {
      return legacy(
        "an unsynchronized interval counts from the end of the previous run, which unix cron cannot express",
      );
    }
    const { from, to } = spec.range;
    const step = spec.seconds / 60;
    const end = to < from ? to + 1440 : to;
    const times: number[] = [];
    // App Engine's range includes its end time.
    for (let t = from; t <= end; t += step) times.push(t % 1440);
    cron = cronForTimes(times, spec.weekdays ? field(spec.weekdays, 7) : "*");
    if (cron === undefined) {
      return legacy(
        "its run times are not one set of minutes repeated in a set of hours, which is all one unix cron line can say",
      );
    }
    if (rangeMeetsTransition(tz, from, to)) {
      return legacy(
        `App Engine counts these runs in elapsed time from the range's start, so on ${tz}'s daylight-saving days they move by the change, which unix cron cannot express`,
      );
    }
  } else {
    const [hh, mm] = [Math.floor(spec.time / 60), spec.time % 60];
    const months = field(spec.months, 12);
    if (spec.monthdays.size > 0) {
      cron = `${mm} ${hh} ${field(spec.monthdays, 31)} ${months} *`;
    } else if (spec.ordinals.size === 5) {
      cron = `${mm} ${hh} * ${months} ${field(spec.weekdays, 7)}`;
    } else {
      return legacy('unix cron has no "nth weekday of the month"');
    }
  }
  const hazard = daylightSavingHazard(cron, tz);
  if (hazard !== undefined) {
    return legacy(
      `its runs at ${hazard.windows.join(", ")} fall in ${tz}'s daylight-saving changes, where App Engine skips a missing time and runs a repeated one twice, and Cloud Scheduler's unix cron does not say what it does`,
    );
  }
  return { kind: "cron", cron };
}

/**
 * Parses one cron.yaml `schedule` as groc does, translating it to unix cron when the meaning is
 * kept exactly in `timeZone` (the entry's `timezone`).
 */
export function parseAppEngineSchedule(input: unknown, timeZone = "Etc/UTC"): AppEngineSchedule {
  if (typeof input !== "string") return { kind: "invalid", expected: grammar };
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  try {
    return translate(parse(text), text, timeZone);
  } catch (err) {
    if (err instanceof Refused) return { kind: "invalid", expected: err.message };
    throw err;
  }
}
