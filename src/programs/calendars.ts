import { type BusinessCalendar, createBusinessCalendar } from '../deadlines/index.js';
import type { Program } from '../programs/index.js';

/** Business calendars per program revision, built once (holiday tables are not free to build). */
export interface CalendarCache {
  forProgram(program: Program): BusinessCalendar;
}

export function createCalendarCache(): CalendarCache {
  const cache = new Map<string, BusinessCalendar>();
  return {
    forProgram(program) {
      const key = `${program.id}:${program.revision}`;
      let cal = cache.get(key);
      if (!cal) {
        const c = program.definition.calendar;
        cal = createBusinessCalendar({
          timeZone: c.timeZone,
          holidays: c.holidays,
          closures: c.closures,
          workingDays: c.workingDays,
        });
        cache.set(key, cal);
      }
      return cal;
    },
  };
}
