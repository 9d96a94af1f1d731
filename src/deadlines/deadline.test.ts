import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from './business-calendar.js';
import { businessDaysLeft, computeDeadlines, type DeadlineRule, deadlineAfter } from './deadline.js';

// Expected instants are worked out by hand. Facts used:
// - 2026-01-16 is a Friday; 2025-12-24 a Wednesday; 2026-12-30 a Wednesday; 2027-01-01 a Friday.
// - America/Toronto and America/New_York are UTC-5 (EST) in winter and UTC-4 (EDT) in summer;
//   in 2026 EDT runs from Sunday 8 March to Sunday 1 November.
// - Europe/Berlin is UTC+1 (CET) in winter and UTC+2 (CEST) from Sunday 29 March to Sunday 25 October 2026.
// - End of a local day 23:59:59.999 is 04:59:59.999Z next day in EST, 03:59:59.999Z in EDT,
//   22:59:59.999Z same day in CET and 21:59:59.999Z in CEST.

const ontario = createBusinessCalendar({
  timeZone: 'America/Toronto',
  holidays: { country: 'CA', region: 'ON' },
});
const unitedStates = createBusinessCalendar({ timeZone: 'America/New_York', holidays: { country: 'US' } });
const berlin = createBusinessCalendar({
  timeZone: 'Europe/Berlin',
  holidays: { country: 'DE', region: 'BE' },
});

const at = (iso: string) => new Date(iso);
const business = (businessDays: number): DeadlineRule => ({ businessDays });
const calendar = (calendarDays: number): DeadlineRule => ({ calendarDays });

describe('deadlineAfter with business days', () => {
  const fridayAfternoon = at('2026-01-16T19:00:00Z'); // Friday 14:00 EST

  it('skips the weekend after a Friday receipt', () => {
    expect(deadlineAfter(fridayAfternoon, business(1), ontario)).toEqual(at('2026-01-20T04:59:59.999Z')); // Mon
    expect(deadlineAfter(fridayAfternoon, business(5), ontario)).toEqual(at('2026-01-24T04:59:59.999Z')); // Fri
  });

  it('never counts the day of receipt, even when received early on a business day', () => {
    const mondayMorning = at('2026-01-19T14:00:00Z'); // Monday 09:00 EST
    expect(deadlineAfter(mondayMorning, business(1), ontario)).toEqual(at('2026-01-21T04:59:59.999Z')); // Tue
  });

  it('treats receipt on a weekend like any receipt: counting starts the next day', () => {
    const saturday = at('2026-01-17T15:00:00Z');
    const sunday = at('2026-01-18T15:00:00Z');
    expect(deadlineAfter(saturday, business(1), ontario)).toEqual(at('2026-01-20T04:59:59.999Z')); // Mon
    expect(deadlineAfter(sunday, business(1), ontario)).toEqual(at('2026-01-20T04:59:59.999Z')); // Mon
  });

  it('skips Christmas and Boxing Day in Ontario', () => {
    const christmasEve = at('2025-12-24T15:00:00Z'); // Wednesday 10:00 EST
    // Thu 25 Christmas, Fri 26 Boxing Day, then the weekend: day 1 is Monday 29 December.
    expect(deadlineAfter(christmasEve, business(1), ontario)).toEqual(at('2025-12-30T04:59:59.999Z'));
    expect(deadlineAfter(christmasEve, business(3), ontario)).toEqual(at('2026-01-01T04:59:59.999Z')); // Wed 31
    // New Year's Day (Thu 1 January 2026) is skipped too: day 4 is Friday 2 January.
    expect(deadlineAfter(christmasEve, business(4), ontario)).toEqual(at('2026-01-03T04:59:59.999Z'));
  });

  it('treats receipt on a holiday like any receipt: counting starts the next day', () => {
    const christmasDay = at('2025-12-25T16:00:00Z'); // Thursday 11:00 EST, a holiday
    expect(deadlineAfter(christmasDay, business(1), ontario)).toEqual(at('2025-12-30T04:59:59.999Z')); // Mon 29
  });

  it('skips US Thanksgiving but not the day after, unless observances count', () => {
    const wednesday = at('2026-11-25T17:00:00Z'); // Wednesday 12:00 EST
    expect(deadlineAfter(wednesday, business(1), unitedStates)).toEqual(at('2026-11-28T04:59:59.999Z')); // Fri 27
    expect(deadlineAfter(wednesday, business(2), unitedStates)).toEqual(at('2026-12-01T04:59:59.999Z')); // Mon 30
    const withObservances = createBusinessCalendar({
      timeZone: 'America/New_York',
      holidays: { country: 'US', types: ['public', 'observance'] },
    });
    expect(deadlineAfter(wednesday, business(1), withObservances)).toEqual(at('2026-12-01T04:59:59.999Z')); // Mon 30
  });

  it('starts counting after Thanksgiving when received on it', () => {
    const thanksgiving = at('2026-11-26T15:00:00Z'); // Thursday 10:00 EST
    expect(deadlineAfter(thanksgiving, business(1), unitedStates)).toEqual(at('2026-11-28T04:59:59.999Z')); // Fri 27
  });

  it('crosses the year boundary (receipt 2026-12-30, 5 business days, CA-ON)', () => {
    const received = at('2026-12-30T15:00:00Z'); // Wednesday 10:00 EST
    // Thu 31 Dec (1), Fri 1 Jan holiday, weekend, Mon 4 (2), Tue 5 (3), Wed 6 (4), Thu 7 January 2027 (5).
    expect(deadlineAfter(received, business(5), ontario)).toEqual(at('2027-01-08T04:59:59.999Z'));
  });

  it('skips closures', () => {
    const withClosure = createBusinessCalendar({
      timeZone: 'America/Toronto',
      holidays: { country: 'CA', region: 'ON' },
      closures: ['2026-01-19'],
    });
    expect(deadlineAfter(fridayAfternoon, business(1), withClosure)).toEqual(at('2026-01-21T04:59:59.999Z')); // Tue
  });

  it('uses custom working days', () => {
    const sundayToThursday = createBusinessCalendar({
      timeZone: 'Asia/Riyadh',
      workingDays: [7, 1, 2, 3, 4],
    });
    const thursday = at('2026-01-15T07:00:00Z'); // Thursday 10:00 in Riyadh (UTC+3, no DST)
    // Friday and Saturday are off: day 1 is Sunday 18 January, ending 20:59:59.999Z.
    expect(deadlineAfter(thursday, business(1), sundayToThursday)).toEqual(at('2026-01-18T20:59:59.999Z'));
  });
});

describe('deadlineAfter uses the local day of receipt', () => {
  it('receipt at 00:30 local in Berlin, still the previous day in UTC', () => {
    const received = at('2026-01-15T23:30:00Z'); // Friday 16 January 00:30 CET; Thursday in UTC
    const due = deadlineAfter(received, business(1), berlin);
    expect(due).toEqual(at('2026-01-19T22:59:59.999Z')); // end of Monday 19 January CET
    // Counting from the UTC day (Thursday) would have given the end of Friday.
    expect(due).not.toEqual(at('2026-01-16T22:59:59.999Z'));
  });

  it('receipt at 23:59 local in Toronto, already the next day in UTC', () => {
    const received = at('2026-01-16T04:59:00Z'); // Thursday 15 January 23:59 EST; Friday in UTC
    expect(deadlineAfter(received, business(1), ontario)).toEqual(at('2026-01-17T04:59:59.999Z')); // end of Friday
  });

  it('receipt at 23:59 local in Berlin', () => {
    const received = at('2026-01-15T22:59:00Z'); // Thursday 23:59 CET
    expect(deadlineAfter(received, business(1), berlin)).toEqual(at('2026-01-16T22:59:59.999Z')); // end of Friday
  });
});

describe('deadlineAfter across DST changes', () => {
  it('America/Toronto in March (clocks go forward on Sunday 8 March 2026)', () => {
    const friday = at('2026-03-06T20:00:00Z'); // Friday 15:00 EST
    expect(deadlineAfter(friday, calendar(1), ontario)).toEqual(at('2026-03-08T04:59:59.999Z')); // Sat, EST
    // Sunday is a 23-hour day and ends in EDT, one hour "earlier" in UTC terms.
    expect(deadlineAfter(friday, calendar(2), ontario)).toEqual(at('2026-03-09T03:59:59.999Z'));
    expect(deadlineAfter(friday, business(1), ontario)).toEqual(at('2026-03-10T03:59:59.999Z')); // Mon, EDT
  });

  it('America/Toronto in November (clocks go back on Sunday 1 November 2026)', () => {
    const friday = at('2026-10-30T19:00:00Z'); // Friday 15:00 EDT
    expect(deadlineAfter(friday, calendar(1), ontario)).toEqual(at('2026-11-01T03:59:59.999Z')); // Sat, EDT
    // Sunday lasts 25 hours and ends in EST.
    expect(deadlineAfter(friday, calendar(2), ontario)).toEqual(at('2026-11-02T04:59:59.999Z'));
    expect(deadlineAfter(friday, business(1), ontario)).toEqual(at('2026-11-03T04:59:59.999Z')); // Mon, EST
  });

  it('Europe/Berlin in March, with Good Friday and Easter Monday', () => {
    const friday = at('2026-03-27T09:00:00Z'); // Friday 10:00 CET
    expect(deadlineAfter(friday, calendar(2), berlin)).toEqual(at('2026-03-29T21:59:59.999Z')); // Sun, CEST
    expect(deadlineAfter(friday, business(1), berlin)).toEqual(at('2026-03-30T21:59:59.999Z')); // Mon, CEST
    // Mon 30 (1), Tue 31 (2), Wed 1 (3), Thu 2 (4), Good Friday 3 April, weekend, Easter Monday 6, Tue 7 (5).
    expect(deadlineAfter(friday, business(5), berlin)).toEqual(at('2026-04-07T21:59:59.999Z'));
  });

  it('Europe/Berlin in October (clocks go back on Sunday 25 October 2026)', () => {
    const friday = at('2026-10-23T10:00:00Z'); // Friday 12:00 CEST
    expect(deadlineAfter(friday, calendar(2), berlin)).toEqual(at('2026-10-25T22:59:59.999Z')); // Sun, CET
    expect(deadlineAfter(friday, business(1), berlin)).toEqual(at('2026-10-26T22:59:59.999Z')); // Mon, CET
  });
});

describe('deadlineAfter with calendar days', () => {
  it('ends at the end of the Nth calendar day, holiday or not', () => {
    const christmasEve = at('2025-12-24T15:00:00Z'); // Wednesday 10:00 EST
    expect(deadlineAfter(christmasEve, calendar(2), ontario)).toEqual(at('2025-12-27T04:59:59.999Z')); // Fri 26
    const friday = at('2026-01-16T19:00:00Z');
    expect(deadlineAfter(friday, calendar(1), ontario)).toEqual(at('2026-01-18T04:59:59.999Z')); // Sat 17
  });
});

describe('invalid inputs', () => {
  const received = at('2026-01-16T19:00:00Z');

  it('rejects a count that is not a positive integer', () => {
    expect(() => deadlineAfter(received, business(0), ontario)).toThrow(
      new RangeError('businessDays must be a positive integer, got 0'),
    );
    expect(() => deadlineAfter(received, business(-3), ontario)).toThrow(
      'businessDays must be a positive integer, got -3',
    );
    expect(() => deadlineAfter(received, business(1.5), ontario)).toThrow(
      'businessDays must be a positive integer, got 1.5',
    );
    expect(() => deadlineAfter(received, business(Number.NaN), ontario)).toThrow(RangeError);
    expect(() => deadlineAfter(received, calendar(0), ontario)).toThrow(
      new RangeError('calendarDays must be a positive integer, got 0'),
    );
  });

  it('rejects a rule with both or neither kind of day', () => {
    const both = { businessDays: 1, calendarDays: 1 } as unknown as DeadlineRule;
    const neither = {} as unknown as DeadlineRule;
    const message = 'a deadline rule needs exactly one of businessDays or calendarDays';
    expect(() => deadlineAfter(received, both, ontario)).toThrow(new RangeError(message));
    expect(() => deadlineAfter(received, neither, ontario)).toThrow(new RangeError(message));
  });

  it('rejects an invalid receipt date', () => {
    expect(() => deadlineAfter(new Date('not a date'), business(1), ontario)).toThrow(
      new RangeError('receivedAt must be a valid Date'),
    );
  });
});

describe('computeDeadlines', () => {
  const received = at('2026-01-16T19:00:00Z'); // Friday 14:00 EST

  it('computes each rule and keeps the keys', () => {
    const deadlines = computeDeadlines(
      received,
      { acknowledge: business(1), triage: business(5), disclose: calendar(90) },
      ontario,
    );
    expect(deadlines).toEqual({
      acknowledge: at('2026-01-20T04:59:59.999Z'),
      triage: at('2026-01-24T04:59:59.999Z'),
      // 15 days left in January + 28 in February + 31 in March + 16 = 90: Thursday 16 April, in EDT.
      disclose: at('2026-04-17T03:59:59.999Z'),
    });
  });

  it('leaves out keys without a rule', () => {
    const deadlines = computeDeadlines<'acknowledge' | 'fix'>(
      received,
      { acknowledge: business(1), fix: undefined },
      ontario,
    );
    expect(deadlines).toEqual({ acknowledge: at('2026-01-20T04:59:59.999Z') });
    expect('fix' in deadlines).toBe(false);
  });

  it('names the key of a bad rule', () => {
    expect(() => computeDeadlines(received, { fix: business(0) }, ontario)).toThrow(
      new RangeError('fix: businessDays must be a positive integer, got 0'),
    );
  });
});

describe('businessDaysLeft', () => {
  // Due at the end of Friday 23 January 2026 (5 business days after Friday 16 January), Toronto.
  const due = at('2026-01-24T04:59:59.999Z');

  it('counts business days after today up to and including the due day', () => {
    expect(businessDaysLeft(at('2026-01-16T19:00:00Z'), due, ontario)).toBe(5); // Fri 16: Mon..Fri
    expect(businessDaysLeft(at('2026-01-17T15:00:00Z'), due, ontario)).toBe(5); // Sat 17
    expect(businessDaysLeft(at('2026-01-19T14:00:00Z'), due, ontario)).toBe(4); // Mon 19: Tue..Fri
  });

  it('is zero on the due day until the deadline passes', () => {
    expect(businessDaysLeft(at('2026-01-23T14:00:00Z'), due, ontario)).toBe(0); // Fri 09:00 EST
    expect(businessDaysLeft(at('2026-01-24T03:00:00Z'), due, ontario)).toBe(0); // Fri 22:00 EST, Sat in UTC
    expect(businessDaysLeft(due, due, ontario)).toBe(0);
  });

  it('is negative once overdue, -1 at least', () => {
    expect(businessDaysLeft(at('2026-01-24T05:00:00Z'), due, ontario)).toBe(-1); // Sat 00:00 EST
    expect(businessDaysLeft(at('2026-01-26T15:00:00Z'), due, ontario)).toBe(-1); // Mon 26
    expect(businessDaysLeft(at('2026-01-27T15:00:00Z'), due, ontario)).toBe(-2); // Tue 27
  });

  it('skips holidays in both directions', () => {
    // Due at the end of Monday 29 December 2025; now Tuesday 23 December: Wed 24 and Mon 29 remain.
    expect(businessDaysLeft(at('2025-12-23T15:00:00Z'), at('2025-12-30T04:59:59.999Z'), ontario)).toBe(2);
    // Due at the end of Wednesday 24 December 2025; after Christmas, Boxing Day and the weekend:
    expect(businessDaysLeft(at('2025-12-29T15:00:00Z'), at('2025-12-25T04:59:59.999Z'), ontario)).toBe(-1);
    expect(businessDaysLeft(at('2025-12-31T15:00:00Z'), at('2025-12-25T04:59:59.999Z'), ontario)).toBe(-3);
  });

  it('rejects invalid dates', () => {
    expect(() => businessDaysLeft(new Date(Number.NaN), due, ontario)).toThrow(
      new RangeError('now must be a valid Date'),
    );
    expect(() => businessDaysLeft(due, new Date(Number.NaN), ontario)).toThrow(
      new RangeError('due must be a valid Date'),
    );
  });
});
