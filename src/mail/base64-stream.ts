import { base64LineSegments } from '../core/index.js';

/**
 * Base64 decoded as it streams (a mail part's body, an OpenPGP armour), leniently as mail readers
 * do: everything outside the alphabet is skipped, and the characters left over from a quantum are
 * carried into the next chunk, so chunks may end anywhere.
 */
export interface Base64Decoder {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
}

const NOT_BASE64 = /[^A-Za-z0-9+/=]+/g;
const LF = 0x0a;
const CR = 0x0d;
/** A partial line longer than this is decoded the careful way rather than held for its end. */
const MAX_HELD_LINE = 64 * 1024;

/**
 * Whether `block` (whole lines) is lines of one length that is a multiple of four, each with the
 * first line's line end: then its characters are whole quanta, and `base64LineSegments` decodes it
 * at Node's native speed without a carry into the next block.
 */
function regularLines(block: Buffer): boolean {
  const firstLf = block.indexOf(LF);
  if (firstLf <= 0) return false;
  const crlf = block[firstLf - 1] === CR;
  const content = firstLf - (crlf ? 1 : 0);
  const stride = firstLf + 1;
  if (content % 4 !== 0 || block.length % stride !== 0) return false;
  for (let lf = firstLf; lf < block.length; lf += stride) {
    if (block[lf] !== LF || (crlf && block[lf - 1] !== CR)) return false;
  }
  return true;
}

export function createBase64Decoder(out: (decoded: Buffer) => Promise<void> | void): Base64Decoder {
  let carry = '';
  /** The last, incomplete line of what came so far. */
  let tail: Buffer = Buffer.alloc(0);

  async function careful(text: Buffer): Promise<void> {
    const clean = carry + text.toString('latin1').replace(NOT_BASE64, '');
    const whole = clean.length - (clean.length % 4);
    carry = clean.slice(whole);
    if (whole === 0) return;
    const decoded = Buffer.from(clean.slice(0, whole), 'base64');
    if (decoded.length > 0) await out(decoded);
  }

  return {
    async write(chunk) {
      const buf = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
      const lastLf = buf.lastIndexOf(LF);
      if (lastLf < 0) {
        tail = buf.length > MAX_HELD_LINE ? Buffer.alloc(0) : Buffer.from(buf);
        if (tail.length === 0) await careful(buf);
        return;
      }
      const block = buf.subarray(0, lastLf + 1);
      tail = Buffer.from(buf.subarray(lastLf + 1));
      if (carry === '' && regularLines(block)) {
        for (const segment of base64LineSegments(block)) await out(segment);
      } else await careful(block);
    },
    async end() {
      if (tail.length > 0) await careful(tail);
      tail = Buffer.alloc(0);
      if (carry === '') return;
      const decoded = Buffer.from(carry, 'base64');
      carry = '';
      if (decoded.length > 0) await out(decoded);
    },
  };
}

const BEGIN = '-----BEGIN PGP MESSAGE-----';
const END = '-----END PGP MESSAGE-----';
/** How far into the part the armour may begin, and its header lines reach. */
const HEADER_WINDOW = 8 * 1024;

/**
 * The binary message inside an armoured OpenPGP message (`-----BEGIN PGP MESSAGE-----`, header
 * lines, base64, the optional `=abcd` checksum line, the end line), as it streams. Anything else
 * before the armour than white space, or no armour within the first 8 KiB, makes it `refused`: the
 * caller reads the part the usual way. The checksum is not checked (the message's own integrity
 * protection is).
 */
export function createArmorDecoder(out: (binary: Buffer) => Promise<void> | void): {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
  readonly refused: boolean;
} {
  const base64 = createBase64Decoder(out);
  const endLine = Buffer.from(END, 'latin1');
  let state: 'before' | 'headers' | 'body' | 'after' | 'refused' = 'before';
  /** Before the body: the text so far (at most the header window). In the body: held-back bytes. */
  let text = '';
  let held: Buffer = Buffer.alloc(0);

  async function body(chunk: Buffer, final: boolean): Promise<void> {
    const buf = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    const end = buf.indexOf(endLine);
    if (end >= 0) {
      // The checksum line just before the end line is not part of the message.
      const last = buf.toString('latin1', Math.max(0, end - 16), end);
      const checksum = /\r?\n=[A-Za-z0-9+/]{4}\s*$/.exec(last);
      const cut = checksum ? end - (last.length - checksum.index) : end;
      held = Buffer.alloc(0);
      state = 'after';
      await base64.write(buf.subarray(0, cut));
      await base64.end();
      return;
    }
    if (final) {
      // No end line: the armour was cut short; what there is goes through, the MDC judges it.
      held = Buffer.alloc(0);
      await base64.write(buf);
      await base64.end();
      return;
    }
    // Hold back the last complete line and what follows it: it may be the checksum or the end.
    const lastLf = buf.lastIndexOf(LF);
    const prevLf = lastLf > 0 ? buf.lastIndexOf(LF, lastLf - 1) : -1;
    if (prevLf < 0 && buf.length <= MAX_HELD_LINE) {
      held = Buffer.from(buf);
      return;
    }
    const upTo = prevLf < 0 ? buf.length - endLine.length : prevLf + 1;
    held = Buffer.from(buf.subarray(upTo));
    await base64.write(buf.subarray(0, upTo));
  }

  async function head(final: boolean): Promise<Buffer | undefined> {
    for (;;) {
      if (state === 'before') {
        const begin = text.indexOf(BEGIN);
        if (begin < 0) {
          const start = text.trimStart();
          if (start !== '' && !BEGIN.startsWith(start.slice(0, BEGIN.length))) state = 'refused';
          else if (text.length > HEADER_WINDOW || final) state = 'refused';
          return undefined;
        }
        if (text.slice(0, begin).trim() !== '') {
          state = 'refused';
          return undefined;
        }
        text = text.slice(begin + BEGIN.length);
        state = 'headers';
        continue;
      }
      // The rest of the BEGIN line, then `Key: value` lines up to the first empty line.
      const m = /^[ \t]*\r?\n((?:[A-Za-z][A-Za-z0-9-]*: [^\r\n]*\r?\n)*)\r?\n/.exec(text);
      if (!m) {
        if (text.length > HEADER_WINDOW || final) state = 'refused';
        return undefined;
      }
      const rest = Buffer.from(text.slice(m[0].length), 'latin1');
      text = '';
      state = 'body';
      return rest;
    }
  }

  return {
    async write(chunk) {
      if (state === 'body') return body(chunk, false);
      if (state !== 'before' && state !== 'headers') return;
      text += chunk.toString('latin1');
      const rest = await head(false);
      if (rest) await body(rest, false);
    },
    async end() {
      if (state === 'before' || state === 'headers') {
        const rest = await head(true);
        if (!rest) return;
        await body(rest, true);
        return;
      }
      if (state === 'body') await body(Buffer.alloc(0), true);
    },
    get refused() {
      return state === 'refused';
    },
  };
}
