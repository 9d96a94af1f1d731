/** Business-day deadlines: business calendars per program and the deadlines counted in them. */
export {
  type BusinessCalendar,
  type CalendarCheckOptions,
  CalendarError,
  type CalendarProblem,
  type CalendarSpec,
  calendarProblems,
  createBusinessCalendar,
  describeCalendarProblems,
  HOLIDAY_TYPES,
} from './business-calendar.js';
export { businessDaysLeft, computeDeadlines, type DeadlineRule, deadlineAfter } from './deadline.js';
export {
  type HolidayPlace,
  type HolidaySnapshot,
  holidaySnapshot,
  preloadHolidays,
  restoreHolidays,
} from './holiday-data.js';
export {
  addDays,
  endOfLocalDay,
  isLocalDate,
  type LocalDaySpan,
  localDateOf,
  localDaySpan,
} from './local-date.js';
