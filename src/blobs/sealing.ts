import { createHash, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createDecryptStream, createEncryptStream, type Keyring } from '../crypto/index.js';
import { BlobTooLargeError, InvalidBlobKeyError } from './errors.js';

/**
 * What every blob store does to bytes before they leave the process and after they come back,
 * whatever the backend: plaintext is counted, hashed and limited, then encrypted with the stream
 * cipher under AAD `vigil-blob:<key>:<aad>`. A backend only ever sees ciphertext, and a stored
 * blob opens only under its own key and for its own owner.
 */

const KEY_PATTERN = /^[0-9a-f]{32}$/;

/** Whether `key` has the shape of a blob key; the only check standing between keys and paths. */
export function isBlobKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}

/** Generates a random 128-bit blob key. */
export function newBlobKey(): string {
  return randomBytes(16).toString('hex');
}

/** Refuses a key that is not a blob key, before it becomes part of a path or object name. */
export function checkBlobKey(key: string): string {
  if (!isBlobKey(key)) throw new InvalidBlobKeyError();
  return key;
}

/** Refuses a limit that cannot be meant (negative, fractional, not a number). */
export function checkLimit(maxBytes: number): void {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError('maxBytes must be a non-negative integer');
  }
}

/** The AAD a blob is sealed under: its key (so it cannot be swapped) and its owner's AAD. */
export function blobAad(key: string, aad: string): string {
  // The key has a fixed length, so this concatenation is unambiguous.
  return `vigil-blob:${key}:${aad}`;
}

/** The stages plaintext passes on its way to a backend, and what they learnt about it. */
export interface Sealing {
  /** Meter, then cipher: pipe the source through these, and the last one's output to the backend. */
  stages: [Transform, Transform];
  /** Plaintext bytes seen so far. */
  size(): number;
  /** Hex SHA-256 of the plaintext; call once, after the stream has ended. */
  sha256(): string;
}

/** The stages that turn a blob's plaintext into what is stored under `key`. */
export function sealingStages(keyring: Keyring, key: string, aad: string, maxBytes: number): Sealing {
  const meter = createMeter(maxBytes);
  return {
    stages: [meter.stream, createEncryptStream(keyring, blobAad(key, aad))],
    size: meter.size,
    sha256: meter.sha256,
  };
}

/** The stream that turns stored bytes of `key` back into plaintext, verifying every chunk. */
export function openingStream(keyring: Keyring, key: string, aad: string): Transform {
  return createDecryptStream(keyring, blobAad(key, aad));
}

// Counts and hashes plaintext on its way to the cipher, failing the pipeline once over the limit.
function createMeter(maxBytes: number) {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.length;
      if (size > maxBytes) return callback(new BlobTooLargeError(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, size: () => size, sha256: () => hash.digest('hex') };
}
