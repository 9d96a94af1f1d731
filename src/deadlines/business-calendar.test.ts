import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  CalendarError,
  calendarProblems,
  createBusinessCalendar,
  describeCalendarProblems,
} from './business-calendar.js';
import { holidayDataStats, holidayWorkerRunning } from './holiday-data.js';

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

describe('holiday data', () => {
  it('asks for each year once (with the year before, for spill-over, and the year after)', () => {
    // A country no other test of this file uses, so nothing of it is cached yet.
    const calendar = createBusinessCalendar({ timeZone: 'Europe/Lisbon', holidays: { country: 'PT' } });
    const before = holidayDataStats.requests;
    expect(calendar.isBusinessDay('2026-12-25')).toBe(false);
    expect(holidayDataStats.requests).toBe(before + 1);
    calendar.isBusinessDay('2026-03-02');
    expect(calendar.holidayName('2026-06-10')).toBe('Dia de Portugal');
    // 2027 needs 2026 and 2027, both fetched with 2026.
    expect(calendar.holidayName('2027-01-01')).toBe('Ano Novo');
    expect(holidayDataStats.requests).toBe(before + 1);
    // Another calendar of the same country shares what was fetched.
    const again = createBusinessCalendar({ timeZone: 'UTC', holidays: { country: 'PT' } });
    expect(again.isBusinessDay('2026-12-25')).toBe(false);
    expect(holidayDataStats.requests).toBe(before + 1);
    expect(again.isBusinessDay('2029-12-25')).toBe(false);
    expect(holidayDataStats.requests).toBe(before + 2);
  });

  it('stops its worker once the calls of the turn are done', async () => {
    await nextTurn();
    expect(holidayWorkerRunning()).toBe(false);
    const started = holidayDataStats.workersStarted;
    const calendar = createBusinessCalendar({ timeZone: 'Europe/Vienna', holidays: { country: 'AT' } });
    calendar.isBusinessDay('2026-12-25');
    calendar.isBusinessDay('2031-12-25');
    expect(holidayWorkerRunning()).toBe(true);
    expect(holidayDataStats.workersStarted).toBe(started + 1);
    await nextTurn();
    expect(holidayWorkerRunning()).toBe(false);
    // The next call starts another.
    expect(calendar.isBusinessDay('2035-12-25')).toBe(false);
    expect(holidayDataStats.workersStarted).toBe(started + 2);
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

  it('takes canonical zone names and the aliases ICU does not list as canonical', () => {
    // ICU lists 'Asia/Calcutta' as canonical, not 'Asia/Kolkata'; 'UTC' and 'Etc/GMT+5' are not listed.
    for (const timeZone of [
      'America/Toronto',
      'Asia/Calcutta',
      'Asia/Kolkata',
      'UTC',
      'Etc/GMT+5',
      'US/Eastern',
    ])
      expect(describeCalendarProblems({ timeZone }), timeZone).toEqual([]);
    expect(describeCalendarProblems({ timeZone: 'america/nowhere' })).toEqual([
      'unknown time zone "america/nowhere"',
    ]);
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

describe('corrections of the holiday data', () => {
  // date-holidays gives Ontario Easter Monday as a public holiday; it is not a statutory one there.
  // In 2027 Good Friday is 26 March and Easter Monday 29 March.
  const ontario = { country: 'CA', region: 'ON' };
  const corrected = createBusinessCalendar({
    timeZone: 'America/Toronto',
    holidays: { ...ontario, remove: ['Easter Monday'] },
  });

  it('removes a holiday by name in every year, and leaves the others', () => {
    const uncorrected = createBusinessCalendar({ timeZone: 'America/Toronto', holidays: ontario });
    expect(uncorrected.isBusinessDay('2027-03-29')).toBe(false);
    expect(corrected.isBusinessDay('2027-03-29')).toBe(true);
    expect(corrected.holidayName('2027-03-29')).toBeUndefined();
    expect(corrected.isBusinessDay('2026-04-06')).toBe(true); // Easter Monday 2026
    expect(corrected.holidayName('2027-03-26')).toBe('Good Friday');
    // Thursday 25 March to Tuesday 30 March: Good Friday and the weekend are skipped, Monday counts.
    expect(corrected.businessDaysBetween('2027-03-25', '2027-03-30')).toBe(2);
    expect(uncorrected.businessDaysBetween('2027-03-25', '2027-03-30')).toBe(1);
  });

  it('removes single dates, and only those', () => {
    const calendar = createBusinessCalendar({
      timeZone: 'America/Toronto',
      holidays: { ...ontario, removeDates: ['2025-12-26'] },
    });
    expect(calendar.isBusinessDay('2025-12-26')).toBe(true); // Boxing Day 2025, a Friday
    expect(calendar.holidayName('2025-12-26')).toBeUndefined();
    expect(calendar.holidayName('2026-12-26')).toBe('Boxing Day');
    expect(calendar.businessDaysBetween('2025-12-24', '2025-12-29')).toBe(2);
  });

  it('keeps a substitute day unless it is named too', () => {
    // Christmas 2027 is a Saturday; the US observes it on Friday 24 December.
    const us = createBusinessCalendar({
      timeZone: 'America/New_York',
      holidays: { country: 'US', remove: ['Christmas Day'] },
    });
    expect(us.isBusinessDay('2026-12-25')).toBe(true);
    expect(us.holidayName('2027-12-24')).toBe('Christmas Day (substitute day)');
    const neither = createBusinessCalendar({
      timeZone: 'America/New_York',
      holidays: { country: 'US', remove: ['Christmas Day', 'Christmas Day (substitute day)'] },
    });
    expect(neither.isBusinessDay('2027-12-24')).toBe(true);
  });

  it('still closes a closure that falls on a removed holiday', () => {
    const calendar = createBusinessCalendar({
      timeZone: 'America/Toronto',
      holidays: { ...ontario, remove: ['Easter Monday'] },
      closures: ['2027-03-29'],
    });
    expect(calendar.isBusinessDay('2027-03-29')).toBe(false);
    expect(calendar.isBusinessDay('2028-04-17')).toBe(true); // Easter Monday 2028
  });

  it('finds nothing wrong with corrections the holiday data bears out', () => {
    expect(
      calendarProblems(
        {
          timeZone: 'America/Toronto',
          holidays: { ...ontario, remove: ['Easter Monday'], removeDates: ['2027-12-26'] },
          closures: ['2027-12-27', '2027-12-28'],
        },
        { aroundYear: 2026 },
      ),
    ).toEqual([]);
  });

  it('refuses an unknown name, listing the names the data gives and the likely one', () => {
    const problems = calendarProblems(
      {
        timeZone: 'America/Toronto',
        holidays: { ...ontario, remove: ['Easter Monday', 'easter  monday', 'Family Dya'] },
      },
      { aroundYear: 2026 },
    );
    const names =
      '"Boxing Day", "Canada Day", "Christmas Day", "Easter Monday", "Family Day", "Good Friday", "Labour Day", "New Year\'s Day", "Thanksgiving", "Victoria Day"';
    expect(problems).toEqual([
      {
        path: 'holidays.remove.1',
        message: `date-holidays gives CA-ON no holiday named "easter  monday" between 2021 and 2031 (did you mean "Easter Monday"?); the public holidays it names are: ${names}`,
      },
      {
        path: 'holidays.remove.2',
        message: `date-holidays gives CA-ON no holiday named "Family Dya" between 2021 and 2031; the public holidays it names are: ${names}`,
      },
    ]);
  });

  it('looks for names only in the years around the one given', () => {
    // Reformation Day was a public holiday in all of Germany once, for its 500th anniversary in 2017.
    const spec = { timeZone: 'Europe/Berlin', holidays: { country: 'DE', remove: ['Reformationstag'] } };
    expect(calendarProblems(spec, { aroundYear: 2019 })).toEqual([]);
    expect(calendarProblems(spec, { aroundYear: 2026 })).toEqual([
      {
        path: 'holidays.remove.0',
        message: expect.stringMatching(
          /^date-holidays gives DE no holiday named "Reformationstag" between 2021 and 2031; the public holidays it names are: .*"Ostermontag"/,
        ),
      },
    ]);
  });

  it('refuses a name of a type the calendar does not count, since removing it changes nothing', () => {
    expect(
      calendarProblems(
        { timeZone: 'America/Toronto', holidays: { ...ontario, remove: ['Civic Holiday'] } },
        { aroundYear: 2026 },
      ),
    ).toEqual([
      {
        path: 'holidays.remove.0',
        message:
          '"Civic Holiday" is a holiday of type optional in CA-ON, which this calendar does not count (types: public), so there is nothing to remove',
      },
    ]);
    expect(
      calendarProblems(
        {
          timeZone: 'America/Toronto',
          holidays: { ...ontario, types: ['public', 'optional'], remove: ['Civic Holiday'] },
        },
        { aroundYear: 2026 },
      ),
    ).toEqual([]);
  });

  it('refuses a removed date that is no holiday, a malformed one, and one also added as a closure', () => {
    expect(
      calendarProblems(
        {
          timeZone: 'America/Toronto',
          holidays: { ...ontario, removeDates: ['2027-03-30', '2027-02-30', '2027-03-26', ''] },
          closures: ['2027-03-26'],
        },
        { aroundYear: 2026 },
      ),
    ).toEqual([
      { path: 'holidays.removeDates.1', message: 'invalid date "2027-02-30" (expected YYYY-MM-DD)' },
      {
        path: 'holidays.removeDates.2',
        message:
          '2027-03-26 is also listed in closures: a date cannot be both added as a closure and removed as a holiday',
      },
      { path: 'holidays.removeDates.3', message: 'invalid date "" (expected YYYY-MM-DD)' },
      {
        path: 'holidays.removeDates.0',
        message:
          'date-holidays lists no public holiday in CA-ON on 2027-03-30, so there is nothing to remove',
      },
    ]);
  });

  it('refuses empty names, and checks against the data only when asked to', () => {
    const spec = {
      timeZone: 'America/Toronto',
      holidays: { ...ontario, remove: ['', 'Ester Monday'], removeDates: ['2027-03-30'] },
    };
    const shape = [
      { path: 'holidays.remove.0', message: 'expected a holiday name such as "Easter Monday", not ""' },
    ];
    expect(calendarProblems(spec)).toEqual(shape);
    expect(calendarProblems(spec, { aroundYear: 2026 }).map((p) => p.path)).toEqual([
      ...shape.map((p) => p.path),
      'holidays.remove.1',
      'holidays.removeDates.0',
    ]);
    // A stored program keeps working if a later date-holidays renames a holiday: nothing is removed.
    const calendar = createBusinessCalendar({ ...spec, holidays: { ...ontario, remove: ['Ester Monday'] } });
    expect(calendar.isBusinessDay('2027-03-29')).toBe(false);
  });

  it('does not hold corrections against the data of an unknown region', () => {
    expect(
      calendarProblems(
        { timeZone: 'America/Toronto', holidays: { country: 'CA', region: 'XX', remove: ['Easter Monday'] } },
        { aroundYear: 2026 },
      ),
    ).toEqual([{ path: 'holidays.region', message: 'unknown holiday region "XX" for country "CA"' }]);
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
