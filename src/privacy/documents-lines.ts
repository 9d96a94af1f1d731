/**
 * The line pass of the document detector (documents.ts): pairs written outside any object or
 * element — query strings (`?first_name=Jane&dob=1957-11-04`), `key=value` log lines, Python and
 * Java `toString()` output, YAML and `Label: value` blocks.
 *
 * A line with two or more pairs is a record of its own (a log line, a request). Lines with one
 * pair group into a block that ends at a blank line or a line of prose, nested by indentation as
 * YAML nests (`patient:` opens a record, `- ` starts a list item). Pairs written `Label: value`
 * are "loose": a name next to a phone or e-mail there is a signature, so it needs a stronger field.
 * Lines already inside a record found by the nested pass are skipped.
 *
 * Linear time: every line is read once; a value is read at most 256 characters and a look-ahead
 * for the next `Label:` after a comma at most 32; indentation groups are pushed and popped once.
 */
import { classifyKey } from './lexicon.js';
import type { RecordFrame, RecordIgnore, ScanStats } from './records.js';
import { addPair, closeRecord, newFrame } from './records.js';
import type { RawFinding } from './types.js';

interface Group extends RecordFrame {
  indent: number;
}

const MAX_VALUE = 256;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
const isIdentChar = (c: number) =>
  isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 36;
const isSpace = (c: number) => c === 32 || c === 9;
// Characters after which a key may start: line start, space, query and list separators, brackets.
const isKeyBoundary = (c: number) =>
  isSpace(c) ||
  c === 0x3f ||
  c === 0x26 ||
  c === 0x3b ||
  c === 0x2c ||
  c === 0x28 ||
  c === 0x7b ||
  c === 0x5b ||
  c === 0x7c ||
  c === 0x22 ||
  c === 0x27 ||
  c === 0x2a;

/** `found` holds the nested pass's findings (sorted by start); lines inside them are skipped. */
export function findLineRecords(
  text: string,
  found: RawFinding[],
  ignore: RecordIgnore,
  stats: ScanStats,
): void {
  const skip = found.map((f) => [f.start, f.end] as const).sort((a, b) => a[0] - b[0]);
  let skipAt = 0;
  const groups: Group[] = [];
  const out: RawFinding[] = [];
  const closeDownTo = (indent: number, end: number) => {
    while (groups.length > 0 && (groups[groups.length - 1] as Group).indent >= indent) {
      const g = groups.pop() as Group;
      closeRecord(g, groups[groups.length - 1], end, 'key/value', out);
    }
  };
  const openGroup = (start: number, indent: number, key?: string) => {
    const g = newFrame(start, key) as Group;
    g.indent = indent;
    if (groups.length > 0 && (groups[groups.length - 1] as Group).excluded) g.excluded = true;
    groups.push(g);
  };

  let lineStart = 0;
  let prevEnd = 0;
  let itemKey: string | undefined;
  const form = newFormBody();
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    stats.steps += lineEnd - lineStart + 1;
    formBodyLine(form, text, lineStart, lineEnd, ignore, out);
    while (skipAt < skip.length && (skip[skipAt] as readonly [number, number])[1] <= lineStart) skipAt += 1;
    const inside = skipAt < skip.length && (skip[skipAt] as readonly [number, number])[0] < lineEnd;
    let indent = lineStart;
    while (indent < lineEnd && isSpace(text.charCodeAt(indent))) indent += 1;
    const blank = indent >= lineEnd || (indent === lineEnd - 1 && text.charCodeAt(indent) === 0x0d);
    const item =
      blank || inside ? null : (redisItem(text, indent, lineEnd) ?? varDumpItem(text, indent, lineEnd));
    if (blank || inside) {
      closeDownTo(-1, prevEnd);
      itemKey = undefined;
    } else if (item) {
      // `redis-cli` prints a hash as numbered lines, field then value: ` 1) "dob"`, ` 2) "1957…"`.
      if (item.n % 2 === 1) itemKey = item.value;
      else if (itemKey !== undefined) {
        if (groups.length === 0) openGroup(indent, -1);
        addPair(groups[groups.length - 1] as Group, itemKey, item.value, ignore, false);
        itemKey = undefined;
      }
      prevEnd = trimEnd(text, lineStart, lineEnd);
    } else {
      itemKey = undefined;
      const depth = indent - lineStart;
      let contentStart = indent;
      const dash = text.charCodeAt(indent) === 0x2d && isSpace(text.charCodeAt(indent + 1));
      if (dash) contentStart = indent + 2;
      const section = text.charCodeAt(indent) === 0x5b ? INI_SECTION.exec(text.slice(indent, lineEnd)) : null;
      const line = section
        ? { frame: newFrame(indent), pairs: 0, opener: undefined }
        : readLine(text, contentStart, lineEnd, ignore, stats);
      if (section) {
        // An INI section (`[reporter]`, `[patient]`) opens a record named by it, as a YAML key does.
        closeDownTo(-1, prevEnd);
        openGroup(indent, -1, section[1]);
      } else if (line.pairs === 0 && line.opener === undefined && text.charCodeAt(indent) !== 0x23) {
        // Prose (or a comment-free line without pairs) ends every block.
        closeDownTo(-1, prevEnd);
      } else if (line.pairs >= 2 && !dash && line.opener === undefined) {
        // A self-contained line: a log line, a request, a `toString()`.
        closeRecord(line.frame, undefined, trimEnd(text, lineStart, lineEnd), 'key=value', out);
      } else if (line.pairs > 0 || line.opener !== undefined) {
        closeDownTo(depth, prevEnd);
        if (groups.length === 0) openGroup(indent, -1);
        if (dash) openGroup(indent, depth);
        const g = groups[groups.length - 1] as Group;
        g.bits |= line.frame.bits;
        g.strict |= line.frame.strict;
        g.jwtClaims += line.frame.jwtClaims;
        if (line.opener !== undefined) openGroup(indent, depth + (dash ? 1 : 0), line.opener);
      }
      prevEnd = trimEnd(text, lineStart, lineEnd);
    }
    lineStart = lineEnd + 1;
  }
  closeDownTo(-1, prevEnd);
  if (form.frame) closeRecord(form.frame, undefined, form.end, 'form-data', out);
  findRedisCommands(text, ignore, stats, out);
  findBoundParameters(text, ignore, stats, out);
  found.push(...out);
}

// A statement's columns bound to parameters (`SET Nom=@p0`, `data_nascimento=%(dn)s`), and the
// values the log lists for them on the same line or the two after (`@p0=N'Delaunoy'`,
// `{'dn': '1952-09-18'}`): the columns and values pair up into a record.
const PARAM_ASSIGN = /([A-Za-z_][\w.]{0,63})\s{0,2}(?:=|<>)\s{0,2}(?:@(\w{1,32})|%\((\w{1,32})\)s)/g;
const PARAM_VALUE = /(?:@(\w{1,32})\s{0,2}=\s{0,2}N?|['"](\w{1,32})['"]\s{0,2}:\s{0,2})'([^'\n]{0,256})'/g;
const PARAM_WINDOW = 4096;

function findBoundParameters(text: string, ignore: RecordIgnore, stats: ScanStats, out: RawFinding[]): void {
  if (!text.includes('@') && !text.includes('%(')) return;
  const holder = newFrame(0);
  let lineStart = 0;
  let doneTo = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = lineEnd - lineStart <= PARAM_WINDOW ? text.slice(lineStart, lineEnd) : '';
    if (lineStart >= doneTo && (line.includes('=@') || line.includes('= @') || line.includes('%('))) {
      const columns = new Map<string, string>();
      PARAM_ASSIGN.lastIndex = 0;
      for (let m = PARAM_ASSIGN.exec(line); m; m = PARAM_ASSIGN.exec(line))
        columns.set((m[2] ?? m[3] ?? '').toLowerCase(), (m[1] ?? '').replace(/^.*\./, ''));
      if (columns.size >= 2) {
        // The values: on this line or the two after it.
        let windowEnd = lineEnd;
        for (let extra = 0; extra < 2 && windowEnd < text.length; extra += 1) {
          const next = text.indexOf('\n', windowEnd + 1);
          windowEnd = next < 0 ? text.length : next;
        }
        windowEnd = Math.min(windowEnd, lineStart + PARAM_WINDOW);
        const window = text.slice(lineStart, windowEnd);
        stats.steps += window.length;
        const frame = newFrame(lineStart);
        PARAM_VALUE.lastIndex = 0;
        for (let v = PARAM_VALUE.exec(window); v; v = PARAM_VALUE.exec(window)) {
          const column = columns.get((v[1] ?? v[2] ?? '').toLowerCase());
          if (column) addPair(frame, column, v[3] ?? '', ignore, false);
        }
        closeRecord(frame, holder, windowEnd, 'SQL parameters', out);
        doneTo = windowEnd;
      }
    }
    lineStart = lineEnd + 1;
  }
}

// A Redis command that writes fields, as MONITOR, a log or redis-cli shows it: `"HSET"
// "patient:31" "dob" "1972-12-05" …`, `HMSET key f v f v`, `XADD stream * f v`.
const REDIS_WRITE = /(?:^|[\s"'\]])(HSET|HMSET|HSETNX|XADD)["']?\s/gi;
const MAX_COMMAND = 1024;

function findRedisCommands(text: string, ignore: RecordIgnore, stats: ScanStats, out: RawFinding[]): void {
  // Commands one after another share one finding, as a record's siblings do.
  const holder = newFrame(0);
  REDIS_WRITE.lastIndex = 0;
  for (let m = REDIS_WRITE.exec(text); m; m = REDIS_WRITE.exec(text)) {
    const start = m.index + m[0].indexOf(m[1] as string);
    let end = text.indexOf('\n', start);
    if (end < 0 || end > start + MAX_COMMAND) end = Math.min(text.length, start + MAX_COMMAND);
    REDIS_WRITE.lastIndex = end;
    const tokens = commandTokens(text, m.index + m[0].length, end);
    stats.steps += end - start;
    // The key, and for a stream the entry id, come before the field/value pairs.
    const first = (m[1] as string).toUpperCase() === 'XADD' ? 2 : 1;
    if (tokens.length < first + 4) continue;
    const frame = newFrame(start);
    for (let t = first; t + 1 < tokens.length; t += 2)
      addPair(frame, tokens[t] as string, tokens[t + 1] as string, ignore, false);
    closeRecord(frame, holder, end, 'Redis', out);
  }
}

/** Space-separated tokens of a command line, double- or single-quoted ones with `\` escapes. */
function commandTokens(text: string, from: number, end: number): string[] {
  const tokens: string[] = [];
  let i = from;
  while (i < end && tokens.length < 64) {
    while (i < end && isSpace(text.charCodeAt(i))) i += 1;
    if (i >= end) break;
    const q = text.charCodeAt(i);
    if (q === 0x22 || q === 0x27) {
      let j = i + 1;
      let value = '';
      while (j < end && text.charCodeAt(j) !== q) {
        if (text.charCodeAt(j) === 0x5c && j + 1 < end) j += 1;
        value += text.charAt(j);
        j += 1;
      }
      tokens.push(value);
      i = j + 1;
    } else {
      let j = i;
      while (j < end && !isSpace(text.charCodeAt(j)) && text.charCodeAt(j) !== 0x0d) j += 1;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

/**
 * A `multipart/form-data` body as an intercepting proxy shows it: each part's
 * `Content-Disposition: form-data; name="…"` header, a blank line, then the value on the lines up
 * to the next boundary. The parts of one body make one record, closed at the final boundary
 * (`--…--`) or the text's end; a file part (`filename=`) adds nothing.
 */
interface FormBody {
  frame?: RecordFrame;
  /** The open part's field name, until its value has been read. */
  key?: string;
  /** Whether the blank line after the open part's headers has been seen. */
  inValue: boolean;
  end: number;
}

const FORM_PART = /^content-disposition:\s?form-data;\s?name="([^"\n]{1,64})"(;\s?filename=)?/i;

function newFormBody(): FormBody {
  return { inValue: false, end: 0 };
}

function formBodyLine(
  form: FormBody,
  text: string,
  lineStart: number,
  lineEnd: number,
  ignore: RecordIgnore,
  out: RawFinding[],
): void {
  const contentEnd = trimEnd(text, lineStart, lineEnd);
  const first = text.charCodeAt(lineStart);
  if (first === 0x43 || first === 0x63) {
    const part = FORM_PART.exec(text.slice(lineStart, Math.min(contentEnd, lineStart + 160)));
    if (part) {
      form.frame ??= newFrame(lineStart);
      form.key = part[2] === undefined ? part[1] : undefined;
      form.inValue = false;
      form.end = contentEnd;
      return;
    }
  }
  if (!form.frame) return;
  const boundary = first === 0x2d && text.charCodeAt(lineStart + 1) === 0x2d;
  if (boundary) {
    form.key = undefined;
    // The closing boundary ends the body: `------WebKitFormBoundary…--`.
    if (
      contentEnd - lineStart > 4 &&
      text.charCodeAt(contentEnd - 1) === 0x2d &&
      text.charCodeAt(contentEnd - 2) === 0x2d
    ) {
      closeRecord(form.frame, undefined, contentEnd, 'form-data', out);
      form.frame = undefined;
    }
    return;
  }
  if (form.key === undefined) return;
  if (contentEnd <= lineStart) {
    form.inValue = true;
    return;
  }
  if (!form.inValue) return;
  addPair(
    form.frame,
    form.key,
    text.slice(lineStart, Math.min(contentEnd, lineStart + MAX_VALUE)),
    ignore,
    false,
  );
  form.key = undefined;
  form.end = contentEnd;
}

const INI_SECTION = /^\[([A-Za-z_][\w .-]{0,63})\]\s*$/;
const REDIS_ITEM = /^(\d{1,6})\) "((?:[^"\\\n]|\\.){0,256})"\s*$/;
// PHP's var_dump prints a key on one line and its value on the next: `["dob"]=>`, `string(10) "1957…"`.
const VAR_DUMP_KEY = /^\["?([^"\]\n]{1,64})"?\]=>\s*$/;
const VAR_DUMP_VALUE = /^(?:string\(\d{1,6}\) "([^"\n]{0,256})"|(?:int|float|bool)\(([^)\n]{0,64})\))\s*$/;

/**
 * A line of `var_dump` output as a numbered item, so the redis-style pairing applies: a key line
 * is odd, a value line even.
 */
function varDumpItem(text: string, from: number, end: number): { n: number; value: string } | undefined {
  const c = text.charCodeAt(from);
  if ((c !== 0x5b && c !== 0x73 && c !== 0x69 && c !== 0x66 && c !== 0x62) || end - from > 300)
    return undefined;
  const line = text.slice(from, end);
  const key = VAR_DUMP_KEY.exec(line);
  if (key) return { n: 1, value: key[1] as string };
  const value = VAR_DUMP_VALUE.exec(line);
  return value ? { n: 2, value: (value[1] ?? value[2]) as string } : undefined;
}

/** A numbered, quoted line of `redis-cli` output (` 3) "last_name"`), read from its first non-space. */
function redisItem(text: string, from: number, end: number): { n: number; value: string } | undefined {
  const c = text.charCodeAt(from);
  if (c < 0x30 || c > 0x39 || end - from > 300) return undefined;
  const m = REDIS_ITEM.exec(text.slice(from, end));
  return m ? { n: Number(m[1]), value: m[2] as string } : undefined;
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start) {
    // Printable ASCII is never a space: most lines end in it and stop here without the pattern.
    const c = text.charCodeAt(e - 1);
    if ((c > 0x20 && c < 0x7f) || !/\s/.test(text[e - 1] as string)) break;
    e -= 1;
  }
  return e;
}

interface LineRead {
  frame: RecordFrame;
  pairs: number;
  /** A YAML mapping key with nothing after its colon (`patient:`), opening a nested record. */
  opener?: string;
}

/** The pairs of one line (the part from `from` to `end`). */
function readLine(text: string, from: number, end: number, ignore: RecordIgnore, stats: ScanStats): LineRead {
  const frame = newFrame(from);
  let pairs = 0;
  let opener: string | undefined;
  // While only words and spaces have been seen, a `Label with spaces:` is one key.
  let onlyWords = true;
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (!isLetter(c) && c !== 95) {
      // Markdown emphasis around a label (`**Date of birth:**`) is not part of it.
      if (!isSpace(c) && c !== 0x2a) onlyWords = false;
      i += 1;
      continue;
    }
    if (!(i === from || isKeyBoundary(text.charCodeAt(i - 1)))) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < end && j - i < 64 && isIdentChar(text.charCodeAt(j))) j += 1;
    stats.steps += j - i;
    // Rails and PHP nest form fields in brackets: `patient[first_name]=Aoife` is the inner key's.
    if (text.charCodeAt(j) === 0x5b) {
      // Looked for within 64 characters only: `a[a[a[…` on one long line must not search to its end.
      const close = text.slice(j, Math.min(end, j + 65)).indexOf(']') + j;
      if (
        close > j &&
        close - j <= 64 &&
        text.charCodeAt(close + 1) === 0x3d &&
        text.charCodeAt(close + 2) !== 0x3d
      ) {
        const [value, next] = readBare(text, close + 2, end, true, stats);
        addPair(frame, text.slice(j + 1, close), decode(value), ignore, false);
        pairs += 1;
        onlyWords = false;
        i = next;
        continue;
      }
    }
    // French typography puts a space before the colon: `Nom : DUPONT`.
    if (text.charCodeAt(j) === 0x20 && text.charCodeAt(j + 1) === 0x3a && isSpace(text.charCodeAt(j + 2)))
      j += 1;
    // PHP's print_r and Perl/Ruby hashes pair with `=>`: `[nombre] => Lucía`, `'dob' => '1957…'`.
    const arrow = arrowAfter(text, j, end);
    if (arrow > 0) {
      const [value, next] = readBare(text, arrow, end, false, stats);
      if (value.trim() !== '') {
        addPair(frame, text.slice(i, j), value.replace(/^["']|["'],?$/g, ''), ignore, false);
        pairs += 1;
      }
      onlyWords = false;
      i = next;
      continue;
    }
    // SQL writes `nachname = 'Hollweger'`: spaces around `=` when a quoted value follows.
    if (isSpace(text.charCodeAt(j)) && j > i) {
      let e = j;
      while (e < end && e - j < 3 && isSpace(text.charCodeAt(e))) e += 1;
      if (text.charCodeAt(e) === 0x3d && text.charCodeAt(e + 1) !== 0x3d) {
        let v = e + 1;
        while (v < end && v - e < 4 && isSpace(text.charCodeAt(v))) v += 1;
        if (text.charCodeAt(v) === 0x27 || (text.charCodeAt(v) === 0x4e && text.charCodeAt(v + 1) === 0x27)) {
          const [value, next] = readBare(text, text.charCodeAt(v) === 0x4e ? v + 1 : v, end, true, stats);
          addPair(frame, text.slice(i, j), value, ignore, false);
          pairs += 1;
          onlyWords = false;
          i = next;
          continue;
        }
      }
    }
    const sep = text.charCodeAt(j);
    const after = text.charCodeAt(j + 1);
    if (sep === 0x3d && after !== 0x3d) {
      const [value, next] = readBare(text, j + 1, end, true, stats);
      // A form field listed by its name attribute: `name="patient_dob" -> 1957-…` pairs the
      // attribute's value with what follows the arrow.
      const named = j - i === 4 && after === 0x22 ? arrowAfter(text, next, end) : 0;
      if (named > 0 && /^name$/i.test(text.slice(i, j))) {
        const [fieldValue, fieldNext] = readBare(text, named, end, false, stats);
        addPair(frame, value, fieldValue.replace(/^["']|["'],?$/g, ''), ignore, false);
        pairs += 1;
        onlyWords = false;
        i = fieldNext;
        continue;
      }
      addPair(frame, text.slice(i, j), decode(value), ignore, false);
      pairs += 1;
      onlyWords = false;
      i = next;
      continue;
    }
    if (
      sep === 0x3a &&
      (j + 1 >= end ||
        isSpace(after) ||
        after === 0x22 ||
        after === 0x27 ||
        after === 0x0d ||
        after === 0x2a ||
        // `BDAY:1957-04-11` (vCard, LDIF-like exports): no space, but a key the lexicon knows.
        (i === from && after !== 0x2f && classifyKey(text.slice(i, j)) !== undefined))
    ) {
      const key = onlyWords && j - from <= 40 ? text.slice(from, j) : text.slice(i, j);
      const [value, next] = readBare(text, j + 1, end, false, stats);
      onlyWords = false;
      if (value.trim() === '') {
        if (pairs === 0 && i === from && next >= end) opener = key;
        i = next;
        continue;
      }
      addPair(frame, key, value, ignore, true);
      pairs += 1;
      i = next;
      continue;
    }
    if (j > i && !isSpace(sep)) onlyWords = false;
    i = Math.max(j, i + 1);
  }
  return { frame, pairs, opener };
}

/**
 * A value after `=` (to the next space, `&`, `;`, `,` or bracket) or after `: ` (to the line end,
 * a `;`, or a comma that starts another `Label:`), quoted values read whole. Returns it and where
 * to go on.
 */
function readBare(
  text: string,
  from: number,
  end: number,
  equals: boolean,
  stats: ScanStats,
): [string, number] {
  let j = from;
  while (j < end && (isSpace(text.charCodeAt(j)) || (!equals && text.charCodeAt(j) === 0x2a))) j += 1;
  const q = text.charCodeAt(j);
  if (q === 0x22 || q === 0x27) {
    let close = j + 1;
    const stop = Math.min(end, j + MAX_VALUE);
    while (close < stop && text.charCodeAt(close) !== q) close += 1;
    if (close < stop) {
      stats.steps += close - j;
      return [text.slice(j + 1, close), close + 1];
    }
  }
  const limit = Math.min(end, j + MAX_VALUE);
  let k = j;
  let parens = 0;
  for (; k < limit; k += 1) {
    const d = text.charCodeAt(k);
    if (!equals && (d === 0x3d || d === 0x28 || d === 0x7b)) {
      // `Error: Patient(name=…` — the value ends before the word that opens more pairs.
      let w = k;
      while (w > j && w > k - 64 && isIdentChar(text.charCodeAt(w - 1))) w -= 1;
      stats.steps += k - from;
      return [text.slice(j, w).trim(), w];
    }
    if (d === 0x28) parens += 1;
    else if (d === 0x29) {
      if (parens === 0) break;
      parens -= 1;
    } else if (parens > 0) continue;
    else if (d === 0x3b || d === 0x7c || d === 0x7d || d === 0x5d || d === 0x0d) break;
    else if (equals && (isSpace(d) || d === 0x26 || d === 0x2c || d === 0x22 || d === 0x27)) break;
    else if (!equals && d === 0x2c && nextIsLabel(text, k + 1, end)) break;
  }
  stats.steps += k - from;
  return [text.slice(j, k).trim(), k];
}

/**
 * Where the value after an arrow starts, when the key that ends at `from` is followed by one (past
 * a closing quote or bracket and spaces, at most 6 characters); else 0. The arrow is `=>` (PHP,
 * Perl, Ruby), or `->` and `→` between spaces (Scala's `Map(dob -> …)`, field listings); a `->`
 * glued to the key is C's member access, not a pair.
 */
function arrowAfter(text: string, from: number, end: number): number {
  let j = from;
  const limit = Math.min(end, from + 6);
  while (
    j < limit &&
    (text.charCodeAt(j) === 0x22 || text.charCodeAt(j) === 0x27 || text.charCodeAt(j) === 0x5d)
  )
    j += 1;
  const keyEnd = j;
  while (j < limit && isSpace(text.charCodeAt(j))) j += 1;
  const c = text.charCodeAt(j);
  const next = text.charCodeAt(j + 1);
  if (c === 0x3d && next === 0x3e) return j + 2;
  const spaced = j > keyEnd && isSpace(text.charCodeAt(c === 0x2192 ? j + 1 : j + 2));
  if (spaced && c === 0x2d && next === 0x3e) return j + 2;
  if (spaced && c === 0x2192) return j + 1;
  return 0;
}

/**
 * Whether a `Label:` (a few words and a colon) or a `key ->`/`key =>` starts within 32 characters
 * of `from`.
 */
function nextIsLabel(text: string, from: number, end: number): boolean {
  const limit = Math.min(end, from + 32);
  let j = from;
  while (j < limit && isSpace(text.charCodeAt(j))) j += 1;
  const start = j;
  while (j < limit && (isIdentChar(text.charCodeAt(j)) || isSpace(text.charCodeAt(j)))) j += 1;
  if (j === start) return false;
  const c = text.charCodeAt(j);
  // The identifier characters take a `-` in: `key ->` ends its key with it.
  if (c === 0x3e && text.charCodeAt(j - 1) === 0x2d) return true;
  return c === 0x3a || (c === 0x3d && text.charCodeAt(j + 1) === 0x3e);
}

/** Query-string values: `+` and `%20` are spaces (a value that fails to decode is kept as it is). */
function decode(value: string): string {
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value.replace(/\+/g, ' ');
  }
}
