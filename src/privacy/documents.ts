/**
 * Patient records in key/value form: JSON, BSON/Mongo shell dumps (`ObjectId(…)`, `ISODate(…)`,
 * unquoted keys), JavaScript/Java object literals and `toString()` output (`{firstName='Jane'}`),
 * XML other than FHIR (HL7 CDA `<patient><name><given>…`, generic `<firstName>`), YAML, query
 * strings, `key=value` log lines and `Label: value` blocks.
 *
 * A record is an object, an XML element, a line with two or more pairs, or a block of
 * `key: value` lines (nested by indentation, as YAML). Keys are judged by the lexicon and values
 * by its plausibility checks, and a record is reported when its filled fields identify a person
 * (lexicon's `identifiesPerson`): a name with a birth date, identifier, address, diagnosis,
 * medication or contact, or an identifier with another personal field. A nested record that does
 * not qualify on its own hands its fields to the one holding it (`"name": {"given", "family"}`
 * next to `"dob"`). In `Label: value` lines a name next to a phone or e-mail is a signature, not a
 * record, so there a stronger field is needed.
 *
 * Not reported: OpenAPI schemas and configs (their values are types, objects or placeholders),
 * JWT claim sets (two or more registered claims such as `iss`, `sub`, `exp`), objects under
 * `author`, `maintainers`, `contact`, `support`… (package.json, OpenAPI `info`), and the
 * reporter's own name and e-mail.
 *
 * Linear time: each pass reads the text once, left to right. Strings, tags and values are read
 * with bounded look-ahead (a failed read stops at the next quote, `<` or line end), a closing
 * brace or tag pops frames it passes (each frame is pushed and popped once), the search for a
 * matching tag looks at most 32 frames down, and the frame stack is capped, deeper nesting only
 * counted. `stats.steps` counts characters visited, for tests.
 */
import { findLineRecords } from './documents-lines.js';
import {
  CLASS_BIT,
  classifyKey,
  classNames,
  type FieldClass,
  identifiesPerson,
  plausibleValue,
} from './lexicon.js';
import type { RecordFrame, RecordIgnore, ScanStats } from './records.js';
import { addPair, addUncovered, closeRecord, newFrame } from './records.js';
import { tableExcerpt, tableFinding } from './sql-dumps.js';
import type { RawFinding } from './types.js';
import { valueTypedBits } from './value-types.js';

export type { RecordIgnore, ScanStats };

/** Finds patient records in every key/value form; see the module comment. */
export function findPatientRecords(
  text: string,
  out: RawFinding[],
  ignore: RecordIgnore,
  stats?: ScanStats,
): void {
  const found: RawFinding[] = [];
  const counter = stats ?? { steps: 0 };
  findNestedRecords(text, found, ignore, counter);
  findLineRecords(text, found, ignore, counter);
  addUncovered(out, found);
}

const MAX_DEPTH = 256;
const MAX_STRING = 4096;
const MAX_VALUE = 256;

interface NestedFrame extends RecordFrame {
  kind: 'obj' | 'arr' | 'xml';
  /** The key the frame is the value of (`"dob": {…}`), if any. */
  key: string | undefined;
  /** Parts of a date written as an object under a birth-date key. */
  ymd?: { year?: string; month?: string; day?: string };
  tag: string;
  hasChild: boolean;
  textStart: number;
  /** An array's scalar elements, in order (a row of a JSON table), while there are few enough. */
  items?: string[];
  /** An XML element whose children are not all leaves of one name: no row of cells. */
  nonLeaf?: boolean;
  /** The name of an XML element's first leaf child. */
  leafTag?: string;
  /** A column's name, when the object describes one (`{"name": "nom", "type": "text"}`). */
  columnName?: string;
  /** A header array among this frame's children: the class of each column (JSON tables). */
  header?: (FieldClass | undefined)[];
  /** The table finding of rows among this frame's children, extended by each later row. */
  table?: RawFinding;
  tableRows?: number;
  tableBits?: number;
}

const isIdentStart = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isIdentChar = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
const isSpace = (c: number) => c === 32 || c === 9;
/** A character of an XML tag's name, its namespace prefix included (`saml:Attribute`). */
const isTagChar = (c: number) => isIdentChar(c) || c === 0x3a;

/**
 * Objects (`{}` with quoted or bare keys, `:` or `=`), arrays and XML elements. Pairs outside any
 * object or element are left to the line pass.
 */
function findNestedRecords(text: string, out: RawFinding[], ignore: RecordIgnore, stats: ScanStats): void {
  const n = text.length;
  const stack: NestedFrame[] = [];
  // Holds what is outside every frame: top-level records and rows, so neighbours share a finding.
  const outside = newFrame(0) as NestedFrame;
  let overflow = 0;
  let inTag = false;
  let pendingKey: string | undefined;
  let loose: RecordFrame | undefined;
  let looseEnd = 0;
  // Never reads past the end: an out-of-bounds array read is a slow path in V8 (per character here).
  const top = () => (stack.length > 0 ? stack[stack.length - 1] : undefined);
  const push = (kind: NestedFrame['kind'], start: number, tag: string) => {
    const parent = top();
    if (parent) parent.hasChild = true;
    if (stack.length >= MAX_DEPTH) {
      overflow += 1;
      return;
    }
    const frame = newFrame(start, pendingKey ?? (kind === 'xml' ? tag : undefined)) as NestedFrame;
    frame.kind = kind;
    frame.key = pendingKey;
    frame.tag = tag;
    frame.hasChild = false;
    frame.textStart = -1;
    if (parent?.excluded) frame.excluded = true;
    stack.push(frame);
    pendingKey = undefined;
  };
  const pop = (end: number) => {
    const frame = stack.pop() as NestedFrame;
    const parent = top();
    const syntax = frame.kind === 'xml' ? 'XML' : 'JSON/BSON';
    // `"dob": {"year": 1957, "month": 11, "day": 4}` is one date, a pair of the record holding it.
    if (frame.ymd?.year && frame.ymd.month && parent && frame.key !== undefined) {
      addPair(
        parent,
        frame.key,
        `${frame.ymd.year}-${frame.ymd.month}-${frame.ymd.day ?? '1'}`,
        ignore,
        false,
      );
    }
    if (frame.kind === 'arr') closeArrayRow(frame, end);
    else if (frame.columnName !== undefined && parent?.kind === 'arr' && COLUMNS_KEY.test(parent.key ?? '')) {
      // `"columns": [{"name": "nom", "type": "text"}, …]` lists a table's columns as objects.
      parent.items ??= [];
      if (parent.items.length < MAX_ITEMS) parent.items.push(frame.columnName);
    }
    // Records side by side outside any container (JSON lines, one object after another) share
    // one finding through the scan's own holder, as siblings in an array do.
    closeRecord(frame, parent ?? outside, end, syntax, out);
  };
  /**
   * Arrays of scalars are a table's header or rows in JSON (`{"columns": [...], "rows": [[...]]}`,
   * a spreadsheet's `"values": [["Name", "DOB"], [...]]`, a SQL API's result set). A header of
   * patient columns is remembered by the frame holding it; a row is judged under the header of
   * its container or the one above, or by its values alone (value-types.ts) without one.
   */
  const closeArrayRow = (frame: NestedFrame, end: number, leafRow = false) => {
    const items = frame.items;
    const holder = top();
    if (!items || items.length < 2 || frame.excluded) return;
    if (!leafRow && frame.hasChild && frame.columnName === undefined && !COLUMNS_KEY.test(frame.key ?? ''))
      return;
    const header = arrayHeader(items);
    if (header) {
      if (holder) holder.header = header;
      return;
    }
    if (frame.hasChild && !leafRow) return;
    const outer = stack.length >= 2 ? (stack[stack.length - 2] as NestedFrame) : undefined;
    const owner = holder?.header ? holder : outer?.header ? outer : undefined;
    let bits = 0;
    if (owner?.header && Math.abs(owner.header.length - items.length) <= 1) {
      const classes = owner.header;
      for (let c = 0; c < classes.length && c < items.length; c += 1) {
        const cls = classes[c];
        if (cls && plausibleValue(cls, items[c] as string)) bits |= CLASS_BIT[cls];
      }
      if (!identifiesPerson(bits)) return;
    } else if (items.length >= 3) {
      bits = valueTypedBits(items);
      if (bits === 0) return;
    } else return;
    // Rows outside any object or array (`("Varga", …), ("Okafor", …)` lines) share the scan's own holder.
    const at = owner ?? holder ?? outside;
    const previous = at.table;
    if (previous && frame.start - previous.end < 4096) {
      at.tableRows = (at.tableRows ?? 1) + 1;
      const grownBits = (at.tableBits ?? 0) | bits;
      // The finding grows in place; its list of fields is built again only when a class is new.
      if (grownBits !== at.tableBits || !previous.fields) previous.fields = classNames(grownBits);
      at.tableBits = grownBits;
      previous.end = end;
      previous.excerpt = tableExcerpt('JSON', previous.fields, at.tableRows);
      return;
    }
    at.tableRows = 1;
    at.tableBits = bits;
    at.table = tableFinding('JSON', frame.start, end, bits, 1);
    out.push(at.table);
  };
  const pair = (key: string, value: string) => {
    // MongoDB Extended JSON wraps a typed value in an object of one `$` key: `"dob": {"$date":
    // "1957-…"}`, `{"$date": {"$numberLong": "-383…"}}`, and DynamoDB in one of its type letters
    // (`"dob": {"S": "1957-…"}`). The value belongs to the outer key.
    let d = stack.length - 1;
    let k = key;
    while (d > 0 && EXTENDED_JSON.has(k)) {
      const outer = (stack[d] as NestedFrame).key;
      if (outer === undefined) break;
      k = outer;
      d -= 1;
    }
    const frame = stack[d];
    if (!frame) return;
    if (COLUMN_NAME_KEY.test(k) && value.length <= 48) (frame as NestedFrame).columnName ??= value;
    const part = DATE_PART[k.toLowerCase()];
    if (
      part &&
      frame.key !== undefined &&
      /^\d{1,4}$/.test(value.trim()) &&
      classifyKey(frame.key) === 'birthDate'
    ) {
      frame.ymd ??= {};
      frame.ymd[part] = value.trim().padStart(part === 'year' ? 4 : 2, '0');
      return;
    }
    // `"patient": {"id": …}`: under a patient's key a bare id is the patient's identifier.
    if (frame.key !== undefined && ID_KEY.test(k) && OWNER_KEY.test(frame.key)) k = 'patient_id';
    addPair(frame, k, value, ignore, false);
    // `{"name": "lastName", "value": "Tillingham"}` (HAR query strings and headers, Postman
    // variables, settings lists): a pair of the list holding the object.
    const named = (frame as NestedFrame).columnName;
    const holder = d > 0 ? stack[d - 1] : undefined;
    if (holder && named !== undefined && NAMED_VALUE_KEY.test(k) && classifyKey(named))
      addPair(holder, named, value, ignore, false);
  };

  let i = 0;
  while (i < n) {
    stats.steps += 1;
    const c = text.charCodeAt(i);
    const frame = top();
    if ((c === 0x22 || c === 0x27) && frame && frame.kind !== 'xml') {
      // An escaped quote (`{\"name\": …}`, JSON inside a string) starts no string: read as one, it
      // would run on to the bound at every quote. The escaped text is read decoded (encoded.ts).
      if (i > 0 && text.charCodeAt(i - 1) === 0x5c) {
        i += 1;
        continue;
      }
      // A string: a key when followed by `:` (or `=` in a tag), else skipped.
      const end = readString(text, i, stats);
      if (end < 0) {
        i += 1;
        continue;
      }
      let j = end;
      while (j < n && isSpace(text.charCodeAt(j))) j += 1;
      const sep = text.charCodeAt(j);
      if (frame && frame.kind === 'obj' && (sep === 0x3a || sep === 0x3d)) {
        i = readValue(text, j + 1, text.slice(i + 1, end - 1), sep, stats, pair, (key) => {
          pendingKey = key;
        });
      } else {
        if (frame.kind === 'arr') addItem(frame, text.slice(i + 1, end - 1));
        i = end;
      }
      continue;
    }
    if (
      frame &&
      frame.kind === 'arr' &&
      (isDigit(c) || c === 0x2d || c === 0x74 || c === 0x66 || c === 0x6e)
    ) {
      // A bare element (number, true, false, null) keeps the columns of a row in their places.
      let j = i;
      while (j < n && j - i < 64 && !BARE_END.has(text.charCodeAt(j))) j += 1;
      stats.steps += j - i;
      addItem(frame, text.slice(i, j).trim());
      i = j;
      continue;
    }
    if (isIdentStart(c) && frame && (frame.kind === 'obj' || inTag)) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
      if (isIdentChar(prev)) {
        i += 1;
        continue;
      }
      let j = i;
      while (j < n && j - i < 96 && isIdentChar(text.charCodeAt(j))) j += 1;
      const ident = text.slice(i, j);
      stats.steps += j - i;
      let k = j;
      while (k < n && isSpace(text.charCodeAt(k))) k += 1;
      const sep = text.charCodeAt(k);
      const isPair =
        (sep === 0x3a && text.charCodeAt(k + 1) !== 0x3a && !inTag) ||
        (sep === 0x3d && text.charCodeAt(k + 1) !== 0x3d);
      if (!isPair) {
        i = j;
        continue;
      }
      // CDA and FHIR XML carry an element's value in an attribute: `<birthTime value="1957…"/>`.
      const key = inTag && /^(?:value|code|extension)$/.test(ident) ? frame.tag : ident;
      i = readValue(text, k + 1, key, sep, stats, pair, (pk) => {
        pendingKey = pk;
      });
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      // `patient {` or `birth_date {` (Protocol Buffers text format, HCL): the word before is the key.
      if (c === 0x7b && pendingKey === undefined && !inTag) pendingKey = blockKeyBefore(text, i);
      if (!inTag) push(c === 0x7b ? 'obj' : 'arr', i, '');
      i += 1;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      if (overflow > 0) overflow -= 1;
      else {
        const want = c === 0x7d ? 'obj' : 'arr';
        // Pops down to the matching bracket, within 32 frames (a stray bracket is ignored).
        let at = -1;
        for (let d = stack.length - 1; d >= 0 && d >= stack.length - 32; d -= 1) {
          if ((stack[d] as NestedFrame).kind === want) {
            at = d;
            break;
          }
        }
        if (at >= 0) while (stack.length > at) pop(i + 1);
      }
      pendingKey = undefined;
      i += 1;
      continue;
    }
    if (c === 0x3c) {
      i = readTag(text, i, stats);
      continue;
    }
    if (c === 0x3e && inTag) {
      inTag = false;
      const t = top();
      if (text.charCodeAt(i - 1) === 0x2f) {
        if (t && t.kind === 'xml') pop(i + 1);
      } else if (t && t.kind === 'xml') t.textStart = i + 1;
      i += 1;
      continue;
    }
    if (c === 0x0a && !inTag) {
      // A blank line ends prose that opened a bracket it never closed (":(", "[see above").
      let j = i + 1;
      while (j < n && (isSpace(text.charCodeAt(j)) || text.charCodeAt(j) === 0x0d)) j += 1;
      if (text.charCodeAt(j) === 0x0a) {
        while (
          stack.length > 0 &&
          (top() as NestedFrame).kind !== 'xml' &&
          (top() as NestedFrame).bits === 0
        ) {
          stack.pop();
        }
      }
      stats.steps += j - i;
      i = j;
      continue;
    }
    i += 1;
  }
  while (stack.length > 0) pop(n);
  if (loose) closeRecord(loose, undefined, looseEnd, 'XML', out);

  /** Reads a tag at `<`; returns where scanning goes on. */
  function readTag(s: string, at: number, st: ScanStats): number {
    const next = s.charCodeAt(at + 1);
    const t = top();
    if (next === 0x2f) {
      let j = at + 2;
      while (j < s.length && j - at < 256 && isTagChar(s.charCodeAt(j))) j += 1;
      st.steps += j - at;
      if (s.charCodeAt(j) !== 0x3e) return at + 1;
      const name = localName(s.slice(at + 2, j));
      let d = stack.length - 1;
      for (; d >= 0 && d >= stack.length - 32; d -= 1) {
        const f = stack[d] as NestedFrame;
        if (f.kind !== 'xml') return j + 1;
        if (f.tag === name) break;
      }
      if (d < 0 || d < stack.length - 32) return j + 1;
      while (stack.length > d + 1) pop(at);
      const f = stack.pop() as NestedFrame;
      const parent = top();
      if (!f.hasChild && f.textStart >= 0 && parent) {
        // A leaf element is a pair of its parent: `<given>Jane</given>`. An element named by an
        // attribute is the attribute's field: `<string name="patient_name">` (Android), `<Attribute
        // Name="dateOfBirth"><AttributeValue>…` (SAML).
        const key =
          f.columnName !== undefined && classifyKey(f.columnName)
            ? f.columnName
            : !classifyKey(name) && parent.columnName !== undefined && classifyKey(parent.columnName)
              ? parent.columnName
              : name;
        const value = s.slice(f.textStart, Math.min(at, f.textStart + MAX_VALUE));
        addPair(parent, key, value, ignore, false);
        // Leaves side by side are also a row: `<tr><td>Okafor</td><td>Amara</td>…` (HTML tables).
        // Only leaves of one name are cells (`td`, `Cell`, `v`): named fields are a record.
        if (parent.kind === 'xml') {
          parent.leafTag ??= name;
          if (parent.leafTag !== name) parent.nonLeaf = true;
          addItem(parent, value.trim());
        }
        if (f.bits !== 0) closeRecord(f, parent, j + 1, 'XML', out);
      } else if (!f.hasChild && f.textStart >= 0) {
        // Leaf elements without a parent (`<PatientName>…</PatientName><PatientBirthDate>…`) are
        // pairs of one record while they follow each other closely.
        if (loose && f.start - looseEnd > 200) {
          closeRecord(loose, undefined, looseEnd, 'XML', out);
          loose = undefined;
        }
        loose ??= newFrame(f.start);
        const key = f.columnName !== undefined && classifyKey(f.columnName) ? f.columnName : name;
        addPair(loose, key, s.slice(f.textStart, Math.min(at, f.textStart + MAX_VALUE)), ignore, false);
        looseEnd = j + 1;
      } else {
        // A cell that wraps its value in one more element is a cell all the same: SpreadsheetML's
        // `<Cell><Data>…</Data></Cell>`, OpenDocument's `<table:table-cell><text:p>…`, `<td><span>`.
        const wrapped =
          parent?.kind === 'xml' && f.items?.length === 1 && !f.nonLeaf ? f.items[0] : undefined;
        if (parent && wrapped !== undefined) {
          parent.leafTag ??= name;
          if (parent.leafTag !== name) parent.nonLeaf = true;
          addItem(parent, wrapped);
        } else if (parent) parent.nonLeaf = true;
        if (f.items && !f.nonLeaf && wrapped === undefined) closeArrayRow(f, j + 1, true);
        closeRecord(f, parent, j + 1, 'XML', out);
      }
      return j + 1;
    }
    if (!isIdentStart(next) || inTag) return at + 1;
    let j = at + 1;
    while (j < s.length && j - at < 256 && isTagChar(s.charCodeAt(j))) j += 1;
    const after = s.charCodeAt(j);
    st.steps += j - at;
    if (!(after === 0x3e || after === 0x2f || isSpace(after) || after === 0x0a || after === 0x0d)) return j;
    if (t && t.kind === 'xml') t.textStart = -1;
    push('xml', at, localName(s.slice(at + 1, j)));
    inTag = true;
    return j;
  }
}

const ID_KEY = /^(?:id|identifier|number|nr|no|num)$/i;
// Keys of a date's parts, in the lexicon's languages.
const DATE_PART: Record<string, 'year' | 'month' | 'day'> = {
  year: 'year',
  y: 'year',
  yyyy: 'year',
  jahr: 'year',
  annee: 'year',
  anno: 'year',
  ano: 'year',
  jaar: 'year',
  month: 'month',
  m: 'month',
  mm: 'month',
  monat: 'month',
  mois: 'month',
  mes: 'month',
  mese: 'month',
  maand: 'month',
  day: 'day',
  d: 'day',
  dd: 'day',
  tag: 'day',
  jour: 'day',
  dia: 'day',
  giorno: 'day',
  dag: 'day',
};
const OWNER_KEY =
  /^(?:patient|patients|pt|patienten|patientin|paciente|patiente|pati[eë]nt|paziente|member|subscriber)$/i;

// MongoDB Extended JSON and DynamoDB's attribute values (`"givenName": {"S": "Aoife"}`).
const EXTENDED_JSON = new Set([
  'S',
  'N',
  'SS',
  'NS',
  '$date',
  '$numberLong',
  '$numberInt',
  '$numberDouble',
  '$numberDecimal',
  '$string',
  '$value',
  // OpenTelemetry's attribute values: `{"key": "patient.name", "value": {"stringValue": "…"}}`.
  'stringValue',
  'intValue',
  'doubleValue',
  'string_value',
  'int_value',
]);

const MAX_ITEMS = 64;
const COLUMNS_KEY =
  /^(?:columns|cols|fields|headers?|schema|columnHeaders|colnames|column_names|fieldnames)$/i;
const COLUMN_NAME_KEY = /^(?:name|field|fieldName|column|columnName|label|header|title|key)$/i;
const NAMED_VALUE_KEY = /^(?:value|val|fieldValue)$/i;
const isDigit = (c: number) => c >= 48 && c <= 57;
// What ends a bare array element: `,`, `]`, `}`, a line break.
const BARE_END = new Set([0x2c, 0x5d, 0x7d, 0x0a, 0x0d]);

/** The identifier right before a `{` (spaces between), as in `patient {`; at most 64 characters back. */
function blockKeyBefore(text: string, brace: number): string | undefined {
  let end = brace;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end -= 1;
  if (end === brace) return undefined;
  let start = end;
  while (start > 0 && end - start < 64 && isIdentChar(text.charCodeAt(start - 1))) start -= 1;
  if (start === end || !isIdentStart(text.charCodeAt(start))) return undefined;
  return text.slice(start, end);
}

/** Adds an element to an array frame; an array of more than MAX_ITEMS is no row of a table. */
function addItem(frame: NestedFrame, value: string): void {
  frame.items ??= [];
  if (frame.items.length <= MAX_ITEMS) frame.items.push(value);
}

/** The classes of an array of column names, when they name a patient's columns. */
function arrayHeader(items: readonly string[]): (FieldClass | undefined)[] | undefined {
  if (items.length > MAX_ITEMS) return undefined;
  let bits = 0;
  let known = 0;
  const classes: (FieldClass | undefined)[] = [];
  for (const item of items) {
    if (item.length > 48 || !/^[\p{L}_][\p{L}\p{N} _.-]*$/u.test(item)) return undefined;
    const cls = classifyKey(item);
    classes.push(cls);
    if (cls) {
      bits |= CLASS_BIT[cls];
      known += 1;
    }
  }
  return known >= 2 && identifiesPerson(bits) ? classes : undefined;
}

function localName(tag: string): string {
  const colon = tag.lastIndexOf(':');
  return colon >= 0 ? tag.slice(colon + 1) : tag;
}

/** Index just past the string opened at `at`, or -1 when it does not close on its line within bounds. */
export function readString(text: string, at: number, stats: ScanStats): number {
  const quote = text.charCodeAt(at);
  const limit = Math.min(text.length, at + MAX_STRING);
  for (let j = at + 1; j < limit; j += 1) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j += 1;
    else if (c === quote) {
      stats.steps += j - at;
      return j + 1;
    } else if (c === 0x0a) {
      stats.steps += j - at;
      return -1;
    }
  }
  stats.steps += limit - at;
  return -1;
}

/**
 * Reads the value after a key's `:` or `=` at `from`: a string, a bare token, a wrapped BSON or
 * Python value (`ISODate("…")`, `datetime.date(1957, 11, 4)`), or the start of a nested object
 * (then `nested` is told the key and scanning resumes at the bracket). Returns where to go on.
 */
function readValue(
  text: string,
  from: number,
  key: string,
  sep: number,
  stats: ScanStats,
  pair: (key: string, value: string) => void,
  nested: (key: string) => void,
): number {
  let j = from;
  while (j < text.length && isSpace(text.charCodeAt(j))) j += 1;
  const c = text.charCodeAt(j);
  if (c === 0x7b || c === 0x5b) {
    nested(key);
    return j;
  }
  if (c === 0x22 || c === 0x27) {
    const end = readString(text, j, stats);
    if (end < 0) return j + 1;
    pair(key, text.slice(j + 1, end - 1));
    return end;
  }
  let k = j;
  let parens = 0;
  const limit = Math.min(text.length, j + MAX_VALUE);
  for (; k < limit; k += 1) {
    const d = text.charCodeAt(k);
    if (d === 0x28) parens += 1;
    else if (d === 0x29) {
      if (parens === 0) break;
      parens -= 1;
    } else if (d === 0x0a || d === 0x0d || d === 0x3c) break;
    else if (parens === 0 && (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x3b || d === 0x3e)) break;
    else if (parens === 0 && sep === 0x3d && (d === 0x20 || d === 0x26 || d === 0x09)) break;
    // Protocol Buffers text format puts fields side by side: `{ year: 1964 month: 3 }`.
    else if (parens === 0 && sep === 0x3a && d === 0x20 && keyFollows(text, k + 1)) break;
  }
  stats.steps += k - j;
  pair(key, unwrap(text.slice(j, k)));
  return Math.max(k, from);
}

/** Whether a bare key and its `:` start at `at` (`month: 3`), read at most 64 characters ahead. */
function keyFollows(text: string, at: number): boolean {
  if (!isIdentStart(text.charCodeAt(at))) return false;
  let j = at + 1;
  while (j < text.length && j - at < 64 && isIdentChar(text.charCodeAt(j))) j += 1;
  return text.charCodeAt(j) === 0x3a && text.charCodeAt(j + 1) === 0x20;
}

/** `ISODate("1957-11-04T00:00:00Z")` → `1957-11-04T00:00:00Z`; other values as they are. */
function unwrap(raw: string): string {
  const value = raw.trim();
  const open = value.indexOf('(');
  if (open < 0 || !value.endsWith(')')) return value;
  return value
    .slice(open + 1, -1)
    .replace(/^["']|["']$/g, '')
    .trim();
}
