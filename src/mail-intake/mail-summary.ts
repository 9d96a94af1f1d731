import type { PublicKey } from 'openpgp';
import type { Limits } from '../config/index.js';
import type { SignatureStatus } from '../openpgp/index.js';
import { cleanText } from './mail-text.js';
import { type Extraction, type FoundFile, sizeOfFile } from './pgp-extract.js';
import type { Threading } from './threading.js';

/**
 * What is kept of an opened mail, whichever case it ends up in: the text with Vigil's notes on what
 * could not be read, the files that fit the limits, and the `intake_meta` record of how it came.
 */

/** Files within the limits, in order; what does not fit stays only in the original message. */
export function withinLimits(
  files: FoundFile[],
  limits: Pick<Limits, 'maxFiles' | 'maxFileBytes' | 'maxReportBytes'>,
): { kept: FoundFile[]; dropped: number } {
  const kept: FoundFile[] = [];
  let total = 0;
  for (const f of files) {
    if (kept.length >= limits.maxFiles) continue;
    const size = sizeOfFile(f);
    if (size > limits.maxFileBytes || total + size > limits.maxReportBytes) continue;
    total += size;
    kept.push(f);
  }
  return { kept, dropped: files.length - kept.length };
}

/** A case a mail named but could not prove to answer (see `threading.ts`). */
export type ClaimedCase = NonNullable<Extract<Threading, { kind: 'new' }>['claimed']>;

/**
 * The mail's text, after a note for each thing that went wrong, so whoever reads the case sees
 * first that part of the mail is only in `original-message.eml` — or, before anything else, that
 * the mail claims to answer another case it was kept out of.
 */
export function bodyWithNotes(
  ex: Extraction,
  maxDepth: number,
  droppedFiles: number,
  claimed?: ClaimedCase,
): string {
  const notes: string[] = [];
  if (claimed) {
    notes.push(
      `[Vigil: this mail claims to answer case ${claimed.caseNumber}, but carries no proof that it comes from that case's reporter (no reply token, no signature by the reporter's key); it was not added to that case.${claimed.fromReporterAddress ? " Its From address is that reporter's, which proves nothing: anyone can write any From address." : ''}]`,
    );
  }
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
  if (droppedFiles > 0) {
    notes.push(
      `[Vigil: ${droppedFiles} attachment(s) exceeded the limits and were not stored separately; they are in original-message.eml.]`,
    );
  }
  return cleanText([...notes, ...ex.texts].join('\n\n'));
}

/**
 * A signature as staff read it in `intake_meta`, by whose key vouches for it:
 * - `valid`: the key the reporter gave earlier (stored with the case) signed the whole mail;
 * - `valid-part`: that key signed only part of it (a signed block or file among unsigned words);
 * - `self-supplied-key`: it verifies only with a key the mail itself carried (Autocrypt, an
 *   attached key), which says nothing about who sent it;
 * - `invalid`, `unknown-key`, `none`: as checked.
 */
export type MailSignature =
  | SignatureStatus
  | { status: 'valid-part' | 'self-supplied-key'; keyId: string; fingerprint: string };

/** The mail's signature for `intake_meta`; `reporterKey` is the case's stored key's verdict, if any. */
export function signatureOf(
  ex: Pick<Extraction, 'signature'>,
  reporterKey?: Extract<Threading, { kind: 'reply' }>['reporterKey'],
): MailSignature {
  const s = ex.signature ?? { status: 'none' };
  if (s.status === 'none' || !('keyId' in s)) return s;
  if (reporterKey?.signed === 'whole')
    return { status: 'valid', keyId: s.keyId, fingerprint: reporterKey.fingerprint };
  if (reporterKey?.signed === 'part')
    return { status: 'valid-part', keyId: s.keyId, fingerprint: reporterKey.fingerprint };
  // Checked only against keys from the mail itself: proof that the mail is intact, not of who sent it.
  if (s.status === 'valid') return { ...s, status: 'self-supplied-key' };
  return s;
}

/** How the mail came, for `intake_meta`: encryption, signature, attachments, the sender's key. */
export function intakeMetaOf(
  ex: Extraction,
  found: {
    stored: number;
    dropped: number;
    messageId?: string;
    senderKey?: PublicKey;
    signature: MailSignature;
    /** The mail named a case it could not prove to answer (flagged `unproven-case-claim`). */
    claimed?: ClaimedCase;
  },
): Record<string, unknown> {
  const { messageId, senderKey } = found;
  const flags = [...ex.flags, ...(found.claimed ? ['unproven-case-claim'] : [])];
  return {
    channel: 'email',
    decryption: ex.encrypted ? (ex.failure ? 'failed' : 'ok') : 'not-encrypted',
    ...(ex.failure ? { failure: ex.failure } : {}),
    signature: found.signature,
    ...(messageId ? { messageId } : {}),
    attachments: {
      stored: found.stored,
      decrypted: ex.decryptedFiles,
      failed: ex.fileFailures,
      dropped: found.dropped,
    },
    ...(flags.length > 0 ? { flags } : {}),
    ...(senderKey ? { senderKey: senderKey.getFingerprint().toUpperCase() } : {}),
  };
}

/**
 * The body clipped to what a message shows, and the whole text as `message.txt` ahead of `files`
 * when it was clipped, so nothing is cut off.
 */
export function withSpill(body: string, shown: string, files: FoundFile[]): FoundFile[] {
  const spill =
    shown.length < body.length
      ? [{ name: 'message.txt', contentType: 'text/plain', data: Buffer.from(body) }]
      : [];
  return [...spill, ...files];
}
