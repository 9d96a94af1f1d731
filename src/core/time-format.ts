import { DateTime } from 'luxon';

/** "Monday 30 November 2026, 23:59 EST" — an instant as a person in the program's time zone reads it. */
export function formatInstant(at: Date | string, timeZone: string, lang = 'en'): string {
  const dt = DateTime.fromJSDate(typeof at === 'string' ? new Date(at) : at, { zone: timeZone }).setLocale(
    lang,
  );
  return `${dt.toFormat('cccc d LLLL yyyy, HH:mm')} ${dt.toFormat('ZZZZ')} (${timeZone})`;
}

/** The calendar year of an instant in a time zone (case numbers follow the program's year). */
export function yearIn(at: Date, timeZone: string): number {
  return DateTime.fromJSDate(at, { zone: timeZone }).year;
}
