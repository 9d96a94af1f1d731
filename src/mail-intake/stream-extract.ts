import { randomBytes } from 'node:crypto';
import type * as openpgp from 'openpgp';
import {
  createArmorDecoder,
  createBase64Decoder,
  createSkeletonBuilder,
  isIdentityEncoding,
  type LeafInfo,
  type LeafSink,
  UnstreamableMimeError,
} from '../mail/index.js';
import { createSeipdV1StreamDecryptor, type OpenPgpDecryptError } from '../openpgp/index.js';
import type { MailSpool, SpooledFile, SpoolWriter } from './mail-spool.js';
import { simpleParser } from './mailparser.js';

/**
 * A spooled mail opened in one pass over its file, without holding it: the PGP/MIME payload is
 * decrypted as it is read (`seipd-stream.ts`), the decrypted entity split as it comes out
 * (`mime-stream.ts`), and each large attachment decoded into a spool file of its own. What is left
 * in memory is the mail's skeleton — its headers, delimiters and texts, with a token where each
 * large body was — and `pgp-extract.ts` reads that as it would the whole mail, asking `spilled`
 * what each token stands for.
 *
 * Nothing decrypted counts before the payload's MDC has verified: until then the attachments'
 * files are only candidates, removed (and the payload recorded as failed) when it does not verify.
 * A mail that is not PGP/MIME has its large attachments spilled the same way. A payload this pass
 * does not open — another kind of OpenPGP message, a compressed or signed plaintext — comes back
 * `undefined` with every file of the mail removed, and the mail is read whole as before.
 */

export type Spilled =
  | { kind: 'file'; file: SpooledFile }
  | { kind: 'decrypted'; skeleton: Buffer; bytes: number; filename?: string }
  | { kind: 'failed'; reason: OpenPgpDecryptError['reason'] };

/** What the tokens of one streamed mail stand for. */
export interface SpillLookup {
  /** What a body that is exactly one token stands for. */
  get(body: Buffer): Spilled | undefined;
  /** Whether an entity holds a token of this mail (and must be split rather than parsed whole). */
  marks(entity: Buffer): boolean;
}

export interface StreamedMail {
  skeleton: Buffer;
  spilled: SpillLookup;
  /** Remove every file this mail spilled; call once the mail is settled. */
  remove(): Promise<void>;
}

export interface StreamOptions {
  decryptionKeys: openpgp.PrivateKey[];
  /** The most the payload may decrypt to (the extraction's limit for its first decryption). */
  maxBytes: number;
  /** Bodies from this size on are spilled. */
  spillFrom: number;
}

export async function streamMail(
  spooled: SpooledFile,
  spool: MailSpool,
  options: StreamOptions,
): Promise<StreamedMail | undefined> {
  const prefix = `vigil-spilled-${randomBytes(16).toString('hex')}-`;
  const entries = new Map<string, Spilled>();
  /** Files finished, and writers still open: all are removed unless the mail is settled whole. */
  const files: SpooledFile[] = [];
  const open = new Set<SpoolWriter>();
  let count = 0;
  let fallback = false;

  const remove = async () => {
    await Promise.allSettled([...open].map((w) => w.discard()));
    open.clear();
    await Promise.allSettled(files.map((f) => f.remove()));
    files.length = 0;
  };

  /** An attachment's body, decoded on its way to a spool file of its own. */
  async function attachmentSink(leaf: LeafInfo): Promise<{ token: string; sink: LeafSink } | undefined> {
    if (leaf.ancestors.some((a) => a.type === 'multipart/alternative' || a.type === 'multipart/signed'))
      return undefined;
    const type = leaf.contentType.type;
    if (type.startsWith('message/') || type.startsWith('multipart/')) return undefined;
    const base64 = leaf.encoding === 'base64';
    if (!base64 && !isIdentityEncoding(leaf.encoding)) return undefined;
    // As `readLarge` decides: mailparser, reading the header alone, takes it for an attachment.
    const meta = await simpleParser(leaf.header, {
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
    }).catch(() => undefined);
    if (!meta?.attachments[0]) return undefined;
    const token = `${prefix}${count++}`;
    const writer = spool.create();
    open.add(writer);
    const put = async (b: Buffer) => {
      if (!writer.write(b)) await writer.drained();
    };
    const decoder = base64 ? createBase64Decoder(put) : undefined;
    return {
      token,
      sink: {
        write: (chunk) => (decoder ? decoder.write(chunk) : put(chunk)),
        async end() {
          await decoder?.end();
          open.delete(writer);
          const file = await writer.finish();
          files.push(file);
          entries.set(token, { kind: 'file', file });
        },
      },
    };
  }

  /** The PGP/MIME payload (the second part of a root multipart/encrypted), decrypted as it streams. */
  async function payloadSink(leaf: LeafInfo): Promise<{ token: string; sink: LeafSink } | undefined> {
    const root = leaf.ancestors[0];
    if (
      leaf.ancestors.length !== 1 ||
      leaf.index !== 1 ||
      root?.type !== 'multipart/encrypted' ||
      root.params.protocol?.toLowerCase() !== 'application/pgp-encrypted' ||
      !isIdentityEncoding(leaf.encoding)
    )
      return undefined;
    const token = `${prefix}${count++}`;
    const inner = createSkeletonBuilder({ spillFrom: options.spillFrom, spill: attachmentSink });
    const decryptor = createSeipdV1StreamDecryptor({
      decryptionKeys: options.decryptionKeys,
      maxBytes: options.maxBytes,
      literal: (chunk) => inner.write(chunk),
    });
    const armor = createArmorDecoder((binary) => decryptor.write(binary));
    return {
      token,
      sink: {
        write: (chunk) => armor.write(chunk),
        async end() {
          await armor.end();
          const outcome = armor.refused ? ({ kind: 'unsupported' } as const) : await decryptor.end();
          if (outcome.kind === 'unsupported') {
            fallback = true;
            return;
          }
          if (outcome.kind === 'failed') {
            // Not verified (or too large): nothing it produced may be kept.
            await remove();
            entries.set(token, { kind: 'failed', reason: outcome.reason });
            return;
          }
          const skeleton = await inner.end();
          entries.set(token, {
            kind: 'decrypted',
            skeleton,
            bytes: outcome.bytes,
            ...(outcome.filename ? { filename: outcome.filename } : {}),
          });
        },
      },
    };
  }

  // The PGP/MIME payload is decrypted; in a mail that is not encrypted, attachments are spilled
  // as they are inside one.
  const outer = createSkeletonBuilder({
    spillFrom: options.spillFrom,
    spill: async (leaf) => (await payloadSink(leaf)) ?? attachmentSink(leaf),
  });
  let skeleton: Buffer;
  try {
    for await (const chunk of spooled.stream() as AsyncIterable<Buffer>) await outer.write(chunk);
    skeleton = await outer.end();
  } catch (err) {
    await remove();
    if (err instanceof UnstreamableMimeError) return undefined;
    throw err;
  }
  // A payload of a kind read whole: the usual way. (With nothing spilled at all, the skeleton is
  // the mail itself, byte for byte.)
  if (fallback) {
    await remove();
    return undefined;
  }
  const marker = Buffer.from(prefix, 'latin1');
  return {
    skeleton,
    spilled: {
      get(body) {
        if (body.length > prefix.length + 12 || !body.subarray(0, marker.length).equals(marker))
          return undefined;
        return entries.get(body.toString('latin1'));
      },
      marks: (entity) => entity.includes(marker),
    },
    remove,
  };
}
