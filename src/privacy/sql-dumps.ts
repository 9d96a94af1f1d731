/**
 * Tables of patients in SQL dumps: `INSERT` statements of every dialect (MySQL backquotes and
 * extended inserts, PostgreSQL `pg_dump --inserts`, SQLite `.dump`, SQL Server `INSERT [dbo].[t]`
 * with `N'…'` and `CAST(… AS Date)`), and PostgreSQL `COPY t (cols) FROM stdin;` blocks whose
 * tab-separated rows end at `\.`.
 *
 * Columns come from the statement's own list, from an earlier `CREATE TABLE` of the same table,
 * or from the `COPY` line, judged by the lexicon in any of its languages. Without any of them
 * (an `INSERT INTO t VALUES …` cut out of its dump) the values speak for themselves: a tuple with
 * two neighbouring name-like cells and a birth date is a person (value-types.ts). A statement
 * whose values are bound parameters (`?`, `$1`, `:name`) or placeholders fills nothing.
 *
 * Linear time: statements are found by a keyword regex without nested quantifiers and read by a
 * tokenizer that resumes where the statement ended; a tuple is read at most 64 KiB, a `COPY`
 * block line by line once.
 */
import {
  CLASS_BIT,
  classifyKey,
  classNames,
  type FieldClass,
  identifiesPerson,
  plausibleValue,
} from './lexicon.js';
import type { RawFinding } from './types.js';
import { valueTypedBits } from './value-types.js';

export interface TableScanStats {
  steps: number;
}

/** A `patient-table` finding over [start, end). */
export function tableFinding(
  form: string,
  start: number,
  end: number,
  bits: number,
  rows: number,
): RawFinding {
  const fields = classNames(bits);
  return {
    kind: 'patient-table',
    label: 'a table of people (names with birth dates, identifiers or contact details)',
    excerpt: tableExcerpt(form, fields, rows),
    start,
    end,
    unit: 'char',
    fields,
  };
}

/** A table finding's excerpt: its form, the classes of its columns and how many rows are filled. */
export function tableExcerpt(form: string, fields: readonly string[], rows: number): string {
  return `${form} table with ${fields.join(', ')} columns, ${rows} filled row${rows === 1 ? '' : 's'}`;
}

const SQL_STATEMENT = /\b(insert(?:\s+into)?|create\s+table(?:\s+if\s+not\s+exists)?)\s+/gi;
const MAX_TUPLE = 64 * 1024;
/**
 * Rows judged one by one; after this many filled rows a dump is a patient table beyond doubt and
 * the rest of the statement or block is only read for its end (and counted).
 */
const JUDGED_ROWS = 256;

/** SQL dumps: see the module comment. */
export function findSqlTables(text: string, out: RawFinding[], stats: TableScanStats): void {
  if (/\bCOPY\s/i.test(text)) findCopyBlocks(text, out, stats);
  if (!/\binsert\s/i.test(text)) return;
  const schemas = new Map<string, (FieldClass | undefined)[]>();
  SQL_STATEMENT.lastIndex = 0;
  for (let m = SQL_STATEMENT.exec(text); m; m = SQL_STATEMENT.exec(text)) {
    let i = m.index + m[0].length;
    const [name, afterName] = readSqlName(text, i);
    i = afterName;
    stats.steps += i - m.index;
    if (!name) continue;
    const isCreate = /^create/i.test(m[1] as string);
    let columns: (FieldClass | undefined)[] | undefined;
    i = skipSpace(text, i);
    if (text[i] === '(') {
      const tuple = readTuple(text, i, stats);
      i = tuple.end;
      columns = tuple.cells.map((cell) =>
        classifyKey(
          cell
            .trim()
            .split(/\s+/)[0]
            ?.replace(/^[`"[]|[`"\]]$/g, '') ?? '',
        ),
      );
    }
    if (isCreate) {
      if (columns) schemas.set(name, columns);
      SQL_STATEMENT.lastIndex = i;
      continue;
    }
    columns ??= schemas.get(name);
    i = skipSpace(text, i);
    if (!/^values?\b/i.test(text.slice(i, i + 7))) {
      SQL_STATEMENT.lastIndex = Math.max(i, SQL_STATEMENT.lastIndex);
      continue;
    }
    i = skipSpace(text, i + (/^values/i.test(text.slice(i, i + 6)) ? 6 : 5));
    let columnBits = 0;
    for (const cls of columns ?? []) if (cls) columnBits |= CLASS_BIT[cls];
    // A column list that names nothing the lexicon knows ("c1, c2") says nothing either way; a
    // table of staff, devices or releases is judged by nothing (its people are not patients).
    const byValue = columnBits === 0 && !NOT_PATIENT_TABLE.test(name);
    let rows = 0;
    let rowBits = 0;
    let end = i;
    while (text[i] === '(') {
      const tuple = readTuple(text, i, stats);
      if (rows >= JUDGED_ROWS) {
        // The table is established: later tuples are read for the statement's end, not judged.
        rows += 1;
        end = tuple.end;
      } else if (byValue || identifiesPerson(columnBits)) {
        const bits = byValue
          ? valueTypedBits(tuple.cells.map(unquoteSql))
          : rowBitsOf(columns ?? [], tuple.cells.map(unquoteSql));
        if (identifiesPerson(bits)) {
          rows += 1;
          rowBits |= bits;
          end = tuple.end;
        }
      }
      i = skipSpace(text, tuple.end);
      if (text[i] !== ',') break;
      i = skipSpace(text, i + 1);
    }
    if (rows > 0) out.push(tableFinding('SQL', m.index, end, rowBits, rows));
    SQL_STATEMENT.lastIndex = Math.max(i, SQL_STATEMENT.lastIndex);
  }
}

// Tables whose rows are people other than patients, or no people at all.
const NOT_PATIENT_TABLE =
  /^(?:tbl_?)?(?:staff|employees?|personnel|users_admin|admins?|doctors?|physicians?|practitioners?|providers?|nurses?|clinicians?|authors?|contributors?|maintainers?|developers?|releases?|versions?|devices?|assets?|audit\w*|logs?|changelog|migrations?|schema_\w+|settings?|config\w*)$/i;

function tableName(raw: string): string {
  const t = raw.replace(/["`[\]]/g, '');
  return t.slice(t.lastIndexOf('.') + 1).toLowerCase();
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i += 1;
  return i;
}

/** A (possibly quoted, schema-qualified) table name; returns its last part, lower case. */
function readSqlName(text: string, from: number): [string, number] {
  let i = from;
  while (i < text.length && i - from < 128 && /[\w.`"[\]$]/.test(text[i] as string)) i += 1;
  const raw = text.slice(from, i).replace(/[`"[\]]/g, '');
  return [raw.slice(raw.lastIndexOf('.') + 1).toLowerCase(), i];
}

/** The cells of a parenthesised list at `from` (strings in single quotes, nested parentheses kept). */
function readTuple(text: string, from: number, stats: TableScanStats): { cells: string[]; end: number } {
  const cells: string[] = [];
  let cell = '';
  let depth = 0;
  let quoted = false;
  const limit = Math.min(text.length, from + MAX_TUPLE);
  let i = from + 1;
  for (; i < limit; i += 1) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === "'" && text[i + 1] === "'") {
        cell += "'";
        i += 1;
      } else if (ch === '\\') {
        cell += text[i + 1] ?? '';
        i += 1;
      } else if (ch === "'") {
        quoted = false;
        cell += ch;
      } else cell += ch;
    } else if (ch === "'") {
      quoted = true;
      cell += ch;
    } else if (ch === '(') {
      depth += 1;
      cell += ch;
    } else if (ch === ')') {
      if (depth === 0) break;
      depth -= 1;
      cell += ch;
    } else if (ch === ',' && depth === 0) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  stats.steps += i - from;
  return { cells, end: Math.min(text.length, i + 1) };
}

/**
 * A cell's value: quotes, `N'…'`/`E'…'` prefixes and casts removed (`CAST(N'1957-11-04' AS
 * Date)`, `DATE '1957-11-04'`, `'1957-11-04'::date`, `TO_DATE('04.11.1957', 'DD.MM.YYYY')`).
 */
export function unquoteSql(cell: string): string {
  const t = cell.trim();
  if (/^null$/i.test(t)) return '';
  const m = /^[NE]?'([\s\S]*)'$/.exec(t);
  if (m) return m[1] as string;
  const wrapped =
    /^(?:CAST\s?\(|TO_DATE\s?\(|TO_TIMESTAMP\s?\(|DATE\s|TIMESTAMP\s)\s{0,3}[NE]?'([^'\n]{0,64})'/i.exec(t);
  if (wrapped) return wrapped[1] as string;
  const cast = /^'([^'\n]{0,64})'::\w{1,24}$/.exec(t);
  return cast ? (cast[1] as string) : t;
}

/** The classes a row fills under its columns' classes. */
function rowBitsOf(columns: readonly (FieldClass | undefined)[], cells: readonly string[]): number {
  let bits = 0;
  for (let c = 0; c < columns.length; c += 1) {
    const cls = columns[c];
    if (cls && plausibleValue(cls, cells[c] ?? '')) bits |= CLASS_BIT[cls];
  }
  return bits;
}

// `COPY [schema.]table [(columns)] FROM stdin;` — the rows follow, one per line, until `\.`.
const COPY_START =
  /\bCOPY\s{1,4}([\w."]{1,128})\s{0,4}(?:\(([^()\n]{1,4000})\)\s{0,4})?FROM\s{1,4}stdin\b[^\n]{0,200}\n/gi;

/** PostgreSQL `COPY … FROM stdin` blocks (pg_dump's default data format). */
function findCopyBlocks(text: string, out: RawFinding[], stats: TableScanStats): void {
  COPY_START.lastIndex = 0;
  // The column list read for the previous block: a dump repeats one table's opener block after block.
  let seen:
    | {
        table: string;
        list: string | undefined;
        columns: (FieldClass | undefined)[];
        bits: number;
        byValue: boolean;
      }
    | undefined;
  for (let m = COPY_START.exec(text); m; m = COPY_START.exec(text)) {
    if (!seen || seen.table !== m[1] || seen.list !== m[2]) {
      const columns = (m[2] ?? '').split(',').map((c) => classifyKey(c.trim().replace(/^"|"$/g, '')));
      let bits = 0;
      for (const cls of columns) if (cls) bits |= CLASS_BIT[cls];
      const byValue = bits === 0 && !NOT_PATIENT_TABLE.test(tableName(m[1] as string));
      seen = { table: m[1] as string, list: m[2], columns, bits, byValue };
    }
    const { columns, bits: columnBits, byValue } = seen;
    let rows = 0;
    let rowBits = 0;
    let end = m.index + m[0].length;
    let lineStart = end;
    while (lineStart < text.length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      stats.steps += line.length + 1;
      if (line === '\\.' || !line.includes('\t')) break;
      if (rows >= JUDGED_ROWS) {
        rows += 1;
        end = lineStart + line.length;
        lineStart = lineEnd + 1;
        continue;
      }
      const cells = line.split('\t').map((c) => (c === '\\N' ? '' : c));
      const bits = byValue ? valueTypedBits(cells) : rowBitsOf(columns, cells);
      if ((byValue || identifiesPerson(columnBits)) && identifiesPerson(bits)) {
        rows += 1;
        rowBits |= bits;
        end = lineStart + line.length;
      }
      lineStart = lineEnd + 1;
    }
    if (rows > 0) out.push(tableFinding('SQL COPY', m.index, end, rowBits, rows));
    COPY_START.lastIndex = Math.max(lineStart, COPY_START.lastIndex);
  }
}
