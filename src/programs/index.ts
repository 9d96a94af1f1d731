export { type CalendarCache, createCalendarCache } from './calendars.js';
export { type HolidayPreloadDeps, startHolidayPreload } from './holiday-preload.js';
export { type ProgramsRouteDeps, programsPlugin } from './plugin.js';
export {
  CLOCKS,
  type ClockName,
  DEFAULT_ESCALATION_DAYS,
  FIELD_KINDS,
  FIELD_PURPOSES,
  type FieldKind,
  type FormField,
  type Product,
  type ProgramDefinition,
  type ProgramDefinitionInput,
  programDefinitionSchema,
  type RegulatoryProfile,
} from './program-schema.js';
export {
  createProgramService,
  type ImportResult,
  type Program,
  type ProgramService,
} from './program-service.js';
export { parseProgramYaml, programToYaml, validateProgramDefinition } from './program-yaml.js';
