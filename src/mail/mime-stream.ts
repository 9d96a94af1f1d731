import { type ContentType, contentTypeOf, parseEntity } from './mime.js';

/**
 * A MIME entity read as a stream, in one pass, into a skeleton: the same bytes, except that the
 * bodies of chosen large leaves go to a sink of the caller's (decoded on the way to a file, or
 * decrypted) and leave only a token in their place. The skeleton keeps every header, delimiter
 * and small body, so the code that reads a whole entity (`parseEntity`, `splitMultipart`,
 * mailparser) reads the skeleton as it would the mail, at the size of its headers and texts.
 *
 * Delimiters are found as `splitMultipart` finds them: a line that is `--boundary` (or
 * `--boundary--`) of any enclosing multipart, with only white space after it; the line break
 * before a delimiter belongs to it and is not given to the sink. A leaf is offered to `spill`
 * once its body has passed `spillFrom` bytes, so small ones never cost a decision.
 */

export interface LeafInfo {
  /** The leaf's header block, blank line included. */
  header: Buffer;
  contentType: ContentType;
  /** `content-transfer-encoding`, lower case (`7bit` when absent). */
  encoding: string;
  /** The content types of the enclosing multiparts, outermost first. */
  ancestors: ContentType[];
  /** Which part of its parent this leaf is (0 for the root). */
  index: number;
}

/** Takes a leaf's body, in order; `end` once it is complete. Throwing fails the whole read. */
export interface LeafSink {
  write(chunk: Buffer): void | Promise<void>;
  end(): Promise<void>;
}

export interface SkeletonOptions {
  spillFrom: number;
  /** A sink for this leaf's body and the token that stands for it, or undefined to keep it. */
  spill(leaf: LeafInfo): Promise<{ token: string; sink: LeafSink } | undefined>;
  /** A header block longer than this ends the read with `UnstreamableMimeError`. */
  maxHeaderBytes?: number;
}

export interface SkeletonBuilder {
  write(chunk: Buffer): Promise<void>;
  /** The skeleton, once the input has ended. */
  end(): Promise<Buffer>;
}

/** The entity cannot be read as a stream here (a header block too long); read it whole instead. */
export class UnstreamableMimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnstreamableMimeError';
  }
}

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
/** A delimiter line is at most this long (boundary ≤ 200, then `--` and white space). */
const MAX_DELIMITER_LINE = 1024;
const IDENTITY = new Set(['7bit', '8bit', 'binary']);
const MAX_FRAMES = 32;

interface Frame {
  boundary: Buffer;
  type: ContentType;
  parts: number;
}

interface Leaf {
  info: LeafInfo;
  held: Buffer[];
  heldBytes: number;
  state: 'undecided' | 'keep' | 'spill';
  sink?: LeafSink;
  token?: string;
}

export function createSkeletonBuilder(options: SkeletonOptions): SkeletonBuilder {
  const maxHeaderBytes = options.maxHeaderBytes ?? 1024 * 1024;
  const out: Buffer[] = [];
  const frames: Frame[] = [];
  let pending: Buffer = Buffer.alloc(0);
  /** `pending` starts at the start of a line. */
  let atLineStart = true;
  let mode: 'header' | 'body' = 'header';
  let header: Buffer[] = [];
  let headerBytes = 0;
  /** The leaf whose body is being read (undefined in a multipart's preamble or epilogue). */
  let leaf: Leaf | undefined;
  let index = 0;

  const keep = (b: Buffer) => {
    if (b.length > 0) out.push(Buffer.from(b));
  };

  async function leafContent(piece: Buffer): Promise<void> {
    if (piece.length === 0) return;
    if (!leaf) return keep(piece);
    if (leaf.state === 'keep') return keep(piece);
    if (leaf.state === 'spill') {
      await leaf.sink?.write(piece);
      return;
    }
    leaf.held.push(Buffer.from(piece));
    leaf.heldBytes += piece.length;
    if (leaf.heldBytes < options.spillFrom) return;
    const chosen = await options.spill(leaf.info);
    const held = leaf.held;
    leaf.held = [];
    if (!chosen) {
      leaf.state = 'keep';
      for (const h of held) out.push(h);
      return;
    }
    leaf.state = 'spill';
    leaf.sink = chosen.sink;
    leaf.token = chosen.token;
    for (const h of held) await chosen.sink.write(h);
  }

  async function endLeaf(): Promise<void> {
    const l = leaf;
    leaf = undefined;
    if (!l) return;
    if (l.state === 'spill') {
      await l.sink?.end();
      out.push(Buffer.from(l.token ?? '', 'latin1'));
    } else for (const h of l.held) out.push(h);
  }

  /** The enclosing frame whose delimiter `line` is, and whether it closes it. */
  function delimiterOf(line: Buffer): { at: number; closing: boolean } | undefined {
    if (line.length > MAX_DELIMITER_LINE || line[0] !== DASH || line[1] !== DASH) return undefined;
    for (let i = frames.length - 1; i >= 0; i--) {
      const b = (frames[i] as Frame).boundary;
      if (line.length < 2 + b.length || !line.subarray(2, 2 + b.length).equals(b)) continue;
      let rest = line.toString('latin1', 2 + b.length).replace(/\r?\n$/, '');
      rest = rest.replace(/\r$/, '');
      const closing = rest.startsWith('--');
      if (/^[ \t]*$/.test(closing ? rest.slice(2) : rest)) return { at: i, closing };
    }
    return undefined;
  }

  async function onDelimiter(line: Buffer, d: { at: number; closing: boolean }): Promise<void> {
    await endLeaf();
    keep(line);
    const frame = frames[d.at] as Frame;
    if (d.closing) {
      // The epilogue: kept as it is, up to the enclosing multipart's next delimiter; the closed
      // multipart's boundary means nothing more (splitMultipart stops at its closing delimiter).
      frames.length = d.at;
      mode = 'body';
      leaf = undefined;
      return;
    }
    frames.length = d.at + 1;
    index = frame.parts++;
    mode = 'header';
    header = [];
    headerBytes = 0;
  }

  async function onHeaderEnd(): Promise<void> {
    const block = Buffer.concat(header, headerBytes);
    header = [];
    headerBytes = 0;
    keep(block);
    mode = 'body';
    const entity = parseEntity(Buffer.concat([block, Buffer.from('\r\n')]));
    const type = contentTypeOf(entity);
    const boundary = type.params.boundary ?? '';
    if (type.type.startsWith('multipart/') && boundary !== '' && boundary.length <= 200) {
      // Far deeper than anything is opened (the extraction stops at 8): read whole, where the
      // nesting check stops it, rather than match every line against a crafted stack.
      if (frames.length >= MAX_FRAMES) throw new UnstreamableMimeError('MIME nests too deeply to stream');
      frames.push({ boundary: Buffer.from(boundary, 'latin1'), type, parts: 0 });
      leaf = undefined;
      return;
    }
    leaf = {
      info: {
        header: block,
        contentType: type,
        encoding: (entity.headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase(),
        ancestors: frames.map((f) => f.type),
        index,
      },
      held: [],
      heldBytes: 0,
      state: 'undecided',
    };
  }

  /** Where the line break before the line starting at `at` begins (`at` when there is none to take). */
  function breakBefore(buf: Buffer, from: number, at: number): number {
    if (at <= from || buf[at - 1] !== LF) return at;
    return at - 2 >= from && buf[at - 2] === CR ? at - 2 : at - 1;
  }

  async function consume(final: boolean): Promise<void> {
    let buf = pending;
    let pos = 0;
    for (;;) {
      if (mode === 'header') {
        const lf = buf.indexOf(LF, pos);
        if (lf < 0) {
          if (!final) break;
          // A header that never ends: what there is, is the header.
          header.push(buf.subarray(pos));
          headerBytes += buf.length - pos;
          pos = buf.length;
          await onHeaderEnd();
          break;
        }
        const line = buf.subarray(pos, lf + 1);
        // Within a multipart, a delimiter ends even a header that never got its blank line.
        const d = frames.length > 0 ? delimiterOf(line) : undefined;
        pos = lf + 1;
        atLineStart = true;
        if (d) {
          keep(Buffer.concat(header, headerBytes));
          header = [];
          headerBytes = 0;
          await onDelimiter(line, d);
          continue;
        }
        header.push(line);
        headerBytes += line.length;
        if (headerBytes > maxHeaderBytes) throw new UnstreamableMimeError('a MIME header block is too long');
        if (line.length === 1 || (line.length === 2 && line[0] === CR)) await onHeaderEnd();
        continue;
      }
      // Body: the next line that may be a delimiter, everything before it content.
      let at = atLineStart && buf[pos] === DASH ? pos : -1;
      if (at < 0 && frames.length > 0) {
        const found = buf.indexOf('\n--', Math.max(pos - 1, 0), 'latin1');
        at = found < 0 ? -1 : found + 1;
        if (at >= 0 && at < pos) at = -1;
      }
      if (at < 0 || frames.length === 0) {
        if (final) {
          await leafContent(buf.subarray(pos));
          pos = buf.length;
          break;
        }
        // Keep the last line (and the break before it): it may begin a delimiter.
        const lastLf = buf.lastIndexOf(LF);
        let upTo = lastLf >= pos ? breakBefore(buf, pos, lastLf + 1) : buf.length;
        if (lastLf < pos && atLineStart && buf.length - pos < MAX_DELIMITER_LINE) upTo = pos;
        if (frames.length === 0) upTo = buf.length;
        await leafContent(buf.subarray(pos, upTo));
        if (upTo > pos) atLineStart = upTo === lastLf + 1;
        pos = upTo;
        break;
      }
      const lineEnd = buf.indexOf(LF, at);
      if (lineEnd < 0 && !final && buf.length - at <= MAX_DELIMITER_LINE) {
        // The candidate line is not complete yet: give what precedes its line break, wait for more.
        const upTo = breakBefore(buf, pos, at);
        await leafContent(buf.subarray(pos, upTo));
        if (upTo > pos) atLineStart = upTo === at;
        pos = upTo;
        break;
      }
      const end = lineEnd < 0 ? buf.length : lineEnd + 1;
      const line = buf.subarray(at, end);
      const d = delimiterOf(line);
      if (!d) {
        // Content after all: up to this line's break, which may belong to a delimiter after it.
        const upTo = breakBefore(buf, at, end);
        await leafContent(buf.subarray(pos, upTo));
        atLineStart = upTo === end && lineEnd >= 0;
        pos = upTo;
        continue;
      }
      const cut = breakBefore(buf, pos, at);
      await leafContent(buf.subarray(pos, cut));
      await endLeaf();
      // The line break belongs to the delimiter: into the skeleton, not to the sink.
      keep(buf.subarray(cut, at));
      pos = end;
      atLineStart = true;
      await onDelimiter(line, d);
    }
    pending = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
    buf = pending;
  }

  return {
    async write(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      await consume(false);
    },
    async end() {
      await consume(true);
      if (mode === 'header' && headerBytes > 0) {
        keep(Buffer.concat(header, headerBytes));
        header = [];
      }
      await endLeaf();
      return Buffer.concat(out);
    },
  };
}

/** Whether a leaf's body is its content as it is (no transfer encoding to undo). */
export const isIdentityEncoding = (encoding: string): boolean => IDENTITY.has(encoding);
