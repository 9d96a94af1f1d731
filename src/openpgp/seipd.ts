import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import * as openpgp from 'openpgp';

/**
 * The symmetric half of decrypting the messages reporters send most: a session key encrypted to
 * the program's key, then one version 1 Symmetrically Encrypted Integrity Protected Data packet
 * (SEIPD v1, RFC 9580 5.13.1, AES with a SHA-1 modification detection code), which is what GnuPG,
 * Thunderbird and most clients write for a v4 key. openpgp still opens the session key (the
 * public-key step); the data is decrypted here with node:crypto in one pass over the bytes, the
 * MDC checked over the whole plaintext before any of it is used, and the literal data packet
 * read in place. openpgp's own path runs every layer through its web-stream machinery and copies
 * the message at each: for a 14 MB payload it took 270–660 ms and most of the garbage collector's
 * time, where AES-CFB and SHA-1 take about 45 ms.
 *
 * Anything else (an AEAD packet, SEIPD v2, a cipher other than AES, a compressed or signed inner
 * message for the literal step) is left to openpgp: `undefined` tells the caller to take its path.
 */

/** One packet of a binary message: its tag and its body, in segments when it has partial lengths. */
interface Packet {
  tag: number;
  segments: Buffer[];
  bytes: number;
}

const TAG = {
  pkesk: 1,
  skesk: 3,
  literal: 11,
  marker: 10,
  seipd: 18,
  padding: 21,
} as const;

/** What a SEIPD v1 plaintext may hold: signatures, one-pass signatures, compressed and literal data, padding. */
const INNER_TAGS = new Set([2, 4, 8, 11, 21]);

/** Packets whose body may come in partial lengths (RFC 9580 4.2.1.4). */
const MAY_BE_PARTIAL = new Set([8, 9, 11, 18, 20]);

/** The packets of `bytes` in order, or undefined when they are not framed as OpenPGP packets. */
export function packetsOf(bytes: Buffer): Packet[] | undefined {
  const out: Packet[] = [];
  let at = 0;
  const need = (n: number) => at + n <= bytes.length;
  while (at < bytes.length) {
    const head = bytes[at++] as number;
    if ((head & 0x80) === 0) return undefined;
    const segments: Buffer[] = [];
    let total = 0;
    const take = (length: number): boolean => {
      if (!need(length)) return false;
      segments.push(bytes.subarray(at, at + length));
      total += length;
      at += length;
      return true;
    };
    let tag: number;
    if (head & 0x40) {
      tag = head & 0x3f;
      // New format: a body may come in partial lengths, each a power of two, the last one whole.
      for (;;) {
        if (!need(1)) return undefined;
        const l0 = bytes[at++] as number;
        if (l0 < 192) {
          if (!take(l0)) return undefined;
          break;
        }
        if (l0 < 224) {
          if (!need(1)) return undefined;
          const length = ((l0 - 192) << 8) + (bytes[at++] as number) + 192;
          if (!take(length)) return undefined;
          break;
        }
        if (l0 === 255) {
          if (!need(4)) return undefined;
          const length = bytes.readUInt32BE(at);
          at += 4;
          if (!take(length)) return undefined;
          break;
        }
        if (!MAY_BE_PARTIAL.has(tag) || !take(1 << (l0 & 0x1f))) return undefined;
      }
    } else {
      // Old format: the length's size is in the tag byte; type 3 runs to the end of the input.
      tag = (head >> 2) & 0x0f;
      const lengthType = head & 0x03;
      if (lengthType === 3) {
        if (!take(bytes.length - at)) return undefined;
      } else {
        const size = 1 << lengthType;
        if (!need(size)) return undefined;
        const length =
          size === 1 ? (bytes[at] as number) : size === 2 ? bytes.readUInt16BE(at) : bytes.readUInt32BE(at);
        at += size;
        if (!take(length)) return undefined;
      }
    }
    out.push({ tag, segments, bytes: total });
  }
  return out;
}

/** A packet's body as one buffer: its only segment, else the segments joined. */
const bodyOf = (p: Packet): Buffer =>
  p.segments.length === 1 ? (p.segments[0] as Buffer) : Buffer.concat(p.segments, p.bytes);

const AES_CFB: Record<string, string> = {
  aes128: 'aes-128-cfb',
  aes192: 'aes-192-cfb',
  aes256: 'aes-256-cfb',
};
const AES_KEY_BYTES: Record<string, number> = { aes128: 16, aes192: 24, aes256: 32 };
const BLOCK = 16;
/** The MDC packet at the end of the plaintext: tag 19, length 20, then the SHA-1. */
const MDC_BYTES = 22;

/**
 * The plaintext packets of a SEIPD v1 body (after its version byte), or undefined when the MDC
 * does not match: a wrong session key or a changed ciphertext. The plaintext is written into one
 * buffer as it is decrypted; its random prefix and the MDC packet are cut off. `inPlace` names
 * the buffer the ciphertext segments lie in, from the first one on, when it may be overwritten:
 * each segment's plaintext is written where it and the segments before it were (never past what
 * was read), so the message is not held twice.
 */
function openSeipdV1(
  algorithm: string,
  key: Uint8Array,
  ciphertext: Buffer[],
  bytes: number,
  inPlace?: Buffer,
): Buffer | undefined {
  const name = AES_CFB[algorithm];
  if (!name || key.length !== AES_KEY_BYTES[algorithm] || bytes < BLOCK + 2 + MDC_BYTES) return undefined;
  const decipher = createDecipheriv(name, key, Buffer.alloc(BLOCK));
  const plain = inPlace && inPlace.length >= bytes ? inPlace.subarray(0, bytes) : Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const segment of ciphertext) {
    if (segment.length === 0) continue;
    at += decipher.update(segment).copy(plain, at);
  }
  at += decipher.final().copy(plain, at);
  const mdcAt = at - MDC_BYTES;
  if (plain[mdcAt] !== 0xd3 || plain[mdcAt + 1] !== 0x14) return undefined;
  // The code covers the prefix, the packets and the MDC packet's own two header bytes.
  const digest = createHash('sha1')
    .update(plain.subarray(0, mdcAt + 2))
    .digest();
  if (!timingSafeEqual(digest, plain.subarray(mdcAt + 2, at))) return undefined;
  return plain.subarray(BLOCK + 2, mdcAt);
}

/** A literal data packet's content and filename, its partial segments joined in place. */
function literalOf(p: Packet, within: Buffer): { data: Buffer; filename: string } | undefined {
  let body: Buffer;
  if (p.segments.length === 1) body = p.segments[0] as Buffer;
  else {
    // The segments lie in `within` in order, each after its length byte: moving each down onto the
    // end of the one before joins them without a second buffer (copy handles the overlap).
    const first = p.segments[0] as Buffer;
    const start = first.byteOffset - within.byteOffset;
    let end = start;
    for (const segment of p.segments) {
      end += segment.copy(within, end);
    }
    body = within.subarray(start, end);
  }
  // Format octet, filename length and name, a four-octet date, then the data.
  const nameBytes = body[1];
  if (nameBytes === undefined || body.length < 6 + nameBytes) return undefined;
  return {
    filename: body.toString('utf8', 2, 2 + nameBytes),
    data: body.subarray(6 + nameBytes),
  };
}

export interface SeipdResult {
  data: Buffer;
  /** The inner message when it is more than one literal packet (signed, compressed): openpgp reads it. */
  inner?: openpgp.Message<Uint8Array>;
  filename?: string;
}

/**
 * Decrypt a binary OpenPGP message when it is session keys followed by one SEIPD v1 packet with
 * AES; undefined for any other shape (the caller hands it to openpgp). Throws what openpgp throws
 * when no key opens a session key, and `Modification detected` when no session key yields a
 * plaintext whose MDC matches.
 */
export async function decryptSeipdV1(
  binary: Buffer,
  decryptionKeys: openpgp.PrivateKey[],
  config: Partial<openpgp.Config>,
  /** `binary` is the caller's to give up (decoded from armour): it may be overwritten. */
  owned = false,
): Promise<SeipdResult | undefined> {
  const packets = packetsOf(binary);
  if (!packets) return undefined;
  const sessionKeyPackets = new openpgp.PacketList<openpgp.AnyPacket>();
  let i = 0;
  for (; i < packets.length; i++) {
    const p = packets[i] as Packet;
    if (p.tag === TAG.marker || p.tag === TAG.padding) continue;
    if (p.tag === TAG.skesk) continue;
    if (p.tag !== TAG.pkesk) break;
    const pkesk = new openpgp.PublicKeyEncryptedSessionKeyPacket();
    try {
      pkesk.read(bodyOf(p));
    } catch {
      return undefined;
    }
    // Only v3 session keys name their cipher; a v6 one belongs to SEIPD v2.
    if ((pkesk as unknown as { version: number }).version !== 3) return undefined;
    sessionKeyPackets.push(pkesk);
  }
  const data = packets[i];
  if (!data || i !== packets.length - 1 || data.tag !== TAG.seipd || sessionKeyPackets.length === 0)
    return undefined;
  const first = data.segments.find((s) => s.length > 0);
  if (first?.[0] !== 1) return undefined;
  // The version octet is the first byte of the body; the rest is the ciphertext.
  const ciphertext = data.segments.map((s) => (s === first ? s.subarray(1) : s));

  const message = new openpgp.Message(sessionKeyPackets);
  const sessionKeys = await openpgp.decryptSessionKeys({ message, decryptionKeys, config });
  if (sessionKeys.some((k) => !k.algorithm || !AES_CFB[k.algorithm])) return undefined;
  // In place only when one session key is to be tried: a second try needs the ciphertext again.
  const start = (ciphertext.find((s) => s.length > 0) ?? first).byteOffset - binary.byteOffset;
  const inPlace = owned && sessionKeys.length === 1 ? binary.subarray(start) : undefined;
  let plain: Buffer | undefined;
  for (const k of sessionKeys) {
    plain = openSeipdV1(k.algorithm as string, k.data, ciphertext, data.bytes - 1, inPlace);
    if (plain) break;
  }
  if (!plain) throw new Error('Modification detected.');

  const inner = packetsOf(plain);
  const only = inner?.length === 1 ? inner[0] : undefined;
  if (only?.tag === TAG.literal) {
    const literal = literalOf(only, plain);
    if (!literal) throw new Error('Malformed literal data packet');
    return { data: literal.data, ...(literal.filename ? { filename: literal.filename } : {}) };
  }
  // Signed or compressed: openpgp reads the plaintext packets, as it would after its own decryption,
  // which allows only these inside SEIPD.
  if (!inner || inner.some((p) => !INNER_TAGS.has(p.tag)))
    throw new Error('Packet not allowed in this context');
  const innerMessage = await openpgp.readMessage({ binaryMessage: plain, config });
  return { data: plain, inner: innerMessage };
}
