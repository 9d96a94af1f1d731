/**
 * Deadlines counted in business or calendar days.
 *
 * THE RULE
 * A deadline of N business days ends at the end of the Nth business day after the local calendar
 * day of receipt, in the program's time zone: at 23:59:59.999 local time on that day, returned as
 * the UTC instant. The day of receipt never counts, whatever the hour and even when it is itself a
 * business day. Receipt on a weekend or holiday is therefore handled like receipt on any other day:
 * counting starts on the next day (a report received on Friday, Saturday or Sunday is due, with one
 * business day, at the end of Monday).
 * A deadline of N calendar days ends at the end of the Nth calendar day after the local day of
 * receipt, whether or not that day is a business day.
 * "End of day" is computed with luxon in the program's zone, so it stays right on days that last 23
 * or 25 hours because of a DST change. N must be a positive integer; anything else is a RangeError.
 *
 * Which days are business days is decided by a BusinessCalendar (see business-calendar.ts).
 */
import type { BusinessCalendar } from './business-calendar.js';
import { addDays, endOfLocalDay, localDateOf } from './local-date.js';

/** How long a deadline runs: N business days or N calendar days after the local day of receipt. */
export type DeadlineRule =
  | { businessDays: number; calendarDays?: never }
  | { calendarDays: number; businessDays?: never };

// Stops the day-by-day walk on a calendar where business days never come (e.g. only Mondays
// worked and every Monday a closure); a real calendar never has this many closed days in a row.
const MAX_CLOSED_RUN = 3660;

function assertInstant(value: Date, name: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}

function assertCount(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** The next business day strictly after `localDate`. */
function nextBusinessDay(localDate: string, calendar: BusinessCalendar): string {
  let day = localDate;
  for (let step = 0; step < MAX_CLOSED_RUN; step += 1) {
    day = addDays(day, 1);
    if (calendar.isBusinessDay(day)) return day;
  }
  throw new RangeError(`no business day within ${MAX_CLOSED_RUN} days after ${localDate}`);
}

/**
 * The instant a deadline of `rule` ends for a report received at `receivedAt` — the end of the
 * Nth business (or calendar) day after the local day of receipt; see THE RULE at the top of this file.
 */
export function deadlineAfter(receivedAt: Date, rule: DeadlineRule, calendar: BusinessCalendar): Date {
  assertInstant(receivedAt, 'receivedAt');
  // Rules often come from config files, so do not trust the static type alone.
  const { businessDays, calendarDays } = rule as { businessDays?: unknown; calendarDays?: unknown };
  if ((businessDays === undefined) === (calendarDays === undefined)) {
    throw new RangeError('a deadline rule needs exactly one of businessDays or calendarDays');
  }
  const receiptDay = localDateOf(receivedAt, calendar.timeZone);
  let dueDay: string;
  if (businessDays !== undefined) {
    const count = assertCount(businessDays, 'businessDays');
    dueDay = receiptDay;
    for (let counted = 0; counted < count; counted += 1) dueDay = nextBusinessDay(dueDay, calendar);
  } else {
    dueDay = addDays(receiptDay, assertCount(calendarDays, 'calendarDays'));
  }
  return endOfLocalDay(dueDay, calendar.timeZone);
}

/**
 * `deadlineAfter` for each rule in `rules`, keyed like `rules`; keys whose rule is undefined are left out.
 * A bad rule throws a RangeError whose message starts with its key.
 */
export function computeDeadlines<K extends string>(
  receivedAt: Date,
  rules: Partial<Record<K, DeadlineRule>>,
  calendar: BusinessCalendar,
): Partial<Record<K, Date>> {
  const deadlines: Partial<Record<K, Date>> = {};
  for (const key of Object.keys(rules) as K[]) {
    const rule = rules[key];
    if (rule === undefined) continue;
    try {
      deadlines[key] = deadlineAfter(receivedAt, rule, calendar);
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`${key}: ${error.message}`, { cause: error });
      throw error;
    }
  }
  return deadlines;
}

/** Business days d with from < d <= to (local dates, from <= to). */
function businessDaysAfterUpTo(from: string, to: string, calendar: BusinessCalendar): number {
  return calendar.businessDaysBetween(from, to);
}

/**
 * Whole business days left before `due`, negative once it has passed. Days are local dates in
 * the calendar's time zone; "today" is the local day of `now`, "due day" the local day of `due`.
 * - While now <= due: the number of business days after today, up to and including the due day.
 *   0 means the deadline ends today (or on the coming non-business days, before any business day).
 *   For a deadline of N business days this is N on the day of receipt.
 * - Once now > due: minus the number of business days after the due day, up to and including
 *   today, but at least 1 in size, so the sign alone says whether the deadline was missed. A
 *   deadline ending Friday reads -1 from Saturday 00:00 through Monday and -2 on Tuesday.
 */
export function businessDaysLeft(now: Date, due: Date, calendar: BusinessCalendar): number {
  assertInstant(now, 'now');
  assertInstant(due, 'due');
  const today = localDateOf(now, calendar.timeZone);
  const dueDay = localDateOf(due, calendar.timeZone);
  if (now.getTime() <= due.getTime()) return businessDaysAfterUpTo(today, dueDay, calendar);
  return -Math.max(1, businessDaysAfterUpTo(dueDay, today, calendar));
}
