import {
  type BusinessCalendar,
  businessDaysLeft,
  type LocalDaySpan,
  localDaySpan,
} from '../deadlines/index.js';

/**
 * Deadline clocks of a case — pure: a row, the program's calendar and "now" in, clocks out.
 *
 * A clock runs from receipt to its due instant (from the case's `deadlines`, so only the clocks
 * the program defines exist). It stops when its own step happens — acknowledge at
 * `acknowledged_at`, verify at `verified_at`, summary at `summary_sent_at` — and every clock stops
 * when the case is closed (`closed_at`), whichever comes first.
 *
 * - `state`: `running` (not stopped, due not passed), `breached` (not stopped, due passed), `met`
 *   (stopped on or before the due instant), `stopped-late` (stopped after it), `not-applicable`
 *   (stopped by a triage outcome before its own step: the case was closed as invalid or forwarded
 *   to support, `triage_outcome`, so the promise never applied; `reason` names the outcome). A
 *   clock whose step happened before the outcome keeps its state: it was kept or missed.
 * - `businessDaysLeft`: `src/deadlines` `businessDaysLeft` in the program's calendar, taken at
 *   "now" for a clock that has not stopped and frozen at the stop for one that has (so a late
 *   acknowledgement keeps reading how late it was).
 * - `fractionUsed`: wall time elapsed since receipt (until now, or until the stop) divided by the
 *   wall time from receipt to the due instant. Plain elapsed time, not business time: 0.8 is
 *   "80 % of the clock" the way a person watching it would read it, nights and weekends included.
 *   It is not clamped: above 1 means past due.
 */

export const CASE_CLOCKS = ['acknowledge', 'verify', 'summary'] as const;
export type ClockName = (typeof CASE_CLOCKS)[number];
export const CLOCK_STATES = ['running', 'met', 'breached', 'stopped-late', 'not-applicable'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export interface CaseClock {
  name: ClockName;
  due: string;
  stoppedAt: string | null;
  state: ClockState;
  businessDaysLeft: number;
  fractionUsed: number;
  /** Only on a `not-applicable` clock: the triage outcome that stopped it (`invalid`, …). */
  reason?: string;
}

/** The columns of a case the clocks read. */
export interface ClockInput {
  received_at: string;
  /** JSON text or the parsed object: clock name → ISO instant. */
  deadlines: string | Record<string, string>;
  acknowledged_at: string | null;
  verified_at: string | null;
  summary_sent_at: string | null;
  closed_at: string | null;
  /** The triage outcome that closed the case (`invalid`, `forwarded-to-support`), or null. */
  triage_outcome?: string | null;
}

/** The column whose timestamp stops each clock (besides `closed_at`). */
export const CLOCK_STOPS = {
  acknowledge: 'acknowledged_at',
  verify: 'verified_at',
  summary: 'summary_sent_at',
} as const satisfies Record<ClockName, keyof ClockInput>;

/** A clock counts as running (for queue order and warnings) until it is stopped, due or not. */
export const isRunning = (c: CaseClock) => c.state === 'running' || c.state === 'breached';

export function caseClocks(row: ClockInput, calendar: BusinessCalendar, now: Date): CaseClock[] {
  const deadlines =
    typeof row.deadlines === 'string' ? (JSON.parse(row.deadlines) as Record<string, string>) : row.deadlines;
  const received = Date.parse(row.received_at);
  const out: CaseClock[] = [];
  for (const name of CASE_CLOCKS) {
    const dueIso = deadlines[name];
    if (typeof dueIso !== 'string') continue;
    const due = new Date(dueIso);
    const stoppedAt = earliest(row[CLOCK_STOPS[name]], row.closed_at);
    const at = stoppedAt ? new Date(stoppedAt) : now;
    const late = at.getTime() > due.getTime();
    const span = due.getTime() - received;
    const outcome = notApplicable(row, name);
    out.push({
      name,
      due: due.toISOString(),
      stoppedAt,
      state: outcome
        ? 'not-applicable'
        : stoppedAt
          ? late
            ? 'stopped-late'
            : 'met'
          : late
            ? 'breached'
            : 'running',
      businessDaysLeft: daysLeft(at, due, calendar),
      // A due instant at or before receipt is a degenerate clock: all of it is used at once.
      fractionUsed: span > 0 ? (at.getTime() - received) / span : 1,
      ...(outcome ? { reason: outcome } : {}),
    });
  }
  return out;
}

/**
 * The triage outcome that made this clock not applicable: the case was closed by one (and is
 * still closed) before the clock's own step happened. Null when the clock counts as usual.
 * Shared with the metrics (src/metrics/figures.ts), so the two cannot disagree.
 */
export function notApplicable(row: ClockInput, name: ClockName): string | null {
  if (!row.triage_outcome || row.closed_at === null) return null;
  const step = row[CLOCK_STOPS[name]];
  return step === null || Date.parse(step) > Date.parse(row.closed_at) ? row.triage_outcome : null;
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

/**
 * `businessDaysLeft` (src/deadlines) with what it spends its time on kept between calls. A queue
 * page takes two local dates and one count of business days for each of its cases' clocks; done
 * afresh that was about 30 µs a clock (a time-zone conversion through Intl for each instant, and
 * every holiday of the years spanned parsed again for each count): 3 ms of the 5-8 ms of CPU a
 * request for a 50-case page took. The answers depend only on the local days involved, so:
 *
 * - an instant's local date comes from the span of its local day (`localDaySpan`, the instants
 *   from one local midnight to the next, so 23 or 25 hours across a DST change), kept per time
 *   zone: every instant of a day, "now" and due instants alike, then shares one conversion;
 * - the count of business days between two local dates is kept per calendar object (the calendar
 *   cache builds a new one for each program revision, so a changed calendar starts afresh).
 *
 * Both are bounded (a few thousand days per zone, 16 384 counts in all, about 2 MiB) and start
 * afresh when full.
 *
 * The result is `businessDaysLeft`'s, whatever is kept (src/cases/clocks.test.ts compares them
 * across DST changes, skipped days and half-hour zones).
 */
export function daysLeft(at: Date, due: Date, calendar: BusinessCalendar): number {
  const a = at.getTime();
  const d = due.getTime();
  // An invalid instant: the original says why.
  if (Number.isNaN(a) || Number.isNaN(d)) return businessDaysLeft(at, due, calendar);
  const today = localDateAt(a, calendar.timeZone);
  const dueDay = localDateAt(d, calendar.timeZone);
  if (a <= d) return businessDaysBetween(calendar, today, dueDay);
  return -Math.max(1, businessDaysBetween(calendar, dueDay, today));
}

const DAY_MS = 86_400_000;
/** Local days kept per time zone (a few years of days); past it the zone's days start afresh. */
const MAX_SPANS_PER_ZONE = 4096;
/** Counts kept, all calendars together; past it they start afresh. */
const MAX_COUNTS = 16_384;

/** Per time zone: the local days seen, by the day number (days since 1970-01-01) of their date. */
const spansByZone = new Map<string, Map<number, LocalDaySpan>>();

/** The local date ('YYYY-MM-DD') of epoch milliseconds `t` in `timeZone`. */
function localDateAt(t: number, timeZone: string): string {
  let spans = spansByZone.get(timeZone);
  if (!spans) {
    spans = new Map();
    spansByZone.set(timeZone, spans);
  }
  // Every zone is within a day of UTC, so the local date is the UTC date, the one before or after.
  const utcDay = Math.floor(t / DAY_MS);
  for (let n = utcDay - 1; n <= utcDay + 1; n++) {
    const span = spans.get(n);
    if (span && span.start <= t && t < span.end) return span.date;
  }
  const span = localDaySpan(new Date(t), timeZone);
  // Kept only when it holds the instant it came from (a day a zone skipped could make it odd).
  if (span.start <= t && t < span.end) {
    if (spans.size >= MAX_SPANS_PER_ZONE) spans.clear();
    spans.set(Math.round(Date.parse(span.date) / DAY_MS), span);
  }
  return span.date;
}

/** A number for each calendar object seen, to key its counts. */
const calendarIds = new WeakMap<BusinessCalendar, number>();
let calendarsSeen = 0;
/** Business days between two local dates, by `${calendar id}/${from}/${to}`. */
const counts = new Map<string, number>();

function businessDaysBetween(calendar: BusinessCalendar, from: string, to: string): number {
  let id = calendarIds.get(calendar);
  if (id === undefined) {
    id = calendarsSeen++;
    calendarIds.set(calendar, id);
  }
  const key = `${id}/${from}/${to}`;
  let n = counts.get(key);
  if (n === undefined) {
    n = calendar.businessDaysBetween(from, to);
    if (counts.size >= MAX_COUNTS) counts.clear();
    counts.set(key, n);
  }
  return n;
}
