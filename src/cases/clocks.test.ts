import { describe, expect, it } from 'vitest';
import { businessDaysLeft, createBusinessCalendar, localDaySpan } from '../deadlines/index.js';
import { type ClockInput, caseClocks, daysLeft, notApplicable } from './clocks.js';

const calendar = createBusinessCalendar({ timeZone: 'America/Toronto', closures: [] });
const row = (over: Partial<ClockInput>): ClockInput => ({
  received_at: '2026-03-02T15:00:00.000Z',
  deadlines: { acknowledge: '2026-03-05T04:59:59.999Z', verify: '2026-03-10T03:59:59.999Z' },
  acknowledged_at: null,
  verified_at: null,
  summary_sent_at: null,
  closed_at: null,
  ...over,
});
const now = new Date('2026-03-20T00:00:00.000Z');
const states = (r: ClockInput) => caseClocks(r, calendar, now).map((c) => [c.name, c.state, c.reason]);

describe('case clocks and triage outcomes', () => {
  it('reads a clock stopped by a triage outcome as not applicable, with the outcome as reason', () => {
    const closed = { closed_at: '2026-03-09T00:00:00.000Z', triage_outcome: 'invalid' };
    expect(states(row(closed))).toEqual([
      ['acknowledge', 'not-applicable', 'invalid'],
      ['verify', 'not-applicable', 'invalid'],
    ]);
    // Without the outcome the same closing is an ordinary stop: late for the acknowledgement.
    expect(states(row({ closed_at: closed.closed_at }))).toEqual([
      ['acknowledge', 'stopped-late', undefined],
      ['verify', 'met', undefined],
    ]);
  });

  it('keeps a clock whose step came before the outcome as kept or missed', () => {
    const r = row({
      acknowledged_at: '2026-03-06T00:00:00.000Z',
      closed_at: '2026-03-07T00:00:00.000Z',
      triage_outcome: 'forwarded-to-support',
    });
    expect(states(r)).toEqual([
      ['acknowledge', 'stopped-late', undefined],
      ['verify', 'not-applicable', 'forwarded-to-support'],
    ]);
    expect(notApplicable(r, 'acknowledge')).toBeNull();
    expect(notApplicable(r, 'verify')).toBe('forwarded-to-support');
  });

  it('counts again once the case is reopened (closed_at cleared)', () => {
    expect(states(row({ triage_outcome: 'invalid' }))).toEqual([
      ['acknowledge', 'breached', undefined],
      ['verify', 'breached', undefined],
    ]);
  });
});

describe('business days left, kept between calls', () => {
  // Zones with DST at midnight (Santiago), half-hour DST (Lord Howe), +12:45/+13:45 (Chatham), a
  // skipped day (Apia, 30 December 2011) and none (Kolkata), besides the reference programs' own.
  const zones = [
    'America/Toronto',
    'America/Chicago',
    'America/Santiago',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Pacific/Apia',
    'Asia/Kolkata',
  ];
  const hour = 3_600_000;

  it('answers as businessDaysLeft does, around DST changes, local midnights and skipped days', () => {
    // A fixed sequence of instants: random ones and the milliseconds around each local midnight.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const timeZone of zones) {
      const calendar = createBusinessCalendar({
        timeZone,
        closures: ['2026-04-06', '2026-10-05', '2011-12-29', '2011-12-31'],
      });
      const instants: number[] = [];
      // Apia's skipped day, then the DST changes of these zones in 2026 (8 March, 5 April,
      // 6 and 27 September, 4 October): every sixth hour and the milliseconds around midnight.
      for (const from of [
        Date.UTC(2011, 11, 25),
        Date.UTC(2026, 2, 3),
        Date.UTC(2026, 3, 1),
        Date.UTC(2026, 8, 2),
        Date.UTC(2026, 8, 24),
      ]) {
        for (let h = 0; h < 24 * 12; h += 6) {
          const t = from + h * hour;
          const local = localDaySpan(new Date(t), timeZone);
          instants.push(t, local.start - 1, local.start, local.end - 1, local.end);
        }
      }
      for (let i = 0; i < 300; i++) instants.push(Date.UTC(2025, 0, 1) + random() * 800 * 24 * hour);
      const differ: string[] = [];
      let compared = 0;
      // Twice over: the second pass reads what the first kept.
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < instants.length; i++) {
          const at = new Date(instants[i] as number);
          const due = new Date(instants[(i * 7 + 3) % instants.length] as number);
          const kept = daysLeft(at, due, calendar);
          const fresh = businessDaysLeft(at, due, calendar);
          if (kept !== fresh)
            differ.push(`${timeZone} ${at.toISOString()} → ${due.toISOString()}: ${kept}, not ${fresh}`);
          compared++;
        }
      }
      expect(differ).toEqual([]);
      expect(compared).toBeGreaterThan(1_000);
    }
  });

  it('counts in the calendar it is given, not one met before in the same zone', () => {
    const open = createBusinessCalendar({ timeZone: 'America/Toronto', closures: [] });
    const closed = createBusinessCalendar({ timeZone: 'America/Toronto', closures: ['2026-03-04'] });
    const at = new Date('2026-03-02T15:00:00.000Z');
    const due = new Date('2026-03-06T04:59:59.999Z');
    expect(daysLeft(at, due, open)).toBe(3);
    expect(daysLeft(at, due, closed)).toBe(2);
    expect(daysLeft(at, due, open)).toBe(3);
  });

  it('refuses an invalid instant as businessDaysLeft does', () => {
    expect(() => daysLeft(new Date('nope'), now, calendar)).toThrow(RangeError);
  });
});
