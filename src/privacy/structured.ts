/**
 * Structured patient data pasted into reports or attached as files: FHIR resources (JSON and
 * XML) and CSV exports.
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
 *  - HL7 v2 lives in hl7.ts (segments in any framing, including hex dumps).
 *  - CSV (comma, semicolon or tab): a header with a name column and a birth-date column, followed
 *    by at least one row that fills both.
 *
 * Linear time: the braces are matched in one forward pass (not walked back from each
 * `"resourceType"`), closing tags are looked up in a list built once, an opening tag is read for at
 * most 2 000 characters, and every pattern over a resource's body has a bounded repetition.
 *
 * Known limits: FHIR resources are located by scanning braces/tags, not by a full parser, so a
 * resource truncated mid-object is judged on what is there; FHIR Turtle and HL7 v3/CDA are not
 * recognised (CDA patients are still caught by the name-with-birth-date rule when written out).
 */
import { isPlaceholderName, isRedaction } from './placeholders.js';
import type { RawFinding } from './types.js';

const FHIR_JSON = /"resourceType"\s*:\s*"(Patient|Person|RelatedPerson)"/g;
const FHIR_XML = /<(?:[A-Za-z]{1,20}:)?(Patient|Person|RelatedPerson)\b[^<>]{0,2000}>/g;
// An `address` with a filled street line, city, postal code or text. The JSON object is read up
// to its first closing brace, so a `period` written before the street hides it (rare; the
// resource is then still judged on its other fields).
const FHIR_JSON_ADDRESS =
  /"address"\s*:\s*\[?\s*\{[^}]{0,2000}?"(?:line|city|postalCode|text)"\s*:\s*(?:\[\s*)?"[^"\s]/;
const FHIR_XML_ADDRESS =
  /<(?:[A-Za-z]+:)?address>(?:(?!<\/(?:[A-Za-z]+:)?address>)[\s\S]){0,2000}?<(?:[A-Za-z]+:)?(?:line|city|postalCode|text)\s+value="[^"\s]/;

export function findFhirResources(text: string, out: RawFinding[]): void {
  if (text.includes('resourceType')) findFhirJson(text, out);
  if (text.includes('<')) findFhirXml(text, out);
}

function findFhirJson(text: string, out: RawFinding[]): void {
  const keys: { index: number; type: string }[] = [];
  FHIR_JSON.lastIndex = 0;
  for (let m = FHIR_JSON.exec(text); m; m = FHIR_JSON.exec(text))
    keys.push({ index: m.index, type: m[1] ?? 'Patient' });
  if (keys.length === 0) return;
  const spans = objectSpans(
    text,
    keys.map((key) => key.index),
  );
  let resumeAt = 0;
  keys.forEach(({ index, type }, k) => {
    // A key inside a resource already judged (a contained resource) is part of that finding.
    if (index < resumeAt) return;
    const { start, end } = spans[k] as { start: number; end: number };
    resumeAt = end;
    const body = text.slice(start, end);
    // A resource tagged as test health data (HL7's HTEST) is a fixture, whatever it holds.
    if (/"code"\s*:\s*"HTEST"/.test(body)) return;
    const fields: string[] = [];
    if (filledName(body)) fields.push('name');
    if (/"birthDate"\s*:\s*"\d{4}/.test(body)) fields.push('birthDate');
    if (/"identifier"\s*:\s*\[[^\]]{0,2000}?"value"\s*:\s*"[^"\s]/.test(body)) fields.push('identifier');
    if (FHIR_JSON_ADDRESS.test(body)) fields.push('address');
    if (fields.length > 0) out.push(fhirFinding(type, fields, start, end, 'JSON'));
  });
}

const FHIR_NAME_PART = /"(?:family|given|text)"\s*:\s*(?:\[\s*)?"([^"\n]{1,80})"/g;
const NOBODY_WORD = /^(?:placeholder|sandbox|example|sample|test|anonymous|unknown|n\/a)$/i;

/**
 * Whether a resource's name parts hold a name: not only redactions, template slots (`<family>`),
 * masks or a manual's nobody. The body is read at most 64 parts far.
 */
function filledName(body: string): boolean {
  const parts: string[] = [];
  FHIR_NAME_PART.lastIndex = 0;
  for (let m = FHIR_NAME_PART.exec(body); m && parts.length < 64; m = FHIR_NAME_PART.exec(body))
    parts.push((m[1] ?? '').trim());
  const real = parts.filter((p) => p !== '' && !isRedaction(p) && !NOBODY_WORD.test(p));
  return real.length > 0 && !isPlaceholderName(real.join(' '));
}

function findFhirXml(text: string, out: RawFinding[]): void {
  const closes = closingTagPositions(text);
  // Positions of FHIR's `<x value="` attributes, to tell a FHIR element from any other <Patient>.
  const valueAttrs: { at: number }[] = [];
  const valueRe = /<(?:[A-Za-z]{1,20}:)?\w{1,40}\s{1,8}value="/g;
  for (let m = valueRe.exec(text); m; m = valueRe.exec(text)) valueAttrs.push({ at: m.index });
  FHIR_XML.lastIndex = 0;
  for (let m = FHIR_XML.exec(text); m; m = FHIR_XML.exec(text)) {
    const type = m[1] ?? 'Patient';
    // The closing tag is looked for within 200 000 characters; an unclosed element is judged on
    // its next 20 000.
    const close = firstAtOrAfter(closes.get(type) ?? [], m.index);
    const end =
      close !== undefined && close.at - m.index <= 200_000
        ? close.end
        : Math.min(text.length, m.index + 20_000);
    // Only FHIR: the element sits in the FHIR namespace or carries FHIR's value="" attributes.
    const attr = firstAtOrAfter(valueAttrs, m.index);
    if (!/hl7\.org\/fhir/.test(m[0]) && !(attr && attr.at < end)) continue;
    const body = text.slice(m.index, end);
    const fields: string[] = [];
    if (/<(?:[A-Za-z]{1,20}:)?(?:family|given|text)\s+value="[^"\s]/.test(body)) fields.push('name');
    if (/<(?:[A-Za-z]{1,20}:)?birthDate\s+value="\d{4}/.test(body)) fields.push('birthDate');
    if (
      /<(?:[A-Za-z]{1,20}:)?identifier>[\s\S]{0,2000}?<(?:[A-Za-z]{1,20}:)?value\s+value="[^"\s]/.test(body)
    ) {
      fields.push('identifier');
    }
    if (FHIR_XML_ADDRESS.test(body)) fields.push('address');
    if (fields.length > 0) out.push(fhirFinding(type, fields, m.index, end, 'XML'));
    FHIR_XML.lastIndex = Math.max(FHIR_XML.lastIndex, end);
  }
}

/** Every `</Patient>`, `</Person>`, `</RelatedPerson>` (any namespace prefix), in order, by type. */
function closingTagPositions(text: string): Map<string, { at: number; end: number }[]> {
  const closes = new Map<string, { at: number; end: number }[]>();
  const re = /<\/(?:[A-Za-z]{1,20}:)?(Patient|Person|RelatedPerson)>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const type = m[1] as string;
    const list = closes.get(type) ?? [];
    list.push({ at: m.index, end: m.index + m[0].length });
    closes.set(type, list);
  }
  return closes;
}

/** Binary search in a list sorted by `at`. */
function firstAtOrAfter<T extends { at: number }>(list: readonly T[], from: number): T | undefined {
  let a = 0;
  let b = list.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if ((list[mid] as T).at < from) a = mid + 1;
    else b = mid;
  }
  return list[a];
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

/**
 * For each key position (ascending), the object holding it: the innermost `{` still open there and
 * the index just past its matching `}` (the end of the text if it never closes). One forward pass
 * with a stack, so nested resources cost their length once, not once per enclosing key. Strings
 * are skipped only inside braces, so a stray quote in the prose before the JSON changes nothing.
 * Without an enclosing brace, the object is taken to start just before the key.
 */
function objectSpans(text: string, keys: readonly number[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const waiting = new Map<number, number[]>();
  const stack: number[] = [];
  let inString = false;
  let k = 0;
  for (let i = 0; i < text.length; i += 1) {
    while (k < keys.length && keys[k] === i) {
      const start = stack.length > 0 ? (stack[stack.length - 1] as number) : Math.max(0, i - 1);
      spans.push({ start, end: text.length });
      if (stack.length > 0) {
        const list = waiting.get(start);
        if (list) list.push(k);
        else waiting.set(start, [k]);
      }
      k += 1;
      inString = false;
    }
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i += 1;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22 && stack.length > 0) inString = true;
    else if (ch === 0x7b) stack.push(i);
    else if (ch === 0x7d && stack.length > 0) {
      const open = stack.pop() as number;
      for (const key of waiting.get(open) ?? []) (spans[key] as { end: number }).end = i + 1;
      waiting.delete(open);
    }
  }
  while (k < keys.length) {
    spans.push({ start: Math.max(0, (keys[k] as number) - 1), end: text.length });
    k += 1;
  }
  return spans;
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
  // The last line read as a header and found to name no name and birth-date columns: a form's or
  // a log's repeated lines are not split again to learn the same.
  let notHeader: string | undefined;
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
    // A header names columns: a screen line, not a megabyte of one-line JSON that says "dob".
    if (line.length > 4096 || line === notHeader || !/birth|dob|geburt/i.test(line)) continue;
    const sep = line.includes('\t') ? '\t' : line.includes(';') && !line.includes(',') ? ';' : ',';
    // Two columns need a separator: a line without one (`dob | 1957-04-11`) is not split to learn it.
    if (!line.includes(sep)) continue;
    const cells = splitCsvLine(line, sep).map((c) => c.toLowerCase().replace(/[^a-z]/g, ''));
    const nameAt = cells.findIndex((c) => NAME_COLUMNS.has(c));
    const birthAt = cells.findIndex((c) => BIRTH_COLUMNS.has(c));
    if (cells.length < 2 || nameAt < 0 || birthAt < 0) {
      notHeader = line;
      continue;
    }
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
