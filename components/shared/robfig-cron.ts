import { goDate, localTime } from "./time-zone";

// The Kubernetes CronJob controller reads `spec.schedule` with robfig/cron v3
// (`cron.ParseStandard`, pkg/controller/cronjob/utils.go) and finds each run with
// `SpecSchedule.Next` in the CronJob's `timeZone`. This is a port of those two functions
// (robfig/cron v3.0.1, parser.go and spec.go), so the plan's next runs, intervals and starting
// deadline are the controller's. test/components/shared/robfig-cron.differential.test.ts checks it
// against the Go library itself over two years of runs. Consequences users meet:
// - a local time in the zone's daylight-saving gap does not run that day (Next moves to the next
//   matching day), and one in the overlap runs twice;
// - day-of-week is 0-6 (7 is refused), and when day-of-month and day-of-week are both restricted
//   a day matching either runs (unless one of them starts with `*`).

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const monthNames: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const dowNames: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const fields: readonly (readonly [string, Bounds])[] = [
  ["minute", { min: 0, max: 59 }],
  ["hour", { min: 0, max: 23 }],
  ["day of month", { min: 1, max: 31 }],
  ["month", { min: 1, max: 12, names: monthNames }],
  ["day of week", { min: 0, max: 6, names: dowNames }],
];

/** One field's matching values, and whether it was written with a leading `*` or `?`. */
interface FieldSet {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

/** A parsed schedule: the five fields as robfig's `SpecSchedule` holds them (seconds are 0). */
export interface RobfigSchedule {
  readonly minute: FieldSet;
  readonly hour: FieldSet;
  readonly dom: FieldSet;
  readonly month: FieldSet;
  readonly dow: FieldSet;
}

/** A problem with a schedule, in taskstack's words. */
export class CronSyntaxError extends Error {}

const all = (b: Bounds): FieldSet => ({ values: range(b.min, b.max, 1), star: true });
function range(start: number, end: number, step: number): Set<number> {
  const out = new Set<number>();
  for (let v = start; v <= end; v += step) out.add(v);
  return out;
}

const descriptors: Readonly<Record<string, () => RobfigSchedule>> = {
  "@yearly": () => fixed(0, 0, 1, 1, undefined),
  "@annually": () => fixed(0, 0, 1, 1, undefined),
  "@monthly": () => fixed(0, 0, 1, undefined, undefined),
  "@weekly": () => fixed(0, 0, undefined, undefined, 0),
  "@daily": () => fixed(0, 0, undefined, undefined, undefined),
  "@midnight": () => fixed(0, 0, undefined, undefined, undefined),
  "@hourly": () => fixed(0, undefined, undefined, undefined, undefined),
};

function fixed(
  minute: number | undefined,
  hour: number | undefined,
  dom: number | undefined,
  month: number | undefined,
  dow: number | undefined,
): RobfigSchedule {
  const one = (v: number | undefined, i: number): FieldSet =>
    v === undefined
      ? all((fields[i] as [string, Bounds])[1])
      : { values: new Set([v]), star: false };
  return {
    minute: one(minute, 0),
    hour: one(hour, 1),
    dom: one(dom, 2),
    month: one(month, 3),
    dow: one(dow, 4),
  };
}

function parseValue(text: string, b: Bounds, what: string, field: string): number {
  const named = b.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) {
    throw new CronSyntaxError(
      `the ${field} field has "${what}", where a number${b.names ? " or a name" : ""} is expected`,
    );
  }
  return Number(text);
}

function parseRange(expr: string, b: Bounds, field: string): FieldSet {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = (rangeAndStep[0] as string).split("-");
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    [start, end, star] = [b.min, b.max, true];
  } else {
    start = parseValue(lowAndHigh[0] as string, b, expr, field);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseValue(lowAndHigh[1] as string, b, expr, field);
    else throw new CronSyntaxError(`the ${field} field's "${expr}" has more than one "-"`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const s = rangeAndStep[1] as string;
    if (!/^\d+$/.test(s))
      throw new CronSyntaxError(`the ${field} field's step in "${expr}" is not a number`);
    step = Number(s);
    if (lowAndHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronSyntaxError(`the ${field} field's "${expr}" has more than one "/"`);
  }
  if (start < b.min || end > b.max) {
    throw new CronSyntaxError(`the ${field} field's "${expr}" is outside ${b.min}-${b.max}`);
  }
  if (start > end) throw new CronSyntaxError(`the ${field} field's range "${expr}" runs backwards`);
  if (step === 0) throw new CronSyntaxError(`the ${field} field's step in "${expr}" is 0`);
  return { values: range(start, end, step), star };
}

/** robfig's `ParseStandard`: five fields or a descriptor. Throws CronSyntaxError. */
export function parseRobfig(spec: string): RobfigSchedule {
  const text = spec.trim();
  if (text.length === 0) throw new CronSyntaxError("the schedule is empty");
  if (/^(CRON_TZ|TZ)=/.test(text)) {
    throw new CronSyntaxError(
      "a time zone prefix (set the timeZone field instead of CRON_TZ=/TZ=)",
    );
  }
  if (text.startsWith("@")) {
    const d = descriptors[text];
    if (d === undefined) {
      throw new CronSyntaxError(`"${text}" is not one of ${Object.keys(descriptors).join(", ")}`);
    }
    return d();
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(
      `five fields (minute hour day-of-month month day-of-week) are needed, not ${parts.length}`,
    );
  }
  const sets = parts.map((p, i) => {
    const [name, bounds] = fields[i] as [string, Bounds];
    const union = new Set<number>();
    let star = false;
    for (const expr of p.split(",")) {
      const r = parseRange(expr, bounds, name);
      r.values.forEach((v) => union.add(v));
      star ||= r.star;
    }
    return { values: union, star };
  }) as unknown as [FieldSet, FieldSet, FieldSet, FieldSet, FieldSet];
  return { minute: sets[0], hour: sets[1], dom: sets[2], month: sets[3], dow: sets[4] };
}

function dayMatches(s: RobfigSchedule, dom: number, dow: number): boolean {
  const domMatch = s.dom.values.has(dom);
  const dowMatch = s.dow.values.has(dow);
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** robfig's `SpecSchedule.Next`: the first run strictly after `from` (UTC ms), or undefined. */
export function robfigNext(s: RobfigSchedule, tz: string, from: number): number | undefined {
  let t = from + second - (((from % second) + second) % second);
  let added = false;
  const yearLimit = localTime(tz, t).year + 5;
  for (;;) {
    // WRAP:
    let l = localTime(tz, t);
    if (l.year > yearLimit) return undefined;
    let wrapped = false;
    while (!s.month.values.has(l.month)) {
      if (!added) {
        added = true;
        t = goDate(tz, l.year, l.month, 1, 0, 0, 0);
        l = localTime(tz, t);
      }
      t = goDate(tz, l.year, l.month + 1, l.day, l.hour, l.minute, l.second);
      l = localTime(tz, t);
      if (l.month === 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!dayMatches(s, l.day, l.weekday)) {
      if (!added) {
        added = true;
        t = goDate(tz, l.year, l.month, l.day, 0, 0, 0);
        l = localTime(tz, t);
      }
      t = goDate(tz, l.year, l.month, l.day + 1, l.hour, l.minute, l.second);
      l = localTime(tz, t);
      if (l.hour !== 0) {
        t += l.hour > 12 ? (24 - l.hour) * hour : -l.hour * hour;
        l = localTime(tz, t);
      }
      if (l.day === 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!s.hour.values.has(l.hour)) {
      if (!added) {
        added = true;
        t = goDate(tz, l.year, l.month, l.day, l.hour, 0, 0);
      }
      t += hour;
      l = localTime(tz, t);
      if (l.hour === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (!s.minute.values.has(l.minute)) {
      if (!added) {
        added = true;
        t -= ((t % minute) + minute) % minute;
      }
      t += minute;
      l = localTime(tz, t);
      if (l.minute === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    while (l.second !== 0) {
      if (!added) {
        added = true;
        t -= ((t % second) + second) % second;
      }
      t += second;
      l = localTime(tz, t);
      if (l.second === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    return t;
  }
}

/**
 * The next `count` runs after `from` (UTC ms), as the CronJob controller computes them, stopping
 * early at the first run after `until`.
 */
export function robfigRuns(
  s: RobfigSchedule,
  tz: string,
  from: number,
  count: number,
  until = Infinity,
): number[] {
  const out: number[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    const next = robfigNext(s, tz, t);
    if (next === undefined || next > until) break;
    out.push(next);
    t = next;
  }
  return out;
}
