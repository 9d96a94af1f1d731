/**
 * Identifier detectors: US Social Security numbers and ITINs, medical record numbers, health-plan and
 * member numbers, and national health identifiers (NHS numbers, Medicare MBIs).
 *
 * Cues: MRNs and plan numbers are just digits and letters, indistinguishable from serial numbers,
 * build ids and ticket numbers, so they are only reported right after their cue words ("MRN:",
 * "medical record #", "member ID", "policy number"…). An SSN is reported when it follows its cue
 * ("SSN", "social security number"), or when written in the dashed 3-2-4 form that is specific to
 * SSNs — and in both cases only inside the valid ranges (area not 000 or 666; group not 00; serial
 * not 0000). The 9xx area (ITINs, and test or form values) counts only after an explicit cue
 * ("SSN", "ITIN", "Social Security No."): a bare 9-digit number is never reported. The dashed
 * form is skipped right after "serial", "S/N", "part", "lot", "model", "order" or "ticket", where
 * device and tracking numbers share the shape.
 *
 * MRN cues include "record no.", "patient record", "chart #", "hospital number" and their German,
 * French, Spanish, Dutch and Italian forms. An NHS number counts after "NHS number" only when its
 * mod-11 checksum holds; a Medicare MBI after "MBI"/"Medicare" only when it has the MBI's layout.
 *
 * Known limits: identifiers without cue words (a bare column of MRNs) are not found here; the CSV
 * and structured detectors cover exports. SSNs without dashes and without a cue are not found.
 */
import { maskIdentifier } from './mask.js';
import { isTestIdentifier } from './placeholders.js';
import type { RawFinding } from './types.js';

// The cue names the number explicitly, so an ITIN or an SSN in the 9xx area counts here (the
// Social Security Administration never issued them, but forms and test systems hold them). A cue
// is a name of the number ("SSN", "ITIN", "social security", "soc. sec.", "taxpayer id") with an
// optional noun ("No.", "#", "number", "id"), then a joiner (":", "=", "is", a quote).
const SSN_NAME = String.raw`SSN|ITIN|SS(?=\s?(?:#|No\b|Nr\b))|social[ _-]?security|soc(?:ial)?[._ ]?\s?sec(?:urity)?\.?|(?:individual\s)?taxpayer(?:\sidentification)?|social(?=["']?\s{0,2}[:=])`;
const SSN_NOUN = String.raw`(?:\s{0,2}(?:numbers?|no\b\.?|nr\b\.?|num\b\.?|#|id\b|identifier))?`;
// A few words between the cue and its joiner: "SSN on file:", "social security number of the
// guarantor is" — at most three lower-case words, each after one space, so it stays bounded.
const SSN_FILLER = String.raw`(?:(?:[ ][a-z]{2,10}){1,3}(?=\s{0,3}(?:is\s|was\s|[:#=]))|(?:[ ][a-z]{2,10}){0,2}[ ](?:contained|contains|showed|shows|returned|returns|reads|held|holds)(?=\s))?`;
const SSN_CUED = new RegExp(
  String.raw`(?:\b|(?<=_)|(?<=[a-z])(?=SSN|Ssn))(?:${SSN_NAME})${SSN_NOUN}(?:\s{0,3}\([A-Za-z ]{2,12}\))?${SSN_FILLER}["']?\s{0,3}(?:is\s{1,3}|was\s{1,3}|[:#=]\s{0,3})?["']?(\d{3})[- .]?(\d{2})[- .]?(\d{4})(?![\d-])`,
  'gi',
);
const SSN_DASHED = /(?<![\w.\-/:])(\d{3})-(\d{2})-(\d{4})(?![\w-]|\.\d)/g;
const SSN_TAIL = /\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const NOT_SSN_BEFORE =
  /\b(?:serial|s\/n|sn|part|p\/n|lot|model|order|ticket|case|build|ref|invoice|tracking)\b[^\n]{0,20}$/i;

/** Whether an uncued number is in the ranges the SSA issues (area not 000, 666 or 9xx; group not 00; serial not 0000). */
export function validSsn(area: string, group: string, serial: string): boolean {
  return Number(area) < 900 && validCuedSsn(area, group, serial);
}

/**
 * After an explicit cue the 9xx area counts too, when its middle digits are in an ITIN range (the
 * IRS issues 50–65, 70–88, 90–92 and 94–99). Numbers printed in manuals as examples (123-45-6789,
 * 078-05-1120 of the Woolworth wallet card, 219-09-9999) are nobody's.
 */
function validCuedSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || group === '00' || serial === '0000') return false;
  if (EXAMPLE_SSNS.has(`${area}${group}${serial}`)) return false;
  if (a < 900) return true;
  const g = Number(group);
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94;
}

const EXAMPLE_SSNS = new Set(['123456789', '078051120', '219099999', '111111111', '999999999', '012345678']);

export function findSsns(text: string, out: RawFinding[]): void {
  const seen = new Set<number>();
  SSN_CUED.lastIndex = 0;
  for (let m = SSN_CUED.exec(text); m; m = SSN_CUED.exec(text)) {
    const [, area = '', group = '', serial = ''] = m;
    if (!validCuedSsn(area, group, serial)) continue;
    const value = SSN_TAIL.exec(m[0])?.[0] ?? m[0];
    const start = m.index + m[0].length - value.length;
    seen.add(start);
    out.push(ssnFinding(start, m.index + m[0].length, value));
  }
  if (!text.includes('-')) return;
  SSN_DASHED.lastIndex = 0;
  for (let m = SSN_DASHED.exec(text); m; m = SSN_DASHED.exec(text)) {
    if (seen.has(m.index)) continue;
    const [, area = '', group = '', serial = ''] = m;
    if (!validSsn(area, group, serial)) continue;
    if (NOT_SSN_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    out.push(ssnFinding(m.index, m.index + m[0].length, m[0]));
  }
}

function ssnFinding(start: number, end: number, value: string): RawFinding {
  // Keep four digits, as US forms do ("•••-••-6789").
  return {
    kind: 'ssn',
    label: 'a US Social Security number',
    excerpt: maskIdentifier(value, 4),
    start,
    end,
    unit: 'char',
    value,
  };
}

// An identifier value: letters, digits and inner dashes/dots, or single spaces before a group of
// digits ("BCX 447 812 903"), with at least 4 digits in it (checked after matching) so "MRN:
// unknown" or "member ID: see above" is not reported.
const ID_VALUE = String.raw`([A-Z0-9](?:[A-Z0-9]|[-./](?=[A-Z0-9])| (?=\d{2})){3,24})`;
// Between a cue and its value: "is", ":", "#", "=", "(" — a few characters, never an unbounded run,
// so a long run of cue words costs a bounded amount each.
const JOIN = String.raw`\s{0,3}(?:is\s{1,3}|[:#=]\s{0,3}|\(\s{0,3})?(?:#\s{0,2})?`;

const MRN_WORDS = [
  'MRN',
  'MR ?#',
  String.raw`MR No\.?`,
  String.raw`med(?:ical)?\.? rec(?:ord)?\.?(?: number| no\.?| nr\.?| #| id|#)?`,
  String.raw`(?:patient|hospital|health|clinical|case) record(?: number| no\.?| nr\.?| #| id|#)?`,
  String.raw`record (?:number|no\.?|nr\.?|#)`,
  String.raw`chart (?:number|no\.?|#|id)`,
  String.raw`hospital (?:number|no\.?|#)`,
  String.raw`unit (?:number|no\.?)`,
  // German, French, Spanish, Dutch, Italian.
  String.raw`Patientennummer|Pat\.?-?Nr\.?|Patient(?:en)?-?Nr\.?|Fallnummer|Fall-?Nr\.?|Patient(?:en)?-ID|Aktenzeichen des Patienten`,
  String.raw`Krankenblatt(?:nummer|-?Nr\.?)|Aufnahmenummer`,
  String.raw`(?:num[ée]ro|n[°º]) (?:de )?dossier(?: (?:m[ée]dical|patient))?|IPP`,
  String.raw`(?:EMR|EHR|chart|health record|patient record) (?:id|no\.?|#)|MRN,?`,
  String.raw`n[úu]mero de historia(?: cl[íi]nica)?|historia cl[íi]nica|NHC`,
  String.raw`pati[ëe]ntnummer|dossiernummer`,
  String.raw`numero (?:di )?cartella(?: clinica)?|cartella(?: clinica)?(?: n\.?| nr\.?)?`,
  // Portuguese, Nordic, Polish, Finnish.
  String.raw`n[úu]mero de processo(?: cl[íi]nico)?|processo cl[íi]nico|journal(?:nummer|nr\.?|-?nr\.?)|patientnummer`,
  String.raw`numer (?:historii choroby|pacjenta|karty)|nr (?:historii choroby|pacjenta)|potilasnumero|potilas-?ID`,
].join('|');

const MRN_CUE = new RegExp(
  String.raw`\b(?:${MRN_WORDS})${JOIN}${ID_VALUE}|\bpatient (?:id|identifier|number|no\.?)\s{0,3}[:#]\s{0,3}(?:#\s{0,2})?${ID_VALUE}`,
  'gi',
);

const PLAN_WORDS = [
  String.raw`member(?:ship)?[ _-]?(?:id|number|no\.?|nr\.?|#)`,
  String.raw`subscriber(?:[ _-]?(?:id|number|no\.?|#)|(?=\s{0,2}:))`,
  String.raw`policy[ _-]?(?:number|no\.?|#)`,
  String.raw`group (?:number|no\.?|#)`,
  String.raw`health ?plan (?:id|number|no\.?|#|beneficiary number)`,
  String.raw`insurance[ _-]?(?:id|number|no\.?|#)`,
  String.raw`medicaid (?:id|number|no\.?|#)?`,
  String.raw`medicare (?:id|number|no\.?|beneficiary identifier)?`,
  'MBI|HICN',
  String.raw`beneficiary[ _-]?(?:id|number)`,
  String.raw`Versicherten(?:nummer|-?Nr\.?)|Mitgliedsnummer|Versicherungsnummer`,
  String.raw`num[ée]ro d'adh[ée]rent|num[ée]ro d'assur[ée]`,
  String.raw`n[úu]mero de afiliad[oa]|n[úu]mero de (?:socio|asegurado|p[óo]liza)`,
  String.raw`lidnummer|polisnummer|verzekerdennummer`,
  String.raw`numero (?:di )?(?:tessera|polizza)`,
].join('|');

const PLAN_CUE = new RegExp(String.raw`\b(?:${PLAN_WORDS})${JOIN}${ID_VALUE}`, 'gi');

/** Record numbers after their cue words; "patient ID" needs a colon or "#" (IDOR reports say "patient id 12"). */
export function findRecordNumbers(text: string, out: RawFinding[]): void {
  scanCued(text, MRN_CUE, out, 'medical-record-number', 'a medical record number');
  scanCued(text, PLAN_CUE, out, 'health-plan-number', 'a health-plan or member number');
}

function scanCued(
  text: string,
  re: RegExp,
  out: RawFinding[],
  kind: RawFinding['kind'],
  label: string,
): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const value = m[1] ?? m[2] ?? '';
    if (!hasFourDigits(value) || isTestIdentifier(value)) continue;
    // Version numbers, IPs and dates are not record numbers even after a cue ("patient id 1.2.3").
    if (/^\d+(?:\.\d+){2,}$/.test(value) || /^\d{4}-\d{2}-\d{2}/.test(value)) continue;
    const end = m.index + m[0].length;
    const start = end - value.length;
    out.push({
      kind,
      label,
      excerpt: `${m[0].slice(0, m[0].length - value.length).trim()} ${maskIdentifier(value)}`.trim(),
      start,
      end,
      unit: 'char',
      value,
    });
  }
}

/** Whether a value holds four or more ASCII digits, counted without building a list of them. */
function hasFourDigits(value: string): boolean {
  let digits = 0;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39 && ++digits >= 4) return true;
  }
  return false;
}

// A Medicare Beneficiary Identifier: 11 characters, C A AN N A AN N A A N N, where C is 1–9 and the
// letters exclude S, L, O, I, B and Z; often written in groups of 4-3-4.
const MBI_ALPHA = '[AC-HJKMNP-RT-Y]';
const MBI_AN = '[AC-HJKMNP-RT-Y0-9]';
const MBI = `[1-9]${MBI_ALPHA}${MBI_AN}[0-9]-?${MBI_ALPHA}${MBI_AN}[0-9]-?${MBI_ALPHA}{2}[0-9]{2}`;
const MBI_CUE = new RegExp(
  String.raw`\b(?:MBI|medicare(?:[ _-]?beneficiary)?(?:[ _-]?(?:identifier|id|number|no\.?|card(?: number)?))?)["']?${JOIN}["']?(${MBI})(?![A-Z0-9])`,
  'gi',
);
// An NHS number (England, Wales, Isle of Man): ten digits, usually 3-3-4, whose tenth digit is a
// mod-11 check over the first nine. The checksum rejects nine in ten random numbers after the cue.
const NHS_CUE =
  /\b(?:N\.?H\.?S\.?(?:[ _-]?(?:number|no\.?|nr\.?|num|#|id))?|NHS-Nummer|num[ée]ro NHS)["']?\s{0,3}(?:is\s{1,3}|[:#=]\s{0,3}|\(\s{0,3})?["']?(\d{3}[ -]?\d{3}[ -]?\d{4})(?![\d-])/gi;

/** NHS numbers (checksum) and Medicare MBIs (format) next to their cue words. */
export function findNationalHealthIds(text: string, out: RawFinding[]): void {
  MBI_CUE.lastIndex = 0;
  for (let m = MBI_CUE.exec(text); m; m = MBI_CUE.exec(text)) {
    const value = m[1] ?? '';
    // Case-insensitive matching finds the cue; the identifier itself is printed in capitals.
    if (value !== value.toUpperCase()) continue;
    out.push(nationalId(m, value, 'a Medicare Beneficiary Identifier'));
  }
  NHS_CUE.lastIndex = 0;
  for (let m = NHS_CUE.exec(text); m; m = NHS_CUE.exec(text)) {
    const value = m[1] ?? '';
    if (!validNhsNumber(value)) continue;
    out.push(nationalId(m, value, 'an NHS number'));
  }
}

/** Mod-11 check of an NHS number: weights 10..2 over the first nine digits. */
export function validNhsNumber(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 10 || /^(\d)\1{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

function nationalId(m: RegExpExecArray, value: string, label: string): RawFinding {
  const end = m.index + m[0].length;
  return {
    kind: 'national-health-id',
    label,
    excerpt: `${m[0].slice(0, m[0].length - value.length).trim()} ${maskIdentifier(value)}`,
    start: end - value.length,
    end,
    unit: 'char',
    value,
  };
}
