// US federal business days: the holiday rules are data (data/us-federal-holidays.json, from
// 5 U.S.C. 6103): fixed dates, the nth or last weekday of a month, and the observed-day rule
// (Saturday → Friday before, Sunday → Monday after). Dates are plain `YYYY-MM-DD` strings in
// UTC arithmetic, so no time zone moves a deadline.

import table from "./data/us-federal-holidays.json" with { type: "json" };

interface Rule {
  readonly name: string;
  readonly month: number;
  readonly day?: number;
  /** 0 Sunday … 6 Saturday. */
  readonly weekday?: number;
  /** 1-based; -1 is the last. */
  readonly nth?: number;
  readonly since?: number;
}

export interface Holiday {
  readonly name: string;
  /** The day it falls on. */
  readonly date: string;
  /** The day offices close for it. */
  readonly observed: string;
}

const RULES = table.holidays as readonly Rule[];

const iso = (d: Date): string => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));

export function parseDate(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) throw new RangeError(`not a date: ${s}`);
  return utc(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function addDays(date: string, n: number): string {
  const d = parseDate(date);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}

function ruleDate(r: Rule, year: number): Date {
  if (r.day !== undefined) return utc(year, r.month, r.day);
  const wd = r.weekday ?? 1;
  if ((r.nth ?? 1) > 0) {
    const first = utc(year, r.month, 1);
    const offset = (wd - first.getUTCDay() + 7) % 7;
    return utc(year, r.month, 1 + offset + 7 * ((r.nth ?? 1) - 1));
  }
  const last = utc(year, r.month + 1, 0);
  return utc(year, r.month, last.getUTCDate() - ((last.getUTCDay() - wd + 7) % 7));
}

function holidaysOfRuleYear(year: number): Holiday[] {
  return RULES.filter((r) => !r.since || year >= r.since).map((r) => {
    const d = ruleDate(r, year);
    const shift =
      d.getUTCDay() === 6 ? table.observed.saturday : d.getUTCDay() === 0 ? table.observed.sunday : 0;
    const o = new Date(d);
    o.setUTCDate(o.getUTCDate() + shift);
    return { name: r.name, date: iso(d), observed: iso(o) };
  });
}

const cache = new Map<number, Holiday[]>();

/**
 * The holidays observed in a calendar year. New Year's Day on a Saturday is observed on the
 * 31 December before, so the next year's rules are consulted too.
 */
export function federalHolidays(year: number): Holiday[] {
  let h = cache.get(year);
  if (!h) {
    h = [...holidaysOfRuleYear(year), ...holidaysOfRuleYear(year + 1)].filter((x) =>
      x.observed.startsWith(`${year}-`),
    );
    cache.set(year, h);
  }
  return h;
}

export function isBusinessDay(date: string): boolean {
  const d = parseDate(date);
  const wd = d.getUTCDay();
  if (wd === 0 || wd === 6) return false;
  return !federalHolidays(d.getUTCFullYear()).some((h) => h.observed === date.slice(0, 10));
}

/** The date `n` business days after `date` (the day itself does not count: day 1 is the next). */
export function addBusinessDays(date: string, n: number): string {
  let d = date.slice(0, 10);
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isBusinessDay(d)) left--;
  }
  return d;
}
