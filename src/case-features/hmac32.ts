import { createHash } from 'node:crypto';

/**
 * HMAC-SHA256 truncated to its first 32 bits, for the many short messages one case digest hashes
 * under one key (a few hundred words, word pairs and endpoints per report). The result is exactly
 * `createHmac('sha256', key).update(message).digest().readUInt32BE(0)`; what differs is the cost.
 * node:crypto builds an HMAC context per call (about 8 µs each, a third of a report's intake CPU
 * in all); here the key's inner and outer padded blocks are compressed once, so a short message
 * costs two SHA-256 compressions in plain JavaScript (about 1 µs).
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);

/** One SHA-256 compression of the 64-byte block at `block[offset…]` into `state`. */
function compress(state: Int32Array, block: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    W[i] =
      ((block[j] as number) << 24) |
      ((block[j + 1] as number) << 16) |
      ((block[j + 2] as number) << 8) |
      (block[j + 3] as number);
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15] as number;
    const w2 = W[i - 2] as number;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + (K[i] as number) + (W[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

const encoder = new TextEncoder();

/** A function giving the first 32 bits of HMAC-SHA256(key, domain ‖ 0 ‖ value). */
export type Hmac32 = (domain: string, value: string) => number;

/** Build the hasher for one key (its two padded blocks compressed once). */
export function createHmac32(key: Uint8Array): Hmac32 {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? createHash('sha256').update(key).digest() : key);
  const pad = new Uint8Array(64);
  const inner0 = new Int32Array(IV);
  const outer0 = new Int32Array(IV);
  for (let i = 0; i < 64; i++) pad[i] = (k[i] as number) ^ 0x36;
  compress(inner0, pad, 0);
  for (let i = 0; i < 64; i++) pad[i] = (k[i] as number) ^ 0x5c;
  compress(outer0, pad, 0);
  k.fill(0);
  pad.fill(0);

  const state = new Int32Array(8);
  const outer = new Uint8Array(64);
  let buf = new Uint8Array(256);

  return (domain, value) => {
    // The message, then SHA-256 padding, in whole blocks: 0x80, zeros, the bit length (the 64
    // key bytes included) in the last 8 bytes.
    const most = (domain.length + value.length) * 3 + 1 + 9;
    if (buf.length < most + 64) buf = new Uint8Array(2 * (most + 64));
    let n = encoder.encodeInto(domain, buf).written;
    buf[n++] = 0;
    n += encoder.encodeInto(value, buf.subarray(n)).written;
    const bits = (64 + n) * 8;
    const blocks = Math.ceil((n + 9) / 64);
    const end = blocks * 64;
    buf[n] = 0x80;
    buf.fill(0, n + 1, end - 4);
    // Messages here are far below 2^32 bits: the high word of the length stays 0.
    buf[end - 4] = bits >>> 24;
    buf[end - 3] = bits >>> 16;
    buf[end - 2] = bits >>> 8;
    buf[end - 1] = bits;
    state.set(inner0);
    for (let o = 0; o < end; o += 64) compress(state, buf, o);
    // Outer hash: the 32-byte inner digest, padded, in one block of (64 + 32) bytes in all.
    for (let i = 0; i < 8; i++) {
      const v = state[i] as number;
      outer[i * 4] = v >>> 24;
      outer[i * 4 + 1] = v >>> 16;
      outer[i * 4 + 2] = v >>> 8;
      outer[i * 4 + 3] = v;
    }
    outer[32] = 0x80;
    outer.fill(0, 33, 62);
    outer[62] = (96 * 8) >>> 8;
    outer[63] = (96 * 8) & 0xff;
    state.set(outer0);
    compress(state, outer, 0);
    return (state[0] as number) >>> 0;
  };
}
