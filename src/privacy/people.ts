/**
 * Detectors for a person described in prose: a name next to a date of birth, and a street address.
 *
 * Name with birth date: a date of birth alone identifies nobody, a name alone is everywhere
 * (researchers, vendors, authors of libraries), but the two together are the classic identifying
 * pair. We look for a birth-date cue immediately followed by a date ("DOB: 04/02/1961", "born
 * 2 April 1961", "date of birth 1961-04-02"), then for a personal name within 160 characters
 * before or 80 after it: two or three capitalised words in a row ("Jane Quillfeather", "Jane Q.
 * Quillfeather", "QUILLFEATHER, Jane") none of which is a form word ("Patient", "Name", "Date"…).
 *
 * Street address: a house number, one to four capitalised words and a street suffix ("12 Elm
 * Street", "4410 North Larkspur Ave Apt 3"). Vendors' and reporters' postal addresses look the
 * same, so an address counts when a personal cue precedes it ("home address", "lives at",
 * "resides"), or when it is followed by city, state and ZIP and a patient cue is nearby, and it
 * does not when a company marker ("Inc.", "LLC", "Suite", "Attn", "PSIRT") precedes it.
 *
 * A run of capitalised words inside a street address ("4410 Amelia Earhart Drive") or given as
 * the value of an address field (`"city": "Pemberton Falls"`) is a place, not a person, and is
 * never paired with a birth date.
 *
 * European streets (Kastanienweg 48, Calle de los Tintoreros 11, 49 rue des Tanneurs, Vijverstraat
 * 41 with their postal code and town) count after an address noun and a patient word in the words
 * before them, or with their town next to a patient cue, never next to a company or hospital.
 *
 * Known limits: names in lower case, single-word names and non-Latin scripts are not recognised
 * as names; addresses outside the US/UK and continental European conventions are not found.
 */
import type { TextContext } from './context.js';
import { maskDate, maskName } from './mask.js';
import { hasProductWordIn, isPlaceholderName, isProductWord, isSentinelDate } from './placeholders.js';

export { isProductWord };

import type { RawFinding } from './types.js';

// Month names and abbreviations in English, German, French, Spanish, Dutch and Italian, longest
// first so "Sept" is not read as "Sep" + "t". Matched case-insensitively ("04NOV1957").
const MONTH_NAMES = `january february march april may june july august september october november december
  januar februar märz maerz mai juni juli oktober dezember janvier février fevrier mars avril juin juillet août
  aout septembre octobre novembre décembre decembre enero febrero marzo abril mayo junio julio agosto septiembre
  setiembre octubre noviembre diciembre januari februari maart mei augustus gennaio febbraio aprile maggio giugno
  luglio settembre ottobre dicembre jan feb mar apr jun jul aug sep sept oct nov dec mär mrz okt dez janv févr
  avr juil déc ene abr ago dic mrt gen mag giu lug set ott
  janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro fev out dez
  mars augusti marts desember maj
  stycznia lutego marca kwietnia maja czerwca lipca sierpnia września wrzesnia października pazdziernika listopada
  grudnia styczeń luty marzec kwiecień czerwiec lipiec sierpień wrzesień październik listopad grudzień`.split(
  /\s+/,
);
// Grouped by first letter, longest first within a group: a regex engine tries a group only when
// its letter matches, instead of every one of some 170 names at every position a date may start.
const MONTH_GROUPS = [...new Set(MONTH_NAMES)]
  .reduce((groups, name) => {
    const first = name.charAt(0);
    groups.set(first, [...(groups.get(first) ?? []), name.slice(1)]);
    return groups;
  }, new Map<string, string[]>())
  .entries();
const MONTH = String.raw`(?:${[...MONTH_GROUPS]
  .map(([first, rests]) => `${first}(?:${rests.sort((a, b) => b.length - a.length).join('|')})`)
  .join('|')})\.?(?![a-zà-ÿ])`;
const DAY = String.raw`\d{1,2}(?:st|nd|rd|th|er|º)?\.?`;
/** A calendar date: ISO, US/EU numeric, day-month-year and month-day-year with month names, compact. */
export const DATE = [
  String.raw`\d{4}[-/.]\d{1,2}[-/.]\d{1,2}`,
  String.raw`\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})`,
  String.raw`${DAY}[\s-]{0,2}(?:de\s|of\s)?${MONTH}[\s-]{0,2}(?:de\s)?,?\s{0,2}\d{4}`,
  String.raw`${MONTH}\s{1,2}${DAY},?\s{1,2}\d{4}`,
  // "Nov 4 '57", "4 Nov '57": a two-digit year marked by its apostrophe.
  String.raw`${MONTH}\s{1,2}${DAY},?\s{1,2}['’]\d{2}`,
  String.raw`${DAY}\s{0,2}${MONTH}\s{0,2}['’]\d{2}`,
  // A two-digit year first, marked by its apostrophe ("'78-03-05").
  String.raw`['’]\d{2}-\d{1,2}-\d{1,2}(?!\d)`,
  // Oracle's DD-MON-YY ("07-Mar-48"): dashes on both sides of the month mark the two-digit year.
  String.raw`\d{1,2}-${MONTH}-\d{2}(?!\d)`,
  String.raw`(?:19|20)\d{6}`,
  // Wristbands and labels print DDMONYY without separators ("14SEP02").
  String.raw`\d{2}${MONTH}\d{2}(?!\d)`,
]
  .map((d) => `(?:${d})`)
  .join('|');

// A date as dictation software writes it: "the fourth of November nineteen fifty-seven", "March
// third, nineteen sixty-one", "12 May two thousand and three".
const UNIT_WORD = 'one|two|three|four|five|six|seven|eight|nine';
const TEEN_WORD = 'ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const TENS_WORD = 'twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
const ORDINAL_WORD = String.raw`(?:(?:twenty|thirty)[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth`;
const YEAR_WORDS = String.raw`(?:nineteen|twenty)[- ](?:hundred|oh[- ](?:${UNIT_WORD})|${TEEN_WORD}|(?:${TENS_WORD})(?:[- ](?:${UNIT_WORD}))?)|two thousand(?: and)?(?: (?:${TEEN_WORD}|${UNIT_WORD}|twenty(?:[- ](?:${UNIT_WORD}))?))?`;
const SPOKEN_DAY = String.raw`(?:${ORDINAL_WORD}|\d{1,2}(?:st|nd|rd|th)?)`;
const SPOKEN_DATE = String.raw`(?:the\s)?${SPOKEN_DAY}\s(?:of\s)?${MONTH},?\s(?:${YEAR_WORDS})(?![a-z])|${MONTH}\s(?:the\s)?${SPOKEN_DAY},?\s(?:${YEAR_WORDS})(?![a-z])`;

// "born in Rome on", "nata a Roma il", "né à Lyon le": a birthplace of one or two words between.
const PLACE = String.raw`\p{Lu}[\p{L}'’-]{1,30}(?:[ -]\p{Lu}[\p{L}'’-]{1,30})?`;
const BIRTH_WORDS = [
  String.raw`DOB|D\.O\.B\.?|D O B|date[ _]?of[ _]?birth|birth[ _]?date|birthday|born(?: on(?: the)?| in)?|b\.`,
  String.raw`born in ${PLACE},? on|geboren in ${PLACE},? (?:am|op)|n[ée]e? à ${PLACE},? le|nacid[oa] en ${PLACE},? el|nat[oa] a ${PLACE},? il`,
  String.raw`geb\.(?: am)?|geboren(?: am| op)?|Geburtsdatum|Geb\.-?Datum`,
  String.raw`n[ée](?:e|\(e\))?(?: le)?|date de naissance`,
  String.raw`fecha de nacimiento|F\. ?nac\.|nacid[oa](?:/a|\(a\))?(?: el)?`,
  'geboortedatum',
  String.raw`data di nascita|nat[oa](?:/a|\(a\))?(?: il)?`,
  // Portuguese, Swedish, Danish and Norwegian, Polish; OCR reads DOB's O as a zero.
  String.raw`data de nascimento|nascid[oa](?: em| a)?|nasc\.`,
  String.raw`född(?: den)?|födelsedatum|født(?: den)?|fødselsdato|f\.`,
  String.raw`data ur(?:odzenia|\.)|urodzon[ya](?: dnia)?|ur\.`,
  String.raw`D0B|Geb\.-?Dat\.`,
].join('|');

// A date-time's clock part, as JSON and databases write a birth date ("1957-11-04T00:00:00Z").
const CLOCK = String.raw`(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:Z|[+-]\d\d:?\d\d)?)?`;

// A typed value around the date: MongoDB's `{"$date": "…"}` and `ISODate("…")`, JavaScript's
// `new Date("…")`, DynamoDB's `{"S": "…"}`.
const TYPED = String.raw`(?:\{\s{0,2}["']?(?:\$date|S)["']?\s{0,2}:\s{0,2}["']?|(?:ISODate|new Date)\(\s{0,2}["'])?`;

const BIRTH_CUE = new RegExp(
  // Every cue word starts with a Latin letter: saying so first spares the word-start test, whose
  // Unicode classes are slow to evaluate, at every other character.
  String.raw`(?=[a-z])(?<![\p{L}\p{N}_])(?:${BIRTH_WORDS})["']?\s{0,3}(?:[:=#-]\*{0,2}\s{0,3}["']?|\(\s{0,3}|is\s{1,3})?${TYPED}(${DATE}|${SPOKEN_DATE})${CLOCK}(?![\d:T])`,
  'giu',
);

// Capitalised words that are form labels, titles of things, or common sentence starters.
const NOT_NAME = new Set(
  `patient patients name names date birth born dob mrn ssn id dr mr mrs ms miss prof the this that these a an
  medical record number member policy phone email address home street city state zip sex gender male female age
  admission discharge admitted discharged account health plan insurance test user admin report vulnerability severity
  version device firmware server client api http https get post put json xml fhir hl7 dicom csv pid msh
  january february march april may june july august september october november december monday tuesday wednesday
  thursday friday saturday sunday dear hello hi thanks thank regards best kind sincerely note status summary
  description steps impact details field fields value values example sample data response request record records
  first last given family full middle of and or for in on at to from with by is was are see
  subscriber guardian contact emergency insured primary secondary provider physician doctor nurse clinic hospital
  ward room bed unit department visit encounter diagnosis type identifier identifiers
  ident payload body header headers content proof concept poc cve cwe cvss
  researcher reporter author`.split(/\s+/),
);

const WORD = /[\p{Lu}][\p{L}'’-]*\.?/gu;

interface NameRun {
  start: number;
  end: number;
  text: string;
}

// Lower-case name particles between the capitalised words of one name ("Anouk van der Berg").
const PARTICLE_GAP = /^ (?:(?:van|von|der|den|de|del|della|di|da|du|dos|das|la|le|ter|ten|y|bin|al) ){1,3}$/;
const PARTICLE = /^(?:van|von|der|den|de|del|della|di|da|du|dos|das|la|le|ter|ten|y|bin|al)$/;

/**
 * Runs of 2–4 capitalised non-form words separated by single spaces (or "Last, First"), with
 * lower-case particles between them ("Anouk van der Berg").
 */
export function findNameRuns(text: string, from: number, to: number): NameRun[] {
  const runs: NameRun[] = [];
  const segment = text.slice(from, to);
  let current: { start: number; end: number; words: number } | undefined;
  const close = () => {
    if (current && current.words >= 2) {
      runs.push({
        start: from + current.start,
        end: from + current.end,
        text: segment.slice(current.start, current.end),
      });
    }
    current = undefined;
  };
  WORD.lastIndex = 0;
  for (let m = WORD.exec(segment); m; m = WORD.exec(segment)) {
    const word = m[0];
    // A capital inside a word ("McAllister"'s A) starts no name word. WORD's words hold no digit.
    const startsWord = m.index === 0 || !isWordCharAt(segment, m.index - 1);
    const isInitial = startsWord && isInitialWord(word);
    const isName = startsWord && (isInitial || isNameWord(bareWord(word)));
    if (!isName) {
      close();
      continue;
    }
    const gap = current ? segment.slice(current.end, m.index) : '';
    if (current && (gap === ' ' || gap === ', ' || PARTICLE_GAP.test(gap)) && current.words < 4) {
      current.end = m.index + word.length;
      current.words += isInitial ? 0 : 1;
    } else {
      close();
      current = { start: m.index, end: m.index + word.length, words: isInitial ? 0 : 1 };
    }
  }
  close();
  return runs;
}

/**
 * Name runs of a text read once, left to right, for windows that move forward (one around each
 * birth cue): a dense list of people would otherwise have each character read once per window
 * that holds it. `between(from, to)` gives the runs inside [from, to); `from` and `to` must not
 * decrease from one call to the next.
 */
class NameRunCache {
  private readonly runs: NameRun[] = [];
  private first = 0;
  private upTo = 0;
  constructor(private readonly text: string) {}

  between(from: number, to: number): NameRun[] {
    if (to > this.upTo) {
      let start = Math.max(from, this.upTo);
      // A run that reached the end of what was read may go on: read it again whole.
      const last = this.runs.at(-1);
      if (last && last.end >= this.upTo - 1 && last.start >= from && this.runs.length > this.first) {
        this.runs.pop();
        start = last.start;
      }
      for (const run of findNameRuns(this.text, start, to)) this.runs.push(run);
      this.upTo = to;
    }
    while (this.first < this.runs.length && (this.runs[this.first] as NameRun).start < from) this.first += 1;
    const found: NameRun[] = [];
    for (let k = this.first; k < this.runs.length; k += 1) {
      const run = this.runs[k] as NameRun;
      if (run.end > to) break;
      found.push(run);
    }
    return found;
  }
}

/** Whether the character at `k` is a letter, digit or underscore: ASCII by code, the rest by Unicode property. */
function isWordCharAt(text: string, k: number): boolean {
  const code = text.charCodeAt(k);
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95
    );
  }
  return /[\p{L}\p{N}_]/u.test(text.charAt(k));
}

/** Whether the character at `k` is a letter: ASCII by code, the rest by Unicode property. */
function isLetterAt(text: string, k: number): boolean {
  const code = text.charCodeAt(k);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  return /\p{L}/u.test(text.charAt(k));
}

/** An initial: one capital and a full stop ("J."). */
function isInitialWord(word: string): boolean {
  if (word.length === 2) return word.charCodeAt(1) === 0x2e;
  // A capital outside the Basic Multilingual Plane takes two code units.
  return word.length === 3 && /^\p{Lu}\.$/u.test(word);
}

/** The word without trailing full stops, apostrophes and hyphens, in lower case. */
function bareWord(word: string): string {
  let end = word.length;
  for (; end > 0; end -= 1) {
    const c = word.charCodeAt(end - 1);
    if (c !== 0x2e && c !== 0x27 && c !== 0x2019 && c !== 0x2d) break;
  }
  return (end === word.length ? word : word.slice(0, end)).toLowerCase();
}

/** A bare word that may be part of a name: two letters or more and no form word. */
const isNameWord = (bare: string) => bare.length >= 2 && !NOT_NAME.has(bare);

/** A letter, apostrophe, period or hyphen: ASCII by code, the rest by Unicode property. */
const isNameChar = (c: string) => {
  const code = c.charCodeAt(0);
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 39 || code === 46 || code === 45
    );
  }
  return /[\p{L}’]/u.test(c);
};
const NAME_WORD = /^\p{Lu}[\p{L}'’-]*\.?$/u;

/**
 * The run of two to four capitalised non-form words that ends exactly at `end` (read backwards,
 * words joined by a space or ", "), or undefined. Costs the run's length, not a window's: the
 * detectors that need a name right before a date or an age call it once per candidate.
 */
export function nameRunEndingAt(text: string, end: number): NameRun | undefined {
  let words = 0;
  let initials = 0;
  let start = end;
  let i = end;
  for (let parts = 0; parts < 8; parts += 1) {
    let j = i;
    while (j > 0 && i - j < 40 && isNameChar(text.charAt(j - 1))) j -= 1;
    // A quote or hyphen before the capital is not part of the name: `'Bellucci, Renée (…)'`.
    while (j < i && !isLetterAt(text, j)) j += 1;
    const before = text.charCodeAt(j - 1);
    if (j === i || (before >= 48 && before <= 57) || before === 95) break;
    const word = text.slice(j, i);
    // A particle ("van", "de la") belongs to the name when a capitalised word precedes it.
    if (PARTICLE.test(word) && words > 0 && text.charAt(j - 1) === ' ') {
      i = j - 1;
      continue;
    }
    if (!NAME_WORD.test(word)) break;
    const initial = isInitialWord(word);
    if (!initial && (!isNameWord(bareWord(word)) || words >= 4)) break;
    if (initial) initials += 1;
    else words += 1;
    start = j;
    if (text.charAt(j - 1) !== ' ') break;
    i = text.charAt(j - 2) === ',' ? j - 2 : j - 1;
  }
  // Two names, or an initial and a surname ("J. Kellerhals").
  return words >= 2 || (words === 1 && initials > 0)
    ? { start, end, text: text.slice(start, end) }
    : undefined;
}

/**
 * Findings of one detector that come one after another, as a list of people does ("Okafor, Kwame
 * (04NOV1957)" on every line): each new finding within 160 characters of the previous one extends
 * it, so a list of 10,000 people is one finding over the list, not 10,000.
 */
export class ListedPeople {
  private last: RawFinding | undefined;
  private count = 0;

  constructor(
    private readonly out: RawFinding[],
    private readonly what: string,
  ) {}

  /** Whether a finding starting at `start` would extend the last one (and so needs no new judgement). */
  extends(start: number): boolean {
    const last = this.last;
    return last !== undefined && start >= last.end && start - last.end <= 160;
  }

  /** Adds the finding over [start, end); `make` builds it only when it does not extend the last. */
  add(start: number, end: number, make: () => RawFinding): void {
    const last = this.last;
    if (last && start >= last.end && start - last.end <= 160) {
      last.end = end;
      this.count += 1;
      last.excerpt = `${this.count} people listed ${this.what}`;
      return;
    }
    const finding = make();
    this.out.push(finding);
    this.last = finding;
    this.count = 1;
  }
}

/** Back from `at` over at most four separator characters (space, comma, colon, bracket, dash). */
function skipBack(text: string, at: number): number {
  let k = at;
  while (k > 0 && at - k < 4 && isSeparatorAt(text, k - 1)) k -= 1;
  return k;
}

/** A space, comma, semicolon, colon, opening bracket, dash or bar: ASCII by code, the rest by pattern. */
function isSeparatorAt(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) {
    return (
      c === 0x20 ||
      (c >= 0x09 && c <= 0x0d) ||
      c === 0x2c ||
      c === 0x3b ||
      c === 0x3a ||
      c === 0x28 ||
      c === 0x2d ||
      c === 0x7c
    );
  }
  return /[\s–—]/.test(text.charAt(k));
}

export function findNamesWithBirthDates(
  text: string,
  out: RawFinding[],
  ignoredNames: ReadonlySet<string>,
): void {
  const list = new ListedPeople(out, 'with their dates of birth');
  const runs = new NameRunCache(text);
  // Read once: most texts greet nobody, and then no window around a cue is searched for it.
  const greets = GREETING_ANY.test(text);
  BIRTH_CUE.lastIndex = 0;
  for (let m = BIRTH_CUE.exec(text); m; m = BIRTH_CUE.exec(text)) {
    const date = m[1] ?? '';
    const cueStart = m.index;
    const end = m.index + m[0].length;
    if (!plausibleBirthDate(date)) continue;
    const from = Math.max(0, cueStart - 160);
    const to = Math.min(text.length, end + 80);
    // A street named after someone ("4410 Amelia Earhart Drive") or a town ("city": "Pemberton
    // Falls") is a place, not the person: such runs are no names here (the address detector and
    // FHIR's address field see them).
    const personIn = (streets: { start: number; end: number }[]) => (run: NameRun) =>
      !streets.some((s) => run.start < s.end && s.start < run.end) &&
      // Every address key ends in a quote: without one right before the run there is none.
      !(
        text.charCodeAt(run.start - 1) === 0x22 &&
        PLACE_KEY.test(text.slice(Math.max(0, run.start - 40), run.start))
      ) &&
      !hasProductWord(run.text);
    // Most often the name ends right before the cue ("Anouk Berg, DOB …"): read it back from
    // there, at the cost of the name; the windows around the cue are scanned only otherwise.
    const adjacent = nameRunEndingAt(text, skipBack(text, cueStart));
    let nearest: NameRun | undefined =
      adjacent && personIn(streetSpans(text, adjacent.start, adjacent.end))(adjacent) ? adjacent : undefined;
    if (!nearest) {
      const person = personIn(streetSpans(text, from, to));
      const near = runs.between(from, to);
      const before = near.filter((r) => r.end <= cueStart).filter(person);
      const after = near.filter((r) => r.start >= end).filter(person);
      const field =
        before.length + after.length === 0
          ? nameField(text, Math.max(0, cueStart - 200), end + 120)
          : undefined;
      nearest =
        before.at(-1) ??
        after[0] ??
        (field && person(field) ? field : undefined) ??
        (greets ? greetedUser(text, Math.max(0, cueStart - 160), cueStart) : undefined);
    }
    if (!nearest) continue;
    if (isReporterName(nearest.text, ignoredNames)) continue;
    // "Max Mustermann, geb. 01.01.1970" in a manual or a demo database is nobody.
    if (
      nobodyLike(nearest.text) &&
      (janFirst(date) || TEST_NEAR.test(text.slice(Math.max(0, cueStart - 200), end + 200)))
    )
      continue;
    const start = Math.min(nearest.start, cueStart);
    const person = nearest;
    list.add(start, Math.max(end, person.end), () => ({
      kind: 'name-with-birth-date',
      label: 'a person’s name with their date of birth',
      // The cue without the date, its clock or a typed wrapper around it.
      excerpt: `${maskName(person.text)} … ${m[0].slice(0, m[0].indexOf(date)).replace(/[{("'\s]*(?:\$date|ISODate|new Date|S)?["':\s(]*$/, '')} ${maskDate(date)}`,
      start,
      end: Math.max(end, person.end),
      unit: 'char',
      value: person.text,
    }));
  }
  findNamesWithAdjacentDates(text, out, ignoredNames);
  findNamesWithAgedDates(text, out, ignoredNames);
}

// A banner's age and birth date side by side ("Female, 55 y.o., 08/09/1971", "30 år, 1996-10-13"):
// an age and a date that agree on the year are a birth date, whatever the cue.
const AGED_DATE = new RegExp(
  String.raw`(?=\d)(?<![\p{L}\p{N}_])(\d{1,3})\s?(?:y\.?o\.?|yrs?\.?|years?(?: old)?|J\.|Jahre|ans|años|jaar|anni|år|lat|anos)[,;)]?\s{1,3}(?:\(\s?)?(${DATE})(?![\d:])`,
  'giu',
);

const AGE_UNIT_ANY = /\d\s?(?:y\.?o|yrs?|years?|J\.|Jahre|ans|a\u00f1os|jaar|anni|\u00e5r|lat|anos)/i;

function findNamesWithAgedDates(text: string, out: RawFinding[], ignoredNames: ReadonlySet<string>): void {
  const list = new ListedPeople(out, 'with their ages and dates of birth');
  // Most texts state no age at all: one plain scan says so before the costlier pattern runs.
  if (!AGE_UNIT_ANY.test(text)) return;
  const thisYear = new Date().getUTCFullYear();
  AGED_DATE.lastIndex = 0;
  for (let m = AGED_DATE.exec(text); m; m = AGED_DATE.exec(text)) {
    const age = Number(m[1]);
    const year = Number(/(?:19|20)\d{2}/.exec(m[2] ?? '')?.[0] ?? 'NaN');
    // The age must be the years since the date (this year or the last, before the birthday).
    if (!(age <= 120 && (thisYear - year === age || thisYear - year - 1 === age))) continue;
    const from = Math.max(0, m.index - 160);
    const run = findNameRuns(text, from, m.index)
      .filter((r) => !hasProductWord(r.text))
      .at(-1);
    if (!run || isReporterName(run.text, ignoredNames) || nobodyLike(run.text)) continue;
    const end = m.index + m[0].length;
    list.add(run.start, end, () => ({
      kind: 'name-with-birth-date',
      label: 'a person’s name with their date of birth',
      excerpt: `${maskName(run.text)} … ${maskDate(m[2] ?? '')}`,
      start: run.start,
      end,
      unit: 'char',
      value: run.text,
    }));
  }
}

// A date right after a name, without a birth cue: "QUILLFEATHER, Junia (04NOV1957)", "Junia
// Quillfeather (1957-11-04)". Patient lists and EHR banners write people so; a changelog writes
// "Release Notes (2024-03-11)", so the year must be a birth year long past (1900–2012) and the
// name must not be made of product or organisation words.
// Wristband and barcode text separates the fields with `^`, `*` or `~` instead of spaces
// (`^VAN DER BERG^ANOUK^19610203^F`, `*OKAFOR KWAME*04NOV1957*`).
const DATED = new RegExp(
  String.raw`(\(\s{0,2}\*?\s?|,\s{1,2}|\s\*\s?|\t|[ ]{1,8}|\s\|\s|\s/\s|;\s|[\^*~|])(${DATE})${CLOCK}(?![\d:T\p{L}])\)?`,
  'giu',
);

/** Names directly followed by a date in parentheses or after a comma; only birth years long past count. */
function findNamesWithAdjacentDates(
  text: string,
  out: RawFinding[],
  ignoredNames: ReadonlySet<string>,
): void {
  const list = new ListedPeople(out, 'with their dates of birth');
  DATED.lastIndex = 0;
  for (let m = DATED.exec(text); m; m = DATED.exec(text)) {
    const date = m[2] ?? '';
    const year = Number(/(?:19|20)\d{2}/.exec(date)?.[0] ?? '0');
    // The birth star (`* 02/03/38`) marks a birth date however its year is written.
    const starred = (m[1] ?? '').includes('*') && /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(date);
    if (!starred && (year < 1900 || year > 2012)) continue;
    let k = m.index;
    while (k > 0 && k > m.index - 2 && text.charAt(k - 1) === ' ') k -= 1;
    const glued = m[1]?.length === 1 && '^*~|'.includes(m[1]) ? m[1] : undefined;
    const run = glued
      ? delimitedName(text, k, glued)
      : (nameRunEndingAt(text, k) ?? (m[1]?.startsWith(' ') ? slashedName(text, k) : undefined));
    if (!run) continue;
    // One space is how prose goes on ("Tested by Dana Whitlock 2011-03-04"); a list row writes the
    // name as "Surname, Given" or the surname in capitals.
    if (m[1] === ' ' && !run.text.includes(',') && !/^\p{Lu}{2,}\b/u.test(run.text)) continue;
    if (hasProductWord(run.text)) continue;
    if (isReporterName(run.text, ignoredNames)) continue;
    const end = m.index + m[0].length;
    list.add(run.start, end, () => ({
      kind: 'name-with-birth-date',
      label: 'a person’s name with their date of birth',
      excerpt: `${maskName(run.text)} (${maskDate(date)})`,
      start: run.start,
      end,
      unit: 'char',
      value: run.text,
    }));
  }
}

const DELIMITED_WORD = /^\p{Lu}[\p{L}'’.-]*$/u;

/**
 * The name in the one or two fields before `end` of a line whose fields a `^`, `*` or `~`
 * separates: `FAMILY^GIVEN` or `FAMILY GIVEN` in one field, two to four capitalised words in all,
 * none a form word and not a manual's placeholder. The first field may follow a label on its line
 * (`wristband: VAN DER BERG^ANOUK^…`): its trailing capitalised words count. Reads back at most
 * 64 characters per field.
 */
function delimitedName(text: string, end: number, delimiter: string): NameRun | undefined {
  let start = end;
  let words: string[] = [];
  for (let field = 0; field < 2 && words.length < 2; field += 1) {
    const fieldEnd = field === 0 ? end : start - 1;
    if (field > 0 && text.charAt(fieldEnd) !== delimiter) break;
    let k = fieldEnd;
    while (k > 0 && fieldEnd - k < 64 && text.charAt(k - 1) !== delimiter && text.charAt(k - 1) !== '\n')
      k -= 1;
    const parts = text.slice(k, fieldEnd).split(/[ ^]/);
    let kept = parts.length;
    while (kept > 0 && DELIMITED_WORD.test(parts[kept - 1] as string)) kept -= 1;
    const named = parts.slice(kept);
    if (named.length === 0) break;
    words = [...named, ...words];
    start = fieldEnd - named.join(' ').length;
    if (kept > 0) break;
  }
  if (words.length < 2 || words.length > 4) return undefined;
  if (words.some((w) => NOT_NAME.has(w.replace(/[.'’-]+$/, '').toLowerCase()))) return undefined;
  if (isPlaceholderName(words.join(' '))) return undefined;
  return { start, end, text: text.slice(start, end) };
}

// A signed-in screen greets its user by given name: "Welcome back, Yiling!", "Willkommen zurück,
// Anouk". Letters' greetings ("Hello Maria,") address the reader and are no such cue.
const GREETING =
  /\b(?:welcome(?: back)?|willkommen(?: zurück)?|bienvenue|bienvenid[oa](?: de nuevo)?|welkom(?: terug)?|bentornat[oa]|benvenut[oa]|bem-vind[oa])[,:]?\s{1,2}(\p{Lu}[\p{L}'’-]{1,30})(?:\s\p{Lu}[\p{L}'’-]{1,30})?\s?[!,.]/iu;

const GREETING_ANY = /welcome|willkommen|bienven|welkom|bentornat|benvenut|bem-vind/i;

/** The user a screen greets within [from, to), as a name run (one or two words). */
function greetedUser(text: string, from: number, to: number): NameRun | undefined {
  const m = GREETING.exec(text.slice(from, to));
  const first = m?.[1];
  if (!m || !first || NOT_NAME.has(first.toLowerCase()) || isProductWord(first)) return undefined;
  const name = m[0].slice(m[0].indexOf(first)).replace(/\s?[!,.]$/, '');
  const start = from + m.index + m[0].indexOf(first);
  return { start, end: start + name.length, text: name };
}

const SLASHED_NAME = /^\p{Lu}[\p{L}'’-]{1,40}\/\p{Lu}[\p{L}'’-]{1,40}$/u;

/** `OKONJO/AMBROSE` ending at `end`: family and given name as airline and label systems join them. */
function slashedName(text: string, end: number): NameRun | undefined {
  let k = end;
  while (k > 0 && end - k < 84 && !/\s/.test(text.charAt(k - 1))) k -= 1;
  const token = text.slice(k, end);
  if (!SLASHED_NAME.test(token)) return undefined;
  const words = token.split('/');
  if (
    words.some((w) => NOT_NAME.has(w.toLowerCase()) || isProductWord(w)) ||
    isPlaceholderName(words.join(' '))
  )
    return undefined;
  return { start: k, end, text: token };
}

// A name given as a field of a record ("first_name": "Tamsin", lastName=Quibbleworth, "pt: grumbleton,
// tamsin"), where the given and family names sit in separate fields or are not capitalised. The
// `i` flag makes \p{Lu} match lower case too: after a name key the capital is not needed.
const NAME_FIELD =
  /\b(?:pt|patient|patient_?name|full_?name|first_?name|given_?name|last_?name|family_?name|surname|name)["']?\s*[:=]\s*["']?(\p{Lu}[\p{L}'’-]+(?:,? \p{Lu}[\p{L}'’-]+)*)/giu;

function nameField(text: string, from: number, to: number): NameRun | undefined {
  const segment = text.slice(from, Math.min(text.length, to));
  NAME_FIELD.lastIndex = 0;
  const m = NAME_FIELD.exec(segment);
  const captured = m?.[1];
  if (!m || !captured) return undefined;
  // Keep the words up to the first form word: "grumbleton, tamsin dob" → "grumbleton, tamsin".
  const words = captured.split(/(?=,? )/);
  // A product or organisation named in a name field ("name": "Aurora Server") is no person.
  if (words.some((w) => isProductWord(w.replace(/^,? /, '')))) return undefined;
  let value = '';
  for (const word of words) {
    if (NOT_NAME.has(word.replace(/^,? /, '').toLowerCase())) break;
    value += word;
  }
  if (!value) return undefined;
  const start = from + m.index + m[0].length - captured.length;
  return { start, end: start + value.length, text: value };
}

// Words that say a record is made up: next to a manual's placeholder name, the record is nobody's.
const TEST_NEAR =
  /\b(?:test\w*|demo\w*|synthetic|fictitious|fictional|fictie\w*|fiktiv\w*|fictif\w*|ficticio|fittizi\w*|sample|example|Muster\w*|placeholder|dummy|mock|fake)\b/i;

/** 1 January of some year, the day systems and manuals give a made-up person. */
function janFirst(date: string): boolean {
  return /^(?:0?1[-/.]0?1[-/.]\d{2,4}|\d{4}[-/.]0?1[-/.]0?1|0?1[-/. ]?jan\p{L}*\.?[-/. ]?\d{2,4})$/iu.test(
    date.trim(),
  );
}

/** A manual's nobody, or a test patient named so (`ZZTEST, ALPHA`, `TEST^WRISTBAND`). */
function nobodyLike(name: string): boolean {
  return (
    isPlaceholderName(name) ||
    (/zz|test/i.test(name) && name.split(/[\s,^/]+/).some((w) => /^(?:zz|test)/i.test(w)))
  );
}

/** Rejects dates that cannot be a living person's birth date (a cue followed by "2.0.1" or a year 3000). */
function plausibleBirthDate(date: string): boolean {
  if (isSentinelDate(date)) return false;
  // A spoken date says its year in words: any year it can say is a living person's.
  if (/\b(?:nineteen|twenty|thousand)\b/i.test(date)) return true;
  if (
    /['’]\d{2}$/.test(date) ||
    /^['’]\d{2}-/.test(date) ||
    /^\d{1,2}-\p{L}{3,4}\.?-\d{2}$/u.test(date) ||
    /^\d{2}\p{L}{3,4}\.?\d{2}$/u.test(date)
  )
    return true;
  const years = date.match(/\d{4}/);
  if (!years) return /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(date);
  const y = Number(years[0].slice(0, 4));
  return y >= 1890 && y <= 2030;
}

/** A run of a name holds a product or organisation word ("Aurora Server", "Meridian Gateway"). */
export function hasProductWord(run: string): boolean {
  return hasProductWordIn(run);
}

/** The run names the reporter if it contains every word of one of their names ("Researcher Kit Marlowe"). */
export function isReporterName(run: string, ignoredNames: ReadonlySet<string>): boolean {
  if (ignoredNames.size === 0) return false;
  const words = new Set(normaliseName(run).split(' '));
  for (const name of ignoredNames) if (name.split(' ').every((w) => words.has(w))) return true;
  return false;
}

export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .sort()
    .join(' ');
}

const STREET_SUFFIX =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent|Close|Row|Alley|Path|Pike';
const STREET = new RegExp(
  String.raw`\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\.?\s+){1,4}(?:${STREET_SUFFIX})\b\.?(?:,?\s*(?:Apt|Apartment|Unit|#)\.?\s*[\w-]+)?`,
  'g',
);
const CITY_STATE_ZIP =
  /^,?\s*(?:[A-Z][a-z]+\.?\s?){1,3},?\s+(?:[A-Z]{2}|[A-Z][a-z]+)\.?\s+\d{5}(?:-\d{4})?\b/;
const PERSONAL_ADDRESS_CUE =
  /\b(?:home address|home|lives at|living at|resides at|residing at|residence|resident of|domicile|mailing address|patient address|address of (?:the )?patient|patient lives|guarantor address|subscriber address|address)\b[^\n]{0,24}$/i;
const BUSINESS_MARKER =
  /\b(?:Inc|LLC|Ltd|GmbH|Corp|Corporation|Company|Co|Headquarters|HQ|Office|Offices|Suite|Ste|Floor|Attn|PSIRT|Security Team|Vendor|Manufacturer|Hospital|Clinic|Center|Centre|Labs?)\b/;

// The value of an address field in JSON or XML: `"city": "`, `"line": ["`, `<city value="`.
const PLACE_KEY =
  /(?:"(?:line|address(?:_?line)?\d?|street|city|town|district|county|state|country)"\s*:\s*\[?\s*"|<(?:[A-Za-z]+:)?(?:line|city|district|state|country)\s+value=")$/i;

// Its own instance, so a window scan never moves the lastIndex of the detector's pass over STREET.
const STREET_IN_WINDOW = new RegExp(STREET.source, 'g');

/** Spans of street addresses ("12 Elm Street") that overlap `from`–`to`, cued or not. */
function streetSpans(text: string, from: number, to: number): { start: number; end: number }[] {
  // Widened so a street cut by the window's edge is still recognised whole.
  const offset = Math.max(0, from - 40);
  const segment = text.slice(offset, Math.min(text.length, to + 40));
  const spans: { start: number; end: number }[] = [];
  const street = STREET_IN_WINDOW;
  street.lastIndex = 0;
  for (let m = street.exec(segment); m; m = street.exec(segment))
    spans.push({ start: offset + m.index, end: offset + m.index + m[0].length });
  return spans;
}

// Streets as continental Europe writes them: the street type glued to the name (Kastanienweg 48,
// Vijverstraat 41, Storgatan 3), before it (Calle de los Tintoreros 11, Via dei Mille 90, ul.
// Długa 5) or, in French, after the number (49 rue des Tanneurs); then perhaps a postal code and
// a town (37018 Göttingen, 3581 KD Utrecht, 28005 Madrid).
const EU_PARTICLES = String.raw`(?:(?:de|del|de la|de los|de las|dei|degli|delle|della|des|du|la|le|les|do|da|dos|das|van|von)\s){0,2}`;
const EU_NAME = String.raw`\p{Lu}[\p{L}'’.-]{1,40}(?:\s\p{Lu}[\p{L}'’.-]{1,40}){0,3}`;
const EU_GLUED = String.raw`\p{Lu}[\p{L}-]{1,40}(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|laan|straat|plein|gracht|dijk|kade|singel|steeg|vej|gade|gatan|gata|vägen|väg|veien|vei)\s\d{1,4}[a-zA-Z]?`;
// Either case for the street type's first letter ("Calle", "calle"), a capital for the name.
const capitalisable = (words: string) =>
  words
    .split('|')
    .map((w) => `[${w.charAt(0).toUpperCase()}${w.charAt(0)}]${w.slice(1)}`)
    .join('|');
const EU_TYPE_BEFORE = capitalisable(
  'rue|avenue|boulevard|chemin|place|allée|impasse|quai|calle|avenida|paseo|plaza|carrer|camino|via|viale|piazza|corso|largo|vicolo|rua|travessa|praça|ulica|ul\\.|aleja',
);
const EU_TYPE_FRENCH = capitalisable('rue|avenue|boulevard|chemin|place|allée|impasse|quai');
const EU_BEFORE = String.raw`(?:${EU_TYPE_BEFORE})\s${EU_PARTICLES}${EU_NAME},?\s(?:n[º°o]\.?\s?)?\d{1,4}[a-zA-Z]?`;
const EU_NUMBER_FIRST = String.raw`\d{1,4}(?:\s?(?:bis|ter))?,?\s(?:${EU_TYPE_FRENCH})\s${EU_PARTICLES}${EU_NAME}`;
const EU_STREET = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${EU_GLUED}|${EU_BEFORE}|${EU_NUMBER_FIRST})`,
  'gu',
);
const EU_TOWN = /^,?\s(?:[\p{L}\p{N}.º°ª ]{1,12},\s)?\d{4,5}(?:\s?[A-Z]{2})?\s\p{Lu}[\p{L}-]{1,40}/u;
// "Lieferadresse der Patientin", "Adresse du patient", "indirizzo del paziente": an address noun
// and a patient word within the words before the street.
const EU_ADDRESS_NOUN =
  /(?:adresse|anschrift|wohnort|adres|dirección|direccion|domicilio|indirizzo|residenza|endereço|morada|adress|address)/i;
const EU_PATIENT = /(?:patient|pati[ëe]nt|paciente|paziente|pacjent|utente|bewoner|versichert)/i;
const EU_BUSINESS =
  /(?:GmbH|AG|S\.?A\.?|S\.?L\.?|SARL|SAS|B\.?V\.?|N\.?V\.?|S\.?p\.?A\.?|S\.?r\.?l\.?|Ltd|Inc|Klinikum|Krankenhaus|Clinique|Hôpital|Hopital|Ospedale|Ziekenhuis|Hospital|Praxis|Sitz|siège|sede|headquarters|Hersteller|fabricant|fabricante)/;

// Read once: a text with neither an address noun nor a patient word has no patient's address.
const EU_WORTH_READING =
  /adress|anschrift|wohnort|adres|direcci|domicilio|indirizzo|residenza|endere|morada|patient|pati[ëe]nt|paciente|paziente|pacjent/i;

function findEuropeanAddresses(text: string, out: RawFinding[], context: TextContext): void {
  if (!EU_WORTH_READING.test(text)) return;
  EU_STREET.lastIndex = 0;
  for (let m = EU_STREET.exec(text); m; m = EU_STREET.exec(text)) {
    const start = m.index;
    let end = start + m[0].length;
    const before = text.slice(Math.max(0, start - 80), start);
    const town = EU_TOWN.exec(text.slice(end, end + 80));
    const cued = EU_ADDRESS_NOUN.test(before) && EU_PATIENT.test(before);
    const business = EU_BUSINESS.test(before.slice(-60)) || EU_BUSINESS.test(text.slice(end, end + 80));
    if (business) continue;
    if (!cued && !(town && context.hasPatientCueNear(start, end, 200))) continue;
    if (town) end += town[0].length;
    out.push(streetAddressFinding(m[0], start, end));
  }
}

/** A street address found over [start, end): its street line, digits masked, is the excerpt. */
export function streetAddressFinding(street: string, start: number, end: number): RawFinding {
  return {
    kind: 'street-address',
    label: 'a street address',
    excerpt: `${street.replace(/\d+/g, (n) => '•'.repeat(n.length)).replace(/\s+/g, ' ')}…`,
    start,
    end,
    unit: 'char',
  };
}

export function findStreetAddresses(text: string, out: RawFinding[], context: TextContext): void {
  findEuropeanAddresses(text, out, context);
  STREET.lastIndex = 0;
  for (let m = STREET.exec(text); m; m = STREET.exec(text)) {
    const start = m.index;
    let end = start + m[0].length;
    const before = text.slice(Math.max(0, start - 80), start);
    const tail = CITY_STATE_ZIP.exec(text.slice(end, end + 60));
    const personalCue = PERSONAL_ADDRESS_CUE.test(before);
    const business =
      BUSINESS_MARKER.test(before.slice(-60)) ||
      /\b(?:Suite|Ste|Floor)\b/.test(text.slice(end, end + 30)) ||
      /\b(?:vendor|company|office|headquarters|corporate|business)\b[^\n]{0,24}$/i.test(before);
    const patientNear = context.hasPatientCueNear(start, end, 200);
    let counts = false;
    if (personalCue && !business) counts = true;
    else if (tail && patientNear) counts = true;
    else if (personalCue && business && patientNear) counts = true;
    if (!counts) continue;
    if (tail) end += tail[0].length;
    out.push({
      kind: 'street-address',
      label: 'a street address',
      excerpt: `${m[0].replace(/^\d+[A-Za-z]?/, (n) => '•'.repeat(n.length)).replace(/\s+/g, ' ')}…`,
      start,
      end,
      unit: 'char',
    });
  }
}
