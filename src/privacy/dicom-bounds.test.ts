import { describe, expect, it } from 'vitest';
import { MAX_ELEMENTS, MAX_SEQUENCE_DEPTH } from './dicom.js';
import { detectPhi } from './phi-detect.js';

/**
 * The DICOM walk is bounded: a file shaped to nest sequences without end, or to hold millions of
 * elements, must neither overflow the stack nor pass as clean. The files are built here byte by
 * byte (explicit or implicit VR little endian), so what is nested and how is plain to see.
 */

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const UNDEFINED = 0xffffffff;

class Bytes {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer | number[]): this {
    const buf = Buffer.isBuffer(b) ? b : Buffer.from(b);
    this.chunks.push(buf);
    this.length += buf.length;
    return this;
  }
  u16(n: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(n);
    return this.push(b);
  }
  u32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return this.push(b);
  }
  toUint8Array(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks, this.length));
  }
}

/** Preamble, magic and a file-meta group naming the transfer syntax. */
function header(syntax: string): Bytes {
  const uid = syntax.length % 2 ? `${syntax}\0` : syntax;
  return new Bytes()
    .push(Buffer.alloc(128))
    .push(Buffer.from('DICM', 'latin1'))
    .u16(0x0002)
    .u16(0x0010)
    .push(Buffer.from('UI', 'latin1'))
    .u16(uid.length)
    .push(Buffer.from(uid, 'latin1'));
}

/** A short-VR element (explicit VR little endian). */
function shortElement(b: Bytes, group: number, element: number, vr: string, value: string): void {
  const v = value.length % 2 ? `${value} ` : value;
  b.u16(group).u16(element).push(Buffer.from(vr, 'latin1')).u16(v.length).push(Buffer.from(v, 'latin1'));
}

/** One level of nesting: an SQ header of undefined length, then an item of undefined length. */
function openLevel(explicit: boolean): Buffer {
  const b = new Bytes().u16(0x0008).u16(0x1140);
  if (explicit) b.push(Buffer.from('SQ', 'latin1')).u16(0);
  b.u32(UNDEFINED).u16(0xfffe).u16(0xe000).u32(UNDEFINED);
  return Buffer.from(b.toUint8Array());
}
/** The item delimiter, then the sequence delimiter. */
const CLOSE_LEVEL = Buffer.from(
  new Bytes().u16(0xfffe).u16(0xe00d).u32(0).u16(0xfffe).u16(0xe0dd).u32(0).toUint8Array(),
);

/** `n` copies of `unit`, in one allocation. */
const repeat = (unit: Buffer, n: number) => Buffer.alloc(unit.length * n, unit);

/**
 * `levels` sequences, each of undefined length holding one item of undefined length holding the
 * next; `inner` is written at the bottom; every item and sequence is then closed properly.
 */
function nestedUndefined(
  levels: number,
  opts: { explicit?: boolean; before?: (b: Bytes) => void; inner?: (b: Bytes) => void } = {},
): Uint8Array {
  const explicit = opts.explicit ?? true;
  const b = header(explicit ? EXPLICIT_LE : IMPLICIT_LE);
  opts.before?.(b);
  b.push(repeat(openLevel(explicit), levels));
  opts.inner?.(b);
  b.push(repeat(CLOSE_LEVEL, levels));
  return b.toUint8Array();
}

/** `levels` sequences of defined length, built inside out so each length is exact. */
function nestedDefined(levels: number): Uint8Array {
  // Each level is an SQ header (12 bytes) and an item header (8 bytes) around the next level.
  const body = Buffer.alloc(levels * 20);
  let size = 0;
  for (let i = levels - 1; i >= 0; i -= 1) {
    const at = i * 20;
    body.writeUInt16LE(0x0008, at);
    body.writeUInt16LE(0x1140, at + 2);
    body.write('SQ', at + 4, 'latin1');
    body.writeUInt16LE(0, at + 6);
    body.writeUInt32LE(size + 8, at + 8);
    body.writeUInt16LE(0xfffe, at + 12);
    body.writeUInt16LE(0xe000, at + 14);
    body.writeUInt32LE(size, at + 16);
    size += 20;
  }
  return header(EXPLICIT_LE).push(body).toUint8Array();
}

const unfinished = (bytes: Uint8Array) =>
  detectPhi({ bytes }).findings.filter((f) => f.label === 'a DICOM file the guard could not finish checking');

describe('the DICOM walk is bounded', () => {
  it('100 000 nested sequences of undefined length: no stack overflow, and the file is held, not passed', () => {
    const bytes = nestedUndefined(100_000);
    const result = detectPhi({ bytes });
    expect(result.scanned).toBe('dicom');
    expect(result.findings).toEqual([
      expect.objectContaining({
        kind: 'dicom-patient',
        label: 'a DICOM file the guard could not finish checking',
        excerpt: expect.stringContaining(`sequences nested deeper than ${MAX_SEQUENCE_DEPTH}`),
        unit: 'byte',
        end: bytes.length,
      }),
    ]);
  });

  it('the same in implicit VR little endian, and with items of defined length', () => {
    expect(unfinished(nestedUndefined(100_000, { explicit: false }))).toHaveLength(1);
    expect(unfinished(nestedDefined(100_000))).toHaveLength(1);
  });

  it('a patient name written before the deep part is still reported, with the hold', () => {
    const bytes = nestedUndefined(50_000, {
      before: (b) => shortElement(b, 0x0008, 0x0070, 'LO', 'Fictive Imaging Corp'),
      inner: (b) => shortElement(b, 0x0010, 0x0010, 'PN', 'Roe^Jane'),
    });
    const withName = nestedUndefined(3, { inner: (b) => shortElement(b, 0x0010, 0x0010, 'PN', 'Roe^Jane') });
    expect(detectPhi({ bytes: withName }).findings.map((f) => f.label)).toEqual(['a DICOM patient name']);
    // The name at the bottom is past the bound, so only the hold says anything about it.
    expect(unfinished(bytes)).toHaveLength(1);
  });

  it('nesting up to the bound is walked to the bottom: the patient name there is found, nothing held', () => {
    const bytes = nestedUndefined(MAX_SEQUENCE_DEPTH, {
      inner: (b) => shortElement(b, 0x0010, 0x0010, 'PN', 'Roe^Jane'),
    });
    const { findings } = detectPhi({ bytes });
    expect(findings.map((f) => f.label)).toEqual(['a DICOM patient name']);
    expect(unfinished(nestedUndefined(MAX_SEQUENCE_DEPTH + 1))).toHaveLength(1);
  });

  it(`more than ${MAX_ELEMENTS} elements before the patient module: held`, () => {
    const b = header(EXPLICIT_LE);
    // Empty (0008,0070) elements, 8 bytes each: cheap to send, and each one a step of the walk.
    b.push(repeat(Buffer.from([0x08, 0x00, 0x70, 0x00, 0x4c, 0x4f, 0x00, 0x00]), MAX_ELEMENTS + 10));
    const { findings } = detectPhi({ bytes: b.toUint8Array() });
    expect(findings).toEqual([
      expect.objectContaining({ excerpt: expect.stringContaining(`more than ${MAX_ELEMENTS} elements`) }),
    ]);
  });

  it('an ordinary file is not held', () => {
    const b = header(EXPLICIT_LE);
    shortElement(b, 0x0008, 0x0060, 'CS', 'OT');
    shortElement(b, 0x0010, 0x0040, 'CS', 'O');
    expect(detectPhi({ bytes: b.toUint8Array() })).toEqual({ findings: [], scanned: 'dicom' });
  });
});
