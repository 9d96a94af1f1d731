import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../deadlines/index.js';
import { type ClockInput, caseClocks, notApplicable } from './clocks.js';

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
