/**
 * Business calendars: which local dates count as business days for a program.
 *
 * A local date ('YYYY-MM-DD', in the program's time zone) is a business day when its ISO weekday is
 * one of `workingDays`, it is not listed in `closures`, and no counted holiday closes it. Holidays
 * come from date-holidays; only entries whose `type` is in `holidays.types` (default ['public'])
 * count, and substitute ("observed") days are ordinary entries of the same type, so they count too.
 * A program corrects the data where it is wrong for it: `holidays.remove` drops holidays by name,
 * `holidays.removeDates` single dates, and `closures` adds dates.
 *
 * How date-holidays entries become closed dates (checked against date-holidays 3.37):
 * - `date` is the holiday's wall-clock start, e.g. '2026-12-25 00:00:00'. Entries from the Hijri and
 *   Hebrew calendars carry a ' -0600' suffix: they begin at 18:00 on the eve ('2026-09-21 00:00:00
 *   -0600' is Yom Kippur starting 2026-09-20 18:00), and their `start` is that eve.
 * - Some holidays last several days (`end` - `start` of 72 or 120 hours), yet `date` names only the
 *   first day.
 * - Some only cover part of a day, e.g. German Heiliger Abend from 14:00 to midnight.
 * So neither `date` nor `start` alone is enough. We build date-holidays with timezone 'UTC', which
 * makes `start` and `end` read in UTC exactly the holiday's wall-clock times, and close every local
 * date whose midnight falls inside [start, end). Christmas (00:00 to 24:00) closes exactly 25 Dec, Eid
 * al-Fitr (eve 18:00, 72 h) closes its three days but not the eve, and a holiday that starts in the
 * afternoon closes nothing, because the morning is still worked. Holidays are dates, not instants, so
 * the program's time zone does not move them: Christmas is 25 Dec in every zone.
 */
import { IANAZone } from 'luxon';
import { type HolidayEntry, holidayEntries, holidayRegions } from './holiday-data.js';
import { addDays, assertLocalDate, isLocalDate, isoWeekday, wallMidnight, yearOf } from './local-date.js';

/** Holiday types that date-holidays knows. */
export const HOLIDAY_TYPES: readonly string[] = ['public', 'bank', 'optional', 'school', 'observance'];

/** How a program's business days are decided. */
export interface CalendarSpec {
  /** IANA time zone in which the program's local dates are read, e.g. 'America/Toronto'. */
  timeZone: string;
  /** Public holidays from date-holidays; omit for a calendar with weekends and closures only. */
  holidays?: {
    /** ISO 3166-1 country code, e.g. 'CA'. */
    country: string;
    /** ISO 3166-2 subdivision code within the country, e.g. 'ON'. */
    region?: string;
    /** date-holidays types that close the office; default ['public']. */
    types?: string[];
    /**
     * Holidays date-holidays lists that the program does not observe, by their exact date-holidays
     * name (e.g. 'Easter Monday', which it gives Ontario although it is no statutory holiday there).
     * A substitute day has a name of its own ('Christmas Day (substitute day)') and stays unless named.
     */
    remove?: string[];
    /** Single local dates ('YYYY-MM-DD') that date-holidays lists as a holiday but are worked. */
    removeDates?: string[];
  };
  /** Extra non-working local dates, 'YYYY-MM-DD'. */
  closures?: string[];
  /** ISO weekdays that are worked, 1 = Monday ... 7 = Sunday; default [1, 2, 3, 4, 5]. */
  workingDays?: number[];
}

/** Answers whether a local date is a business day for one program. */
export interface BusinessCalendar {
  /** The IANA time zone in which instants are turned into local dates. */
  readonly timeZone: string;
  /**
   * True when `localDate` ('YYYY-MM-DD') is a working day that no closure or counted holiday closes.
   * Both methods throw a RangeError for anything but a real 'YYYY-MM-DD' date.
   */
  isBusinessDay(localDate: string): boolean;
  /** Name of the counted holiday (or holidays, joined by ' / ') that closes `localDate`, if any. */
  holidayName(localDate: string): string | undefined;
  /**
   * How many business days lie after `from` up to and including `to` (0 when `to` <= `from`).
   * Counted by whole weeks and the sorted closed days, not day by day, so a clock a year overdue
   * costs the same as one due tomorrow.
   */
  businessDaysBetween(from: string, to: string): number;
}

/** One problem of a calendar spec; `path` is dotted from the spec's root (`holidays.remove.0`). */
export interface CalendarProblem {
  path: string;
  message: string;
}

/** Options of `calendarProblems`. */
export interface CalendarCheckOptions {
  /**
   * Also check the holiday corrections against date-holidays' own data: each name in
   * `holidays.remove` must be one it gives the country/region in some year from `aroundYear` - 5 to
   * `aroundYear` + 5, and each date in `holidays.removeDates` must be one of its counted holidays.
   * Done when a definition is imported (with the current year), never when a stored one is loaded:
   * a later date-holidays that renames a holiday must not stop a running program's clocks.
   */
  aroundYear?: number;
}

/** Thrown by `createBusinessCalendar` when the spec is invalid; `problems` lists every issue found. */
export class CalendarError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid business calendar: ${problems.join('; ')}`);
    this.name = 'CalendarError';
    this.problems = problems;
  }
}

const DEFAULT_WORKING_DAYS = [1, 2, 3, 4, 5];
const DEFAULT_HOLIDAY_TYPES = ['public'];

/**
 * Every problem with `spec`, as human-readable messages; an empty array means the spec is valid.
 * Lists all problems at once so a config loader can report them together.
 */
export function describeCalendarProblems(spec: CalendarSpec, options: CalendarCheckOptions = {}): string[] {
  return calendarProblems(spec, options).map((p) => p.message);
}

/** Every problem with `spec`, each with the path of the value at fault; `[]` when the spec is valid. */
export function calendarProblems(spec: CalendarSpec, options: CalendarCheckOptions = {}): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  // Specs usually come from parsed config files, so check the runtime shapes too.
  if (typeof spec.timeZone !== 'string' || !isKnownZone(spec.timeZone)) {
    problem('timeZone', `unknown time zone "${String(spec.timeZone)}"`);
  }

  const closures = Array.isArray(spec.closures) ? spec.closures : [];
  if (spec.holidays !== undefined) {
    const before = problems.length;
    const { country, region, types, remove, removeDates } = spec.holidays;
    const countryCode = typeof country === 'string' ? country.toUpperCase() : undefined;
    const directory = holidayRegions();
    const states = countryCode === undefined ? undefined : directory.get(countryCode);
    if (states === undefined) {
      problem('holidays.country', `unknown holiday country "${String(country)}"`);
    } else if (region !== undefined) {
      if (typeof region !== 'string' || !states.has(region.toUpperCase())) {
        problem('holidays.region', `unknown holiday region "${String(region)}" for country "${country}"`);
      }
    }
    if (types !== undefined) {
      if (!Array.isArray(types) || types.length === 0) {
        problem(
          'holidays.types',
          'holiday types must be a non-empty list (omit it to count public holidays only)',
        );
      } else {
        types.forEach((type, i) => {
          if (!HOLIDAY_TYPES.includes(type)) {
            problem(
              `holidays.types.${i}`,
              `unknown holiday type "${String(type)}" (expected one of ${HOLIDAY_TYPES.join(', ')})`,
            );
          }
        });
      }
    }
    // The corrections can only be held against the data once country, region and types are sound.
    const dataUsable = problems.length === before;
    if (remove !== undefined) {
      if (!Array.isArray(remove)) problem('holidays.remove', 'remove must be a list of holiday names');
      else
        remove.forEach((name, i) => {
          if (typeof name !== 'string' || name.trim() === '')
            problem(
              `holidays.remove.${i}`,
              `expected a holiday name such as "Easter Monday", not ${JSON.stringify(name)}`,
            );
        });
    }
    if (removeDates !== undefined) {
      if (!Array.isArray(removeDates))
        problem('holidays.removeDates', 'removeDates must be a list of YYYY-MM-DD dates');
      else
        removeDates.forEach((date, i) => {
          if (!isLocalDate(date))
            problem(`holidays.removeDates.${i}`, `invalid date "${String(date)}" (expected YYYY-MM-DD)`);
          else if (closures.includes(date))
            problem(
              `holidays.removeDates.${i}`,
              `${date} is also listed in closures: a date cannot be both added as a closure and removed as a holiday`,
            );
        });
    }
    if (options.aroundYear !== undefined && dataUsable) {
      problems.push(...correctionProblems(spec.holidays, options.aroundYear));
    }
  }

  if (spec.closures !== undefined) {
    if (!Array.isArray(spec.closures)) {
      problem('closures', 'closures must be a list of YYYY-MM-DD dates');
    } else {
      spec.closures.forEach((closure, i) => {
        if (!isLocalDate(closure))
          problem(`closures.${i}`, `invalid closure date "${String(closure)}" (expected YYYY-MM-DD)`);
      });
    }
  }

  if (spec.workingDays !== undefined) {
    if (!Array.isArray(spec.workingDays) || spec.workingDays.length === 0) {
      // With no working day at all, no deadline could ever be reached.
      problem('workingDays', 'workingDays must list at least one ISO weekday (1 = Monday ... 7 = Sunday)');
    } else {
      spec.workingDays.forEach((day, i) => {
        if (!Number.isInteger(day) || day < 1 || day > 7) {
          problem(
            `workingDays.${i}`,
            `invalid working day ${JSON.stringify(day)} (expected ISO weekday 1 = Monday ... 7 = Sunday)`,
          );
        }
      });
    }
  }
  return problems;
}

/** ICU's canonical zone names, read once (a list of some 400 strings). */
let canonicalZones: ReadonlySet<string> | undefined;

/**
 * Whether `zone` is a time zone the runtime knows. A canonical name ('America/Toronto') is found
 * in ICU's list; anything else (an alias such as 'Asia/Kolkata', 'UTC', 'Etc/GMT+5') is asked
 * of luxon, which builds an Intl.DateTimeFormat for it. Building one pulls ICU's zone, calendar
 * and locale tables into memory (about 5 MiB of the node binary's pages), which a program's
 * first deadline needs anyway but checking a definition at start-up does not.
 */
function isKnownZone(zone: string): boolean {
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  return canonicalZones.has(zone) || IANAZone.isValidZone(zone);
}

/** How far either side of the year at hand a removed name is looked for. */
const NAME_WINDOW_YEARS = 5;

/**
 * The holiday corrections held against date-holidays' data (the rest of `holidays` is valid): a
 * removed name it never gives in the window is most likely misspelt, and a removed date on which it
 * lists no counted holiday removes nothing. Either would leave a clock silently wrong.
 */
function correctionProblems(
  holidays: NonNullable<CalendarSpec['holidays']>,
  aroundYear: number,
): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const where = `${holidays.country.toUpperCase()}${holidays.region ? `-${holidays.region.toUpperCase()}` : ''}`;
  const counted = new Set<string>(holidays.types ?? DEFAULT_HOLIDAY_TYPES);
  const countedList = [...counted].join(', ');

  const names = Array.isArray(holidays.remove) ? holidays.remove : [];
  // Malformed dates are reported by the shape checks already.
  const dates = Array.isArray(holidays.removeDates) ? holidays.removeDates : [];
  if (names.length > 0) {
    const first = aroundYear - NAME_WINDOW_YEARS;
    const last = aroundYear + NAME_WINDOW_YEARS;
    // Names in the window with the types they come as. A year of date-holidays costs some 20 ms,
    // so years are read outwards from `aroundYear` only until every removed name is found counted:
    // the whole window is read only to explain a refusal.
    const typesOf = new Map<string, Set<string>>();
    const wanted = names.filter((name): name is string => typeof name === 'string');
    const found = () => wanted.every((name) => [...(typesOf.get(name) ?? [])].some((t) => counted.has(t)));
    for (let step = 0; step <= 2 * NAME_WINDOW_YEARS && !found(); step++) {
      // aroundYear, then +1, -1, +2, -2 …
      const year = aroundYear + (step % 2 === 1 ? (step + 1) / 2 : -step / 2);
      for (const entry of listedIn(holidays, year)) {
        const seen = typesOf.get(entry.name) ?? new Set<string>();
        seen.add(entry.type);
        typesOf.set(entry.name, seen);
      }
    }
    const countedNames = [...typesOf]
      .filter(([, types]) => [...types].some((type) => counted.has(type)))
      .map(([name]) => name)
      .sort((a, b) => a.localeCompare(b, 'en'));
    names.forEach((name, i) => {
      if (typeof name !== 'string' || name.trim() === '' || countedNames.includes(name)) return;
      const path = `holidays.remove.${i}`;
      const types = typesOf.get(name);
      if (types !== undefined) {
        problems.push({
          path,
          message: `"${name}" is a holiday of type ${[...types].join('/')} in ${where}, which this calendar does not count (types: ${countedList}), so there is nothing to remove`,
        });
        return;
      }
      const near = countedNames.find((known) => looseName(known) === looseName(name));
      problems.push({
        path,
        message: `date-holidays gives ${where} no holiday named "${name}" between ${first} and ${last}${near ? ` (did you mean "${near}"?)` : ''}; the ${countedList} holidays it names are: ${countedNames.map((n) => `"${n}"`).join(', ')}`,
      });
    });
  }

  if (dates.length > 0) {
    // The library's own calendar, before any correction: is there anything on that date to remove?
    const uncorrected = createBusinessCalendar({
      timeZone: 'UTC',
      holidays: { country: holidays.country, region: holidays.region, types: holidays.types },
    });
    dates.forEach((date, i) => {
      if (isLocalDate(date) && uncorrected.holidayName(date) === undefined)
        problems.push({
          path: `holidays.removeDates.${i}`,
          message: `date-holidays lists no ${countedList} holiday in ${where} on ${date}, so there is nothing to remove`,
        });
    });
  }
  return problems;
}

/** A name folded for "did you mean": case, apostrophes and spacing do not tell names apart. */
function looseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\u2018\u2019`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What date-holidays lists for a country/region in `year`, built with timezone 'UTC' so that an
 * entry's start and end read in UTC are its wall-clock times (see the header).
 */
function listedIn(holidays: NonNullable<CalendarSpec['holidays']>, year: number): HolidayEntry[] {
  return holidayEntries(holidays.country, holidays.region, [year])[0] ?? [];
}

/** Builds a business calendar from `spec`; throws `CalendarError` naming every bad value. */
export function createBusinessCalendar(spec: CalendarSpec): BusinessCalendar {
  const problems = describeCalendarProblems(spec);
  if (problems.length > 0) throw new CalendarError(problems);

  const { timeZone } = spec;
  const workingDays = new Set(spec.workingDays ?? DEFAULT_WORKING_DAYS);
  const closures = new Set(spec.closures ?? []);
  const holidays = spec.holidays;
  // Filter types ourselves rather than through date-holidays' `types` option: that option drops
  // rules at load time, which could break rules defined relative to a dropped holiday.
  const countedTypes = new Set<string>(holidays?.types ?? DEFAULT_HOLIDAY_TYPES);
  // The program's corrections of the data. Names are matched exactly, as the spec was checked
  // against the data at import; a name the data no longer produces simply removes nothing.
  const removedNames = new Set(holidays?.remove ?? []);
  const removedDates = new Set(holidays?.removeDates ?? []);
  const byYear = new Map<number, Map<string, string>>();

  /** Closed local dates of `year` mapped to holiday names, computed once per year. */
  function holidaysOf(year: number): Map<string, string> {
    const cached = byYear.get(year);
    if (cached !== undefined) return cached;
    const names = new Map<string, string>();
    if (holidays !== undefined) {
      // A multi-day holiday listed under the previous year can run into this one. The next year
      // is fetched with them, as a clock running into it needs it next.
      const [before = [], current = []] = holidayEntries(
        holidays.country,
        holidays.region,
        [year - 1, year],
        [year + 1],
      );
      for (const entry of [...before, ...current]) {
        if (!countedTypes.has(entry.type) || removedNames.has(entry.name)) continue;
        for (const date of closedDates(entry)) {
          if (yearOf(date) !== year || removedDates.has(date)) continue;
          const known = names.get(date);
          if (known === undefined) names.set(date, entry.name);
          else if (!known.split(' / ').includes(entry.name)) names.set(date, `${known} / ${entry.name}`);
        }
      }
    }
    byYear.set(year, names);
    return names;
  }

  return {
    timeZone,
    isBusinessDay(localDate: string): boolean {
      assertLocalDate(localDate);
      return (
        workingDays.has(isoWeekday(localDate)) &&
        !closures.has(localDate) &&
        !holidaysOf(yearOf(localDate)).has(localDate)
      );
    },
    holidayName(localDate: string): string | undefined {
      assertLocalDate(localDate);
      return holidaysOf(yearOf(localDate)).get(localDate);
    },
    businessDaysBetween(from: string, to: string): number {
      const a = dayNumber(from);
      const b = dayNumber(to);
      if (b <= a) return 0;
      // Working weekdays in (a, b]: whole weeks, then the few days left over.
      const span = b - a;
      let count = Math.floor(span / 7) * workingDays.size;
      for (let n = a + Math.floor(span / 7) * 7 + 1; n <= b; n++) if (workingDays.has(weekdayOf(n))) count++;
      // Minus the closed days (holidays, closures) that fall on a working weekday in range, once each.
      const closed = new Set<number>();
      for (let year = yearOf(from); year <= yearOf(to); year++) {
        for (const date of holidaysOf(year).keys()) closed.add(dayNumber(date));
      }
      for (const date of closures) closed.add(dayNumber(date));
      for (const n of closed) if (n > a && n <= b && workingDays.has(weekdayOf(n))) count--;
      return count;
    },
  };
}

/** Days since 1970-01-01 of a local date (its UTC midnight), for arithmetic on whole days. */
function dayNumber(localDate: string): number {
  return Math.round(wallMidnight(localDate) / 86_400_000);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; day 0, 1970-01-01, was a Thursday. */
function weekdayOf(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/**
 * Local dates whose midnight lies inside the holiday's [start, end). The source was built with
 * timezone 'UTC', so start and end read in UTC are the holiday's wall-clock times.
 */
function closedDates(entry: HolidayEntry): string[] {
  const { start, end } = entry;
  const startDay = new Date(start).toISOString().slice(0, 10);
  const dates: string[] = [];
  // A holiday starting after midnight (an eve at 18:00, an afternoon off) does not close its first day.
  let day = wallMidnight(startDay) === start ? startDay : addDays(startDay, 1);
  while (wallMidnight(day) < end) {
    dates.push(day);
    day = addDays(day, 1);
  }
  return dates;
}
