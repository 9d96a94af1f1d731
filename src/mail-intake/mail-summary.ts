import type { PublicKey } from 'openpgp';
import type { Limits } from '../config/index.js';
import { cleanText } from './mail-text.js';
import type { Extraction, FoundFile } from './pgp-extract.js';

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
    if (f.data.length > limits.maxFileBytes || total + f.data.length > limits.maxReportBytes) continue;
    total += f.data.length;
    kept.push(f);
  }
  return { kept, dropped: files.length - kept.length };
}

/**
 * The mail's text, after a note for each thing that went wrong, so whoever reads the case sees
 * first that part of the mail is only in `original-message.eml`.
 */
export function bodyWithNotes(ex: Extraction, maxDepth: number, droppedFiles: number): string {
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
  if (droppedFiles > 0) {
    notes.push(
      `[Vigil: ${droppedFiles} attachment(s) exceeded the limits and were not stored separately; they are in original-message.eml.]`,
    );
  }
  return cleanText([...notes, ...ex.texts].join('\n\n'));
}

/** How the mail came, for `intake_meta`: encryption, signature, attachments, the sender's key. */
export function intakeMetaOf(
  ex: Extraction,
  found: { stored: number; dropped: number; messageId?: string; senderKey?: PublicKey },
): Record<string, unknown> {
  const { messageId, senderKey } = found;
  return {
    channel: 'email',
    decryption: ex.encrypted ? (ex.failure ? 'failed' : 'ok') : 'not-encrypted',
    ...(ex.failure ? { failure: ex.failure } : {}),
    signature: ex.signature ?? { status: 'none' },
    ...(messageId ? { messageId } : {}),
    attachments: {
      stored: found.stored,
      decrypted: ex.decryptedFiles,
      failed: ex.fileFailures,
      dropped: found.dropped,
    },
    ...(ex.flags.size > 0 ? { flags: [...ex.flags] } : {}),
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
