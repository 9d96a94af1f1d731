/**
 * A minimal DICOM Part 10 walker: just enough to read the patient module's tags.
 *
 * A DICOM file is a 128-byte preamble, the magic "DICM", a file-meta group (0002,xxxx) always in
 * explicit VR little endian, then the data set in the transfer syntax named by (0002,0010). We
 * support explicit VR little endian (1.2.840.10008.1.2.1 and the compressed syntaxes, which keep
 * the header explicit little endian) and implicit VR little endian (1.2.840.10008.1.2). Elements
 * are walked in file order; sequences and items are entered (left at their delimiter when their
 * length is undefined, at their end otherwise; implicit-VR sequences of defined length cannot be
 * told from other values without a dictionary and are skipped). Because top-level tags are sorted, the
 * walk stops at the first top-level group after 0x0010, so pixel data is never read.
 *
 * Reported when non-empty (after trimming DICOM's space/NUL padding): (0010,0010) Patient's
 * Name, (0010,0020) Patient ID, (0010,0030) Patient's Birth Date — wherever they occur, including
 * inside sequences.
 *
 * The walk is bounded, because the file is the sender's to shape: sequences nested deeper than
 * MAX_SEQUENCE_DEPTH, or more than MAX_ELEMENTS elements, stop it. A walk that stops there has
 * not seen the rest of the file, so it reports a finding of its own ("could not finish checking")
 * rather than nothing: a file the guard cannot finish checking is held for review, never passed
 * as clean. Without the bound, a few megabytes of nested empty sequences overflowed the stack.
 *
 * Known limits: explicit VR big endian (retired) and deflated data sets are not walked and yield
 * no findings; files without the preamble (raw data sets) are not recognised as DICOM.
 */
import { maskDate, maskIdentifier, maskName } from './mask.js';
import type { RawFinding } from './types.js';

const IMPLICIT_LE = '1.2.840.10008.1.2';
const UNDEFINED = 0xffffffff;
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

/**
 * Sequences nested deeper than this are not walked. Real files nest a few levels (structured
 * reports, which nest deepest, sit in group 0040, past where the walk stops); each level costs
 * two stack frames (the sequence and its item).
 */
export const MAX_SEQUENCE_DEPTH = 64;
/** Elements read before the walk gives up; a real header up to the patient module has hundreds. */
export const MAX_ELEMENTS = 200_000;

const PATIENT_TAGS: Record<number, { field: string; mask: (v: string) => string }> = {
  1048592: { field: 'patient name', mask: maskName },
  1048608: { field: 'patient ID', mask: (v) => maskIdentifier(v) },
  1048624: { field: 'patient birth date', mask: maskDate },
};

/** True if the bytes carry the DICOM Part 10 magic after the 128-byte preamble. */
export function isDicom(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

interface Walk {
  view: DataView;
  bytes: Uint8Array;
  explicit: boolean;
  out: RawFinding[];
  decoder: InstanceType<typeof TextDecoder>;
  /** Elements read so far, against MAX_ELEMENTS. */
  elements: number;
  /** Set when a bound stopped the walk: why, and at which byte. */
  stopped?: { reason: string; at: number };
}

export function findDicomPatient(bytes: Uint8Array, out: RawFinding[]): void {
  if (!isDicom(bytes)) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('latin1');
  let transferSyntax = '';
  // File meta group: explicit VR little endian, always.
  let pos = 132;
  while (pos + 8 <= bytes.length && view.getUint16(pos, true) === 0x0002) {
    const element = readElement({ view, bytes, explicit: true, out, decoder, elements: 0 }, pos);
    if (!element) return;
    if (element.tag === 0x00020010) {
      transferSyntax = decoder
        .decode(bytes.subarray(element.valueStart, element.valueEnd))
        .replace(/[\0\s]+$/, '');
    }
    pos = element.valueEnd;
  }
  if (transferSyntax === '1.2.840.10008.1.2.2' || transferSyntax === '1.2.840.10008.1.2.1.99') return;
  const w: Walk = { view, bytes, explicit: transferSyntax !== IMPLICIT_LE, out, decoder, elements: 0 };
  walk(w, pos, bytes.length, 0);
  if (w.stopped) {
    out.push({
      kind: 'dicom-patient',
      label: 'a DICOM file the guard could not finish checking',
      excerpt: `not checked past byte ${w.stopped.at}: ${w.stopped.reason}`,
      start: w.stopped.at,
      end: bytes.length,
      unit: 'byte',
    });
  }
}

interface Element {
  tag: number;
  vr: string;
  valueStart: number;
  valueEnd: number;
  undefinedLength: boolean;
}

function readElement(w: Walk, pos: number): Element | undefined {
  const { view, bytes } = w;
  if (pos + 8 > bytes.length) return undefined;
  const group = view.getUint16(pos, true);
  const elem = view.getUint16(pos + 2, true);
  const tag = ((group << 16) | elem) >>> 0;
  let vr = '';
  let length: number;
  let valueStart: number;
  if (group === 0xfffe || !w.explicit) {
    length = view.getUint32(pos + 4, true);
    valueStart = pos + 8;
  } else {
    vr = String.fromCharCode(bytes[pos + 4] ?? 0, bytes[pos + 5] ?? 0);
    if (LONG_VRS.has(vr)) {
      if (pos + 12 > bytes.length) return undefined;
      length = view.getUint32(pos + 8, true);
      valueStart = pos + 12;
    } else {
      length = view.getUint16(pos + 6, true);
      valueStart = pos + 8;
    }
  }
  const undefinedLength = length === UNDEFINED;
  const valueEnd = undefinedLength ? valueStart : Math.min(bytes.length, valueStart + length);
  return { tag, vr, valueStart, valueEnd, undefinedLength };
}

/** Walks elements from `pos`; returns the position after the delimiter that ends this level (or `end`). */
function walk(w: Walk, pos: number, end: number, depth: number): number {
  // Each sequence is two levels (the sequence, then its item).
  if (depth > 2 * MAX_SEQUENCE_DEPTH)
    return stop(w, pos, end, `sequences nested deeper than ${MAX_SEQUENCE_DEPTH}`);
  while (pos + 8 <= end) {
    if (w.stopped) return end;
    if (++w.elements > MAX_ELEMENTS) return stop(w, pos, end, `more than ${MAX_ELEMENTS} elements`);
    const el = readElement(w, pos);
    if (!el) return end;
    const group = el.tag >>> 16;
    if (group === 0xfffe) {
      const elem = el.tag & 0xffff;
      if (elem === 0xe00d || elem === 0xe0dd) return el.valueStart; // item / sequence delimiter
      // An item: walk its elements, to its delimiter or within its length.
      if (el.undefinedLength) pos = walk(w, el.valueStart, end, depth + 1);
      else {
        walk(w, el.valueStart, el.valueEnd, depth + 1);
        pos = el.valueEnd;
      }
      continue;
    }
    if (depth === 0 && group > 0x0010) return end;
    if (el.undefinedLength) {
      // A sequence (or encapsulated data) of undefined length: walk its items to the delimiter.
      pos = walk(w, el.valueStart, end, depth + 1);
      continue;
    }
    if (el.vr === 'SQ') {
      walk(w, el.valueStart, el.valueEnd, depth + 1);
      pos = el.valueEnd;
      continue;
    }
    const patient = PATIENT_TAGS[el.tag];
    if (patient) {
      const value = w.decoder
        .decode(w.bytes.subarray(el.valueStart, el.valueEnd))
        .replace(/^[\0\s]+|[\0\s]+$/g, '');
      if (value.replace(/\^/g, '').trim()) {
        const tag = `(${hex4(group)},${hex4(el.tag & 0xffff)})`;
        w.out.push({
          kind: 'dicom-patient',
          label: `a DICOM ${patient.field}`,
          excerpt: `${tag} ${patient.field}: ${patient.mask(value.replace(/\^/g, ' ').trim())}`,
          start: pos,
          end: el.valueEnd,
          unit: 'byte',
          tag,
          fields: [patient.field],
          value,
        });
      }
    }
    pos = el.valueEnd > pos ? el.valueEnd : pos + 8;
  }
  return end;
}

/** Record why the walk stopped (the first reason wins) and unwind: every level returns `end`. */
function stop(w: Walk, pos: number, end: number, reason: string): number {
  w.stopped ??= { reason, at: pos };
  return end;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
