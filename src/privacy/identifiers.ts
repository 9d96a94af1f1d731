/**
 * Identifier detectors: US Social Security numbers, medical record numbers and health-plan numbers.
 *
 * Cues: MRNs and plan numbers are just digits and letters, indistinguishable from serial numbers,
 * build ids and ticket numbers, so they are only reported right after their cue words ("MRN:",
 * "medical record #", "member ID", "policy number"…). An SSN is reported when it follows its cue
 * ("SSN", "social security number"), or when written in the dashed 3-2-4 form that is specific to
 * SSNs — and in both cases only inside the valid ranges (area not 000, 666 or 900–999; group not
 * 00; serial not 0000). The dashed form is skipped right after "serial", "S/N", "part", "lot",
 * "model", "order" or "ticket", where device and tracking numbers share the shape.
 *
 * Known limits: identifiers without cue words (a bare column of MRNs) are not found here; the CSV
 * and structured detectors cover exports. SSNs without dashes and without a cue are not found.
 */
import { maskIdentifier } from './mask.js';
import type { RawFinding } from './types.js';

const SSN_CUED =
  /\b(?:SSN|SS#|SS No\.?|social security(?: number| no\.?| #)?)\s*(?:is\s+|[:#=]\s*)?(\d{3})[- ]?(\d{2})[- ]?(\d{4})(?![\d-])/gi;
const SSN_DASHED = /(?<![\w.\-/:])(\d{3})-(\d{2})-(\d{4})(?![\w-]|\.\d)/g;
const SSN_TAIL = /\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const NOT_SSN_BEFORE =
  /\b(?:serial|s\/n|sn|part|p\/n|lot|model|order|ticket|case|build|ref|invoice|tracking)\b[^\n]{0,20}$/i;

export function validSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

export function findSsns(text: string, out: RawFinding[]): void {
  const seen = new Set<number>();
  SSN_CUED.lastIndex = 0;
  for (let m = SSN_CUED.exec(text); m; m = SSN_CUED.exec(text)) {
    const [, area = '', group = '', serial = ''] = m;
    if (!validSsn(area, group, serial)) continue;
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

// An identifier value: letters, digits and inner dashes/dots, with at least 4 digits in it
// (checked after matching) so "MRN: unknown" or "member ID: see above" is not reported.
const ID_VALUE = `([A-Z0-9](?:[A-Z0-9]|[-./](?=[A-Z0-9])){3,24})`;

const MRN_CUE = new RegExp(
  String.raw`\b(?:MRN|MR ?#|MR No\.?|med(?:ical)?\.? rec(?:ord)?\.?(?: number| no\.?| #|#)?|chart (?:number|no\.?|#))\s*(?:is\s+|[:#=]\s*|\(\s*)?(?:#\s*)?${ID_VALUE}|\bpatient (?:id|identifier|number|no\.?)\s*[:#]\s*(?:#\s*)?${ID_VALUE}`,
  'gi',
);

const PLAN_CUE = new RegExp(
  String.raw`\b(?:member (?:id|number|no\.?|#)|subscriber (?:id|number|no\.?|#)|policy (?:number|no\.?|#)|group (?:number|no\.?|#)|health ?plan (?:id|number|no\.?|#|beneficiary number)|insurance (?:id|number|no\.?|#)|medicaid (?:id|number|no\.?|#)?|medicare (?:id|number|no\.?|beneficiary identifier)?|MBI|HICN|beneficiary (?:id|number))\s*(?:is\s+|[:#=]\s*)?(?:#\s*)?${ID_VALUE}`,
  'gi',
);

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
    if ((value.match(/\d/g)?.length ?? 0) < 4) continue;
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
