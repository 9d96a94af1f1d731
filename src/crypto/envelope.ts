import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from './errors.js';
import { type Keyring, MAX_WRAPPED_KEY_BYTES } from './keyring.js';

/**
 * Envelope encryption for database fields (report text, contact details, ...).
 *
 * Every seal draws a fresh 256-bit DEK and 96-bit IV, encrypts with AES-256-GCM and stores the
 * DEK wrapped by the active KEK. Sealed format, version 1:
 *
 *   offset   size  field
 *   0        3     magic "VGE"
 *   3        1     format version, 0x01
 *   4        2     W = length of the wrapped DEK, big-endian
 *   6        W     wrapped DEK (keyring format; begins with the KEK id, e.g. "v2-1a2b3c4d")
 *   6+W      12    IV
 *   18+W     N     ciphertext (N = plaintext length)
 *   18+W+N   16    GCM tag
 *
 * GCM AAD = bytes [0, 4) || UTF-8 of the caller's `aad` (absent = empty). The wrapped DEK is
 * deliberately outside the AAD so `rewrap` can replace it without touching the ciphertext;
 * swapping in another wrapped DEK just yields a different key and a failed tag.
 */
export type Sealer = {
  /** Encrypts `plain`; `aad` (e.g. `report:<id>:content`) must be given again to open. */
  seal(plain: Buffer | string, aad?: string): Buffer;
  /** Decrypts and verifies; throws DecryptionError on any mismatch. */
  open(sealed: Buffer, aad?: string): Buffer;
  /** Seals `JSON.stringify(value)`. */
  sealJson(value: unknown, aad?: string): Buffer;
  /** Opens and parses JSON; the type parameter is trusted, not validated. */
  openJson<T>(sealed: Buffer, aad?: string): T;
  /** Re-wraps the DEK under the active KEK, leaving IV, ciphertext and tag untouched. */
  rewrap(sealed: Buffer): Buffer;
};

const MAGIC = Buffer.from([0x56, 0x47, 0x45, 0x01]); // "VGE" v1
const DEK_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

type Parsed = { wrapped: Buffer; iv: Buffer; ciphertext: Buffer; tag: Buffer; bodyOffset: number };

/** Creates a sealer that wraps new data under `keyring`'s active key and opens data under any loaded key. */
export function createSealer(keyring: Keyring): Sealer {
  const seal = (plain: Buffer | string, aad?: string): Buffer => {
    const data = typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain;
    const dek = randomBytes(DEK_BYTES);
    try {
      const wrapped = keyring.wrap(dek);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dek, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadFor(aad));
      const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
      return Buffer.concat([MAGIC, u16(wrapped.length), wrapped, iv, ciphertext, cipher.getAuthTag()]);
    } finally {
      dek.fill(0);
    }
  };

  const open = (sealed: Buffer, aad?: string): Buffer => {
    const parts = parse(sealed);
    const dek = keyring.unwrap(parts.wrapped);
    try {
      const decipher = createDecipheriv('aes-256-gcm', dek, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadFor(aad));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    } catch {
      throw new DecryptionError();
    } finally {
      dek.fill(0);
    }
  };

  return {
    seal,
    open,
    sealJson(value, aad) {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError('value is not JSON-serialisable');
      return seal(json, aad);
    },
    openJson<T>(sealed: Buffer, aad?: string): T {
      return JSON.parse(open(sealed, aad).toString('utf8')) as T;
    },
    rewrap(sealed) {
      const parts = parse(sealed);
      const dek = keyring.unwrap(parts.wrapped);
      try {
        const wrapped = keyring.wrap(dek);
        return Buffer.concat([MAGIC, u16(wrapped.length), wrapped, sealed.subarray(parts.bodyOffset)]);
      } finally {
        dek.fill(0);
      }
    },
  };
}

/**
 * Returns the id of the KEK that wrapped a sealed value without decrypting anything, so a
 * rotation job can find rows that still need `rewrap`. Throws DecryptionError if malformed.
 */
export function sealedKeyId(sealed: Buffer): string {
  const { wrapped } = parse(sealed);
  const idLength = wrapped[1] ?? 0;
  return wrapped.subarray(2, 2 + idLength).toString('ascii');
}

function parse(sealed: Buffer): Parsed {
  // Bounds are checked up front so malformed input yields DecryptionError, never a RangeError.
  if (sealed.length < MAGIC.length + 2 || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new DecryptionError();
  }
  const wrappedLength = sealed.readUInt16BE(MAGIC.length);
  const bodyOffset = MAGIC.length + 2 + wrappedLength;
  if (
    wrappedLength < 2 ||
    wrappedLength > MAX_WRAPPED_KEY_BYTES ||
    sealed.length < bodyOffset + IV_BYTES + TAG_BYTES
  ) {
    throw new DecryptionError();
  }
  return {
    wrapped: sealed.subarray(MAGIC.length + 2, bodyOffset),
    iv: sealed.subarray(bodyOffset, bodyOffset + IV_BYTES),
    ciphertext: sealed.subarray(bodyOffset + IV_BYTES, sealed.length - TAG_BYTES),
    tag: sealed.subarray(sealed.length - TAG_BYTES),
    bodyOffset,
  };
}

function aadFor(aad: string | undefined): Buffer {
  return Buffer.concat([MAGIC, Buffer.from(aad ?? '', 'utf8')]);
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}
