/**
 * Helpers for local calendar dates written as 'YYYY-MM-DD'.
 *
 * A local date is a wall-calendar day with no time zone attached; date arithmetic is done on a UTC
 * midnight so that no DST change can shift the result by a day. Only `localDateOf` and
 * `endOfLocalDay` touch a real time zone, and they go through luxon for that.
 */
import { DateTime } from 'luxon';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcMidnight(year: number, month: number, day: number): Date {
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parts(localDate: string): [number, number, number] {
  const match = LOCAL_DATE.exec(localDate);
  if (!match || format(utcMidnight(Number(match[1]), Number(match[2]), Number(match[3]))) !== localDate) {
    throw new RangeError(`invalid local date "${localDate}" (expected a real date as YYYY-MM-DD)`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** True when `value` is a real calendar date written as 'YYYY-MM-DD' (so not '2026-02-30'). */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parts(value);
    return true;
  } catch {
    return false;
  }
}

/** Throws a RangeError unless `value` is a real 'YYYY-MM-DD' date. */
export function assertLocalDate(value: string): void {
  parts(value);
}

/** The local date `days` days after (or before, when negative) `localDate`. */
export function addDays(localDate: string, days: number): string {
  const [year, month, day] = parts(localDate);
  return format(utcMidnight(year, month, day + days));
}

/** ISO weekday of a local date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(localDate: string): number {
  const [year, month, day] = parts(localDate);
  return utcMidnight(year, month, day).getUTCDay() || 7;
}

/** The calendar year of a local date. */
export function yearOf(localDate: string): number {
  return parts(localDate)[0];
}

/** Milliseconds of 00:00 on `localDate` read as UTC — used to compare against wall-clock instants. */
export function wallMidnight(localDate: string): number {
  const [year, month, day] = parts(localDate);
  return utcMidnight(year, month, day).getTime();
}

/** The local date that `instant` falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  const date = DateTime.fromJSDate(instant, { zone: timeZone }).toISODate();
  if (date === null) throw new RangeError(`cannot place ${String(instant)} in time zone "${timeZone}"`);
  return date;
}

/**
 * The last millisecond of `localDate` in `timeZone` (23:59:59.999 local), as a UTC instant.
 *
 * luxon's endOf('day') is "start of the next local day minus 1 ms", so it stays right on days that
 * last 23 or 25 hours because of a DST change.
 */
export function endOfLocalDay(localDate: string, timeZone: string): Date {
  assertLocalDate(localDate);
  return DateTime.fromISO(localDate, { zone: timeZone }).endOf('day').toJSDate();
}

/** A local day and the instants it spans: `start` ≤ t < `end`, in epoch milliseconds. */
export interface LocalDaySpan {
  date: string;
  start: number;
  end: number;
}

/**
 * The local day `instant` falls on in `timeZone`, with the instants that share it: from just
 * after the end of the day before to just after its own end (so 23 or 25 hours across a DST
 * change). Whatever depends only on the local date of an instant, such as a deadline counted
 * from the day of receipt, holds for every instant of the span.
 */
export function localDaySpan(instant: Date, timeZone: string): LocalDaySpan {
  const date = localDateOf(instant, timeZone);
  return {
    date,
    start: endOfLocalDay(addDays(date, -1), timeZone).getTime() + 1,
    end: endOfLocalDay(date, timeZone).getTime() + 1,
  };
}
