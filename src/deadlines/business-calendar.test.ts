import Holidays from 'date-holidays';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CalendarError, createBusinessCalendar, describeCalendarProblems } from './business-calendar.js';

// Weekdays used below: 2026-01-16 is a Friday, 2025-12-25 a Thursday, 2026-12-25 a Friday.

describe('working days and closures', () => {
  it('treats Monday to Friday as working days by default', () => {
    const calendar = createBusinessCalendar({ timeZone: 'UTC' });
    expect(calendar.isBusinessDay('2026-01-16')).toBe(true); // Friday
    expect(calendar.isBusinessDay('2026-01-17')).toBe(false); // Saturday
    expect(calendar.isBusinessDay('2026-01-18')).toBe(false); // Sunday
    expect(calendar.isBusinessDay('2026-01-19')).toBe(true); // Monday
  });

  it('honours custom working days (ISO weekdays, Sunday to Thursday here)', () => {
    const calendar = createBusinessCalendar({ timeZone: 'Asia/Riyadh', workingDays: [7, 1, 2, 3, 4] });
    expect(calendar.isBusinessDay('2026-01-15')).toBe(true); // Thursday
    expect(calendar.isBusinessDay('2026-01-16')).toBe(false); // Friday
    expect(calendar.isBusinessDay('2026-01-17')).toBe(false); // Saturday
    expect(calendar.isBusinessDay('2026-01-18')).toBe(true); // Sunday
  });

  it('closes extra closure dates without naming them as holidays', () => {
    const calendar = createBusinessCalendar({ timeZone: 'America/Toronto', closures: ['2026-01-19'] });
    expect(calendar.isBusinessDay('2026-01-19')).toBe(false);
    expect(calendar.isBusinessDay('2026-01-20')).toBe(true);
    expect(calendar.holidayName('2026-01-19')).toBeUndefined();
  });

  it('exposes its time zone', () => {
    expect(createBusinessCalendar({ timeZone: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
  });

  it('rejects malformed or impossible local dates', () => {
    const calendar = createBusinessCalendar({ timeZone: 'UTC' });
    expect(() => calendar.isBusinessDay('2026-1-5')).toThrow(RangeError);
    expect(() => calendar.isBusinessDay('2026-02-30')).toThrow('invalid local date "2026-02-30"');
    expect(() => calendar.holidayName('25/12/2026')).toThrow(RangeError);
  });
});

describe('holidays from date-holidays', () => {
  const ontario = createBusinessCalendar({
    timeZone: 'America/Toronto',
    holidays: { country: 'CA', region: 'ON' },
  });

  it('closes exactly 25 December for Christmas in Ontario', () => {
    expect(ontario.isBusinessDay('2026-12-24')).toBe(true); // Thursday; Ontario has no Christmas Eve holiday
    expect(ontario.isBusinessDay('2026-12-25')).toBe(false);
    expect(ontario.holidayName('2026-12-25')).toBe('Christmas Day');
    expect(ontario.holidayName('2026-12-24')).toBeUndefined();
  });

  it('counts Boxing Day in Ontario as a public holiday', () => {
    // date-holidays 3.37 lists Boxing Day as type "public" for CA-ON (and CA-NT), so the default
    // types close it. In 2025 it falls on a Friday.
    expect(ontario.isBusinessDay('2025-12-26')).toBe(false);
    expect(ontario.holidayName('2025-12-26')).toBe('Boxing Day');
    expect(ontario.holidayName('2026-12-26')).toBe('Boxing Day'); // a Saturday in 2026
  });

  it('does not invent observed days that date-holidays does not list for Ontario', () => {
    // 2027: Christmas is a Saturday and Boxing Day a Sunday. date-holidays lists no observed Monday
    // or Tuesday for CA-ON, so those stay business days; a program that closes then needs closures.
    expect(ontario.isBusinessDay('2027-12-27')).toBe(true);
    expect(ontario.isBusinessDay('2027-12-28')).toBe(true);
  });

  it('has no Boxing Day for Canada as a whole', () => {
    // Country-level CA only carries holidays common to all provinces; Boxing Day is not one of them.
    const canada = createBusinessCalendar({ timeZone: 'America/Toronto', holidays: { country: 'CA' } });
    expect(canada.isBusinessDay('2025-12-25')).toBe(false);
    expect(canada.isBusinessDay('2025-12-26')).toBe(true);
  });

  it('keeps holidays on their local date whatever the program time zone', () => {
    for (const timeZone of ['Asia/Tokyo', 'Pacific/Honolulu', 'UTC']) {
      const calendar = createBusinessCalendar({ timeZone, holidays: { country: 'US' } });
      expect(calendar.isBusinessDay('2026-12-24')).toBe(true);
      expect(calendar.isBusinessDay('2026-12-25')).toBe(false);
      expect(calendar.isBusinessDay('2026-12-28')).toBe(true);
    }
  });

  it('counts only public holidays by default and other types on request', () => {
    // Ontario's Civic Holiday (first Monday of August) is type "optional" in date-holidays.
    expect(ontario.isBusinessDay('2026-08-03')).toBe(true);
    const withOptional = createBusinessCalendar({
      timeZone: 'America/Toronto',
      holidays: { country: 'CA', region: 'ON', types: ['public', 'optional'] },
    });
    expect(withOptional.isBusinessDay('2026-08-03')).toBe(false);
    expect(withOptional.holidayName('2026-08-03')).toBe('Civic Holiday');
  });

  it('closes US Thanksgiving, and the day after only when observances count', () => {
    const us = createBusinessCalendar({ timeZone: 'America/New_York', holidays: { country: 'US' } });
    expect(us.isBusinessDay('2026-11-26')).toBe(false); // 4th Thursday of November
    expect(us.holidayName('2026-11-26')).toBe('Thanksgiving Day');
    // date-holidays lists the day after as type "observance".
    expect(us.isBusinessDay('2026-11-27')).toBe(true);
    const withObservances = createBusinessCalendar({
      timeZone: 'America/New_York',
      holidays: { country: 'US', types: ['public', 'observance'] },
    });
    expect(withObservances.isBusinessDay('2026-11-27')).toBe(false);
    expect(withObservances.holidayName('2026-11-27')).toBe('Day after Thanksgiving Day');
  });

  it('closes substitute (observed) days, including one that falls in the previous year', () => {
    const us = createBusinessCalendar({ timeZone: 'America/New_York', holidays: { country: 'US' } });
    // 4 July 2026 is a Saturday; it is observed on Friday 3 July.
    expect(us.isBusinessDay('2026-07-03')).toBe(false);
    expect(us.holidayName('2026-07-03')).toBe('Independence Day (substitute day)');
    // 1 January 2028 is a Saturday; it is observed on Friday 31 December 2027.
    expect(us.isBusinessDay('2027-12-31')).toBe(false);
    expect(us.holidayName('2027-12-31')).toBe("New Year's Day (substitute day)");
  });

  it('closes every day of a multi-day holiday, not just the first', () => {
    // Russia's New Year holidays are one date-holidays entry dated 2026-01-02 lasting 120 hours.
    const russia = createBusinessCalendar({ timeZone: 'Europe/Moscow', holidays: { country: 'RU' } });
    expect(russia.isBusinessDay('2026-01-02')).toBe(false); // Friday
    expect(russia.isBusinessDay('2026-01-05')).toBe(false); // Monday, fourth day of the entry
    expect(russia.isBusinessDay('2026-01-06')).toBe(false);
    expect(russia.holidayName('2026-01-05')).toBe('Новогодние каникулы');
    expect(russia.isBusinessDay('2026-01-09')).toBe(true);
  });

  it('does not close the eve of a holiday that starts at sunset', () => {
    // Hebrew-calendar entries start at 18:00 on the eve: Yom Kippur 2026 is dated
    // '2026-09-21 00:00:00 -0600' and its start is 2026-09-20 18:00. Israel works Sunday to Thursday.
    const israel = createBusinessCalendar({
      timeZone: 'Asia/Jerusalem',
      holidays: { country: 'IL' },
      workingDays: [7, 1, 2, 3, 4],
    });
    expect(israel.isBusinessDay('2026-09-20')).toBe(true); // Sunday, the eve
    expect(israel.isBusinessDay('2026-09-21')).toBe(false); // Monday
    expect(israel.holidayName('2026-09-21')).toBe('יום כיפור');
  });

  it('closes each day of a multi-day holiday that starts at sunset', () => {
    // Eid al-Fitr 2026 in date-holidays: dated '2026-03-20 00:00:00 -0600', from 19 March 18:00 for 72 hours.
    const uae = createBusinessCalendar({ timeZone: 'Asia/Dubai', holidays: { country: 'AE' } });
    expect(uae.isBusinessDay('2026-03-19')).toBe(true); // Thursday, the eve
    expect(uae.holidayName('2026-03-19')).toBeUndefined();
    expect(uae.isBusinessDay('2026-03-20')).toBe(false);
    expect(uae.holidayName('2026-03-20')).toBe('عيد الفطر');
    expect(uae.holidayName('2026-03-21')).toBe('عيد الفطر');
    expect(uae.holidayName('2026-03-22')).toBe('عيد الفطر');
    expect(uae.isBusinessDay('2026-03-23')).toBe(true); // Monday
    expect(uae.holidayName('2026-03-23')).toBeUndefined();
  });

  it('keeps a day whose holiday only starts in the afternoon as a business day', () => {
    // Heiliger Abend is a "bank" holiday from 14:00 to midnight; the morning is still worked.
    const berlin = createBusinessCalendar({
      timeZone: 'Europe/Berlin',
      holidays: { country: 'DE', region: 'BE', types: ['public', 'bank'] },
    });
    expect(berlin.isBusinessDay('2026-12-24')).toBe(true);
    expect(berlin.holidayName('2026-12-24')).toBeUndefined();
    expect(berlin.isBusinessDay('2026-12-25')).toBe(false);
  });

  it('accepts country and region codes in any case', () => {
    const calendar = createBusinessCalendar({
      timeZone: 'America/Toronto',
      holidays: { country: 'ca', region: 'on' },
    });
    expect(calendar.holidayName('2025-12-26')).toBe('Boxing Day');
  });
});

describe('holiday cache', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('asks date-holidays once per year (the year and the one before it, for spill-over)', () => {
    const getHolidays = vi.spyOn(Holidays.prototype, 'getHolidays');
    const calendar = createBusinessCalendar({
      timeZone: 'America/Toronto',
      holidays: { country: 'CA', region: 'ON' },
    });
    calendar.isBusinessDay('2026-03-02');
    expect(getHolidays.mock.calls.map((call) => call[0])).toEqual([2025, 2026]);
    calendar.isBusinessDay('2026-12-25');
    calendar.holidayName('2026-07-01');
    expect(getHolidays).toHaveBeenCalledTimes(2);
    calendar.isBusinessDay('2027-01-01');
    expect(getHolidays.mock.calls.map((call) => call[0])).toEqual([2025, 2026, 2026, 2027]);
  });
});

describe('spec validation', () => {
  it('finds no problem in a valid spec', () => {
    expect(
      describeCalendarProblems({
        timeZone: 'America/Toronto',
        holidays: { country: 'CA', region: 'ON', types: ['public', 'bank'] },
        closures: ['2026-12-24'],
        workingDays: [1, 2, 3, 4, 5],
      }),
    ).toEqual([]);
  });

  it('rejects an unknown time zone', () => {
    expect(() => createBusinessCalendar({ timeZone: 'Mars/Olympus' })).toThrow(CalendarError);
    expect(() => createBusinessCalendar({ timeZone: 'Mars/Olympus' })).toThrow(
      'invalid business calendar: unknown time zone "Mars/Olympus"',
    );
  });

  it('rejects an unknown region of a known country', () => {
    expect(() =>
      createBusinessCalendar({ timeZone: 'America/Toronto', holidays: { country: 'CA', region: 'XX' } }),
    ).toThrow('unknown holiday region "XX" for country "CA"');
  });

  it('rejects an unknown country (date-holidays itself would silently return no holidays)', () => {
    expect(() => createBusinessCalendar({ timeZone: 'UTC', holidays: { country: 'ZZ' } })).toThrow(
      'unknown holiday country "ZZ"',
    );
  });

  it('lists every problem at once', () => {
    const spec = {
      timeZone: 'Europe/Nowhere',
      holidays: { country: 'US', region: 'ZZ', types: ['public', 'festive'] },
      closures: ['2026-02-30', '2026-12-24'],
      workingDays: [0, 1, 8],
    };
    const problems = [
      'unknown time zone "Europe/Nowhere"',
      'unknown holiday region "ZZ" for country "US"',
      'unknown holiday type "festive" (expected one of public, bank, optional, school, observance)',
      'invalid closure date "2026-02-30" (expected YYYY-MM-DD)',
      'invalid working day 0 (expected ISO weekday 1 = Monday ... 7 = Sunday)',
      'invalid working day 8 (expected ISO weekday 1 = Monday ... 7 = Sunday)',
    ];
    expect(describeCalendarProblems(spec)).toEqual(problems);
    try {
      createBusinessCalendar(spec);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarError);
      expect((error as CalendarError).name).toBe('CalendarError');
      expect((error as CalendarError).problems).toEqual(problems);
    }
  });

  it('rejects an empty list of working days or holiday types', () => {
    expect(
      describeCalendarProblems({ timeZone: 'UTC', holidays: { country: 'CA', types: [] }, workingDays: [] }),
    ).toEqual([
      'holiday types must be a non-empty list (omit it to count public holidays only)',
      'workingDays must list at least one ISO weekday (1 = Monday ... 7 = Sunday)',
    ]);
  });
});

describe('businessDaysBetween', () => {
  // The definition, day by day: what the fast count must always agree with.
  function slowCount(cal: ReturnType<typeof createBusinessCalendar>, from: string, to: string): number {
    let n = 0;
    const d = new Date(`${from}T00:00:00Z`);
    for (;;) {
      d.setUTCDate(d.getUTCDate() + 1);
      const day = d.toISOString().slice(0, 10);
      if (day > to) return n;
      if (cal.isBusinessDay(day)) n++;
    }
  }

  const calendars = [
    createBusinessCalendar({ timeZone: 'America/Toronto', holidays: { country: 'CA', region: 'ON' } }),
    createBusinessCalendar({
      timeZone: 'America/New_York',
      holidays: { country: 'US' },
      closures: ['2026-12-24', '2026-12-25'],
    }),
    createBusinessCalendar({
      timeZone: 'Asia/Dubai',
      workingDays: [1, 2, 3, 4, 7],
      closures: ['2027-03-01'],
    }),
    createBusinessCalendar({
      timeZone: 'Europe/Berlin',
      holidays: { country: 'DE', types: ['public', 'bank'] },
    }),
  ];

  it('agrees with counting day by day, across weekends, holidays, closures and years', () => {
    // A fixed pseudo-random walk so the test is the same on every run.
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const base = Date.UTC(2025, 0, 1);
    for (const cal of calendars) {
      for (let i = 0; i < 150; i++) {
        const from = new Date(base + Math.floor(next() * 900) * 86_400_000).toISOString().slice(0, 10);
        const to = new Date(Date.parse(`${from}T00:00:00Z`) + Math.floor(next() * 500) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        expect(cal.businessDaysBetween(from, to), `${from} → ${to}`).toBe(slowCount(cal, from, to));
      }
    }
  });

  it('is 0 for an empty or backward range', () => {
    const cal = calendars[0] as ReturnType<typeof createBusinessCalendar>;
    expect(cal.businessDaysBetween('2026-11-23', '2026-11-23')).toBe(0);
    expect(cal.businessDaysBetween('2026-11-24', '2026-11-23')).toBe(0);
  });

  it('counts a known stretch: Christmas week 2026 in Ontario has 3 business days after the 21st', () => {
    const cal = calendars[0] as ReturnType<typeof createBusinessCalendar>;
    // Tue 22, Wed 23, Thu 24 are business days; Fri 25 and Sat 26 / Sun 27 are not.
    expect(cal.businessDaysBetween('2026-12-21', '2026-12-27')).toBe(3);
  });
});
