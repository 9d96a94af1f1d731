import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import * as openpgp from 'openpgp';
import { OpenPgpDecryptError } from './decrypt.js';

/**
 * `seipd.ts` as a stream: a binary OpenPGP message that is session keys and one SEIPD v1 packet
 * with AES, whose plaintext is one literal data packet, decrypted as its bytes arrive, the literal
 * data handed on chunk by chunk. The MDC is only known at the end, so the caller must hold what it
 * is given as unverified until `end` answers `ok`: spool it somewhere it can be thrown away, and
 * throw it away on anything else.
 *
 * Any other shape (several session keys that open, SEIPD v2 or AEAD, another cipher, a compressed
 * or signed plaintext, packets after the data) is answered `unsupported` as soon as it shows, and
 * the rest of the input is ignored: the caller reads the message whole the usual way instead.
 */

export type StreamDecryptOutcome =
  | { kind: 'ok'; bytes: number; filename?: string }
  | { kind: 'failed'; reason: OpenPgpDecryptError['reason'] }
  | { kind: 'unsupported' };

export interface SeipdStreamDecryptor {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<StreamDecryptOutcome>;
}

const AES_CFB: Record<string, string> = {
  aes128: 'aes-128-cfb',
  aes192: 'aes-192-cfb',
  aes256: 'aes-256-cfb',
};
const AES_KEY_BYTES: Record<string, number> = { aes128: 16, aes192: 24, aes256: 32 };
const BLOCK = 16;
const MDC_BYTES = 22;
const MAX_SMALL_PACKET = 64 * 1024;
const TAG = { pkesk: 1, skesk: 3, marker: 10, literal: 11, seipd: 18, padding: 21 } as const;

/** A packet length read from `buf` at `at`: bytes of the body (or of this partial segment). */
interface Length {
  bytes: number;
  partial: boolean;
  /** Octets the length itself took. */
  size: number;
}

/** A new-format length at `at`; undefined when more bytes are needed. */
function newLength(buf: Buffer, at: number, mayBePartial: boolean): Length | 'invalid' | undefined {
  const l0 = buf[at];
  if (l0 === undefined) return undefined;
  if (l0 < 192) return { bytes: l0, partial: false, size: 1 };
  if (l0 < 224) {
    const l1 = buf[at + 1];
    if (l1 === undefined) return undefined;
    return { bytes: ((l0 - 192) << 8) + l1 + 192, partial: false, size: 2 };
  }
  if (l0 === 255) {
    if (buf.length < at + 5) return undefined;
    return { bytes: buf.readUInt32BE(at + 1), partial: false, size: 5 };
  }
  return mayBePartial ? { bytes: 1 << (l0 & 0x1f), partial: true, size: 1 } : 'invalid';
}

/** A packet header at the start of `buf`: tag, first length; undefined when more bytes are needed. */
function packetHeader(
  buf: Buffer,
  mayBePartial: (tag: number) => boolean,
): { tag: number; length: Length; size: number } | 'invalid' | undefined {
  const head = buf[0];
  if (head === undefined) return undefined;
  if ((head & 0x80) === 0) return 'invalid';
  if (head & 0x40) {
    const tag = head & 0x3f;
    const length = newLength(buf, 1, mayBePartial(tag));
    if (length === undefined || length === 'invalid') return length;
    return { tag, length, size: 1 + length.size };
  }
  const tag = (head >> 2) & 0x0f;
  const lengthType = head & 0x03;
  if (lengthType === 3)
    return { tag, length: { bytes: Number.POSITIVE_INFINITY, partial: false, size: 0 }, size: 1 };
  const size = 1 << lengthType;
  if (buf.length < 1 + size) return undefined;
  const bytes = size === 1 ? (buf[1] as number) : size === 2 ? buf.readUInt16BE(1) : buf.readUInt32BE(1);
  return { tag, length: { bytes, partial: false, size }, size: 1 + size };
}

const MAY_BE_PARTIAL = new Set([8, 9, 11, 18, 20]);

/**
 * Reads a packet stream: whole small packets, then the body of the one large packet in segments.
 * `onPacket` sees each small packet's body; `onLarge` is asked (by tag) whether a packet is the
 * large one, whose body then goes to `onBody` as it comes.
 */
class PacketReader {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of the current segment still to come, when inside the large packet. */
  private remaining = 0;
  private partial = false;
  private inLarge = false;
  /** The large packet has ended: any byte more is a packet after it. */
  done = false;

  constructor(
    private readonly handlers: {
      onSmall(tag: number, body: Buffer): 'stop' | undefined;
      isLarge(tag: number): boolean;
      onBody(chunk: Buffer): Promise<void> | void;
      /** Bytes after the large packet's end. */
      onTrailing(): void;
      onInvalid(): void;
    },
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.buf.length === 0) return;
      if (this.done) {
        this.buf = Buffer.alloc(0);
        this.handlers.onTrailing();
        return;
      }
      if (this.inLarge) {
        if (this.remaining > 0) {
          const n = Math.min(this.remaining, this.buf.length);
          const body = this.buf.subarray(0, n);
          this.buf = this.buf.subarray(n);
          this.remaining -= n;
          await this.handlers.onBody(body);
          continue;
        }
        if (!this.partial) {
          this.done = true;
          continue;
        }
        const length = newLength(this.buf, 0, true);
        if (length === undefined) return this.keep();
        if (length === 'invalid') return this.handlers.onInvalid();
        this.buf = this.buf.subarray(length.size);
        this.remaining = length.bytes;
        this.partial = length.partial;
        continue;
      }
      const header = packetHeader(this.buf, (tag) => MAY_BE_PARTIAL.has(tag));
      if (header === undefined) return this.keep();
      if (header === 'invalid') return this.handlers.onInvalid();
      if (this.handlers.isLarge(header.tag)) {
        this.buf = this.buf.subarray(header.size);
        this.inLarge = true;
        this.remaining = header.length.bytes;
        this.partial = header.length.partial;
        continue;
      }
      if (header.length.partial || header.length.bytes > MAX_SMALL_PACKET) return this.handlers.onInvalid();
      if (this.buf.length < header.size + header.length.bytes) return this.keep();
      const body = Buffer.from(this.buf.subarray(header.size, header.size + header.length.bytes));
      this.buf = this.buf.subarray(header.size + header.length.bytes);
      if (this.handlers.onSmall(header.tag, body) === 'stop') {
        this.buf = Buffer.alloc(0);
        return;
      }
    }
  }

  private keep(): void {
    this.buf = Buffer.from(this.buf);
  }

  /** Whether the input ended exactly at the end of the large packet. */
  get complete(): boolean {
    return this.inLarge && this.buf.length === 0 && this.remaining === 0 && !this.partial;
  }

  /** For a large packet of indeterminate length (old format, to the end of the input). */
  get open(): boolean {
    return this.inLarge && this.remaining === Number.POSITIVE_INFINITY;
  }
}

export function createSeipdV1StreamDecryptor(opts: {
  decryptionKeys: openpgp.PrivateKey[];
  /** Literal data past this many bytes fails the message as `too-large` (after its MDC is checked). */
  maxBytes: number;
  /** The literal data, unverified until `end` answers `ok`. */
  literal(chunk: Buffer): Promise<void> | void;
}): SeipdStreamDecryptor {
  let outcome: StreamDecryptOutcome | undefined;
  const sessionPackets = new openpgp.PacketList<openpgp.AnyPacket>();
  let decipher: ReturnType<typeof createDecipheriv> | undefined;
  let versionSeen = false;
  const sha1 = createHash('sha1');
  /** The last MDC_BYTES of plaintext seen: the MDC packet, once the input ends. */
  let tail = Buffer.alloc(0);
  let plainBytes = 0;
  let prefixLeft = BLOCK + 2;
  let literalBytes = 0;
  let tooLarge = false;
  let filename: string | undefined;
  let literalHeaderLeft = -1;
  let literalHead: Buffer[] = [];

  const unsupported = () => {
    outcome ??= { kind: 'unsupported' };
  };
  const failed = (reason: OpenPgpDecryptError['reason']) => {
    outcome ??= { kind: 'failed', reason };
  };

  // The plaintext's own packets: one literal data packet, its body handed on after its header.
  const inner = new PacketReader({
    onSmall: () => {
      unsupported();
      return 'stop';
    },
    isLarge: (tag) => {
      if (tag !== TAG.literal) return false;
      literalHeaderLeft = 2;
      return true;
    },
    onBody: async (chunk) => {
      let data = chunk;
      if (literalHeaderLeft !== 0) {
        // Format octet, filename length, filename, four-octet date.
        literalHead.push(Buffer.from(chunk));
        const head = Buffer.concat(literalHead);
        if (literalHeaderLeft === 2 && head.length >= 2) literalHeaderLeft = 6 + (head[1] as number);
        if (literalHeaderLeft === 2 || head.length < literalHeaderLeft) return;
        const nameBytes = head[1] as number;
        filename = head.toString('utf8', 2, 2 + nameBytes) || undefined;
        data = head.subarray(literalHeaderLeft);
        literalHeaderLeft = 0;
        literalHead = [];
      }
      if (data.length === 0 || tooLarge) return;
      literalBytes += data.length;
      if (literalBytes > opts.maxBytes) {
        tooLarge = true;
        return;
      }
      await opts.literal(data);
    },
    onTrailing: unsupported,
    // A packet this does not read (compressed, signed, whatever it is): the message is read whole.
    onInvalid: unsupported,
  });

  async function plaintext(piece: Buffer): Promise<void> {
    if (piece.length === 0) return;
    sha1.update(piece);
    plainBytes += piece.length;
    let rest = piece;
    if (prefixLeft > 0) {
      const n = Math.min(prefixLeft, rest.length);
      prefixLeft -= n;
      rest = rest.subarray(n);
    }
    if (rest.length > 0 && outcome === undefined) await inner.write(rest);
  }

  /** Plaintext as it is deciphered, the last MDC_BYTES held back. */
  async function deciphered(plain: Buffer): Promise<void> {
    if (plain.length === 0) return;
    if (plain.length >= MDC_BYTES) {
      const held = tail;
      tail = Buffer.from(plain.subarray(plain.length - MDC_BYTES));
      await plaintext(held);
      await plaintext(plain.subarray(0, plain.length - MDC_BYTES));
      return;
    }
    const joined = Buffer.concat([tail, plain]);
    const cut = Math.max(0, joined.length - MDC_BYTES);
    tail = Buffer.from(joined.subarray(cut));
    await plaintext(joined.subarray(0, cut));
  }

  async function openSession(): Promise<boolean> {
    if (sessionPackets.length === 0) {
      unsupported();
      return false;
    }
    let keys: Awaited<ReturnType<typeof openpgp.decryptSessionKeys>>;
    try {
      const message = new openpgp.Message(sessionPackets);
      keys = await openpgp.decryptSessionKeys({ message, decryptionKeys: opts.decryptionKeys });
    } catch {
      failed('no-key');
      return false;
    }
    const only = keys.length === 1 ? keys[0] : undefined;
    const name = only?.algorithm ? AES_CFB[only.algorithm] : undefined;
    if (!only || !name || only.data.length !== AES_KEY_BYTES[only.algorithm as string]) {
      unsupported();
      return false;
    }
    decipher = createDecipheriv(name, only.data, Buffer.alloc(BLOCK));
    return true;
  }

  let opening: Promise<boolean> | undefined;
  const outer = new PacketReader({
    onSmall: (tag, body) => {
      if (tag === TAG.marker || tag === TAG.padding || tag === TAG.skesk) return;
      if (tag !== TAG.pkesk) {
        unsupported();
        return 'stop';
      }
      const pkesk = new openpgp.PublicKeyEncryptedSessionKeyPacket();
      try {
        pkesk.read(body);
      } catch {
        unsupported();
        return 'stop';
      }
      if ((pkesk as unknown as { version: number }).version !== 3) {
        unsupported();
        return 'stop';
      }
      sessionPackets.push(pkesk);
    },
    isLarge: (tag) => tag === TAG.seipd,
    onBody: async (chunk) => {
      if (outcome) return;
      let data = chunk;
      if (!versionSeen) {
        versionSeen = true;
        if (data[0] !== 1) return unsupported();
        data = data.subarray(1);
        opening = openSession();
      }
      if (!(await opening) || outcome) return;
      await deciphered((decipher as NonNullable<typeof decipher>).update(data));
    },
    onTrailing: unsupported,
    onInvalid: unsupported,
  });

  return {
    async write(chunk) {
      if (outcome) return;
      try {
        await outer.write(chunk);
      } catch (err) {
        if (err instanceof OpenPgpDecryptError) failed(err.reason);
        else throw err;
      }
    },
    async end() {
      if (outcome) return outcome;
      if (!(outer.complete || outer.open) || !decipher) {
        // Cut short, or never reached its data: damaged (or not this kind of message at all).
        return versionSeen ? { kind: 'failed', reason: 'corrupt' } : { kind: 'unsupported' };
      }
      await deciphered(decipher.final());
      if (outcome) return outcome;
      if (plainBytes + tail.length < BLOCK + 2 + MDC_BYTES || tail.length !== MDC_BYTES)
        return { kind: 'failed', reason: 'corrupt' };
      if (tail[0] !== 0xd3 || tail[1] !== 0x14) return { kind: 'failed', reason: 'corrupt' };
      const digest = sha1.update(tail.subarray(0, 2)).digest();
      if (!timingSafeEqual(digest, tail.subarray(2))) return { kind: 'failed', reason: 'corrupt' };
      // Verified. What it held must also have been one whole literal packet.
      if (!inner.complete && !inner.open) return { kind: 'failed', reason: 'corrupt' };
      if (tooLarge) return { kind: 'failed', reason: 'too-large' };
      return { kind: 'ok', bytes: literalBytes, ...(filename ? { filename } : {}) };
    },
  };
}
