import type { FieldProblem } from '../core/index.js';
import { PayloadTooLargeError, ValidationError } from '../core/index.js';
import type { FormField, ProgramDefinition } from '../programs/index.js';

/**
 * Check a reporter's answers against the program's form. The same rules serve the HTML form
 * (where every value arrives as text), the JSON API (typed values) and later the email intake.
 */

export type AnswerValue = string | string[] | boolean;
export type Answers = Record<string, AnswerValue>;

export interface CheckedAnswers {
  /** Answers other than contact details. */
  content: Answers;
  /** Contact details: sealed apart, shown only to the case team. */
  contact: Answers;
}

const DEFAULT_MAX: Record<string, number> = {
  text: 500,
  email: 320,
  phone: 40,
  url: 2048,
  date: 10,
  product: 100,
  select: 200,
};

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
const PHONE_RE = /^\+?[0-9 ().\-/]{4,30}( ?(x|ext\.?) ?[0-9]{1,6})?$/i;

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** Values a field's kind allows; `undefined` means "no answer". */
function checkField(
  f: FormField,
  raw: unknown,
  def: ProgramDefinition,
  maxFieldBytes: number,
  problems: FieldProblem[],
): AnswerValue | undefined {
  const path = f.id;
  const fail = (message: string) => {
    problems.push({ path, message });
    return undefined;
  };
  if (raw === undefined || raw === null || raw === '') {
    if (f.required && f.kind !== 'checkbox') return fail(`${f.label} is required`);
    if (f.required && f.kind === 'checkbox') return fail(`${f.label} must be ticked`);
    return undefined;
  }

  switch (f.kind) {
    case 'checkbox': {
      const on = raw === true || raw === 'on' || raw === 'true' || raw === 'yes';
      const off = raw === false || raw === 'false' || raw === 'no' || raw === 'off';
      if (!on && !off) return fail('expected true or false');
      if (f.required && !on) return fail(`${f.label} must be ticked`);
      return on;
    }
    case 'yesno': {
      if (raw === true || raw === 'yes') return 'yes';
      if (raw === false || raw === 'no') return 'no';
      if (raw === 'unsure') return 'unsure';
      return fail('expected "yes", "no" or "unsure"');
    }
    case 'multiselect':
    case 'urls': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/\r?\n/) : undefined;
      if (!list?.every((x) => typeof x === 'string')) return fail('expected a list of text values');
      const items = (list as string[]).map((x) => x.trim()).filter((x) => x !== '');
      if (items.length === 0) return f.required ? fail(`${f.label} is required`) : undefined;
      if (items.length > 100) return fail('expected at most 100 entries');
      if (f.kind === 'urls') {
        const bad = items.find((u) => !isHttpUrl(u) || u.length > 2048);
        if (bad !== undefined) return fail('each line must be an http:// or https:// URL');
      } else {
        const allowed = new Set(f.options?.map((o) => o.value));
        const bad = items.find((x) => !allowed.has(x));
        if (bad !== undefined) return fail('contains a value that is not one of the choices');
      }
      return items;
    }
    default: {
      const text = asText(raw);
      if (text === undefined) return fail('expected text');
      const value = f.kind === 'textarea' ? text.replace(/\r\n/g, '\n') : text.trim();
      if (value.trim() === '') return f.required ? fail(`${f.label} is required`) : undefined;
      if (Buffer.byteLength(value) > maxFieldBytes) {
        throw new PayloadTooLargeError(
          `The field "${f.id}" is larger than the limit of ${maxFieldBytes} bytes.`,
        );
      }
      const max = f.maxLength ?? DEFAULT_MAX[f.kind];
      if (max !== undefined && [...value].length > max) return fail(`must be at most ${max} characters`);
      if (f.kind !== 'textarea' && /[\u0000-\u001f\u007f]/.test(value))
        return fail('must be a single line of text');
      if (value.includes('\uFFFD')) return fail('is not valid UTF-8 text');
      if (f.kind === 'email' && !EMAIL_RE.test(value))
        return fail('expected an email address such as name@example.org');
      if (f.kind === 'phone' && !PHONE_RE.test(value))
        return fail('expected a phone number such as +1 416 555 0100');
      if (f.kind === 'url' && !isHttpUrl(value)) return fail('expected an http:// or https:// URL');
      if (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value))
        return fail('expected a date as YYYY-MM-DD');
      if (f.kind === 'select' && !f.options?.some((o) => o.value === value))
        return fail('is not one of the choices');
      if (f.kind === 'product' && value !== 'other' && !def.scope.products.some((p) => p.id === value)) {
        return fail('is not one of this program\'s products; choose "other" and name it in the description');
      }
      return value;
    }
  }
}

/**
 * Validate answers; unknown field names are refused (a typo must not lose information silently).
 * Throws ValidationError listing every bad field, or PayloadTooLargeError for an oversized one.
 */
export function checkAnswers(
  def: ProgramDefinition,
  raw: Record<string, unknown>,
  maxFieldBytes: number,
): CheckedAnswers {
  const problems: FieldProblem[] = [];
  const known = new Map(def.form.fields.map((f) => [f.id, f]));
  for (const key of Object.keys(raw)) {
    if (!known.has(key))
      problems.push({ path: key, message: "is not a field of this program's report form" });
  }
  const content: Answers = {};
  const contact: Answers = {};
  for (const f of def.form.fields) {
    const v = checkField(f, raw[f.id], def, maxFieldBytes, problems);
    if (v === undefined) continue;
    (f.contact ? contact : content)[f.id] = v;
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { content, contact };
}

/** The field of a program that carries a given purpose, if any. */
export function fieldFor(def: ProgramDefinition, purpose: FormField['purpose']): FormField | undefined {
  return def.form.fields.find((f) => f.purpose === purpose);
}
