/**
 * NCPDP Telecommunication (D.0) pharmacy claims as switch adapters and pharmacy systems log them:
 * segments opened by their id (`AM01` patient, `AM04` insurance), fields separated by the field
 * separator (0x1C, shown as `␜` or `<FS>`, or `|` in many logs), each field a two-character id and
 * its value (`CAILONA`, `CBZANARDELLI`, `C419620709`).
 *
 * What counts: a patient or cardholder name (CA/CB, CC/CD) with a birth date (C4) or a cardholder
 * or patient id (C2, CY) among the fields of the segments that follow one another. Segments
 * without a person (claim, pricing) are not read.
 *
 * Linear time: one regex finds segment ids; each segment is read once up to 512 characters.
 */
import { isRedaction, isSentinelDate } from './placeholders.js';
import type { RawFinding } from './types.js';

const SEGMENT = /AM0[14](?=␜|<FS>|\x1c|\|)/g;
const FIELD_SEPARATOR = /␜|<FS>|\x1c|\|/;
const MAX_SEGMENT = 512;
const NAME = /^[\p{L}][\p{L}' .-]{0,59}$/u;

/** Finds NCPDP claims that name a patient or cardholder; see the module comment. */
export function findNcpdpPatients(text: string, out: RawFinding[]): void {
  let group: { start: number; end: number; name: boolean; birth: boolean; id: boolean } | undefined;
  const flush = () => {
    if (group?.name && (group.birth || group.id)) {
      out.push({
        kind: 'patient-record',
        label: 'a patient or cardholder in an NCPDP pharmacy claim',
        excerpt: `NCPDP claim with a name${group.birth ? ', a birth date' : ''}${group.id ? ', a cardholder id' : ''}`,
        start: group.start,
        end: group.end,
        unit: 'char',
        fields: ['name', ...(group.birth ? ['birthDate'] : []), ...(group.id ? ['identifier'] : [])],
      });
    }
    group = undefined;
  };
  SEGMENT.lastIndex = 0;
  for (let m = SEGMENT.exec(text); m; m = SEGMENT.exec(text)) {
    const start = m.index;
    let end = Math.min(text.length, start + MAX_SEGMENT);
    // A segment ends at the group or record separator, a line break, or the next segment.
    const stop = /␝|␞|\x1d|\x1e|\n|AM\d\d(?=␜|<FS>|\x1c|\|)/.exec(text.slice(start + 4, end));
    if (stop) end = start + 4 + stop.index;
    SEGMENT.lastIndex = Math.max(SEGMENT.lastIndex, end);
    if (group && start - group.end > 600) flush();
    group ??= { start, end, name: false, birth: false, id: false };
    group.end = end;
    for (const field of text.slice(start + 4, end).split(FIELD_SEPARATOR)) {
      const id = field.slice(0, 2);
      const value = field.slice(2).trim();
      if (value === '' || isRedaction(value)) continue;
      if ((id === 'CA' || id === 'CB' || id === 'CC' || id === 'CD') && NAME.test(value)) group.name = true;
      else if (id === 'C4' && /^(?:19|20)\d{6}$/.test(value) && !isSentinelDate(value)) group.birth = true;
      else if ((id === 'C2' || id === 'CY') && /\d{3}/.test(value) && value.length <= 20) group.id = true;
    }
  }
  flush();
}
