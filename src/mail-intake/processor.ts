import { Readable } from 'node:stream';
import type { Attachment, ParsedMail } from 'mailparser';
import { type CreditConsentService, parseCreditCommand } from '../credit-consent/index.js';

/** mailparser is loaded with the first mail, so an instance that never receives one does not carry it. */
let parser: Promise<typeof import('mailparser')> | undefined;
async function simpleParser(
  ...args: Parameters<typeof import('mailparser').simpleParser>
): Promise<ParsedMail> {
  parser ??= import('mailparser');
  return (await parser).simpleParser(...args);
}

import * as openpgp from 'openpgp';
import type { ReporterService } from '../cases/index.js';
import type { Limits } from '../config/index.js';
import { hashToken, type Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { type IntakeService, MESSAGE_LIMITS } from '../intake/index.js';
import {
  canonicalCrlf,
  contentTypeOf,
  matchProgramAddress,
  mimeDepth,
  type ProgramAddress,
  parseEntity,
  splitMultipart,
} from '../mail/index.js';
import {
  decryptMessage,
  type KeyService,
  OpenPgpDecryptError,
  type SignatureStatus,
} from '../openpgp/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import type { Answers, IncomingFile } from '../reports/index.js';
import { fieldFor, reportAad, sanitizeFilename } from '../reports/index.js';

/**
 * Turns one received mail into a new case or a reporter message on an existing one. Called by the
 * SMTP listener and the IMAP poller alike, with the raw bytes as received.
 *
 * Content problems never refuse a mail: one that cannot be decrypted, is damaged or nests too
 * deeply still becomes a case, flagged in `intake_meta`, with the original stored (sealed at rest
 * like every blob). Only a mail for no program, or a failure to store it, is an error — and then
 * nothing was kept, so the transport must not acknowledge it.
 */

export interface InboundMail {
  /** The message exactly as received (header and body). */
  raw: Buffer;
  /** The SMTP envelope sender (`''` for the null reverse-path of a bounce). */
  mailFrom: string;
  /** The envelope recipients; the first that belongs to a program picks it. */
  rcptTo: string[];
  /** For a transport that already knows the program (an IMAP mailbox dedicated to one). */
  programSlug?: string;
}

export interface InboundResult {
  kind: 'case' | 'reply';
  caseNumber: string;
}

/** The mail is for no program here; a transport answers it like an unknown recipient. */
export class UnknownRecipientError extends Error {
  constructor() {
    super('the mail is not addressed to any program of this instance');
    this.name = 'UnknownRecipientError';
  }
}

export type DecryptFailure = OpenPgpDecryptError['reason'];

export interface InboundProcessorDeps {
  intake: Pick<IntakeService, 'submitMessageReport'>;
  reporter: Pick<ReporterService, 'addReporterMessageFromEmail'>;
  /** Records a credit answer (`Credit: yes, as …`) from a reply that proves it is the reporter's. */
  creditConsents?: Pick<CreditConsentService, 'fromMailReply'>;
  keys: Pick<KeyService, 'decryptionKeys' | 'publishedKey'>;
  programs: Pick<ProgramService, 'list'>;
  db: Db;
  sealer: Sealer;
  limits: Limits;
  /** MIME and encryption layers opened at most (default 8). */
  maxDepth?: number;
}

/**
 * Deep enough for what mail clients build (encrypted → signed → mixed → alternative → related is
 * five), shallow enough that a crafted message cannot make the walk expensive.
 */
const DEFAULT_MAX_DEPTH = 8;
/** Decryptions per mail, bombs or not; each one costs a public-key operation. */
const MAX_DECRYPTIONS = 32;
/** Sender keys considered per mail. */
const MAX_SENDER_KEYS = 8;
const MAX_KEY_BYTES = 256 * 1024;
/** A reporter message (reply) is shown in full up to this many characters, like the private page's. */
const MAX_REPLY_CHARS = 65_536;

const BEGIN_MESSAGE = '-----BEGIN PGP MESSAGE-----';
const END_MESSAGE = '-----END PGP MESSAGE-----';
const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----';
const END_SIGNATURE = '-----END PGP SIGNATURE-----';

interface FoundFile {
  name: string;
  contentType: string;
  data: Buffer;
}

/** What one pass over a mail found. */
interface Extraction {
  texts: string[];
  files: FoundFile[];
  senderKeys: openpgp.PublicKey[];
  signature?: SignatureStatus;
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

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

/** Text as stored: LF line ends, no control characters but tab and newline, no blank lines around. */
function cleanText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/^(?:[ \t]*\n)+/, '')
    .trimEnd();
}

function oneLine(s: string, maxChars: number): string {
  const flat = s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...flat].slice(0, maxChars).join('');
}

/** The longest prefix of `s` within `maxBytes` of UTF-8 and `maxChars` characters. */
function clip(s: string, maxBytes: number, maxChars = Number.POSITIVE_INFINITY): string {
  if (Buffer.byteLength(s) <= maxBytes && s.length <= maxChars) return s;
  let out = '';
  let bytes = 0;
  let chars = 0;
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes || ++chars > maxChars) break;
    out += ch;
  }
  return out;
}

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
async function autocryptKeys(
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

export function createInboundProcessor(deps: InboundProcessorDeps) {
  const { limits } = deps;
  const maxDepth = deps.maxDepth ?? DEFAULT_MAX_DEPTH;

  function pickProgram(programs: Program[], mail: InboundMail): ProgramAddress | undefined {
    const matches = mail.rcptTo.flatMap((r) => matchProgramAddress(programs, r) ?? []);
    if (mail.programSlug === undefined) return matches[0];
    const program = programs.find((p) => p.slug === mail.programSlug);
    if (!program) return undefined;
    return (
      matches.find((m) => m.program.id === program.id) ?? {
        program,
        address: program.definition.intake.emailAddresses[0] ?? '',
      }
    );
  }

  /** One pass over a mail with the given keys; a second pass may follow with more sender keys. */
  async function extract(
    raw: Buffer,
    decryptionKeys: openpgp.PrivateKey[],
    verificationKeys: openpgp.PublicKey[],
  ): Promise<Extraction> {
    const st: Extraction = {
      texts: [],
      files: [],
      senderKeys: [],
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

    function noteSignature(s: SignatureStatus) {
      // The outermost signature is the one recorded: it covers everything inside it.
      if (s.status !== 'none' && st.signature === undefined) st.signature = s;
    }

    async function walk(entityRaw: Buffer, depth: number): Promise<void> {
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
        const payload = parts?.[1] ? await partBody(parts[1]) : undefined;
        if (!payload) {
          st.failure ??= 'corrupt';
          return;
        }
        const r = await decrypt(payload);
        if (!r.ok) {
          st.failure ??= r.reason;
          return;
        }
        noteSignature(r.signature);
        await walk(r.data, depth + 1);
        return;
      }
      if (ct.type === 'multipart/signed' && protocol === 'application/pgp-signature') {
        const parts = splitMultipart(entity.body, ct.params.boundary ?? '');
        const [signed, sigPart] = parts ?? [];
        if (signed && sigPart) {
          const sig = await partBody(sigPart);
          noteSignature(sig ? await verifyDetached(signed, sig) : { status: 'invalid', keyId: '' });
          await walk(signed, depth + 1);
          return;
        }
      }
      await readEntity(entityRaw, depth);
    }

    async function readEntity(entityRaw: Buffer, depth: number): Promise<void> {
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
      const text = cleanText(await readInline(parsed.text ?? '', depth));
      if (text !== '') st.texts.push(text);
      for (const a of parsed.attachments) await readAttachment(a, depth);
    }

    /** Inline PGP: decrypt each armored message in the text, verify cleartext signatures. */
    async function readInline(text: string, depth: number): Promise<string> {
      let out = '';
      let pos = 0;
      for (;;) {
        const begin = text.indexOf(BEGIN_MESSAGE, pos);
        const end = begin < 0 ? -1 : text.indexOf(END_MESSAGE, begin);
        if (begin < 0 || end < 0) break;
        out += text.slice(pos, begin);
        pos = end + END_MESSAGE.length;
        st.encrypted = true;
        const r = await decrypt(text.slice(begin, pos));
        if (!r.ok) {
          st.failure ??= r.reason;
          out += `[Vigil: an encrypted part of this mail could not be decrypted (${r.reason}); the original is attached.]`;
          continue;
        }
        noteSignature(r.signature);
        // Some clients encrypt a whole MIME entity inline; it is opened like PGP/MIME.
        if (/^(content-type|mime-version):/i.test(r.data.subarray(0, 64).toString('latin1'))) {
          await walk(r.data, depth + 1);
        } else out += r.data.toString('utf8');
      }
      out += text.slice(pos);
      const signedAt = out.indexOf(BEGIN_SIGNED);
      const signedEnd = signedAt < 0 ? -1 : out.indexOf(END_SIGNATURE, signedAt);
      if (signedAt >= 0 && signedEnd >= 0) {
        const block = out.slice(signedAt, signedEnd + END_SIGNATURE.length);
        try {
          const message = await openpgp.readCleartextMessage({ cleartextMessage: block });
          const result = await openpgp.verify({ message, verificationKeys });
          noteSignature(await statusOf(result.signatures[0], verificationKeys));
          out = out.slice(0, signedAt) + message.getText() + out.slice(signedEnd + END_SIGNATURE.length);
        } catch {
          noteSignature({ status: 'invalid', keyId: '' });
        }
      }
      return out;
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
      if (type === 'application/pgp-encrypted' && /^\s*version:\s*1\s*$/i.test(data.toString('latin1')))
        return;
      if (type === 'message/rfc822' || type === 'message/global') {
        st.files.push({ name: name || 'attached-message.eml', contentType: 'message/rfc822', data });
        return;
      }
      const armored = startsWithArmor(data, BEGIN_MESSAGE);
      const named = /\.(pgp|gpg|asc)$/i.test(name);
      if (armored || (named && looksLikeBinaryEncrypted(data)) || type === 'application/pgp-encrypted') {
        const r = await decrypt(data);
        if (r.ok) {
          noteSignature(r.signature);
          const plainName = stripPgpExtension(name) || r.filename || 'decrypted';
          const ext = /\.([a-z0-9]+)$/i.exec(plainName)?.[1]?.toLowerCase() ?? '';
          // A PGP/MIME part forwarded inside another mail decrypts to MIME: open it as such.
          if (!named && /^(content-type|mime-version):/i.test(r.data.subarray(0, 64).toString('latin1'))) {
            await walk(r.data, depth + 1);
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

    await walk(raw, 0);
    return st;
  }

  /**
   * The case a mail answers, and how that is known: by the reply token in its address (`token`:
   * only someone who received our mail has it), or by case number plus sender (`sender`).
   */
  async function threadOf(
    target: ProgramAddress,
    subjects: string[],
    sender: string | undefined,
  ): Promise<{ caseNumber: string; proof: 'token' | 'sender' } | undefined> {
    const k = deps.db.kysely;
    const { program } = target;
    if (target.replyToken) {
      const row = await k
        .selectFrom('reports')
        .select(['case_number', 'program_id'])
        .where('reply_token_hash', '=', hashToken(target.replyToken))
        .executeTakeFirst();
      if (row && row.program_id === program.id) return { caseNumber: row.case_number, proof: 'token' };
    }
    if (!sender) return undefined;
    const prefix = program.definition.casePrefix.replace(/[^A-Za-z0-9]/g, '');
    const re = new RegExp(`\\b${prefix}-\\d{4}-\\d{4,}\\b`, 'g');
    const numbers = [...new Set(subjects.flatMap((s) => s.match(re) ?? []))].slice(0, 3);
    const emailField = fieldFor(program.definition, 'contact.email');
    for (const caseNumber of numbers) {
      const row = await k
        .selectFrom('reports')
        .select(['id', 'program_id', 'contact_sealed'])
        .where('case_number', '=', caseNumber)
        .executeTakeFirst();
      if (!row || row.program_id !== program.id) continue;
      const contact = deps.sealer.openJson<Answers>(row.contact_sealed, reportAad(row.id, 'contact'));
      const known = [contact.email, emailField ? contact[emailField.id] : undefined];
      if (known.some((e) => typeof e === 'string' && e.trim().toLowerCase() === sender.toLowerCase())) {
        return { caseNumber, proof: 'sender' };
      }
    }
    return undefined;
  }

  /** Files within the limits, in order; what does not fit stays only in the original message. */
  function withinLimits(files: FoundFile[]): { kept: FoundFile[]; dropped: number } {
    const kept: FoundFile[] = [];
    let total = 0;
    for (const f of files) {
      if (kept.length >= limits.maxFiles) continue;
      if (f.data.length > limits.maxFileBytes || total + f.data.length > limits.maxReportBytes) continue;
      total += f.data.length;
      kept.push(f);
    }
    return { kept, dropped: files.length - kept.length };
  }

  const asIncoming = (f: FoundFile): IncomingFile => ({
    stream: Readable.from([f.data]),
    filename: sanitizeFilename(f.name),
    contentType: f.contentType,
  });

  return {
    async process(mail: InboundMail): Promise<InboundResult> {
      const programs = await deps.programs.list();
      const target = pickProgram(programs, mail);
      if (!target) throw new UnknownRecipientError();
      const { program } = target;

      // The outer header, read on its own: it is needed whatever happens to the body.
      const outer = parseEntity(mail.raw);
      const headerBytes = mail.raw.subarray(0, mail.raw.length - outer.body.length);
      const head = await simpleParser(Buffer.concat([headerBytes, Buffer.from('\r\n')]), {
        skipHtmlToText: true,
        skipTextToHtml: true,
      }).catch(() => undefined);
      const fromHeader = head?.from?.value[0];
      const fromAddress = [fromHeader?.address, mail.mailFrom]
        .map((a) => a?.trim())
        .find(
          (a): a is string => a !== undefined && a.length <= MESSAGE_LIMITS.emailChars && EMAIL_RE.test(a),
        );
      const fromName = fromHeader?.name ? oneLine(fromHeader.name, MESSAGE_LIMITS.nameChars) : '';
      const messageId = head?.messageId ? oneLine(head.messageId, 998) : undefined;
      const autoSubmitted = (outer.headers.get('auto-submitted')?.[0] ?? 'no').toLowerCase() !== 'no';
      const bulk = /^(bulk|junk|list)$/i.test(outer.headers.get('precedence')?.[0] ?? '');

      const decryptionKeys = await deps.keys.decryptionKeys(program.id);
      const announced = await autocryptKeys(outer.headers.get('autocrypt') ?? [], fromAddress);
      let ex = await extract(mail.raw, decryptionKeys, announced);
      const found = uniqueKeys([...announced, ...ex.senderKeys]);
      if (ex.signature?.status === 'unknown-key' && found.length > announced.length) {
        // The key came inside the mail (often inside the encryption): read it again with it.
        ex = await extract(mail.raw, decryptionKeys, found);
      }

      const subject = oneLine(ex.innerSubject ?? head?.subject ?? '', MESSAGE_LIMITS.subjectChars);
      const notes: string[] = [];
      if (ex.failure) {
        notes.push(
          `[Vigil: this mail is encrypted but could not be decrypted (${ex.failure}). It is kept unread as original-message.eml.]`,
        );
      }
      if (ex.flags.has('nesting-too-deep')) {
        notes.push(
          `[Vigil: parts of this mail are nested more than ${maxDepth} levels deep and were not opened. The whole mail is kept as original-message.eml.]`,
        );
      }
      if (ex.flags.has('unparseable')) {
        notes.push(
          '[Vigil: parts of this mail could not be read as MIME. The whole mail is kept as original-message.eml.]',
        );
      }
      if (ex.fileFailures.length > 0) {
        notes.push(
          `[Vigil: ${ex.fileFailures.length} encrypted attachment(s) could not be decrypted (${[...new Set(ex.fileFailures)].join(', ')}); they are kept as received.]`,
        );
      }
      const { kept, dropped } = withinLimits(ex.files);
      if (dropped > 0) {
        notes.push(
          `[Vigil: ${dropped} attachment(s) exceeded the limits and were not stored separately; they are in original-message.eml.]`,
        );
      }
      const body = cleanText([...notes, ...ex.texts].join('\n\n'));

      // The sender's key for encrypted answers: one that names the sender's address, else the first.
      const senderKey =
        found.find((k) =>
          k
            .getUserIDs()
            .some((u) => fromAddress && u.toLowerCase().includes(`<${fromAddress.toLowerCase()}>`)),
        ) ?? found[0];
      const intakeMeta: Record<string, unknown> = {
        channel: 'email',
        decryption: ex.encrypted ? (ex.failure ? 'failed' : 'ok') : 'not-encrypted',
        ...(ex.failure ? { failure: ex.failure } : {}),
        signature: ex.signature ?? { status: 'none' },
        ...(messageId ? { messageId } : {}),
        attachments: {
          stored: kept.length,
          decrypted: ex.decryptedFiles,
          failed: ex.fileFailures,
          dropped,
        },
        ...(ex.flags.size > 0 ? { flags: [...ex.flags] } : {}),
        ...(senderKey ? { senderKey: senderKey.getFingerprint().toUpperCase() } : {}),
      };

      const thread = await threadOf(target, [head?.subject ?? '', ex.innerSubject ?? ''], fromAddress);
      if (thread) {
        const { caseNumber } = thread;
        // What does not fit the message goes along in full as a file, so nothing is cut off.
        const shown = clip(body, Number.POSITIVE_INFINITY, MAX_REPLY_CHARS);
        const spill =
          shown.length < body.length
            ? [{ name: 'message.txt', contentType: 'text/plain', data: Buffer.from(body) }]
            : [];
        const files = withinLimits([...spill, ...kept]).kept;
        const r = await deps.reporter.addReporterMessageFromEmail(caseNumber, {
          body: shown,
          files: files.map(asIncoming),
          original: mail.raw,
          intakeMeta,
        });
        // A credit answer counts only from a reply that carries our token: a From header proves nothing.
        const credit = parseCreditCommand(body);
        if (credit && thread.proof === 'token' && deps.creditConsents)
          await deps.creditConsents.fromMailReply(r.caseNumber, credit);
        return { kind: 'reply', caseNumber: r.caseNumber };
      }

      const shown = clip(body, limits.maxFieldBytes);
      const spill =
        shown.length < body.length
          ? [{ name: 'message.txt', contentType: 'text/plain', data: Buffer.from(body) }]
          : [];
      const files = withinLimits([...spill, ...kept]).kept;
      const published = ex.failure ? await deps.keys.publishedKey(program.id) : undefined;
      const receipt = await deps.intake.submitMessageReport(program.slug, {
        subject,
        message: shown,
        from: { email: fromAddress, ...(fromName ? { name: fromName } : {}) },
        ...(senderKey ? { publicKey: senderKey.armor() } : {}),
        files: files.map(asIncoming),
        original: mail.raw,
        intakeMeta,
        channel: 'email',
        address: target.address,
        receipt: {
          send: !autoSubmitted && !bulk && mail.mailFrom !== '',
          ...(ex.failure
            ? { notice: 'undecryptable' as const, fingerprint: published?.fingerprint }
            : ex.fileFailures.length > 0
              ? { notice: 'attachments-undecryptable' as const }
              : {}),
        },
        language: program.definition.intake.preferredLanguage,
      });
      return { kind: 'case', caseNumber: receipt.caseNumber };
    },
  };
}

export type InboundProcessor = ReturnType<typeof createInboundProcessor>;
