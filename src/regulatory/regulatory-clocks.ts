import { DateTime } from 'luxon';
import { type BusinessCalendar, deadlineAfter, endOfLocalDay, localDateOf } from '../deadlines/index.js';
import type { RegulatoryProfile } from '../programs/index.js';
import type { DutyDefinition, DutyWindow } from './duties.js';

/**
 * Regulatory clock arithmetic — pure: a duty, the instant its clock starts, the program's calendar
 * in, the due instant out; and the state of a clock from its stored facts and "now".
 */

/** The instant a window that starts at `start` ends. */
export function dueAfter(
  window: DutyWindow,
  start: Date,
  calendar: BusinessCalendar,
  profile?: RegulatoryProfile,
): Date {
  const zone = calendar.timeZone;
  if ('profileNoticeHours' in window)
    return new Date(start.getTime() + (profile?.gdpr?.noticeHours ?? window.hours) * 3_600_000);
  if ('hours' in window) return new Date(start.getTime() + window.hours * 3_600_000);
  if ('calendarDays' in window) return deadlineAfter(start, { calendarDays: window.calendarDays }, calendar);
  if ('workDays' in window) return deadlineAfter(start, { businessDays: window.workDays }, calendar);
  // A month later on the same local date (luxon clamps the 31st to a shorter month's last day).
  const day = DateTime.fromISO(localDateOf(start, zone), { zone }).plus({ months: window.months });
  return endOfLocalDay(day.toISODate() as string, zone);
}

/**
 * The instant a duty's clock starts, or null while the fact that starts it has not happened: the
 * trigger's awareness, the corrective measure's availability, the earlier report's submission, or
 * the first instant of the calendar year after awareness (HIPAA's annual log to HHS).
 */
export function startOf(
  duty: DutyDefinition,
  facts: {
    awareAt: string;
    measureAvailableAt: string | null;
    submittedAt: (dutyId: string) => string | null;
  },
  timeZone: string,
): string | null {
  const s = duty.starts;
  if (s === 'aware') return facts.awareAt;
  if (s === 'measure-available') return facts.measureAvailableAt;
  if (s === 'year-end') {
    const year = DateTime.fromISO(facts.awareAt, { zone: timeZone }).year;
    // The end of 31 December: the 60 days then count from 1 January.
    return endOfLocalDay(`${year}-12-31`, timeZone).toISOString();
  }
  return facts.submittedAt(s.afterDuty);
}

/** What the clock waits for while it has no start, in words for the case page. */
export function waitingFor(duty: DutyDefinition): string | null {
  const s = duty.starts;
  if (s === 'measure-available') return 'starts when a corrective or mitigating measure is available';
  if (typeof s === 'object') return `starts when the ${s.afterDuty} report is submitted`;
  return null;
}

export const CLOCK_STATES = [
  'waiting',
  'running',
  'breached',
  'submitted',
  'submitted-late',
  'not-reportable',
] as const;
export type RegulatoryClockState = (typeof CLOCK_STATES)[number];

/** A clock's state from its stored facts at `now`. */
export function clockState(
  c: { due_at: string | null; resolution: string | null; resolved_at: string | null },
  now: Date,
): RegulatoryClockState {
  if (c.resolution === 'not-reportable') return 'not-reportable';
  if (c.resolution === 'submitted' && c.resolved_at !== null)
    return c.due_at !== null && c.resolved_at > c.due_at ? 'submitted-late' : 'submitted';
  if (c.due_at === null) return 'waiting';
  return now.toISOString() > c.due_at ? 'breached' : 'running';
}
