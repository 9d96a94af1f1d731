import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DecryptionError } from './errors.js';
import { type Keyring, MAX_WRAPPED_KEY_BYTES } from './keyring.js';

/**
 * Chunked AEAD for attachments, so a 200 MB file is never held in memory.
 *
 * Header:
 *
 *   offset  size  field
 *   0       3     magic "VGS"
 *   3       1     format version, 0x01
 *   4       2     W = length of the wrapped DEK, big-endian
 *   6       W     wrapped DEK (keyring format; begins with the KEK id)
 *   6+W     8     nonce prefix (random)
 *
 * Then chunks, each `ciphertext || 16-byte GCM tag`. Every chunk but the last carries exactly
 * 64 KiB of plaintext; the last carries 0..64 KiB (0 only when the whole input is empty).
 *
 *   nonce(i) = nonce prefix || uint32 big-endian i          (i = 0, 1, 2, ...)
 *   AAD(i)   = bytes [0, 4) || final flag (0x00 or 0x01) || UTF-8 of the caller's `aad`
 *
 * The counter in the nonce detects reordering and dropped chunks; the authenticated final flag
 * detects truncation at a chunk boundary and trailing data. The reader knows a chunk is not the
 * last when more than one chunk's worth of bytes follows it, and decrypts the remainder at end
 * of input as the final chunk.
 */
export const STREAM_CHUNK_BYTES = 64 * 1024;

const MAGIC = Buffer.from([0x56, 0x47, 0x53, 0x01]); // "VGS" v1
const DEK_BYTES = 32;
const NONCE_PREFIX_BYTES = 8;
const TAG_BYTES = 16;
const SEALED_CHUNK_BYTES = STREAM_CHUNK_BYTES + TAG_BYTES;
const MAX_CHUNKS = 2 ** 32;

/** Returns a Transform turning plaintext into the encrypted stream format, bound to `aad`. */
export function createEncryptStream(keyring: Keyring, aad?: string): Transform {
  const dek = randomBytes(DEK_BYTES);
  let header: Buffer | undefined;
  let key: KeyObject;
  try {
    const wrapped = keyring.wrap(dek);
    key = createSecretKey(dek);
    header = Buffer.concat([MAGIC, u16(wrapped.length), wrapped, randomBytes(NONCE_PREFIX_BYTES)]);
  } finally {
    dek.fill(0);
  }
  const noncePrefix = header.subarray(header.length - NONCE_PREFIX_BYTES);
  const aadBytes = Buffer.from(aad ?? '', 'utf8');
  const pending = createByteQueue();
  let counter = 0;

  // A sealed chunk goes out as its ciphertext and then its tag: the same bytes as one joined
  // buffer, without copying every 64 KiB once more (a 200 MB upload allocated 200 MB less).
  // The plaintext of a chunk is fed to the cipher in the pieces it arrived in, not joined first,
  // unless they are many small ones (a sender writing a few bytes at a time), which are joined so
  // that the file is not written in tiny pieces.
  const sealChunk = (stream: Transform, pieces: Buffer[], final: boolean): void => {
    const plain = pieces.length > 8 ? [Buffer.concat(pieces)] : pieces;
    if (counter >= MAX_CHUNKS) throw new RangeError('stream too long for one encryption key');
    const cipher = createCipheriv('aes-256-gcm', key, nonceFor(noncePrefix, counter++), {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(chunkAad(final, aadBytes));
    for (const piece of plain) {
      const body = cipher.update(piece);
      if (body.length > 0) stream.push(body);
    }
    const rest = cipher.final(); // empty for GCM
    stream.push(rest.length > 0 ? Buffer.concat([rest, cipher.getAuthTag()]) : cipher.getAuthTag());
  };
  const emitHeader = (stream: Transform): void => {
    if (header) stream.push(header);
    header = undefined;
  };

  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        emitHeader(this);
        pending.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
        // Strictly more than one chunk buffered means this one is not the last.
        while (pending.length > STREAM_CHUNK_BYTES) {
          sealChunk(this, pending.takeParts(STREAM_CHUNK_BYTES), false);
        }
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        emitHeader(this);
        sealChunk(this, pending.takeParts(pending.length), true);
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}

/**
 * Returns a Transform that verifies and decrypts the stream format. Each chunk is authenticated
 * before its plaintext is emitted; tampering, reordering, truncation, trailing bytes or a wrong
 * `aad`/key end the stream with DecryptionError. Plaintext of earlier, valid chunks may already
 * have been emitted by then, so consumers must treat an errored stream as wholly invalid.
 */
export function createDecryptStream(keyring: Keyring, aad?: string): Transform {
  const aadBytes = Buffer.from(aad ?? '', 'utf8');
  const pending = createByteQueue();
  let key: KeyObject | undefined;
  let noncePrefix: Buffer | undefined;
  let counter = 0;

  const readHeader = (): boolean => {
    if (pending.length < MAGIC.length + 2) return false;
    const start = pending.peek(MAGIC.length + 2);
    if (!start.subarray(0, MAGIC.length).equals(MAGIC))
      throw new DecryptionError('not a Vigil encrypted stream');
    const wrappedLength = start.readUInt16BE(MAGIC.length);
    if (wrappedLength < 2 || wrappedLength > MAX_WRAPPED_KEY_BYTES) throw new DecryptionError();
    const headerLength = MAGIC.length + 2 + wrappedLength + NONCE_PREFIX_BYTES;
    if (pending.length < headerLength) return false;
    const header = pending.take(headerLength);
    const dek = keyring.unwrap(header.subarray(MAGIC.length + 2, MAGIC.length + 2 + wrappedLength));
    key = createSecretKey(dek);
    dek.fill(0);
    noncePrefix = Buffer.from(header.subarray(headerLength - NONCE_PREFIX_BYTES));
    return true;
  };

  const openChunk = (sealed: Buffer, final: boolean): Buffer => {
    if (!key || !noncePrefix || counter >= MAX_CHUNKS) throw new DecryptionError();
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonceFor(noncePrefix, counter++), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(chunkAad(final, aadBytes));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      // update() output is held back until final() has checked the tag.
      const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
      const rest = decipher.final(); // empty for GCM: no second copy of the chunk
      return rest.length > 0 ? Buffer.concat([plain, rest]) : plain;
    } catch {
      throw new DecryptionError('encrypted stream failed authentication');
    }
  };

  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        pending.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
        if (!key && !readHeader()) return callback();
        while (pending.length > SEALED_CHUNK_BYTES) {
          this.push(openChunk(pending.take(SEALED_CHUNK_BYTES), false));
        }
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        if (!key && !readHeader()) throw new DecryptionError('encrypted stream is truncated');
        // Whatever is left must be the final chunk; fewer bytes than a tag means it is missing.
        if (pending.length < TAG_BYTES) throw new DecryptionError('encrypted stream is truncated');
        const plain = openChunk(pending.take(pending.length), true);
        if (plain.length > 0) this.push(plain);
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}

function nonceFor(prefix: Buffer, counter: number): Buffer {
  const nonce = Buffer.alloc(NONCE_PREFIX_BYTES + 4);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(counter, NONCE_PREFIX_BYTES);
  return nonce;
}

function chunkAad(final: boolean, aad: Buffer): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([final ? 1 : 0]), aad]);
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}

type ByteQueue = {
  readonly length: number;
  push(buf: Buffer): void;
  peek(n: number): Buffer;
  take(n: number): Buffer;
  /** The next `n` bytes as the pieces they are stored in (views, no copy). */
  takeParts(n: number): Buffer[];
};

// Avoids re-concatenating the whole backlog on every small write (quadratic for tiny chunks).
function createByteQueue(): ByteQueue {
  const parts: Buffer[] = [];
  let length = 0;

  const take = (n: number, consume: boolean): Buffer => {
    if (n > length) throw new RangeError('byte queue underflow');
    const first = parts[0];
    if (n === 0 || !first) return Buffer.alloc(0);
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (consume) {
        if (first.length === n) parts.shift();
        else parts[0] = first.subarray(n);
        length -= n;
      }
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let copied = 0;
    let index = 0;
    while (copied < n) {
      const part = parts[index] as Buffer;
      const count = Math.min(part.length, n - copied);
      part.copy(out, copied, 0, count);
      copied += count;
      if (!consume) index++;
      else if (count === part.length) parts.shift();
      else parts[0] = part.subarray(count);
    }
    if (consume) length -= n;
    return out;
  };

  return {
    get length() {
      return length;
    },
    push(buf) {
      if (buf.length === 0) return;
      parts.push(buf);
      length += buf.length;
    },
    peek: (n) => take(n, false),
    take: (n) => take(n, true),
    takeParts(n) {
      if (n > length) throw new RangeError('byte queue underflow');
      const out: Buffer[] = [];
      let left = n;
      while (left > 0) {
        const part = parts[0] as Buffer;
        if (part.length <= left) {
          out.push(part);
          parts.shift();
          left -= part.length;
        } else {
          out.push(part.subarray(0, left));
          parts[0] = part.subarray(left);
          left = 0;
        }
      }
      length -= n;
      return out;
    },
  };
}
