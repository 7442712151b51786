// The App Engine cron.yaml schedule grammar, and its exact translation to unix cron where one
// exists. Two forms:
//
//   interval:  every N (hours|mins|minutes) [from HH:MM to HH:MM | synchronized]
//   specific:  (every|ORDINALS) (day|WEEKDAYS) [of (month|MONTHS)] HH:MM
//              DAYS_OF_MONTH of (month|MONTHS) HH:MM
//
// Cloud Scheduler accepts this format as it is (its "English-like" schedules), so a schedule
// unix cron cannot express exactly is kept as written and reported as such: never approximated.

export type AppEngineSchedule =
  | { readonly kind: "cron"; readonly cron: string }
  | { readonly kind: "legacy"; readonly schedule: string; readonly why: string }
  | { readonly kind: "invalid"; readonly expected: string };

const weekdays: Readonly<Record<string, number>> = {
  sunday: 0,
  sun: 0,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
};

const months: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

const ordinals: Readonly<Record<string, number>> = {
  "1st": 1,
  first: 1,
  "2nd": 2,
  second: 2,
  "3rd": 3,
  third: 3,
  "4th": 4,
  fourth: 4,
  "5th": 5,
  fifth: 5,
};

const grammar =
  'an App Engine schedule such as "every 12 hours", "every 5 minutes from 10:00 to 14:00", "every monday 09:00", "1st monday of sep,oct 17:00" or "1 of jan,july 00:00"';

/** Minutes after midnight of `HH:MM`, or undefined. */
function clock(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h <= 23 && min <= 59 ? h * 60 + min : undefined;
}

/** Each comma-separated word of `text` through `table`, or undefined if one is not there. */
function list(text: string, table: Readonly<Record<string, number>>): number[] | undefined {
  const out: number[] = [];
  for (const word of text.split(",")) {
    const v = table[word];
    if (v === undefined) return undefined;
    if (!out.includes(v)) out.push(v);
  }
  return out.sort((a, b) => a - b);
}

const field = (values: readonly number[]): string => values.join(",");

/**
 * The unix cron for a set of minutes of the day, when the set is exactly "these minutes of these
 * hours" (a cartesian product, which is all one cron line can say); otherwise undefined.
 */
function cronForTimes(times: readonly number[]): string | undefined {
  const byHour = new Map<number, number[]>();
  for (const t of times) {
    const list = byHour.get(Math.floor(t / 60)) ?? [];
    list.push(t % 60);
    byHour.set(Math.floor(t / 60), list);
  }
  const minuteSets = [...byHour.values()].map((m) => field([...new Set(m)].sort((a, b) => a - b)));
  if (minuteSets.length === 0 || minuteSets.some((m) => m !== minuteSets[0])) return undefined;
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  const h = hours.length === 24 ? "*" : field(hours);
  const mins = minuteSets[0] as string;
  return `${mins.split(",").length === 60 ? "*" : mins} ${h} * * *`;
}

function interval(
  n: number,
  unit: string,
  rest: readonly string[],
  text: string,
): AppEngineSchedule {
  const step = unit.startsWith("hour") ? n * 60 : n;
  if (rest.length === 0) {
    return {
      kind: "legacy",
      schedule: text,
      why: "an unsynchronized interval counts from the end of the previous run, which unix cron cannot express",
    };
  }
  let from: number;
  let to: number;
  if (rest.length === 1 && rest[0] === "synchronized") {
    if (step > 1440) {
      return { kind: "invalid", expected: "an interval of at most 24 hours with synchronized" };
    }
    from = 0;
    to = 1439;
  } else if (rest.length === 4 && rest[0] === "from" && rest[2] === "to") {
    const [f, t] = [clock(rest[1]), clock(rest[3])];
    if (f === undefined || t === undefined) {
      return { kind: "invalid", expected: "times as HH:MM (24-hour) in from … to …" };
    }
    from = f;
    to = t < f ? t + 1440 : t;
  } else {
    return {
      kind: "invalid",
      expected: `${grammar} (after the interval: "from HH:MM to HH:MM" or "synchronized")`,
    };
  }
  const times: number[] = [];
  // App Engine's range includes its end time.
  for (let t = from; t <= to; t += step) times.push(t % 1440);
  const cron = cronForTimes(times);
  return cron !== undefined
    ? { kind: "cron", cron }
    : {
        kind: "legacy",
        schedule: text,
        why: "its run times are not one set of minutes repeated in a set of hours, which is all one unix cron line can say",
      };
}

/** Parses one cron.yaml `schedule`, translating it to unix cron when the meaning is kept exactly. */
export function parseAppEngineSchedule(input: unknown): AppEngineSchedule {
  if (typeof input !== "string") return { kind: "invalid", expected: grammar };
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  const words = text.split(" ");
  if (words[0] === "every" && words.length >= 3 && /^\d+$/.test(words[1] ?? "")) {
    const n = Number(words[1]);
    const unit = words[2] as string;
    if (!["hours", "hour", "mins", "min", "minutes", "minute"].includes(unit) || n < 1) {
      return {
        kind: "invalid",
        expected: `${grammar} (an interval counts hours, mins or minutes, at least 1)`,
      };
    }
    if (n > 100_000) return { kind: "invalid", expected: "an interval of a sensible size" };
    return interval(n, unit, words.slice(3), text);
  }
  // Specific times: [who] [days] [of months] HH:MM
  const last = words[words.length - 1] as string;
  const time = clock(last);
  if (time === undefined && /^\d{1,2}:\d{2}$/.test(last)) {
    return { kind: "invalid", expected: "a time of day as HH:MM, from 00:00 to 23:59" };
  }
  if (time === undefined || words.length < 2) return { kind: "invalid", expected: grammar };
  const [hh, mm] = [Math.floor(time / 60), time % 60];
  const body = words.slice(0, -1);
  const ofAt = body.indexOf("of");
  let monthField = "*";
  let head = body;
  if (ofAt >= 0) {
    if (ofAt !== body.length - 2) return { kind: "invalid", expected: grammar };
    const spec = body[ofAt + 1] as string;
    if (spec !== "month") {
      const ms = list(spec, months);
      if (!ms)
        return { kind: "invalid", expected: `month names such as jan,april (got "${spec}")` };
      monthField = ms.length === 12 ? "*" : field(ms);
    }
    head = body.slice(0, ofAt);
  }
  if (head.length === 1 && ofAt >= 0) {
    // Days of the month: "1,15 of month 00:00".
    const days = (head[0] as string).split(",").map(Number);
    if (days.every((d) => Number.isInteger(d) && d >= 1 && d <= 31)) {
      const unique = [...new Set(days)].sort((a, b) => a - b);
      return { kind: "cron", cron: `${mm} ${hh} ${field(unique)} ${monthField} *` };
    }
  }
  if (head.length !== 2) return { kind: "invalid", expected: grammar };
  const [who, daysText] = head as [string, string];
  const dayList = daysText === "day" ? "*" : list(daysText, weekdays);
  if (dayList === undefined) {
    return {
      kind: "invalid",
      expected: `"day" or weekday names such as mon,wed (got "${daysText}")`,
    };
  }
  const dow = typeof dayList === "string" || dayList.length === 7 ? "*" : field(dayList);
  if (who === "every") return { kind: "cron", cron: `${mm} ${hh} * ${monthField} ${dow}` };
  if (list(who, ordinals) === undefined) {
    return { kind: "invalid", expected: `"every" or ordinals such as 1st,third (got "${who}")` };
  }
  if (dow === "*") {
    return {
      kind: "invalid",
      expected: 'weekday names after an ordinal ("2nd monday"), not "day"',
    };
  }
  return {
    kind: "legacy",
    schedule: text,
    why: 'unix cron has no "nth weekday of the month"',
  };
}
