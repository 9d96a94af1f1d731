/**
 * Structured patient data pasted into reports or attached as files: FHIR resources (JSON and
 * XML), HL7 v2 messages and CSV exports.
 *
 * These formats say what they hold, so the cues are their own field names:
 *  - FHIR: a `Patient`, `Person` or `RelatedPerson` resource counts when it has a filled name
 *    (`family`, `given` or `text`), a `birthDate`, an `identifier` with a `value` or an `address`
 *    with a filled `line`, `city`, `postalCode` or `text`. The finding spans the whole resource,
 *    so it covers the street in an address line too (people.ts keeps such a street, which often
 *    reads like a person's name, out of its name-with-birth-date pairing). A bare
 *    `{"resourceType": "Patient", "id": "123"}` (what a search result or a reference shows) does
 *    not, and neither do `Device`, `Observation` or other resources, even when they reference a
 *    patient by id.
 *  - HL7 v2: a `PID` segment (at the start of a line, any field separator declared by MSH) whose
 *    patient identifier list (PID-3), name (PID-5) or birth date (PID-7) is filled.
 *  - CSV (comma, semicolon or tab): a header with a name column and a birth-date column, followed
 *    by at least one row that fills both.
 *
 * Known limits: FHIR resources are located by scanning braces/tags, not by a full parser, so a
 * resource truncated mid-object is judged on what is there; FHIR Turtle and HL7 v3/CDA are not
 * recognised (CDA patients are still caught by the name-with-birth-date rule when written out).
 */
import type { RawFinding } from './types.js';

const FHIR_JSON = /"resourceType"\s*:\s*"(Patient|Person|RelatedPerson)"/g;
const FHIR_XML = /<(?:[A-Za-z]+:)?(Patient|Person|RelatedPerson)\b[^>]*>/g;
// An `address` with a filled street line, city, postal code or text. The JSON object is read up
// to its first closing brace, so a `period` written before the street hides it (rare; the
// resource is then still judged on its other fields).
const FHIR_JSON_ADDRESS =
  /"address"\s*:\s*\[?\s*\{[^}]*?"(?:line|city|postalCode|text)"\s*:\s*(?:\[\s*)?"[^"\s]/;
const FHIR_XML_ADDRESS =
  /<(?:[A-Za-z]+:)?address>(?:(?!<\/(?:[A-Za-z]+:)?address>)[\s\S]){0,2000}?<(?:[A-Za-z]+:)?(?:line|city|postalCode|text)\s+value="[^"\s]/;

export function findFhirResources(text: string, out: RawFinding[]): void {
  if (text.includes('resourceType')) {
    FHIR_JSON.lastIndex = 0;
    for (let m = FHIR_JSON.exec(text); m; m = FHIR_JSON.exec(text)) {
      const start = openingBrace(text, m.index);
      const end = closingBrace(text, start);
      const body = text.slice(start, end);
      const fields: string[] = [];
      if (/"(?:family|given|text)"\s*:\s*(?:\[\s*)?"[^"\s]/.test(body)) fields.push('name');
      if (/"birthDate"\s*:\s*"\d{4}/.test(body)) fields.push('birthDate');
      if (/"identifier"\s*:\s*\[[^\]]*?"value"\s*:\s*"[^"\s]/.test(body)) fields.push('identifier');
      if (FHIR_JSON_ADDRESS.test(body)) fields.push('address');
      if (fields.length > 0) out.push(fhirFinding(m[1] ?? 'Patient', fields, start, end, 'JSON'));
      FHIR_JSON.lastIndex = Math.max(FHIR_JSON.lastIndex, end);
    }
  }
  if (text.includes('<')) {
    FHIR_XML.lastIndex = 0;
    for (let m = FHIR_XML.exec(text); m; m = FHIR_XML.exec(text)) {
      const type = m[1] ?? 'Patient';
      // The closing tag is looked for within 200 000 characters, so a text full of unclosed
      // "<Patient>" tags stays linear.
      const window = text.slice(m.index, m.index + 200_000);
      const close = new RegExp(`</(?:[A-Za-z]+:)?${type}>`).exec(window);
      const end = close ? m.index + close.index + close[0].length : Math.min(text.length, m.index + 20_000);
      const body = text.slice(m.index, end);
      // Only FHIR: the element sits in the FHIR namespace or carries FHIR's value="" attributes.
      if (!/hl7\.org\/fhir/.test(m[0]) && !/<(?:[A-Za-z]+:)?\w+\s+value="/.test(body)) continue;
      const fields: string[] = [];
      if (/<(?:[A-Za-z]+:)?(?:family|given|text)\s+value="[^"\s]/.test(body)) fields.push('name');
      if (/<(?:[A-Za-z]+:)?birthDate\s+value="\d{4}/.test(body)) fields.push('birthDate');
      if (/<(?:[A-Za-z]+:)?identifier>[\s\S]*?<(?:[A-Za-z]+:)?value\s+value="[^"\s]/.test(body)) {
        fields.push('identifier');
      }
      if (FHIR_XML_ADDRESS.test(body)) fields.push('address');
      if (fields.length > 0) out.push(fhirFinding(type, fields, m.index, end, 'XML'));
      FHIR_XML.lastIndex = Math.max(FHIR_XML.lastIndex, end);
    }
  }
}

function fhirFinding(type: string, fields: string[], start: number, end: number, syntax: string): RawFinding {
  return {
    kind: 'fhir-patient',
    label: `a FHIR ${type} resource (${syntax}) about a person`,
    excerpt: `${type} resource with ${fields.join(', ')}`,
    start,
    end,
    unit: 'char',
    fields,
  };
}

/** The `{` that opens the object holding the key at `from` (braces inside strings are rare enough to ignore). */
function openingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from - 1; i >= 0; i -= 1) {
    const ch = text.charCodeAt(i);
    if (ch === 0x7d) depth += 1;
    else if (ch === 0x7b) {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return Math.max(0, from - 1);
}

/** The index just past the `}` matching the `{` at `start`, skipping JSON strings. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i += 1;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b) depth += 1;
    else if (ch === 0x7d) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

const HL7_FIELDS: Record<number, string> = {
  3: 'patient identifier (PID-3)',
  5: 'name (PID-5)',
  7: 'birth date (PID-7)',
};

export function findHl7Pid(text: string, out: RawFinding[]): void {
  if (!text.includes('PID')) return;
  const msh = /(?:^|[\r\n])\s*MSH([|!#$%*+^])/.exec(text);
  const sep = msh?.[1] ?? '|';
  const pid = new RegExp(`(?:^|[\\r\\n])[ \\t>]*PID\\${sep}[^\\r\\n]*`, 'g');
  for (let m = pid.exec(text); m; m = pid.exec(text)) {
    const lineStart = m.index + (m[0].length - m[0].trimStart().length);
    const line = text.slice(lineStart, m.index + m[0].length).replace(/^[ \t>]+/, '');
    const parts = line.split(sep);
    const fields: string[] = [];
    for (const index of [3, 5, 7]) {
      if (hl7FieldFilled(parts[index] ?? '', index)) fields.push(HL7_FIELDS[index] as string);
    }
    if (fields.length === 0) continue;
    out.push({
      kind: 'hl7-pid',
      label: 'an HL7 v2 PID segment identifying a patient',
      excerpt: `PID${sep}… with ${fields.join(', ')}`,
      start: lineStart,
      end: m.index + m[0].length,
      unit: 'char',
      fields,
    });
  }
}

/**
 * Whether a PID field carries data about the patient. Only the meaningful components count: the ID
 * number of each PID-3 repetition (not its assigning authority or type code such as "MR"), the
 * family and given names of PID-5, any digit of PID-7. Interface specs quote the layout with
 * placeholders ("<FAMILY>^<GIVEN>"), and HL7 writes an explicit null as `""`: neither is a patient.
 */
function hl7FieldFilled(field: string, index: number): boolean {
  const value = field.replace(/<[^>]*>/g, '').replace(/""/g, '');
  if (index === 7) return /\d/.test(value);
  const components = index === 3 ? [0] : [0, 1];
  return value.split('~').some((rep) => {
    const parts = rep.split('^');
    return components.some((c) => /[\p{L}\p{N}]/u.test(parts[c] ?? ''));
  });
}

const NAME_COLUMNS = new Set([
  'name',
  'patientname',
  'patient',
  'fullname',
  'firstname',
  'lastname',
  'givenname',
  'familyname',
  'surname',
  'forename',
  'given',
  'family',
  'ptname',
  'membername',
  'subscribername',
  'patientfirstname',
  'patientlastname',
  'first',
  'last',
]);
const BIRTH_COLUMNS = new Set([
  'dob',
  'dateofbirth',
  'birthdate',
  'birthday',
  'ptdob',
  'patientdob',
  'patientbirthdate',
  'memberdob',
  'geburtsdatum',
]);

export function findCsvPatientColumns(text: string, out: RawFinding[]): void {
  if (!/birth|dob|geburt/i.test(text)) return;
  const lineRe = /[^\r\n]+/g;
  let header: { nameAt: number; birthAt: number; sep: string; start: number } | undefined;
  let filledRows = 0;
  let lastEnd = 0;
  const flush = () => {
    if (header && filledRows > 0) {
      out.push({
        kind: 'csv-patient-columns',
        label: 'a table of people with names and dates of birth',
        excerpt: `table with name and birth-date columns, ${filledRows} filled row${filledRows === 1 ? '' : 's'}`,
        start: header.start,
        end: lastEnd,
        unit: 'char',
        fields: ['name', 'birthDate'],
      });
    }
    header = undefined;
    filledRows = 0;
  };
  for (let m = lineRe.exec(text); m; m = lineRe.exec(text)) {
    const line = m[0];
    if (header) {
      const cells = splitCsvLine(line, header.sep);
      if (cells.length < 2) {
        flush();
      } else {
        const name = cells[header.nameAt] ?? '';
        const birth = cells[header.birthAt] ?? '';
        if (/\p{L}/u.test(name) && /\d/.test(birth)) {
          filledRows += 1;
          lastEnd = m.index + line.length;
        }
        continue;
      }
    }
    if (!/birth|dob|geburt/i.test(line)) continue;
    const sep = line.includes('\t') ? '\t' : line.includes(';') && !line.includes(',') ? ';' : ',';
    const cells = splitCsvLine(line, sep).map((c) => c.toLowerCase().replace(/[^a-z]/g, ''));
    const nameAt = cells.findIndex((c) => NAME_COLUMNS.has(c));
    const birthAt = cells.findIndex((c) => BIRTH_COLUMNS.has(c));
    if (cells.length < 2 || nameAt < 0 || birthAt < 0) continue;
    header = { nameAt, birthAt, sep, start: m.index };
    lastEnd = m.index + line.length;
  }
  flush();
}

function splitCsvLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep).map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}
