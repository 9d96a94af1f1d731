import YAML from 'yaml';
import { type FieldProblem, ValidationError, zodProblems } from '../core/index.js';
import { calendarProblems } from '../deadlines/index.js';
import { type ProgramDefinition, programDefinitionSchema } from './program-schema.js';

/** When a definition is validated: the holiday corrections are checked against the years around it. */
export interface ValidationOptions {
  /** Now, from the caller's clock; the current time when omitted. */
  now?: Date;
}

/**
 * Validate a program definition: the schema first, then what a schema cannot know (that the
 * time zone and holiday region exist, and that the holidays it removes are ones the holiday data
 * lists). Every problem is collected before anything is refused.
 */
export function validateProgramDefinition(
  input: unknown,
  options: ValidationOptions = {},
): ProgramDefinition {
  const parsed = programDefinitionSchema.safeParse(input);
  // The calendar is checked even when something else is wrong (once its own shape is right),
  // so an operator sees every problem in one go.
  const rawCalendar =
    typeof input === 'object' && input !== null ? (input as { calendar?: unknown }).calendar : undefined;
  const calendar = programDefinitionSchema.shape.calendar.safeParse(rawCalendar);
  const problems: FieldProblem[] = [
    ...(parsed.success ? [] : zodProblems(parsed.error)),
    ...(calendar.success
      ? calendarProblems(calendar.data, {
          aroundYear: (options.now ?? new Date()).getUTCFullYear(),
        }).map((p) => ({ path: `calendar.${p.path}`, message: p.message }))
      : []),
  ];
  if (!parsed.success || problems.length > 0) throw new ValidationError(problems);
  return parsed.data;
}

/** Parse YAML text into a validated definition; syntax errors name the line. */
export function parseProgramYaml(text: string, options: ValidationOptions = {}): ProgramDefinition {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      doc.errors.map((e) => ({
        path: '',
        message: `YAML syntax error${e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : ''}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '')}`,
      })),
    );
  }
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError([{ path: '', message: 'expected a YAML mapping with the program definition' }]);
  }
  return validateProgramDefinition(value, options);
}

/** Render a definition as YAML; parsing the result gives back an equal definition. */
export function programToYaml(def: ProgramDefinition): string {
  return YAML.stringify(def, { lineWidth: 100, aliasDuplicateObjects: false });
}
