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

export function createBase64Decoder(out: (decoded: Buffer) => Promise<void> | void): Base64Decoder {
  let carry = '';
  return {
    async write(chunk) {
      const clean = carry + chunk.toString('latin1').replace(NOT_BASE64, '');
      const whole = clean.length - (clean.length % 4);
      carry = clean.slice(whole);
      if (whole === 0) return;
      const decoded = Buffer.from(clean.slice(0, whole), 'base64');
      if (decoded.length > 0) await out(decoded);
    },
    async end() {
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
  let state: 'before' | 'headers' | 'body' | 'after' | 'refused' = 'before';
  let pending = '';

  async function body(final: boolean): Promise<void> {
    const end = pending.indexOf(END);
    if (end >= 0) {
      // The checksum line just before the end line is not part of the message.
      const text = pending.slice(0, end).replace(/\r?\n=[A-Za-z0-9+/]{4}\s*$/, '');
      pending = '';
      state = 'after';
      await base64.write(Buffer.from(text, 'latin1'));
      await base64.end();
      return;
    }
    if (final) {
      // No end line: the armour was cut short; what there is goes through, the MDC judges it.
      const text = pending;
      pending = '';
      await base64.write(Buffer.from(text, 'latin1'));
      await base64.end();
      return;
    }
    // Hold back the last complete line and what follows it: it may be the checksum or the end.
    const lastLf = pending.lastIndexOf('\n');
    const prevLf = lastLf > 0 ? pending.lastIndexOf('\n', lastLf - 1) : -1;
    if (prevLf < 0) return;
    const text = pending.slice(0, prevLf);
    pending = pending.slice(prevLf);
    await base64.write(Buffer.from(text, 'latin1'));
  }

  async function step(final: boolean): Promise<void> {
    for (;;) {
      if (state === 'before') {
        const begin = pending.indexOf(BEGIN);
        if (begin < 0) {
          if (pending.trim() !== '' && !BEGIN.startsWith(pending.trimStart().slice(0, BEGIN.length)))
            state = 'refused';
          else if (pending.length > HEADER_WINDOW || final) state = 'refused';
          return;
        }
        if (pending.slice(0, begin).trim() !== '') {
          state = 'refused';
          return;
        }
        pending = pending.slice(begin + BEGIN.length);
        state = 'headers';
        continue;
      }
      if (state === 'headers') {
        // The rest of the BEGIN line, then `Key: value` lines up to the first empty line.
        const m = /^[ \t]*\r?\n((?:[A-Za-z][A-Za-z0-9-]*: [^\r\n]*\r?\n)*)\r?\n/.exec(pending);
        if (!m) {
          if (pending.length > HEADER_WINDOW || final) state = 'refused';
          return;
        }
        pending = pending.slice(m[0].length);
        state = 'body';
        continue;
      }
      if (state === 'body') return body(final);
      return;
    }
  }

  return {
    async write(chunk) {
      if (state === 'after' || state === 'refused') return;
      pending += chunk.toString('latin1');
      await step(false);
    },
    async end() {
      if (state === 'after' || state === 'refused') return;
      await step(true);
    },
    get refused() {
      return state === 'refused';
    },
  };
}
