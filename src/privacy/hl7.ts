/**
 * HL7 v2 segments about a patient, however they were captured: a message pasted as is (segments
 * ended by `\r` or `\n`), a log line where the segment separator was lost (`…|P|2.5PID|1||…`) or
 * written as a literal `\r`, tcpdump `-A` output where each CR is shown as `.`, MLLP framing
 * (`\x0b…\x1c\r`), and hex dumps with an ASCII column (tcpdump `-X`, `xxd`, `hexdump -C`, `od`),
 * whose hex bytes are decoded back into the message.
 *
 * What counts:
 *  - `PID` whose patient identifier list (PID-3), name (PID-5) or birth date (PID-7) is filled;
 *  - `NK1` whose next-of-kin name (NK1-2) is filled;
 *  - `PV1` whose attending, referring, consulting or admitting doctor (PV1-7/8/9/17) is named
 *    together with the visit number (PV1-19) — a visit of a patient, even when PID was cut off.
 * The field separator is read from MSH-1 (the character after `MSH`) of the nearest message
 * before the segment; without an MSH it is `|`.
 *
 * A segment begins at a line start or after a framing character (`\r`, `\n`, `.`, `\x0b`,
 * `\x1c`); with lost separators a segment id from HL7's standard list (`PID`, `PV1`, `OBX`…) may
 * also follow the previous segment's last character directly. A segment ends where the next one
 * begins, or after 4 096 characters.
 *
 * Linear time: the text is walked once for segment starts; each segment is read once up to its
 * end (and the scan resumes there), and a hex dump line costs its own length.
 *
 * Known limits: HL7 v2 XML encoding and HL7 inside base64 are not recognised; a hex dump whose
 * offsets column is missing is read through its ASCII column only (where CR shows as `.`).
 */
import { isPlaceholderName, isRedaction, isSentinelDate, isTestIdentifier } from './placeholders.js';
import type { RawFinding } from './types.js';

const MAX_SEGMENT = 4096;
const SEPARATORS = '|!#$%*+^';

// Segment ids that may follow the previous segment without any separator (lost CRs).
const KNOWN_SEGMENTS = new Set(
  `MSH EVN PID PD1 PV1 PV2 NK1 NTE OBR OBX ORC AL1 DG1 DRG IN1 IN2 IN3 GT1 MRG ROL PR1 SFT TXA RXA RXE RXO
  RXR SPM TQ1 ACC UB1 UB2 DB1 MSA ERR QRD QAK RCP`.split(/\s+/),
);
/** The three characters of a segment id at `i` as one number (a Set lookup without a substring). */
const idCode = (view: string, i: number) =>
  (view.charCodeAt(i) << 16) | (view.charCodeAt(i + 1) << 8) | view.charCodeAt(i + 2);
const KNOWN_SEGMENT_CODES = new Set([...KNOWN_SEGMENTS].map((id) => idCode(id, 0)));
const FRAMING = new Set(['\r', '\n', '.', '\x0b', '\x1c']);

/** A segment found in `view`, with its fields already judged. */
interface Hl7Segment {
  start: number;
  end: number;
  id: 'PID' | 'NK1' | 'PV1';
  sep: string;
  fields: string[];
}

/** Finds patient segments of HL7 v2 messages in text, including hex dumps of their traffic. */
export function findHl7Segments(text: string, out: RawFinding[], work?: { steps: number }): void {
  const dumps = findHexDumps(text);
  for (const dump of dumps) {
    const segments = scanSegments(dump.decoded, work);
    if (segments.length === 0) continue;
    const fields = [...new Set(segments.flatMap((s) => s.fields))];
    out.push({
      kind: 'hl7-pid',
      label: 'an HL7 v2 message identifying a patient (in a hex dump)',
      excerpt: `hex dump of HL7 ${[...new Set(segments.map((s) => s.id))].join('/')} with ${fields.join(', ')}`,
      start: dump.start,
      end: dump.end,
      unit: 'char',
      fields,
    });
  }
  let d = 0;
  for (const segment of scanSegments(text, work)) {
    // A segment read from a dump's ASCII column is already part of the dump's finding.
    while (d < dumps.length && (dumps[d] as HexDump).end <= segment.start) d += 1;
    const dump = dumps[d];
    if (dump && dump.start <= segment.start) continue;
    out.push({
      kind: 'hl7-pid',
      label: LABELS[segment.id],
      excerpt: `${segment.id}${segment.sep}… with ${segment.fields.join(', ')}`,
      start: segment.start,
      end: segment.end,
      unit: 'char',
      fields: segment.fields,
    });
  }
}

const LABELS: Record<Hl7Segment['id'], string> = {
  PID: 'an HL7 v2 PID segment identifying a patient',
  NK1: 'an HL7 v2 NK1 segment naming a patient’s next of kin',
  PV1: 'an HL7 v2 PV1 segment of a patient’s visit',
};

/** One pass over `view`: each candidate segment is read up to where the next one begins. */
function scanSegments(view: string, work?: { steps: number }): Hl7Segment[] {
  const found: Hl7Segment[] = [];
  if (!/PID|NK1|PV1/.test(view)) return found;
  let sep = '|';
  let i = 0;
  while (i + 4 <= view.length) {
    if (work) work.steps += 1;
    const code = view.charCodeAt(i);
    // Segment ids start with a capital letter; everything else is skipped in O(1).
    if (code < 0x41 || code > 0x5a) {
      i += 1;
      continue;
    }
    // Both a message header and a patient segment have a separator right after their id.
    const next = view[i + 3] as string;
    if (next !== sep && !SEPARATORS.includes(next)) {
      i += 1;
      continue;
    }
    const id = view.slice(i, i + 3);
    if (
      id === 'MSH' &&
      SEPARATORS.includes(view[i + 3] ?? 'x') &&
      /^[\^~\\&]{2,4}/.test(view.slice(i + 4, i + 8))
    ) {
      sep = view[i + 3] as string;
      i += 4;
      continue;
    }
    if (
      (id !== 'PID' && id !== 'NK1' && id !== 'PV1') ||
      view[i + 3] !== sep ||
      !segmentStartsAt(view, i, sep)
    ) {
      i += 1;
      continue;
    }
    const end = segmentEnd(view, i, sep, work);
    // A segment too short to reach the first field that counts has nothing to split.
    const fields = hasSeparators(view, i + 3, end, sep, id === 'PID' ? 3 : id === 'NK1' ? 2 : 19)
      ? filledFields(id, view.slice(i, end).split(sep))
      : [];
    if (fields.length > 0) found.push({ start: i, end, id, sep, fields });
    i = Math.max(end, i + 4);
  }
  return found;
}

/**
 * Whether a segment id at `i` is where a segment begins (not a word inside a field): any id after
 * a framing character or a literal "\\r"; a standard id (PID, OBX…) after anything but a lower-case
 * letter, since a lost separator glues it to the previous segment's last field.
 */
function segmentStartsAt(view: string, i: number, sep: string): boolean {
  if (view[i + 3] !== sep) return false;
  if (
    !isUpper(view.charCodeAt(i)) ||
    !isUpperOrDigit(view.charCodeAt(i + 1)) ||
    !isUpperOrDigit(view.charCodeAt(i + 2))
  )
    return false;
  if (i === 0) return true;
  const before = view[i - 1] as string;
  if (FRAMING.has(before)) return true;
  if (view[i - 2] === '\\' && (before === 'r' || before === 'n')) return true;
  // A CR written as an escape in a log: `\x0d`, `\x0D`, `\u000d`.
  if ((before === 'd' || before === 'D') && /\\(?:x0|u000)[dD]$/.test(view.slice(Math.max(0, i - 6), i)))
    return true;
  const b = before.charCodeAt(0);
  return !(b >= 0x61 && b <= 0x7a) && KNOWN_SEGMENT_CODES.has(idCode(view, i));
}

/**
 * Whether [from, end) holds at least `count` separators: the first field `filledFields` looks at
 * is PID-3, NK1-2 or PV1-19.
 */
function hasSeparators(view: string, from: number, end: number, sep: string, count: number): boolean {
  let seen = 0;
  for (let j = view.indexOf(sep, from); j >= 0 && j < end; j = view.indexOf(sep, j + 1)) {
    seen += 1;
    if (seen >= count) return true;
  }
  return false;
}

const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isUpperOrDigit = (c: number) => isUpper(c) || (c >= 0x30 && c <= 0x39);

function segmentEnd(view: string, start: number, sep: string, work?: { steps: number }): number {
  const limit = Math.min(view.length, start + MAX_SEGMENT);
  for (let j = start + 4; j < limit; j += 1) {
    if (work) work.steps += 1;
    const ch = view[j] as string;
    if (ch === '\r' || ch === '\n' || ch === '\x1c' || ch === '\x0b') return j;
    if (j + 4 <= view.length && view[j + 3] === sep && segmentStartsAt(view, j, sep)) {
      // "^~\&" after MSH is a message start; any other segment start ends this one. A `.` or a
      // literal "\r" in front of it was the separator and is left out.
      if (view[j - 1] === '.') return j - 1;
      if (view[j - 2] === '\\' && (view[j - 1] === 'r' || view[j - 1] === 'n')) return j - 2;
      return j;
    }
  }
  return limit;
}

function filledFields(id: Hl7Segment['id'], parts: string[]): string[] {
  const fields: string[] = [];
  if (id === 'PID') {
    if (filled(parts[3], [0])) fields.push('patient identifier (PID-3)');
    const birth = clean(parts[7]);
    if (/\d/.test(birth) && !isRedaction(birth) && !isSentinelDate(birth)) fields.push('birth date (PID-7)');
    // A manual's DOE^JOHN is no patient on its own; next to a real identifier or birth date it is
    // reported with them (placeholders.ts).
    if (filled(parts[5], [0, 1]) && (fields.length > 0 || !isPlaceholderName(clean(parts[5])))) {
      fields.splice(1, 0, 'name (PID-5)');
    }
  } else if (id === 'NK1') {
    if (filled(parts[2], [0, 1])) fields.push('next-of-kin name (NK1-2)');
  } else {
    const doctor = [7, 8, 9, 17].some((n) => filled(parts[n], [1, 2]));
    if (doctor && filled(parts[19], [0])) fields.push('visit number with doctor (PV1-19)');
  }
  return fields;
}

function clean(field: string | undefined): string {
  if (!field) return '';
  return field.replace(/<[^>]{0,40}>/g, '').replace(/""/g, '');
}

/**
 * Whether a field carries data: one of the given components of any repetition has a letter or a
 * digit. Interface specs quote the layout with placeholders ("<FAMILY>^<GIVEN>"), and HL7 writes
 * an explicit null as `""`: neither is a patient.
 */
function filled(field: string | undefined, components: number[]): boolean {
  if (!field) return false;
  return clean(field)
    .split('~')
    .some((rep) => {
      const parts = rep.split('^');
      return components.some((c) => {
        const part = parts[c] ?? '';
        return (
          /[\p{L}\p{N}]/u.test(part) &&
          !isRedaction(part) &&
          !REDACTION_WORD.test(part) &&
          !isTestIdentifier(part)
        );
      });
    });
}

// What a sanitised capture puts in a field instead of data, beyond placeholders.ts's marks.
const REDACTION_WORD = /^(?:REDACTED|REMOVED|MASKED|ANONYMI[SZ]ED|ANON|XXX+|\[[^\]]{0,24}\]|\*{2,})$/i;

interface HexDump {
  start: number;
  end: number;
  decoded: string;
}

// An offset column (`0x0040:`, `00000040:`, `00000040`, `0040`), then the hex bytes.
const DUMP_LINE = /^[ \t]{0,8}(?:0x)?[0-9a-fA-F]{4,8}:?[ \t]{1,4}[0-9a-fA-F]{2}/;

/**
 * Consecutive hex dump lines, decoded to their bytes (as Latin-1 characters, so CR is `\r`
 * again). Only blocks that decode to something holding a patient segment id are kept.
 */
function findHexDumps(text: string): HexDump[] {
  const dumps: HexDump[] = [];
  if (!/^[ \t]{0,8}(?:0x)?[0-9a-fA-F]{4,8}:?[ \t]/m.test(text)) return dumps;
  let block: { start: number; end: number; bytes: string[] } | undefined;
  const flush = () => {
    if (block) {
      const decoded = block.bytes.join('');
      if (/PID|NK1|PV1/.test(decoded)) dumps.push({ start: block.start, end: block.end, decoded });
    }
    block = undefined;
  };
  let pos = 0;
  while (pos < text.length) {
    let next = text.indexOf('\n', pos);
    if (next < 0) next = text.length;
    const line = text.slice(pos, next);
    const bytes = DUMP_LINE.test(line) ? hexBytes(line) : undefined;
    if (bytes) {
      if (!block) block = { start: pos, end: next, bytes: [] };
      block.bytes.push(bytes);
      block.end = next;
    } else if (line.trim() !== '' || !block) {
      // tcpdump separates packets by their header line; the stream goes on in the next block.
      if (!/^\d{2}:\d{2}:\d{2}|^\s*$/.test(line)) flush();
    }
    pos = next + 1;
  }
  flush();
  return dumps;
}

/**
 * The bytes of one dump line: after the offset, groups of 2 or 4 hex digits separated by single
 * spaces, at most 16 bytes. The ASCII column follows a wider gap (hexdump -C has one wide gap
 * after 8 single bytes, which is allowed).
 */
function hexBytes(line: string): string | undefined {
  const body = line.replace(/^[ \t]*(?:0x)?[0-9a-fA-F]{4,8}:?[ \t]{1,4}/, '');
  const codes: number[] = [];
  let i = 0;
  while (i < body.length && codes.length < 16) {
    // A group is the hex digits from `i`, read as far as nine of them (so a longer run is no group).
    let end = i;
    while (end < body.length && end - i < 9 && hexDigit(body.charCodeAt(end)) >= 0) end += 1;
    const width = end - i;
    if (width !== 2 && width !== 4) break;
    for (let k = i; k < end; k += 2)
      codes.push(hexDigit(body.charCodeAt(k)) * 16 + hexDigit(body.charCodeAt(k + 1)));
    i = end;
    let gap = 0;
    for (let c = body.charCodeAt(i); c === 0x20 || c === 0x09; c = body.charCodeAt(i + gap)) gap += 1;
    if (gap === 0) break;
    if (gap > 1 && !(gap === 2 && width === 2 && codes.length === 8)) break;
    i += gap;
  }
  return codes.length > 0 ? String.fromCharCode(...codes) : undefined;
}

/** The value of a hex digit's character code, or -1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
