/**
 * Typing a bare value when nothing names its field: a dump without a column list (`INSERT INTO t
 * VALUES ('Kellerhals','Jana','1957-04-11')`), a `COPY` block of an unknown table. A row is about
 * a person when two neighbouring cells read as the parts of a person's name (or one cell as
 * "Surname, Given") and another cell is a birth date.
 *
 * Kept strict, since no header vouches for the cells: a name part is one to three words of
 * letters, each starting with a capital or a name particle ("van", "de la"), none of them a word
 * of software, status or place vocabulary; a birth date is a full date (day, month and year) in a
 * year from 1900 to 2015 that is not a sentinel such as 1900-01-01. Redaction marks and template
 * slots are neither (placeholders.ts).
 */
import { CLASS_BIT } from './lexicon.js';
import { isRedaction, isSentinelDate } from './placeholders.js';

const PARTICLES = new Set([
  'van',
  'von',
  'de',
  'der',
  'den',
  'la',
  'le',
  'del',
  'di',
  'da',
  'dos',
  'du',
  'ter',
  'ten',
]);
// Capitalised words that fill text columns of non-person tables: statuses, roles, products,
// places of a hospital, days and months, and the words dumps put in for booleans.
const NOT_NAME_WORDS = new Set(
  `active inactive pending enabled disabled true false yes no none null admin user users guest root system default test
  demo sample example server gateway viewer client device monitor pump scanner station module service services
  manager studio edition suite platform cloud project app application version release build update patch
  north south east west ward room bed unit icu er or lab radiology cardiology oncology emergency outpatient inpatient
  male female other unknown january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun ok error warning info debug
  critical high medium low open closed new fixed vulnerable read write delete create update select insert`.split(
    /\s+/,
  ),
);

const WORD = /^[\p{L}][\p{L}'’-]*$/u;

/** Whether a cell reads as a part of a person's name (given or family), see the module comment. */
export function isNamePart(raw: string): boolean {
  const value = raw.trim();
  if (value.length < 2 || value.length > 40 || isRedaction(value)) return false;
  const words = value.split(' ');
  if (words.length > 3) return false;
  let capitalised = 0;
  // A particle among the words makes a phrase in capitals a name ("FERREIRA DA CUNHA").
  const particle = words.length > 1 && words.some((w) => PARTICLES.has(w.toLowerCase()));
  for (const word of words) {
    if (!WORD.test(word)) return false;
    const lower = word.toLowerCase();
    if (PARTICLES.has(lower)) continue;
    if (NOT_NAME_WORDS.has(lower) || word.length < 2) return false;
    const first = word.charAt(0);
    if (first === first.toLowerCase()) return false;
    // Capitals: a short word is an acronym ("EHR", "HOSP"), and in a phrase a code ("ADT CARDIOLOGY").
    if (word === word.toUpperCase() && (word.length <= 4 || (words.length > 1 && !particle))) return false;
    capitalised += 1;
  }
  return capitalised > 0;
}

/**
 * "Given Surname" in one cell ("Emiko van der Kolwijk"): two or three name words besides
 * particles, each a name part on its own.
 */
function isSpacedFullName(raw: string): boolean {
  if (raw.length < 5 || raw.length > 60 || !raw.includes(' ')) return false;
  const words = raw.trim().split(' ');
  if (words.length < 2 || words.length > 5) return false;
  let names = 0;
  for (const word of words) {
    if (PARTICLES.has(word.toLowerCase())) continue;
    if (!isNamePart(word)) return false;
    names += 1;
  }
  return names >= 2 && names <= 3;
}

/** "Surname, Given" in one cell. */
function isFullName(raw: string): boolean {
  const comma = raw.indexOf(',');
  if (comma < 0) return false;
  return isNamePart(raw.slice(0, comma)) && isNamePart(raw.slice(comma + 1));
}

const FULL_DATE =
  /^(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?|(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})(\d{2})(\d{2}))$/;

/** Whether a cell is a full date whose year could be a birth year (1900–2015), not a sentinel. */
export function isBirthDateCell(raw: string): boolean {
  const value = raw.trim();
  // The shortest full date is eight characters (`1.2.1957`, `19570411`), and every form starts
  // with a digit: most cells stop here, before the pattern.
  if (value.length < 8 || !isDigit(value.charCodeAt(0))) return false;
  const m = FULL_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1] ?? m[6] ?? m[7]);
  const a = Number(m[2] ?? m[4] ?? m[8]);
  const b = Number(m[3] ?? m[5] ?? m[9]);
  // Either order of day and month: both must fit a calendar.
  return year >= 1900 && year <= 2015 && fitsCalendar(a, b) && !isSentinelDate(value);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Day and month in either order. */
function fitsCalendar(a: number, b: number): boolean {
  return a >= 1 && b >= 1 && ((a <= 12 && b <= 31) || (b <= 12 && a <= 31));
}

/**
 * The classes a row's values show on their own: given and family for two neighbouring name parts
 * (or name for "Surname, Given"), birthDate for a birth date. 0 unless both are there.
 */
export function valueTypedBits(cells: readonly string[]): number {
  // Without a birth date the row shows nothing: most rows stop here, before any name is read.
  if (!cells.some(isBirthDateCell)) return 0;
  let name = 0;
  let birth = false;
  for (let c = 0; c < cells.length; c += 1) {
    const cell = cells[c] as string;
    if (!birth && isBirthDateCell(cell)) birth = true;
    else if (!name && (isFullName(cell) || isSpacedFullName(cell))) name = CLASS_BIT.name;
    else if (!name && c + 1 < cells.length && isNamePart(cell) && isNamePart(cells[c + 1] as string)) {
      name = CLASS_BIT.given | CLASS_BIT.family;
      c += 1;
    }
  }
  return name && birth ? name | CLASS_BIT.birthDate : 0;
}

const PLAIN_WORD = /^[\p{L}][\p{L}'’]*$/u;
const DIGIT_RUN = /(?<!\d)\d{8,10}(?!\d)/g;

/** A word of a name written in any case ("SATO", "Airi", "d'Angelo"), not software or status vocabulary. */
function isNameWord(word: string): boolean {
  if (word.length < 2 || word.length > 30 || !PLAIN_WORD.test(word)) return false;
  return !NOT_NAME_WORDS.has(word.toLowerCase());
}

/** An 8-digit birth date (YYYYMMDD, MMDDYYYY or DDMMYYYY) starting at `at` of a digit run. */
function compactBirthDate(digits: string, at: number): boolean {
  if (at < 0 || at + 8 > digits.length) return false;
  // What isBirthDateCell asks of `YYYYMMDD` and of `DD.MM.YYYY` (or `MM.DD.YYYY`), read as numbers:
  // only a candidate that fits the calendar is built as a string and asked about sentinels.
  const head = digitsValue(digits, at, 4);
  if (
    head >= 1900 &&
    head <= 2015 &&
    fitsCalendar(digitsValue(digits, at + 4, 2), digitsValue(digits, at + 6, 2)) &&
    !isSentinelDate(digits.slice(at, at + 8))
  )
    return true;
  const tail = digitsValue(digits, at + 4, 4);
  if (tail < 1900 || tail > 2015 || !fitsCalendar(digitsValue(digits, at, 2), digitsValue(digits, at + 2, 2)))
    return false;
  return !isSentinelDate(
    `${digits.slice(at, at + 2)}.${digits.slice(at + 2, at + 4)}.${digits.slice(at + 4, at + 8)}`,
  );
}

/** The number written by `count` ASCII digits from `at`. */
function digitsValue(digits: string, at: number, count: number): number {
  let v = 0;
  for (let k = at; k < at + count; k += 1) v = v * 10 + digits.charCodeAt(k) - 0x30;
  return v;
}

/**
 * A line of a fixed-width or headerless record as interface and batch files write them
 * (`0004084122SATO                AIRI           19641107M24990`,
 * `PAT 19861126 BRENNAN-ACHEBE/JURGIS   21101190547 BIELEFELD`): split at spaces, slashes,
 * commas and where digits meet letters, it holds two name words in a row (any case), an
 * 8-digit birth date (a run of 8 digits, or one of 9–10 that starts or ends with it), and another
 * number of four or more digits (the record's identifier). Words in a row that are all particles
 * or vocabulary (`BUILD RELEASE`) are no name.
 */
export function isPersonRecordLine(line: string): boolean {
  // Most lines hold no 8-digit birth date at all: they stop here, before the split.
  let dated = false;
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(line); m && !dated; m = DIGIT_RUN.exec(line)) {
    const run = m[0];
    dated = compactBirthDate(run, 0) || compactBirthDate(run, run.length - 8);
  }
  if (!dated) return false;
  const tokens = line.split(/[\s/,;|:]+|(?<=\d)(?=\p{L})|(?<=\p{L})(?=\d)|-(?=\d)|(?<=\d)-/u);
  let nameRun = 0;
  let name = false;
  let birth = false;
  let numbers = 0;
  for (const token of tokens) {
    if (token === '') continue;
    if (/^\d+$/.test(token)) {
      nameRun = 0;
      const n = token.length;
      if (!birth && n >= 8 && n <= 10 && (compactBirthDate(token, 0) || compactBirthDate(token, n - 8))) {
        birth = true;
        if (n > 8) numbers += 1;
      } else if (n >= 4) numbers += 1;
      continue;
    }
    const parts = token.split('-');
    if (parts.every(isNameWord)) {
      if (!parts.every((p) => PARTICLES.has(p.toLowerCase()))) nameRun += 1;
      if (nameRun >= 2) name = true;
    } else if (!PARTICLES.has(token.toLowerCase())) nameRun = 0;
  }
  return name && birth && numbers >= 1;
}
