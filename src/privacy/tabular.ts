/**
 * Tables of patients in the text forms reports carry them: delimited exports (comma, semicolon,
 * tab, pipe), ASCII tables as sqlmap, psql and mysql print them (`+----+` borders, `|` cells),
 * Markdown tables, fixed-width CLI output under a header line, and SQL dumps (`INSERT INTO t
 * (cols) VALUES (…),(…)`, or `CREATE TABLE t (cols…)` followed by `INSERT INTO t VALUES …`).
 *
 * A table is judged by its columns and its values. Its header must name columns that identify a
 * person (lexicon's `identifiesPerson`: a name column with a birth-date, identifier, address,
 * contact, diagnosis or medication column, or an identifier column with another personal one),
 * in any language the lexicon knows (`Nachname;Vorname;Geburtsdatum;Versichertennummer`). Then at
 * least one row must fill those columns with plausible values (a name in the name column, a date
 * in the birth-date column). A header without rows (a schema, sqlmap's "columns only" listing), a
 * table of placeholders (`[REDACTED]`, `varchar`) and device or asset inventories (host names,
 * serial numbers, firmware: no column of the lexicon) are not reported.
 *
 * Linear time: lines are visited once; a line is split once as a header candidate and once as a
 * row; SQL statements are found by a keyword regex without nested quantifiers and read by a
 * tokenizer that resumes where the statement ended. `stats.steps` counts characters visited.
 */
import { CLASS_BIT, classifyKey, type FieldClass, identifiesPerson, plausibleValue } from './lexicon.js';
import { addUncovered } from './records.js';
import { findSqlTables, type TableScanStats, tableFinding } from './sql-dumps.js';
import type { RawFinding } from './types.js';
import { isPersonRecordLine, valueTypedBits } from './value-types.js';

export type { TableScanStats };

type Separator = '|' | '\t' | ';' | ',' | 'fixed';

interface Table {
  start: number;
  end: number;
  sep: Separator;
  classes: (FieldClass | undefined)[];
  /** Column start offsets, for fixed-width output. */
  starts: number[];
  columnBits: number;
  rowBits: number;
  rows: number;
}

const FORM: Record<Separator, string> = {
  '|': 'ASCII',
  '\t': 'tab-separated',
  ';': 'semicolon-separated',
  ',': 'comma-separated',
  fixed: 'fixed-width',
};

/** Finds patient tables in every text form; see the module comment. */
const BOX_DRAWING = /[\u2500-\u257f]/;
const BOX_DRAWING_G = /[\u2500-\u257f]/g;

/** `│ ┆ ║` → `|`, `─ ━ ┄` → `-`, `═` → `=`, corners and junctions → `+`. */
function boxToAscii(c: string): string {
  const code = c.charCodeAt(0);
  if (code === 0x2550) return '=';
  if (
    code <= 0x2501 ||
    (code >= 0x2504 && code <= 0x2505) ||
    (code >= 0x2508 && code <= 0x2509) ||
    code === 0x254c ||
    code === 0x254d
  )
    return '-';
  if (
    (code >= 0x2502 && code <= 0x2503) ||
    (code >= 0x2506 && code <= 0x2507) ||
    (code >= 0x250a && code <= 0x250b) ||
    code === 0x2551 ||
    code === 0x254e ||
    code === 0x254f
  )
    return '|';
  return '+';
}

export function findPatientTables(
  text: string,
  out: RawFinding[],
  stats: TableScanStats = { steps: 0 },
): void {
  const found: RawFinding[] = [];
  // Tables drawn with box characters (polars, rich, psql's unicode border style) read as ASCII
  // ones: one character for one, so every position stays where it was.
  const ascii = BOX_DRAWING.test(text) ? text.replace(BOX_DRAWING_G, boxToAscii) : text;
  findLineTables(ascii, found, stats);
  // The scanned text's cells are not kept once its lines are read.
  splitLine = undefined;
  splitResult = [];
  findVerticalRows(ascii, found, stats);
  findRecordLines(ascii, found, stats);
  findSqlTables(ascii, found, stats);
  addUncovered(out, found);
}

function findLineTables(text: string, out: RawFinding[], stats: TableScanStats): void {
  let table: Table | undefined;
  const flush = () => {
    if (table && table.rows > 0)
      out.push(tableFinding(FORM[table.sep], table.start, table.end, table.rowBits, table.rows));
    table = undefined;
  };
  // Rows without a header line (a dump cut out of its file): judged by their values alone.
  let bare:
    | { start: number; end: number; bits: number; rows: number; sep: Separator; seps: number }
    | undefined;
  const flushBare = () => {
    if (bare)
      out.push(tableFinding(`${FORM[bare.sep]} (no header)`, bare.start, bare.end, bare.bits, bare.rows));
    bare = undefined;
  };
  let underPlainHeader = false;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    stats.steps += line.length + 1;
    if (table) {
      if (isBorder(line)) {
        lineStart = lineEnd + 1;
        continue;
      }
      const cells = table.sep === 'fixed' ? fixedCells(line, table.starts) : splitCells(line, table.sep);
      const n = table.classes.length;
      if (line.trim() !== '' && cells.length >= n - 1 && cells.length <= n + 1) {
        let bits = 0;
        for (let c = 0; c < n; c += 1) {
          const cls = table.classes[c];
          if (cls && plausibleValue(cls, cells[c] ?? '')) bits |= CLASS_BIT[cls];
        }
        // Right-aligned columns (pandas, R, many CLIs) do not start under their header: the row
        // read as words between runs of spaces, an unnamed index column first, says it instead.
        if (table.sep === 'fixed' && !identifiesPerson(bits)) bits |= alignedBits(line, table.classes);
        if (identifiesPerson(bits)) {
          table.rows += 1;
          table.rowBits |= bits;
          table.end = lineStart + line.length;
        }
        lineStart = lineEnd + 1;
        continue;
      }
      flush();
    }
    table = headerOf(line, lineStart);
    // Rows under a header that names its columns, none of them a patient's (`role,start_date`),
    // are not judged by their values.
    if (!table && namesColumns(line)) {
      flushBare();
      underPlainHeader = true;
    } else if (line.trim() === '') underPlainHeader = false;
    // After 256 judged rows a run of headerless rows is a table beyond doubt: a line with as many
    // separators as its first row is counted without being split and judged.
    const established =
      !table && bare && bare.rows >= 256 && lineStart - bare.end <= 2 && bare.sep !== 'fixed'
        ? countOf(line, bare.sep) === bare.seps
        : false;
    const row = table || underPlainHeader || established ? undefined : headerlessRow(line);
    if (established && bare) {
      bare.end = lineStart + line.length;
      bare.rows += 1;
    } else if (row) {
      if (!bare || lineStart - bare.end > 2 || bare.sep !== row.sep) {
        flushBare();
        bare = {
          start: lineStart,
          end: lineStart,
          bits: 0,
          rows: 0,
          sep: row.sep,
          seps: countOf(line, row.sep),
        };
      }
      bare.end = lineStart + line.length;
      bare.bits |= row.bits;
      bare.rows += 1;
    } else if (line.trim() !== '') flushBare();
    lineStart = lineEnd + 1;
  }
  flush();
  flushBare();
}

/** How many times `sep` occurs in `line`. */
function countOf(line: string, sep: string): number {
  let n = 0;
  for (let i = line.indexOf(sep); i >= 0; i = line.indexOf(sep, i + 1)) n += 1;
  return n;
}

/** A delimited line of three or more short column names (letters, `_`, spaces; no digits). */
function namesColumns(line: string): boolean {
  if (line.length > 2000 || /\d/.test(line)) return false;
  const sep = separatorOf(line);
  if (sep === 'fixed') return false;
  // Three cells need two separators: a line with fewer is not split to learn it.
  const first = line.indexOf(sep);
  if (first < 0 || line.indexOf(sep, first + 1) < 0) return false;
  const cells = lineCells(line, sep);
  // Headers in any language: `Entrée en poste`, `Fødselsdag`, `Stanowisko`.
  return cells.length >= 3 && cells.every((c) => /^["'`]?[\p{L}_][\p{L}\p{N}_ .'’-]{0,47}["'`]?$/u.test(c));
}

/**
 * A delimited line that is a person's row without a header: at least three short cells, two
 * neighbouring name parts and a birth date among them (value-types.ts).
 */
function headerlessRow(line: string): { bits: number; sep: Separator } | undefined {
  if (line.length < 12 || line.length > 2000) return undefined;
  // HL7 v2 (components joined by `^`, segments by CR) has its own reader, which knows its fields.
  if (line.includes('^') || line.includes('\r')) return undefined;
  const sep = separatorOf(line);
  if (sep === 'fixed') return undefined;
  // Three cells need two separators, and a birth date a digit: most lines stop here, unsplit.
  const second = line.indexOf(sep, line.indexOf(sep) + 1);
  if (second < 0 || !/\d/.test(line)) return undefined;
  const cells = lineCells(line, sep);
  if (cells.length < 3 || cells.length > 64) return undefined;
  const values = new Array<string>(cells.length);
  for (let c = 0; c < cells.length; c += 1) {
    const cell = cells[c] as string;
    if (cell.length > 60) return undefined;
    values[c] = unquoted(cell);
  }
  const bits = valueTypedBits(values);
  return bits ? { bits, sep } : undefined;
}

/** A `+----+----+`, `|---|:--|`, `-----+-----` or `----  ----` line between header and rows. */
function isBorder(line: string): boolean {
  const t = line.trim();
  return t.length >= 3 && /^[-+|:= ]+$/.test(t) && /-{3}|={3}/.test(t);
}

function separatorOf(line: string): Separator {
  if (line.includes('\t')) return '\t';
  if (line.includes('|')) return '|';
  const semi = countOf(line, ';');
  const comma = countOf(line, ',');
  if (semi > 0 && semi >= comma) return ';';
  if (comma > 0) return ',';
  return 'fixed';
}

const MAX_FIXED_HEADER = 4096;

/** The line as a header of patient columns, or undefined. */
function headerOf(line: string, at: number): Table | undefined {
  if (line.length < 5 || line.trim() === '') return undefined;
  const sep = separatorOf(line);
  let starts: number[] = [];
  let cells: readonly string[];
  if (sep === 'fixed') {
    // A fixed-width header is a screen line, not a megabyte without separators.
    if (line.length > MAX_FIXED_HEADER) return undefined;
    starts = fixedStarts(line);
    if (starts.length < 2) return undefined;
    cells = fixedCells(line, starts);
  } else cells = lineCells(line, sep);
  if (cells.length < 2) return undefined;
  let bits = 0;
  // Only the columns the lexicon knows are remembered: a header of a million empty cells builds
  // no list of a million entries.
  const known: number[] = [];
  const knownClasses: FieldClass[] = [];
  for (let c = 0; c < cells.length; c += 1) {
    const cell = cells[c] as string;
    // A header names columns: short labels, not prose that happens to hold commas.
    if (cell.length > 48 || moreThanFiveWords(cell)) return undefined;
    const cls = cell === '' ? undefined : classifyKey(unquoted(cell));
    if (!cls) continue;
    bits |= CLASS_BIT[cls];
    known.push(c);
    knownClasses.push(cls);
  }
  if (!identifiesPerson(bits)) return undefined;
  const classes = new Array<FieldClass | undefined>(cells.length).fill(undefined);
  known.forEach((c, k) => {
    classes[c] = knownClasses[k];
  });
  return { start: at, end: at + line.length, sep, classes, starts, columnBits: bits, rows: 0, rowBits: 0 };
}

const isQuote = (c: number) => c === 0x22 || c === 0x27 || c === 0x60;

/** The cell without one quote (`"`, `'` or a backtick) at its start and one at its end. */
function unquoted(cell: string): string {
  const from = isQuote(cell.charCodeAt(0)) ? 1 : 0;
  const to = cell.length > from && isQuote(cell.charCodeAt(cell.length - 1)) ? cell.length - 1 : cell.length;
  return from === 0 && to === cell.length ? cell : cell.slice(from, to);
}

/** Whether `cell.split(' ')` would give more than five parts, without building them. */
function moreThanFiveWords(cell: string): boolean {
  let spaces = 0;
  for (let i = cell.indexOf(' '); i >= 0; i = cell.indexOf(' ', i + 1)) if (++spaces >= 5) return true;
  return false;
}

// The last line split by lineCells: a line is asked whether it is a header, names columns or is a
// headerless row, and each question splits it the same way.
let splitLine: string | undefined;
let splitSep: Separator | undefined;
let splitResult: readonly string[] = [];

/** splitCells of a line, shared by the questions asked of one line (the cells are not to be changed). */
function lineCells(line: string, sep: Exclude<Separator, 'fixed'>): readonly string[] {
  if (line !== splitLine || sep !== splitSep) {
    splitResult = splitCells(line, sep);
    splitLine = line;
    splitSep = sep;
  }
  return splitResult;
}

/** Cells of a delimited line; `"` quotes a cell in CSV forms; `|` tables lose their outer borders. */
export function splitCells(line: string, sep: Exclude<Separator, 'fixed'>): string[] {
  let body = line.trim();
  if (sep === '|') {
    if (body.startsWith('|')) body = body.slice(1);
    if (body.endsWith('|')) body = body.slice(0, -1);
  }
  // Without a quote character (or in `|` tables, where quotes are plain text) a native split does
  // the same as the loop below, without building each cell a character at a time.
  if (sep === '|' || !body.includes('"')) {
    const parts = body.split(sep);
    for (let i = 0; i < parts.length; i += 1) parts[i] = (parts[i] as string).trim();
    return parts;
  }
  const cells: string[] = [];
  const sepCode = sep.charCodeAt(0);
  let cell = '';
  let quoted = false;
  // Characters between quotes and separators are taken as one slice, not one at a time.
  let run = 0;
  for (let i = 0; i < body.length; i += 1) {
    const c = body.charCodeAt(i);
    if (c !== 0x22 && (c !== sepCode || quoted)) continue;
    // A quote right after a printable ASCII character is inside an unquoted cell (`{"a":1}`): part
    // of the run, which goes on without being cut there.
    if (!quoted && c === 0x22 && i > run) {
      const before = body.charCodeAt(i - 1);
      if (before > 0x20 && before < 0x7f) continue;
    }
    if (i > run) cell += body.slice(run, i);
    run = i + 1;
    if (quoted) {
      if (body.charCodeAt(i + 1) === 0x22) {
        cell += '"';
        i += 1;
        run = i + 1;
      } else quoted = false;
    } else if (c === 0x22) {
      if (cell.trim() === '') quoted = true;
      // A quote inside an unquoted cell is part of it.
      else run = i;
    } else {
      cells.push(cell.trim());
      cell = '';
    }
  }
  if (body.length > run) cell += body.slice(run);
  cells.push(cell.trim());
  return cells;
}

/** Where the columns of a fixed-width header start: words after two or more spaces. */
function fixedStarts(line: string): number[] {
  const starts: number[] = [];
  let spaces = 2;
  for (let i = 0; i < line.length; i += 1) {
    if (line[i] === ' ') spaces += 1;
    else {
      if (spaces >= 2) starts.push(i);
      spaces = 0;
    }
  }
  return starts;
}

/** A fixed-width row's classes read as cells between runs of two or more spaces (see above). */
function alignedBits(line: string, classes: (FieldClass | undefined)[]): number {
  let cells = line.trim().split(/\s{2,}/);
  if (cells.length === classes.length + 1) cells = cells.slice(1);
  if (cells.length !== classes.length) return 0;
  let bits = 0;
  for (let c = 0; c < classes.length; c += 1) {
    const cls = classes[c];
    if (cls && plausibleValue(cls, cells[c] ?? '')) bits |= CLASS_BIT[cls];
  }
  return bits;
}

function fixedCells(line: string, starts: number[]): string[] {
  const cells: string[] = [];
  for (let c = 0; c < starts.length; c += 1) {
    const from = starts[c] as number;
    if (from >= line.length) break;
    cells.push(line.slice(from, starts[c + 1] ?? line.length).trim());
  }
  return cells;
}

// One column per line, as database clients print a row vertically: psql's expanded display
// (`last_name | Okafor` under `-[ RECORD 1 ]---`), mysql's `\G` (`last_name: Okafor` under
// `*** 1. row ***`) and sqlite3's `.mode line` (`last_name = Okafor`), and as a debugger shows an
// object's fields (`Surname<TAB>"Okafor"<TAB>string`). The column is one word.
const VERTICAL_LINE = /^[ \t]{0,40}([A-Za-z_][\w.$-]{0,63})[ \t]{0,40}([|:=])[ \t]?(.{0,256})$/;
// A debugger's variables or watch view (`Surname<TAB>"Lindqvist"<TAB>string`): name, value and
// type by tabs, or by runs of spaces when the value is quoted or braced.
const DEBUGGER_KEY = /^(?:[▶▸►>+-]\s?)?([A-Za-z_][\w.$-]{0,63})$/;

/** A debugger line's field name and value (quotes and braces taken off), split at its tabs. */
function debuggerField(line: string): [string, string] | undefined {
  const tabbed = line.includes('\t');
  const fields = (tabbed ? line.split('\t') : line.trim().split(/ {2,}/)).filter((f) => f.trim() !== '');
  // Without tabs (a watch window copied as text) the value must be quoted or braced, so a line of
  // fixed-width output is not taken for one.
  if (!tabbed && !/^["'{]/.test((fields[1] ?? '').trim())) return undefined;
  if (fields.length < 2 || fields.length > 3) return undefined;
  const key = DEBUGGER_KEY.exec((fields[0] as string).trim());
  if (!key) return undefined;
  return [key[1] as string, (fields[1] as string).trim().replace(/^["'{]|["'}]$/g, '')];
}
const ROW_MARK = /^-\[ RECORD \d+ \]|^\*{5,} ?\d+\. row \*{5,}/;

/** Rows printed vertically, one column per line; a row ends at a row mark, a blank or another line. */
function findVerticalRows(text: string, out: RawFinding[], stats: TableScanStats): void {
  let row: { start: number; end: number; sep: string; bits: number; lines: number } | undefined;
  let table: { start: number; end: number; bits: number; rows: number } | undefined;
  const endRow = () => {
    // `Label: value` and `key=value` lines are also how a signature or a config's contact is
    // written: there a name next to a phone or e-mail is the sender, so only a stronger field
    // (birth date, identifier…) makes a row.
    if (
      row &&
      row.lines >= 2 &&
      identifiesPerson(row.bits, row.sep === ':' || row.sep === '=' ? row.bits : 0)
    ) {
      if (table && row.start - table.end < 256) {
        table.end = row.end;
        table.bits |= row.bits;
        table.rows += 1;
      } else {
        flushTable();
        table = { start: row.start, end: row.end, bits: row.bits, rows: 1 };
      }
    }
    row = undefined;
  };
  const flushTable = () => {
    if (table) out.push(tableFinding('vertical', table.start, table.end, table.bits, table.rows));
    table = undefined;
  };
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    stats.steps += line.length + 1;
    let m = line.length <= 400 && !ROW_MARK.test(line) ? VERTICAL_LINE.exec(line) : null;
    if (!m && line.length <= 400 && (line.includes('\t') || line.includes('  '))) {
      const d = debuggerField(line);
      // Shaped as VERTICAL_LINE's match: the line, key, separator, value.
      if (d) m = [line, d[0], '\t', d[1]] as unknown as RegExpExecArray;
    }
    const sep = m?.[2];
    if (m && sep && (!row || row.sep === sep) && (sep !== ':' || /\S/.test(m[3] ?? ''))) {
      row ??= { start: lineStart, end: lineEnd, sep, bits: 0, lines: 0 };
      row.lines += 1;
      row.end = lineStart + line.length;
      const cls = classifyKey(m[1] as string);
      if (cls && plausibleValue(cls, m[3] ?? '')) row.bits |= CLASS_BIT[cls];
    } else endRow();
    lineStart = lineEnd + 1;
  }
  endRow();
  flushTable();
}

/**
 * Fixed-width and headerless records as interface, batch and mainframe files write them, one
 * person per line (value-types.ts `isPersonRecordLine`): two such lines in a row are a table.
 * Only lines of 20 to 400 characters are read, and each once.
 */
function findRecordLines(text: string, out: RawFinding[], stats: TableScanStats): void {
  let block: { start: number; end: number; rows: number } | undefined;
  const flush = () => {
    if (block && block.rows >= 2)
      out.push(
        tableFinding(
          'fixed-width (no header)',
          block.start,
          block.end,
          CLASS_BIT.family | CLASS_BIT.given | CLASS_BIT.birthDate | CLASS_BIT.mrn,
          block.rows,
        ),
      );
    block = undefined;
  };
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const length = lineEnd - lineStart;
    stats.steps += length + 1;
    if (length >= 20 && length <= 400 && isPersonRecordLine(text.slice(lineStart, lineEnd))) {
      block ??= { start: lineStart, end: lineEnd, rows: 0 };
      block.rows += 1;
      block.end = lineEnd;
    } else flush();
    lineStart = lineEnd + 1;
  }
  flush();
}
