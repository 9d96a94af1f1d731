import { DecryptionError } from './errors.js';
import { type Keyring, MAX_WRAPPED_KEY_BYTES } from './keyring.js';

/**
 * Reading and replacing the master-key reference of stored ciphertext without decrypting it:
 * what a master-key rotation, a backup and a restore need to know ("which key opens this?") and
 * do ("wrap this data key under the active key"), for the stream format of files (`VGS`).
 * Sealed database values have `sealedKeyId` and `Sealer.rewrap` in envelope.ts.
 *
 * Stream header (see stream.ts): magic "VGS" 0x01, u16 W, W bytes of wrapped DEK, 8-byte nonce
 * prefix. The wrapped DEK begins with 0x01, the id length L, then the KEK id.
 */

const STREAM_MAGIC = Buffer.from([0x56, 0x47, 0x53, 0x01]); // "VGS" v1
const NONCE_PREFIX_BYTES = 8;

/** The longest stream header there is: enough bytes to read from a file before parsing it. */
export const MAX_STREAM_HEADER_BYTES = STREAM_MAGIC.length + 2 + MAX_WRAPPED_KEY_BYTES + NONCE_PREFIX_BYTES;

/** A parsed stream header: its length and the wrapped data key it carries. */
export interface StreamHeader {
  /** Bytes from the start of the stream to its first chunk. */
  length: number;
  wrapped: Buffer;
  keyId: string;
}

/**
 * The header at the start of `head` (the first bytes of an encrypted stream). Throws
 * DecryptionError when `head` is not a Vigil stream or is too short to hold its header.
 */
export function parseStreamHeader(head: Buffer): StreamHeader {
  if (head.length < STREAM_MAGIC.length + 2 || !head.subarray(0, STREAM_MAGIC.length).equals(STREAM_MAGIC))
    throw new DecryptionError('not a Vigil encrypted stream');
  const wrappedLength = head.readUInt16BE(STREAM_MAGIC.length);
  const length = STREAM_MAGIC.length + 2 + wrappedLength + NONCE_PREFIX_BYTES;
  if (wrappedLength < 2 || wrappedLength > MAX_WRAPPED_KEY_BYTES || head.length < length)
    throw new DecryptionError('encrypted stream is truncated');
  const wrapped = head.subarray(STREAM_MAGIC.length + 2, STREAM_MAGIC.length + 2 + wrappedLength);
  return { length, wrapped, keyId: wrappedKeyId(wrapped) };
}

/**
 * The header of `head` with its data key wrapped again under the keyring's active key; the
 * nonce prefix (and so every chunk after the header) is unchanged. Throws DecryptionError when
 * the key that wrapped it is not loaded.
 */
export function rewrapStreamHeader(keyring: Keyring, head: Buffer): Buffer {
  const header = parseStreamHeader(head);
  const dek = keyring.unwrap(header.wrapped);
  try {
    const wrapped = keyring.wrap(dek);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(wrapped.length);
    const nonce = head.subarray(header.length - NONCE_PREFIX_BYTES, header.length);
    return Buffer.concat([STREAM_MAGIC, len, wrapped, nonce]);
  } finally {
    dek.fill(0);
  }
}

/** The KEK id a wrapped data key names (keyring format: 0x01, L, id). */
export function wrappedKeyId(wrapped: Buffer): string {
  const idLength = wrapped[1] ?? 0;
  if (wrapped.length < 2 + idLength) throw new DecryptionError();
  return wrapped.subarray(2, 2 + idLength).toString('ascii');
}

/**
 * Whether the keyring can open data wrapped under `keyId`. Keys are matched by fingerprint, as
 * the keyring does: the version part of an id depends on where the key was listed.
 */
export function keyringHolds(keyring: Keyring, keyId: string): boolean {
  const fingerprint = fingerprintOfId(keyId);
  return fingerprint !== undefined && keyring.keyIds().some((id) => fingerprintOfId(id) === fingerprint);
}

/** Whether `keyId` names the keyring's active key (by fingerprint). */
export function isActiveKey(keyring: Keyring, keyId: string): boolean {
  const fingerprint = fingerprintOfId(keyId);
  return fingerprint !== undefined && fingerprint === fingerprintOfId(keyring.activeKeyId);
}

function fingerprintOfId(id: string): string | undefined {
  return /^v[1-9][0-9]{0,8}-([0-9a-f]{8})$/.exec(id)?.[1];
}

/** Whether two KEK ids name the same key material (the version part may differ). */
export function sameKey(a: string, b: string): boolean {
  const fa = fingerprintOfId(a);
  return fa !== undefined && fa === fingerprintOfId(b);
}
