import { formatInstant } from '../core/index.js';
import {
  type BusinessCalendar,
  computeDeadlines,
  type DeadlineRule,
  deadlineAfter,
  localDateOf,
  localDaySpan,
} from '../deadlines/index.js';
import type { CalendarCache, Program } from '../programs/index.js';

/**
 * What a report's arrival time decides: its deadlines, its case-number year and the
 * acknowledgement date as the receipt mail words it. Every one of them depends only on the local
 * day of receipt in the program's time zone (the deadline rule counts from that day, never from
 * the hour), on the program revision (rules, calendar, zone) and on whether the short PHI clock
 * applies. So they are worked out once per local day and reused for every report of that day:
 * the time-zone arithmetic (luxon) was a millisecond per report.
 *
 * The reuse is exact, not approximate: an entry answers only for instants inside the span of
 * its local day, and a new revision of the program is a new key.
 */
export interface ReceiptTimes {
  calendar: BusinessCalendar;
  /** Deadline instants, ISO-8601, by clock name. */
  deadlines: Record<string, string>;
  acknowledgeBy: string;
  /** The calendar year of the day of receipt (case numbers follow it). */
  year: number;
  /** The acknowledgement instant as a person in the program's zone reads it, in `language`. */
  acknowledgeText(language: string): string;
}

interface Entry {
  start: number;
  end: number;
  times: ReceiptTimes;
}

export interface ReceiptClock {
  at(program: Program, receivedAt: Date, urgentRule: DeadlineRule | undefined): ReceiptTimes;
}

export function createReceiptClock(calendars: Pick<CalendarCache, 'forProgram'>): ReceiptClock {
  // One entry per program revision and clock kind: the current day's (programs are few).
  const memo = new Map<string, Entry>();

  function compute(program: Program, receivedAt: Date, urgentRule: DeadlineRule | undefined): ReceiptTimes {
    const def = program.definition;
    const calendar = calendars.forProgram(program);
    const dates = computeDeadlines(receivedAt, def.deadlines, calendar);
    if (urgentRule) {
      // A reporter who reached PHI gets the program's short acknowledgement clock, if it is sooner.
      const soon = deadlineAfter(receivedAt, urgentRule, calendar);
      if (!dates.acknowledge || soon < dates.acknowledge) dates.acknowledge = soon;
    }
    // Shared by every receipt of the day, so frozen.
    const deadlines: Record<string, string> = Object.freeze(
      Object.fromEntries(Object.entries(dates).flatMap(([k, v]) => (v ? [[k, v.toISOString()]] : []))),
    );
    const acknowledgeBy = deadlines.acknowledge as string;
    const texts = new Map<string, string>();
    return {
      calendar,
      deadlines,
      acknowledgeBy,
      year: Number(localDateOf(receivedAt, def.calendar.timeZone).slice(0, 4)),
      acknowledgeText(language) {
        let text = texts.get(language);
        if (text === undefined) {
          text = formatInstant(acknowledgeBy, def.calendar.timeZone, language);
          texts.set(language, text);
        }
        return text;
      },
    };
  }

  return {
    at(program, receivedAt, urgentRule) {
      const key = `${program.id}:${program.revision}:${urgentRule ? 'urgent' : 'normal'}`;
      const t = receivedAt.getTime();
      const hit = memo.get(key);
      if (hit && hit.start <= t && t < hit.end) return hit.times;
      const times = compute(program, receivedAt, urgentRule);
      const span = localDaySpan(receivedAt, program.definition.calendar.timeZone);
      // Kept only when the span's edges are on its own day, which luxon guarantees except,
      // perhaps, in a zone whose midnight a DST change skips; there each report computes afresh.
      const tz = program.definition.calendar.timeZone;
      if (
        localDateOf(new Date(span.start), tz) === span.date &&
        localDateOf(new Date(span.end - 1), tz) === span.date
      )
        memo.set(key, { start: span.start, end: span.end, times });
      return times;
    },
  };
}
