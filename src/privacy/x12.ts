/**
 * ASC X12 health-care transactions (837 claims, 270/271 eligibility, 834 enrolment, 835
 * remittance) pasted from a clearing-house log, an EDI file or an API body: segments ended by `~`
 * (or a line break, or `'`), elements separated by `*` (or whatever ISA-04 chose: `|`, `^`, `:`).
 *
 * What counts: an `NM1` naming a person (entity type `1`) in a patient's role — `IL` insured or
 * subscriber, `QC` patient, `03` dependent — with a family name, together with what makes that
 * name someone's record: the member or person identifier in the same segment (NM1-09), or a
 * `DMG` birth date (`DMG*D8*19570412`) among the segments that follow it. Providers (`82`, `85`,
 * `DN`…) and organisations are not patients.
 *
 * Linear time: one regex without nested quantifiers finds `NM1` openers; each segment is read once
 * up to its terminator or 256 characters, and the `DMG` search looks at most 512 characters ahead.
 */
import { isPlaceholderName, isRedaction, isSentinelDate } from './placeholders.js';
import type { RawFinding } from './types.js';

const NM1 = /NM1([*|^:!])(IL|QC|03)\1([12])\1/g;
const MAX_SEGMENT = 256;
const DMG_WINDOW = 512;
const NAME = /^[\p{L}][\p{L}' .-]{0,59}$/u;

/** Finds X12 patients and subscribers; see the module comment. */
export function findX12Patients(text: string, out: RawFinding[]): void {
  NM1.lastIndex = 0;
  let last: RawFinding | undefined;
  for (let m = NM1.exec(text); m; m = NM1.exec(text)) {
    const sep = m[1] as string;
    const start = m.index;
    const end = segmentEnd(text, start);
    NM1.lastIndex = Math.max(end, start + m[0].length);
    if (m[3] !== '1') continue;
    const elements = text.slice(start, end).split(sep);
    const family = (elements[3] ?? '').trim();
    if (!NAME.test(family) || isRedaction(family) || isPlaceholderName(family)) continue;
    const id = (elements[9] ?? '').trim();
    const hasId = /^[A-Za-z0-9-]{4,30}$/.test(id) && /\d/.test(id) && !isRedaction(id);
    const birth = birthDateAfter(text, end, sep);
    if (!hasId && !birth) continue;
    const stop = birth ? birth.end : end;
    if (last && start - last.end < DMG_WINDOW) {
      last.end = Math.max(last.end, stop);
      continue;
    }
    last = {
      kind: 'patient-record',
      label: 'a patient or subscriber in an X12 EDI transaction (NM1/DMG segments)',
      excerpt: `X12 NM1*${m[2]} person${birth ? ' with a DMG birth date' : ''}${hasId ? ' and a member id' : ''}`,
      start,
      end: stop,
      unit: 'char',
      fields: ['name', ...(birth ? ['birthDate'] : []), ...(hasId ? ['identifier'] : [])],
    };
    out.push(last);
  }
}

/** Where the segment opened at `start` ends: its terminator, a line break or MAX_SEGMENT. */
function segmentEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + MAX_SEGMENT);
  for (let i = start; i < limit; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7e || c === 0x0a || c === 0x0d || c === 0x27) return i;
  }
  return limit;
}

/** A `DMG*D8*CCYYMMDD` birth date within the window after `from`, before the next person's NM1. */
function birthDateAfter(text: string, from: number, sep: string): { end: number } | undefined {
  const window = text.slice(from, from + DMG_WINDOW);
  const nextPerson = window.indexOf(`NM1${sep}`);
  const at = window.indexOf(`DMG${sep}D8${sep}`);
  if (at < 0 || (nextPerson >= 0 && nextPerson < at)) return undefined;
  const date = window.slice(at + 7, at + 15);
  if (!/^(?:19|20)\d{6}$/.test(date) || isSentinelDate(date)) return undefined;
  const month = Number(date.slice(4, 6));
  const day = Number(date.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { end: from + at + 15 };
}
