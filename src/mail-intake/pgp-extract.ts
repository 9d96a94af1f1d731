import type { Attachment } from 'mailparser';
import * as openpgp from 'openpgp';
import type { Limits } from '../config/index.js';
import { decodeBase64Lines } from '../core/index.js';
import { canonicalCrlf, contentTypeOf, mimeDepth, parseEntity, splitMultipart } from '../mail/index.js';
import { decryptMessage, OpenPgpDecryptError, type SignatureStatus } from '../openpgp/index.js';
import type { SpooledFile } from './mail-spool.js';
import { cleanText } from './mail-text.js';
import { simpleParser } from './mailparser.js';
import type { SpillLookup } from './stream-extract.js';

/**
 * What a received mail says once its OpenPGP and MIME layers are opened: PGP/MIME (RFC 3156) and
 * inline PGP are decrypted with the program's keys, signatures (detached, inline, cleartext) are
 * checked against the keys the sender offered, and the text and attachments are pulled out of the
 * MIME tree. Nothing here decides where the mail goes or stores it.
 *
 * A crafted mail cannot make this expensive: nesting is bounded (`maxDepth`), decryptions per mail
 * are counted, and every decryption draws on one decompression budget per mail.
 */

export type DecryptFailure = OpenPgpDecryptError['reason'];

/** Decryptions per mail, bombs or not; each one costs a public-key operation. */
const MAX_DECRYPTIONS = 32;
/** Sender keys considered per mail. */
const MAX_SENDER_KEYS = 8;
const MAX_KEY_BYTES = 256 * 1024;

/** Transfer encodings under which a part's body is its content, byte for byte. */
const IDENTITY_ENCODINGS = new Set(['7bit', '8bit', 'binary']);

const BEGIN_MESSAGE = '-----BEGIN PGP MESSAGE-----';
const END_MESSAGE = '-----END PGP MESSAGE-----';
const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----';
const END_SIGNATURE = '-----END PGP SIGNATURE-----';

/** A file found in the mail, decrypted where it could be: in memory, or spooled (`stream-extract.ts`). */
export type FoundFile = { name: string; contentType: string } & ({ data: Buffer } | { file: SpooledFile });

/** A found file's size in bytes. */
export const sizeOfFile = (f: FoundFile): number => ('file' in f ? f.file.size : f.data.length);

/** What one pass over a mail found. */
export interface Extraction {
  texts: string[];
  files: FoundFile[];
  senderKeys: openpgp.PublicKey[];
  signature?: SignatureStatus;
  /**
   * The recorded signature covers everything read from the mail (a signed or signed-and-encrypted
   * root, or text that is nothing but one signed block), not just one part a sender could have
   * wrapped in words of their own.
   */
  signatureCoversAll: boolean;
  encrypted: boolean;
  failure?: DecryptFailure;
  decryptedFiles: number;
  fileFailures: DecryptFailure[];
  flags: Set<'nesting-too-deep' | 'unparseable'>;
  innerSubject?: string;
  /** Bytes that decryption may still produce for this mail (the decompression budget). */
  budget: number;
  decryptions: number;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  json: 'application/json',
  xml: 'application/xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
  pcap: 'application/vnd.tcpdump.pcap',
};

function stripPgpExtension(name: string): string {
  return name.replace(/\.(pgp|gpg|asc)$/i, '');
}

/** The first bytes of a binary OpenPGP message that starts with an encrypted session key. */
function looksLikeBinaryEncrypted(data: Buffer): boolean {
  const b = data[0];
  if (b === undefined) return false;
  // New-format packet tags 1 (PKESK) and 3 (SKESK); old-format tags 1 and 3, any length type.
  return b === 0xc1 || b === 0xc3 || (b >= 0x84 && b <= 0x87) || (b >= 0x8c && b <= 0x8f);
}

function startsWithArmor(data: Buffer, marker: string): boolean {
  return data.subarray(0, 1024).toString('latin1').trimStart().startsWith(marker);
}

function keyIdOf(sig: { keyID: openpgp.KeyID }): string {
  return sig.keyID.toHex().toUpperCase();
}

async function statusOf(
  sig: { keyID: openpgp.KeyID; verified: Promise<true> } | undefined,
  keys: openpgp.PublicKey[],
): Promise<SignatureStatus> {
  if (!sig) return { status: 'none' };
  const keyId = keyIdOf(sig);
  try {
    await sig.verified;
    const key = keys.find((k) => k.getKeys(sig.keyID).length > 0);
    return { status: 'valid', keyId, fingerprint: key ? key.getFingerprint().toUpperCase() : keyId };
  } catch (err) {
    const msg = err instanceof Error ? err.message : '';
    if (/Could not find signing key/i.test(msg)) return { status: 'unknown-key', keyId };
    return { status: 'invalid', keyId };
  }
}

/** Keys in an attachment or Autocrypt header: public parts only, whatever was sent. */
async function readSenderKeys(data: Buffer, armored: boolean): Promise<openpgp.PublicKey[]> {
  if (data.length > MAX_KEY_BYTES) return [];
  try {
    const keys = armored
      ? await openpgp.readKeys({ armoredKeys: data.toString('utf8') })
      : await openpgp.readKeys({ binaryKeys: data });
    return keys.slice(0, MAX_SENDER_KEYS).map((k) => (k.isPrivate() ? k.toPublic() : k));
  } catch {
    return [];
  }
}

/** `Autocrypt: addr=…; [prefer-encrypt=…;] keydata=<base64>`, only when addr is the From address. */
export async function autocryptKeys(
  values: string[],
  fromAddress: string | undefined,
): Promise<openpgp.PublicKey[]> {
  const out: openpgp.PublicKey[] = [];
  for (const value of values.slice(0, 4)) {
    const attrs = new Map<string, string>();
    for (const part of value.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) attrs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
    }
    const addr = attrs.get('addr');
    const keydata = attrs.get('keydata');
    // Autocrypt Level 1: a header whose addr differs from the From address is ignored.
    if (!addr || !keydata || addr.toLowerCase() !== fromAddress?.toLowerCase()) continue;
    out.push(...(await readSenderKeys(Buffer.from(keydata.replace(/\s+/g, ''), 'base64'), false)));
  }
  return out;
}

function uniqueKeys(keys: openpgp.PublicKey[]): openpgp.PublicKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const fp = k.getFingerprint();
    if (seen.has(fp)) return false;
    seen.add(fp);
    return true;
  });
}

/** The bounds of one extraction. */
export interface ExtractOptions {
  limits: Pick<Limits, 'maxFileBytes' | 'maxReportBytes'>;
  /** MIME and encryption layers opened at most. */
  maxDepth: number;
  /** Entities from this size on are opened part by part (default `LARGE_ENTITY_BYTES`). */
  largeEntityBytes?: number;
  /** The mail is a streamed skeleton (`stream-extract.ts`): what its tokens stand for. */
  spilled?: SpillLookup;
}

/**
 * Entities from this size on are opened part by part here rather than whole by mailparser, which
 * decodes every body into buffers of its own and is slow on large ones (measured on a 14 MB
 * decrypted entity with a 10 MB attachment: 35 MiB of RSS above the entity and 600 ms).
 */
export const LARGE_ENTITY_BYTES = 1024 * 1024;

/** One pass over a mail with the given keys; a second pass may follow with more sender keys. */
export async function extract(
  raw: Buffer,
  decryptionKeys: openpgp.PrivateKey[],
  verificationKeys: openpgp.PublicKey[],
  options: ExtractOptions,
): Promise<Extraction> {
  const { limits, maxDepth } = options;
  const largeEntityBytes = options.largeEntityBytes ?? LARGE_ENTITY_BYTES;
  const st: Extraction = {
    texts: [],
    files: [],
    senderKeys: [],
    signatureCoversAll: false,
    encrypted: false,
    decryptedFiles: 0,
    fileFailures: [],
    flags: new Set(),
    budget: limits.maxReportBytes,
    decryptions: 0,
  };

  async function decrypt(
    input: Buffer | string,
  ): Promise<
    | { ok: true; data: Buffer; signature: SignatureStatus; filename?: string }
    | { ok: false; reason: DecryptFailure }
  > {
    // Every decryption draws on one budget per mail, so many small bombs add up to one limit.
    const maxBytes = Math.min(limits.maxFileBytes, st.budget);
    if (st.decryptions >= MAX_DECRYPTIONS || maxBytes <= 0) return { ok: false, reason: 'too-large' };
    st.decryptions++;
    try {
      const r = await decryptMessage(input, decryptionKeys, { maxBytes, verificationKeys });
      st.budget -= r.data.length;
      return { ok: true, ...r };
    } catch (err) {
      return { ok: false, reason: err instanceof OpenPgpDecryptError ? err.reason : 'corrupt' };
    }
  }

  async function verifyDetached(signed: Buffer, sig: Buffer): Promise<SignatureStatus> {
    try {
      const signature = startsWithArmor(sig, '-----BEGIN PGP SIGNATURE-----')
        ? await openpgp.readSignature({ armoredSignature: sig.toString('latin1') })
        : await openpgp.readSignature({ binarySignature: sig });
      // RFC 3156 5: the signature covers the part with CRLF line ends, headers included.
      const message = await openpgp.createMessage({ binary: canonicalCrlf(signed) });
      const result = await openpgp.verify({ message, signature, verificationKeys, format: 'binary' });
      return await statusOf(result.signatures[0], verificationKeys);
    } catch {
      return { status: 'invalid', keyId: '' };
    }
  }

  /** The decoded body of a single MIME part (any transfer encoding), via mailparser. */
  async function partBody(part: Buffer): Promise<Buffer | undefined> {
    try {
      const parsed = await simpleParser(part, { skipHtmlToText: true, skipTextToHtml: true });
      const a = parsed.attachments[0];
      if (a) return a.content;
      return parsed.text !== undefined ? Buffer.from(parsed.text, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The OpenPGP message of a PGP/MIME part. Sent as it is (7bit, the armour) it is the part's
   * body itself, a view into the mail rather than a decoded copy of what may be most of it.
   */
  async function encryptedPayload(part: Buffer): Promise<Buffer | undefined> {
    const entity = parseEntity(part);
    const encoding = (entity.headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
    if (IDENTITY_ENCODINGS.has(encoding)) return entity.body.length > 0 ? entity.body : undefined;
    return partBody(part);
  }

  function noteSignature(s: SignatureStatus, coversAll: boolean) {
    // The outermost signature is the one recorded: it covers everything inside it.
    if (s.status !== 'none' && st.signature === undefined) {
      st.signature = s;
      st.signatureCoversAll = coversAll;
    }
  }

  /** `whole`: this entity is everything the mail holds (the root, or all a root layer wrapped). */
  async function walk(entityRaw: Buffer, depth: number, whole: boolean): Promise<void> {
    if (depth + mimeDepth(entityRaw, maxDepth - depth) > maxDepth) {
      st.flags.add('nesting-too-deep');
      return;
    }
    const entity = parseEntity(entityRaw);
    const ct = contentTypeOf(entity);
    const protocol = ct.params.protocol?.toLowerCase();
    if (ct.type === 'multipart/encrypted' && protocol === 'application/pgp-encrypted') {
      st.encrypted = true;
      // RFC 3156 4: the second part holds the OpenPGP message; the first only "Version: 1".
      const parts = splitMultipart(entity.body, ct.params.boundary ?? '');
      const payload = parts?.[1] ? await encryptedPayload(parts[1]) : undefined;
      if (!payload) {
        st.failure ??= 'corrupt';
        return;
      }
      // Decrypted already, as the mail streamed in: counted as a decryption like any other.
      const streamed = options.spilled?.get(payload);
      if (streamed?.kind === 'decrypted' || streamed?.kind === 'failed') {
        st.decryptions++;
        if (streamed.kind === 'failed') {
          st.failure ??= streamed.reason;
          return;
        }
        st.budget -= streamed.bytes;
        noteSignature({ status: 'none' }, whole);
        await walk(streamed.skeleton, depth + 1, whole);
        return;
      }
      const r = await decrypt(payload);
      if (!r.ok) {
        st.failure ??= r.reason;
        return;
      }
      noteSignature(r.signature, whole);
      await walk(r.data, depth + 1, whole);
      return;
    }
    if (ct.type === 'multipart/signed' && protocol === 'application/pgp-signature') {
      const parts = splitMultipart(entity.body, ct.params.boundary ?? '');
      const [signed, sigPart] = parts ?? [];
      if (signed && sigPart) {
        const sig = await partBody(sigPart);
        noteSignature(sig ? await verifyDetached(signed, sig) : { status: 'invalid', keyId: '' }, whole);
        await walk(signed, depth + 1, whole);
        return;
      }
    }
    await readEntity(entityRaw, depth, whole);
  }

  async function readEntity(entityRaw: Buffer, depth: number, whole: boolean): Promise<void> {
    const large = entityRaw.length >= largeEntityBytes || options.spilled?.marks(entityRaw) === true;
    if (large && (await readLarge(entityRaw, depth, whole))) return;
    let parsed: Awaited<ReturnType<typeof simpleParser>>;
    try {
      // HTML is only ever turned into text (mailparser drops scripts, styles and tags, and
      // decodes entities); the HTML itself is never kept.
      parsed = await simpleParser(entityRaw, {
        skipTextToHtml: true,
        skipImageLinks: true,
        skipTextLinks: true,
      });
    } catch {
      st.flags.add('unparseable');
      return;
    }
    if (depth > 0 && parsed.subject && st.innerSubject === undefined) {
      // Protected headers: an encrypted mail's real subject travels inside the encryption.
      st.innerSubject = parsed.subject;
    }
    // Inline signatures cover only the text: with attachments beside it, not the whole mail.
    const text = cleanText(
      await readInline(parsed.text ?? '', depth, whole && parsed.attachments.length === 0),
    );
    if (text !== '') st.texts.push(text);
    for (const a of parsed.attachments) await readAttachment(a, depth);
  }

  /**
   * A large entity read without handing all of it to mailparser. A multipart (but an alternative,
   * whose texts mailparser chooses among) is split here and each part walked on its own; a leaf
   * that is an attachment is decoded here (base64 segment by segment, or as it is), mailparser
   * reading only its header for the name and type. False when mailparser must read it whole: a
   * text, an unknown transfer encoding, a multipart that does not split.
   */
  async function readLarge(entityRaw: Buffer, depth: number, whole: boolean): Promise<boolean> {
    const entity = parseEntity(entityRaw);
    const ct = contentTypeOf(entity);
    const header = entityRaw.subarray(0, entityRaw.length - entity.body.length);
    if (ct.type.startsWith('multipart/')) {
      if (ct.type === 'multipart/alternative') return false;
      const parts = splitMultipart(entity.body, ct.params.boundary ?? '');
      if (!parts || parts.length === 0) return false;
      if (depth > 0 && st.innerSubject === undefined) await noteInnerSubject(header);
      // As in mailparser's reading: several parts side by side are each only part of the mail.
      for (const part of parts) await walk(part, depth + 1, whole && parts.length === 1);
      return true;
    }
    const encoding = (entity.headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
    if (encoding !== 'base64' && !IDENTITY_ENCODINGS.has(encoding)) return false;
    let meta: Awaited<ReturnType<typeof simpleParser>>;
    try {
      meta = await simpleParser(header, { skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
    } catch {
      return false;
    }
    const attachment = meta.attachments[0];
    if (!attachment) return false;
    if (depth > 0 && meta.subject && st.innerSubject === undefined) st.innerSubject = meta.subject;
    const spilled = options.spilled?.get(entity.body);
    if (spilled?.kind === 'file') {
      await readSpilledAttachment(attachment, spilled.file, depth);
      return true;
    }
    const content = encoding === 'base64' ? decodeBase64Lines(entity.body) : entity.body;
    await readAttachment({ ...attachment, content, size: content.length }, depth);
    return true;
  }

  async function noteInnerSubject(header: Buffer): Promise<void> {
    try {
      const parsed = await simpleParser(header, { skipTextToHtml: true });
      if (parsed.subject) st.innerSubject = parsed.subject;
    } catch {
      // A header mailparser cannot read has no subject to offer.
    }
  }

  /** Inline PGP: decrypt each armored message in the text, verify cleartext signatures. */
  async function readInline(text: string, depth: number, whole: boolean): Promise<string> {
    let out = '';
    let pos = 0;
    // One encrypted block with nothing but white space around it is the whole text.
    const blocks = text.split(BEGIN_MESSAGE).length - 1;
    for (;;) {
      const begin = text.indexOf(BEGIN_MESSAGE, pos);
      const end = begin < 0 ? -1 : text.indexOf(END_MESSAGE, begin);
      if (begin < 0 || end < 0) break;
      const blockWhole =
        whole &&
        blocks === 1 &&
        text.slice(0, begin).trim() === '' &&
        text.slice(end + END_MESSAGE.length).trim() === '';
      out += text.slice(pos, begin);
      pos = end + END_MESSAGE.length;
      st.encrypted = true;
      const r = await decrypt(text.slice(begin, pos));
      if (!r.ok) {
        st.failure ??= r.reason;
        out += `[Vigil: an encrypted part of this mail could not be decrypted (${r.reason}); the original is attached.]`;
        continue;
      }
      noteSignature(r.signature, blockWhole);
      // Some clients encrypt a whole MIME entity inline; it is opened like PGP/MIME.
      if (/^(content-type|mime-version):/i.test(r.data.subarray(0, 64).toString('latin1'))) {
        await walk(r.data, depth + 1, blockWhole);
      } else out += r.data.toString('utf8');
    }
    out += text.slice(pos);
    const signedAt = out.indexOf(BEGIN_SIGNED);
    const signedEnd = signedAt < 0 ? -1 : out.indexOf(END_SIGNATURE, signedAt);
    if (signedAt >= 0 && signedEnd >= 0) {
      const block = out.slice(signedAt, signedEnd + END_SIGNATURE.length);
      const before = out.slice(0, signedAt);
      const after = out.slice(signedEnd + END_SIGNATURE.length);
      // Covers all only as the mail's whole text: a signed block quoted inside other words does not.
      const blockWhole = whole && before.trim() === '' && after.trim() === '';
      try {
        const message = await openpgp.readCleartextMessage({ cleartextMessage: block });
        const result = await openpgp.verify({ message, verificationKeys });
        noteSignature(await statusOf(result.signatures[0], verificationKeys), blockWhole);
        out = before + message.getText() + after;
      } catch {
        noteSignature({ status: 'invalid', keyId: '' }, blockWhole);
      }
    }
    return out;
  }

  /**
   * An attachment decoded into a spool file as the mail streamed in: kept as that file, unless it
   * is something to read (a key, an encrypted file, a message), which is read as it would have been.
   */
  async function readSpilledAttachment(a: Attachment, file: SpooledFile, depth: number): Promise<void> {
    const type = a.contentType.toLowerCase();
    const name = a.filename ?? '';
    const head = file.head;
    const toRead =
      type === 'application/pgp-keys' ||
      type === 'application/pgp-encrypted' ||
      type === 'message/rfc822' ||
      type === 'message/global' ||
      startsWithArmor(head, '-----BEGIN PGP') ||
      (/\.(pgp|gpg|asc)$/i.test(name) && looksLikeBinaryEncrypted(head));
    if (toRead) {
      const content = await file.read();
      await readAttachment({ ...a, content, size: content.length }, depth);
      return;
    }
    st.files.push({ name, contentType: type, file });
  }

  async function readAttachment(a: Attachment, depth: number): Promise<void> {
    const type = a.contentType.toLowerCase();
    const name = a.filename ?? '';
    const data = a.content;
    if (type === 'application/pgp-keys' || startsWithArmor(data, '-----BEGIN PGP PUBLIC KEY BLOCK-----')) {
      // The sender's key: used to verify and kept as their contact key, not as a file.
      st.senderKeys.push(...(await readSenderKeys(data, startsWithArmor(data, '-----BEGIN PGP'))));
      return;
    }
    if (type === 'application/pgp-encrypted' && /^\s*version:\s*1\s*$/i.test(data.toString('latin1'))) return;
    if (type === 'message/rfc822' || type === 'message/global') {
      st.files.push({ name: name || 'attached-message.eml', contentType: 'message/rfc822', data });
      return;
    }
    const armored = startsWithArmor(data, BEGIN_MESSAGE);
    const named = /\.(pgp|gpg|asc)$/i.test(name);
    if (armored || (named && looksLikeBinaryEncrypted(data)) || type === 'application/pgp-encrypted') {
      const r = await decrypt(data);
      if (r.ok) {
        // A signed attachment vouches for that file only.
        noteSignature(r.signature, false);
        const plainName = stripPgpExtension(name) || r.filename || 'decrypted';
        const ext = /\.([a-z0-9]+)$/i.exec(plainName)?.[1]?.toLowerCase() ?? '';
        // A PGP/MIME part forwarded inside another mail decrypts to MIME: open it as such.
        if (!named && /^(content-type|mime-version):/i.test(r.data.subarray(0, 64).toString('latin1'))) {
          await walk(r.data, depth + 1, false);
        } else {
          st.files.push({
            name: plainName,
            contentType: MIME_BY_EXTENSION[ext] ?? 'application/octet-stream',
            data: r.data,
          });
        }
        st.decryptedFiles++;
      } else {
        // Kept as received, so it can be decrypted by hand once the right key is found.
        st.fileFailures.push(r.reason);
        st.files.push({ name: name || 'encrypted.pgp', contentType: type, data });
      }
      return;
    }
    st.files.push({ name, contentType: type, data });
  }

  await walk(raw, 0, true);
  return st;
}

/**
 * A mail opened with the program's keys and the keys its Autocrypt header announced. When a
 * signature's key came inside the mail (often inside the encryption), the mail is read a second
 * time with it. `senderKeys` are all the sender's keys found, announced ones first.
 */
export async function extractMail(
  raw: Buffer,
  keys: { decryptionKeys: openpgp.PrivateKey[]; announced: openpgp.PublicKey[] },
  options: ExtractOptions,
): Promise<{ extraction: Extraction; senderKeys: openpgp.PublicKey[] }> {
  const { decryptionKeys, announced } = keys;
  let ex = await extract(raw, decryptionKeys, announced, options);
  const found = uniqueKeys([...announced, ...ex.senderKeys]);
  if (ex.signature?.status === 'unknown-key' && found.length > announced.length) {
    ex = await extract(raw, decryptionKeys, found, options);
  }
  return { extraction: ex, senderKeys: found };
}

/** The sender's key for encrypted answers: one that names the sender's address, else the first. */
export function senderKeyFor(
  keys: openpgp.PublicKey[],
  fromAddress: string | undefined,
): openpgp.PublicKey | undefined {
  return (
    keys.find((k) =>
      k.getUserIDs().some((u) => fromAddress && u.toLowerCase().includes(`<${fromAddress.toLowerCase()}>`)),
    ) ?? keys[0]
  );
}
