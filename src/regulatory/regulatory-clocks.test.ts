import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../deadlines/index.js';
import { dutyById } from './duties.js';
import { clockState, dueAfter, startOf, waitingFor } from './regulatory-clocks.js';

/**
 * Regulatory clock arithmetic on Northwind's calendar (America/Chicago, US-MN holidays). Every
 * expected instant is written out from the local wall time with luxon, not from the code under
 * test, so a change in how the code counts shows here.
 */

const ZONE = 'America/Chicago';
const chicago = createBusinessCalendar({ timeZone: ZONE, holidays: { country: 'US', region: 'MN' } });
/** The last millisecond of a local date in Chicago. */
const endOfChicagoDay = (date: string) =>
  DateTime.fromISO(`${date}T23:59:59.999`, { zone: ZONE }).toUTC().toISO();
const due = (window: Parameters<typeof dueAfter>[0], start: string) =>
  dueAfter(window, new Date(start), chicago).toISOString();

describe('dueAfter', () => {
  it('hours: exactly that many hours, across the end of summer time', () => {
    // Saturday 31 October 2026, 10:00 CDT; the clocks go back on Sunday 1 November.
    const start = '2026-10-31T15:00:00.000Z';
    expect(due({ hours: 24 }, start)).toBe('2026-11-01T15:00:00.000Z');
    expect(due({ hours: 72 }, start)).toBe('2026-11-03T15:00:00.000Z');
  });

  it('the processor target: the profile noticeHours, else the duty default', () => {
    const window = dutyById('gdpr-controller').window;
    const start = new Date('2026-03-07T20:00:00.000Z');
    expect(dueAfter(window, start, chicago).toISOString()).toBe('2026-03-08T20:00:00.000Z');
    expect(
      dueAfter(window, start, chicago, { gdpr: { role: 'processor', noticeHours: 6 } }).toISOString(),
    ).toBe('2026-03-08T02:00:00.000Z');
  });

  it('calendar days: to the end of the Nth local day after the start, across a DST change', () => {
    // Friday 30 October 2026, 14:00 CDT: 14 days on is Friday 13 November, in CST.
    expect(due({ calendarDays: 14 }, '2026-10-30T19:00:00.000Z')).toBe(endOfChicagoDay('2026-11-13'));
    expect(endOfChicagoDay('2026-11-13')).toBe('2026-11-14T05:59:59.999Z');
    // 23:30 on 1 March in Chicago is already 2 March in UTC: the local day counts.
    expect(due({ calendarDays: 14 }, '2026-03-02T05:30:00.000Z')).toBe(endOfChicagoDay('2026-03-15'));
    expect(endOfChicagoDay('2026-03-15')).toBe('2026-03-16T04:59:59.999Z');
  });

  it('months: the same local date a month later, the 31st clamped to the month end', () => {
    expect(due({ months: 1 }, '2026-01-31T18:00:00.000Z')).toBe(endOfChicagoDay('2026-02-28'));
    expect(due({ months: 1 }, '2028-01-31T18:00:00.000Z')).toBe(endOfChicagoDay('2028-02-29'));
    expect(due({ months: 1 }, '2026-03-15T18:00:00.000Z')).toBe(endOfChicagoDay('2026-04-15'));
    // 1 February 03:00 UTC is still 31 January in Chicago.
    expect(due({ months: 1 }, '2026-02-01T03:00:00.000Z')).toBe(endOfChicagoDay('2026-02-28'));
    expect(due({ months: 2 }, '2026-12-31T18:00:00.000Z')).toBe(endOfChicagoDay('2027-02-28'));
  });

  it('work days: skips weekends and Thanksgiving', () => {
    expect(chicago.isBusinessDay('2026-11-26')).toBe(false);
    // Tuesday 24 November 2026, 10:00 CST: Wed 25, (Thu 26 closed), Fri 27, Mon 30, Tue 1, Wed 2.
    expect(due({ workDays: 5 }, '2026-11-24T16:00:00.000Z')).toBe(endOfChicagoDay('2026-12-02'));
  });

  it('work days: skips Christmas and New Year', () => {
    // Wednesday 23 December 2026: Thu 24, (Fri 25 closed), Mon 28, Tue 29, Wed 30, Thu 31.
    expect(due({ workDays: 5 }, '2026-12-23T16:00:00.000Z')).toBe(endOfChicagoDay('2026-12-31'));
    // Thursday 24 December: ... Thu 31, (Fri 1 January closed), Mon 4 January.
    expect(due({ workDays: 5 }, '2026-12-24T16:00:00.000Z')).toBe(endOfChicagoDay('2027-01-04'));
  });
});

describe('startOf', () => {
  const none = () => null;

  it('aware, measure-available and an earlier submission', () => {
    const facts = { awareAt: '2026-05-04T15:00:00.000Z', measureAvailableAt: null, submittedAt: none };
    expect(startOf(dutyById('cra-vuln-early-warning'), facts, ZONE)).toBe(facts.awareAt);
    expect(startOf(dutyById('cra-vuln-final'), facts, ZONE)).toBeNull();
    expect(
      startOf(dutyById('cra-vuln-final'), { ...facts, measureAvailableAt: '2026-05-10T12:00:00.000Z' }, ZONE),
    ).toBe('2026-05-10T12:00:00.000Z');
    expect(startOf(dutyById('cra-incident-final'), facts, ZONE)).toBeNull();
    expect(
      startOf(
        dutyById('cra-incident-final'),
        {
          ...facts,
          submittedAt: (id) => (id === 'cra-incident-notification' ? '2026-05-06T09:00:00.000Z' : null),
        },
        ZONE,
      ),
    ).toBe('2026-05-06T09:00:00.000Z');
  });

  it('year end: the annual HHS log is due 60 days after 31 December of the local year of awareness', () => {
    const annual = dutyById('hipaa-hhs-annual');
    const startOfYearEnd = (awareAt: string) =>
      startOf(annual, { awareAt, measureAvailableAt: null, submittedAt: () => null }, ZONE) as string;
    const start = startOfYearEnd('2026-06-15T15:00:00.000Z');
    expect(start).toBe(endOfChicagoDay('2026-12-31'));
    // 60 days after 31 December 2026 is 1 March 2027 (2027 is no leap year).
    expect(dueAfter(annual.window, new Date(start), chicago).toISOString()).toBe(
      endOfChicagoDay('2027-03-01'),
    );
    // 03:00 UTC on 1 January 2027 is still New Year's Eve in Chicago: the 2026 log.
    expect(startOfYearEnd('2027-01-01T03:00:00.000Z')).toBe(endOfChicagoDay('2026-12-31'));
    expect(startOfYearEnd('2027-01-01T07:00:00.000Z')).toBe(endOfChicagoDay('2027-12-31'));
    // 2028 is a leap year: 60 days after 31 December 2027 is 29 February.
    expect(
      dueAfter(annual.window, new Date(endOfChicagoDay('2027-12-31') as string), chicago).toISOString(),
    ).toBe(endOfChicagoDay('2028-02-29'));
  });

  it('says what a waiting clock waits for', () => {
    expect(waitingFor(dutyById('cra-vuln-final'))).toMatch(/corrective or mitigating measure/);
    expect(waitingFor(dutyById('cra-incident-final'))).toMatch(/cra-incident-notification/);
    expect(waitingFor(dutyById('cra-vuln-early-warning'))).toBeNull();
  });
});

describe('clockState', () => {
  const dueAt = '2026-05-05T15:00:00.000Z';
  const now = (iso: string) => new Date(iso);

  it('waiting, running, then breached once past due (due instant itself still running)', () => {
    const open = { due_at: dueAt, resolution: null, resolved_at: null };
    expect(clockState({ ...open, due_at: null }, now('2030-01-01T00:00:00.000Z'))).toBe('waiting');
    expect(clockState(open, now('2026-05-05T14:59:59.999Z'))).toBe('running');
    expect(clockState(open, now(dueAt))).toBe('running');
    expect(clockState(open, now('2026-05-05T15:00:00.001Z'))).toBe('breached');
  });

  it('submitted on or before due, submitted-late after; not-reportable whatever the time', () => {
    const later = now('2027-01-01T00:00:00.000Z');
    const submitted = (at: string) => ({ due_at: dueAt, resolution: 'submitted', resolved_at: at });
    expect(clockState(submitted('2026-05-05T14:00:00.000Z'), later)).toBe('submitted');
    expect(clockState(submitted(dueAt), later)).toBe('submitted');
    expect(clockState(submitted('2026-05-05T15:00:00.001Z'), later)).toBe('submitted-late');
    expect(
      clockState(
        { due_at: dueAt, resolution: 'not-reportable', resolved_at: '2026-06-01T00:00:00.000Z' },
        later,
      ),
    ).toBe('not-reportable');
    expect(
      clockState(
        { due_at: null, resolution: 'not-reportable', resolved_at: '2026-06-01T00:00:00.000Z' },
        later,
      ),
    ).toBe('not-reportable');
  });
});
