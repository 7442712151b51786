// Time zone arithmetic the schedulers' own libraries do: UTC offsets at an instant, the zone's
// daylight-saving transitions, and local wall-clock times turned back into instants the way Go's
// `time.Date` does (which is what robfig/cron, and so the Kubernetes CronJob controller, uses).
// Offsets come from the runtime's tz database through Intl; each zone's transitions are found once
// per process and then looked up by binary search.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's UTC offset at an instant, in milliseconds, straight from Intl. */
function intlOffset(tz: string, utc: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(utc))) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    p["year"] ?? 1970,
    (p["month"] ?? 1) - 1,
    p["day"] ?? 1,
    p["hour"] ?? 0,
    p["minute"] ?? 0,
    p["second"] ?? 0,
  );
  return local - (utc - (((utc % 1000) + 1000) % 1000));
}

/** A change of a zone's UTC offset: from `at` (UTC ms) on, the offset is `offset`. */
export interface Transition {
  readonly at: number;
  readonly before: number;
  readonly offset: number;
}

// Each zone's transitions are found one calendar year (UTC) at a time, when first needed.
interface YearTable {
  readonly from: number;
  readonly to: number;
  readonly first: number;
  readonly transitions: readonly Transition[];
}
const tables = new Map<string, Map<number, YearTable>>();
const lastUsed = new Map<string, YearTable>();

function yearTable(tz: string, year: number): YearTable {
  let zone = tables.get(tz);
  if (zone === undefined) {
    zone = new Map();
    tables.set(tz, zone);
  }
  let t = zone.get(year);
  if (t !== undefined) return t;
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  const transitions: Transition[] = [];
  const first = intlOffset(tz, from);
  let previous = first;
  // Offsets change at most a few times a year and never twice within a week: sample weekly, then
  // narrow each change down to the day and then the minute.
  for (let at = Math.min(from + 7 * day, to); at <= to; at = Math.min(at + 7 * day, to)) {
    const offset = intlOffset(tz, at);
    if (offset !== previous) {
      let lo = at - 7 * day;
      let hi = lo + day;
      while (hi < at && intlOffset(tz, hi) === previous) hi += day;
      hi = Math.min(hi, at);
      lo = Math.max(hi - day, from);
      while (hi - lo > minute) {
        const mid = lo + Math.floor((hi - lo) / 2 / minute) * minute;
        if (intlOffset(tz, mid) === previous) lo = mid;
        else hi = mid;
      }
      if (hi < to) {
        previous = intlOffset(tz, hi);
        transitions.push({ at: hi, before: transitions.at(-1)?.offset ?? first, offset: previous });
        at = hi; // scan on from the change: a second change within the same week is found too
        continue;
      }
    }
    if (at === to) break;
  }
  t = { from, to, first, transitions };
  zone.set(year, t);
  return t;
}

const yearOf = (utc: number): number => new Date(utc).getUTCFullYear();

/** The zone's UTC offset at an instant, in milliseconds. */
export function offsetAt(tz: string, utc: number): number {
  let table = lastUsed.get(tz);
  if (table === undefined || utc < table.from || utc >= table.to) {
    table = yearTable(tz, yearOf(utc));
    lastUsed.set(tz, table);
  }
  const { first, transitions } = table;
  let offset = first;
  for (const t of transitions) {
    if (t.at <= utc) offset = t.offset;
    else break;
  }
  return offset;
}

/** The zone's offset changes in [from, to) (UTC ms). */
export function transitionsBetween(tz: string, from: number, to: number): Transition[] {
  const out: Transition[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) {
    for (const t of yearTable(tz, y).transitions) if (t.at >= from && t.at < to) out.push(t);
  }
  return out;
}

/** Local wall-clock fields of an instant in a zone. */
export interface LocalTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday */
  readonly weekday: number;
}

export function localTime(tz: string, utc: number): LocalTime {
  // Civil date from a day count (Howard Hinnant's algorithm): no Date object per call, since
  // robfig's search reads local fields for every second, minute and hour it steps over.
  const local = utc + offsetAt(tz, utc);
  const days = Math.floor(local / day);
  let rest = local - days * day;
  const h = Math.floor(rest / hour);
  rest -= h * hour;
  const m = Math.floor(rest / minute);
  const sec = Math.floor((rest - m * minute) / 1000);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  return {
    year: y,
    month: mo,
    day: d,
    hour: h,
    minute: m,
    second: sec,
    weekday: (((days + 4) % 7) + 7) % 7,
  };
}

/**
 * The instant of a local wall-clock time, as Go's `time.Date` computes it (fields out of range
 * are normalised; a time in a gap or an overlap resolves the way Go resolves it: the offset in
 * effect at the wall time read as UTC, unless that lands outside its own span).
 */
export function goDate(
  tz: string,
  year: number,
  month: number,
  dayOfMonth: number,
  h: number,
  m: number,
  s: number,
): number {
  const local = Date.UTC(year, month - 1, dayOfMonth, h, m, s);
  let offset = offsetAt(tz, local);
  if (offset !== 0) {
    // Go looks the offset up at the wall time read as UTC; if the instant that gives lies outside
    // that offset's span (a transition between the two), it takes the offset at that instant.
    const utc = local - offset;
    const between =
      utc < local
        ? transitionsBetween(tz, utc + 1, local + 1)
        : transitionsBetween(tz, local + 1, utc + 1);
    if (between.length > 0) offset = offsetAt(tz, utc);
  }
  return local - offset;
}

/** An instant as local time in a zone, ISO 8601 with its offset (`2026-11-26T02:00:00+01:00`). */
export function formatInZone(utc: number, tz: string): string {
  const offsetMinutes = Math.round(offsetAt(tz, utc) / minute);
  const t = localTime(tz, utc);
  const two = (n: number) => String(n).padStart(2, "0");
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  return `${t.year}-${two(t.month)}-${two(t.day)}T${two(t.hour)}:${two(t.minute)}:${two(t.second)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** True when the zone's offset changes between two instants (UTC ms). */
export function hasTransitions(tz: string, from: number, to: number): boolean {
  return transitionsBetween(tz, from, to).length > 0;
}
