import type { CaseFeatures } from './extraction.js';
import { createHmac32, type Hmac32 } from './hmac32.js';

/**
 * The feature digest of a case: its similarity features (extraction.ts) as keyed hashes, so
 * duplicate suggestions can be scored without opening any candidate.
 *
 * Every feature — product id, version, CWE id, endpoint, word, word pair — becomes the first
 * 32 bits of HMAC-SHA256 under the program's digest key (a random key sealed under the instance
 * keyring, digest-keys.ts), with a domain byte per kind so a word and a path never collide on
 * purpose. What stays in clear is structure only: how many features of each kind, each word's
 * count in the case, and for endpoints whether it is a path, a query parameter or a host.
 * Someone reading the database without the master key cannot test a guessed word against a
 * digest, and digests of two programs (different keys) cannot be compared. What they can see,
 * inherent in comparing without a key: which cases of one program share features, and how
 * often a hashed feature recurs across the program's cases (frequency analysis of the most common
 * words is the residual risk; the truncation to 32 bits does not change that).
 *
 * Bounded size: at most `TERM_CAP` words and `BIGRAM_CAP` word pairs are kept, the most frequent
 * in the case first, ties by hash value. The tie-break is the same for every case of the program,
 * so two copies of one long text keep the same sample of its words (a consistent sample, as in
 * bottom-k sketches) and still score as near-identical. A report with fewer distinct words than
 * the caps — most reports — is digested whole, and scores as its clear text would, up to 32-bit
 * collisions.
 *
 * Binary format, version 1 (all integers big-endian):
 *
 *   u8 version (1) · u32 key id
 *   u8 P, then P × { u32 product · u8 V · V × u32 version }
 *   u8 C, then C × u32 cwe
 *   u16 E, then E × { u8 kind (0 path, 1 param, 2 host) · u32 endpoint }
 *   u16 T, then T × { u32 word · u16 count }
 *   u16 B, then B × { u32 word pair · u16 count }
 */

export const DIGEST_VERSION = 1;
export const TERM_CAP = 384;
export const BIGRAM_CAP = 256;
const ENDPOINT_CAP = 128;
const PRODUCT_CAP = 32;
const VERSION_CAP = 16;
const CWE_CAP = 32;
const COUNT_MAX = 0xffff;

/** A program's digest key, opened; `id` tells digests made under another key apart. */
export interface DigestKey {
  key: Buffer;
  id: number;
}

const ENDPOINT_KINDS = ['path', 'param', 'host'] as const;
type EndpointKind = (typeof ENDPOINT_KINDS)[number];

// One hasher per opened key (a key is opened once per request or pass, and held while used).
const hashers = new WeakMap<Buffer, Hmac32>();

/** The first 32 bits of HMAC-SHA256(key, domain ‖ 0 ‖ value) (hmac32.ts). */
function hash32(key: Buffer, domain: string, value: string): number {
  let h = hashers.get(key);
  if (!h) {
    h = createHmac32(key);
    hashers.set(key, h);
  }
  return h(domain, value);
}

/** The key's id: 32 bits of its HMAC over a fixed label, so the key itself is not revealed. */
export function digestKeyId(key: Buffer): number {
  return hash32(key, 'id', 'vigil/case-feature-digest');
}

/**
 * Features as keyed hashes: the same shape as clear features, each 32-bit hash written as a
 * two-character string (its 16-bit halves), the cheapest string a Map can key on.
 */
export interface HashedFeatures {
  keyId: number;
  features: CaseFeatures;
}

const k36 = (h: number) => String.fromCharCode(h >>> 16, h & 0xffff);

/**
 * The digest of clear features, as hashed features (caps applied), with `labels` mapping each
 * hashed key back to its clear text. Used for the asked case, whose own words may name the
 * reasons, and (through `encodeDigest`) to store a case's digest.
 */
export function hashFeatures(
  clear: CaseFeatures,
  key: DigestKey,
): { hashed: HashedFeatures; labels: Map<string, string> } {
  const labels = new Map<string, string>();
  const h = (domain: string, value: string) => {
    const hv = k36(hash32(key.key, domain, value));
    labels.set(hv, value);
    return hv;
  };
  const products = new Map<string, { name: string; versions: Set<string> }>();
  for (const [id, p] of [...clear.products].slice(0, PRODUCT_CAP)) {
    products.set(h('p', id), {
      name: p.name,
      versions: new Set([...p.versions].slice(0, VERSION_CAP).map((v) => h('v', v))),
    });
  }
  const cwes = new Set([...clear.cwes].slice(0, CWE_CAP).map((c) => h('c', c)));
  const endpoints = new Set<string>();
  for (const e of clear.endpoints) {
    if (endpoints.size >= ENDPOINT_CAP) break;
    const colon = e.indexOf(':');
    const kind = e.slice(0, colon);
    const hashed = `${kind}:${h('e', e)}`;
    labels.set(hashed, e);
    endpoints.add(hashed);
  }
  const sample = (domain: string, counts: Map<string, number>, cap: number) => {
    const all = [...counts].map(([t, n]) => ({ h: hash32(key.key, domain, t), t, n }));
    all.sort((x, y) => y.n - x.n || x.h - y.h);
    const out = new Map<string, number>();
    for (const { h: hv, t, n } of all.slice(0, cap)) {
      labels.set(k36(hv), t);
      out.set(k36(hv), Math.min(n, COUNT_MAX));
    }
    return out;
  };
  return {
    hashed: {
      keyId: key.id,
      features: {
        products,
        cwes,
        endpoints,
        terms: sample('t', clear.terms, TERM_CAP),
        bigrams: sample('b', clear.bigrams, BIGRAM_CAP),
      },
    },
    labels,
  };
}

/** Hashed features as stored bytes (format above). */
export function encodeDigest(d: HashedFeatures): Buffer {
  const f = d.features;
  const size =
    5 +
    1 +
    [...f.products.values()].reduce((n, p) => n + 5 + 4 * p.versions.size, 0) +
    1 +
    4 * f.cwes.size +
    2 +
    5 * f.endpoints.size +
    2 +
    6 * f.terms.size +
    2 +
    6 * f.bigrams.size;
  const buf = Buffer.alloc(size);
  let o = 0;
  const u8 = (n: number) => {
    o = buf.writeUInt8(n, o);
  };
  const u16 = (n: number) => {
    o = buf.writeUInt16BE(n, o);
  };
  const u32 = (n: number) => {
    o = buf.writeUInt32BE(n >>> 0, o);
  };
  const num = (k: string) => ((k.charCodeAt(0) << 16) | k.charCodeAt(1)) >>> 0;
  u8(DIGEST_VERSION);
  u32(d.keyId);
  u8(f.products.size);
  for (const [id, p] of f.products) {
    u32(num(id));
    u8(p.versions.size);
    for (const v of p.versions) u32(num(v));
  }
  u8(f.cwes.size);
  for (const c of f.cwes) u32(num(c));
  u16(f.endpoints.size);
  for (const e of f.endpoints) {
    const colon = e.indexOf(':');
    u8(ENDPOINT_KINDS.indexOf(e.slice(0, colon) as EndpointKind));
    u32(num(e.slice(colon + 1)));
  }
  for (const counts of [f.terms, f.bigrams]) {
    u16(counts.size);
    for (const [t, n] of counts) {
      u32(num(t));
      u16(n);
    }
  }
  return buf;
}

/**
 * Stored bytes back to hashed features (product names are unknown: empty). Null for a digest of
 * another format version or a damaged one, which is then treated like a missing digest.
 */
export function decodeDigest(buf: Buffer): HashedFeatures | null {
  try {
    let o = 0;
    const u8 = () => buf.readUInt8(o++);
    const u16 = () => {
      const n = buf.readUInt16BE(o);
      o += 2;
      return n;
    };
    const u32 = () => {
      const n = buf.readUInt32BE(o);
      o += 4;
      return n;
    };
    if (u8() !== DIGEST_VERSION) return null;
    const keyId = u32();
    const products = new Map<string, { name: string; versions: Set<string> }>();
    for (let i = u8(); i > 0; i--) {
      const id = k36(u32());
      const versions = new Set<string>();
      for (let j = u8(); j > 0; j--) versions.add(k36(u32()));
      products.set(id, { name: '', versions });
    }
    const cwes = new Set<string>();
    for (let i = u8(); i > 0; i--) cwes.add(k36(u32()));
    const endpoints = new Set<string>();
    for (let i = u16(); i > 0; i--) {
      const kind = ENDPOINT_KINDS[u8()];
      const h = k36(u32());
      if (kind) endpoints.add(`${kind}:${h}`);
    }
    const counts = () => {
      const out = new Map<string, number>();
      for (let i = u16(); i > 0; i--) {
        const h = k36(u32());
        out.set(h, u16());
      }
      return out;
    };
    const terms = counts();
    const bigrams = counts();
    if (o !== buf.length) return null;
    return { keyId, features: { products, cwes, endpoints, terms, bigrams } };
  } catch {
    return null;
  }
}
