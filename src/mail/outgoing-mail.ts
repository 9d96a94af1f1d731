/**
 * A mail waiting in the outbox. Sealed at rest: recipients and links are reporter data.
 *
 * Encryption rule: a mail with `encryptTo` goes out as PGP/MIME (RFC 3156). When that key turns
 * out unusable at send time (expired, revoked, no encryption subkey), the mail falls back to
 * plain text only if it carries no report details; a mail that does must set `requireEncryption`,
 * and then fails for good instead. Today's mails (receipt, new-message notice) carry a case
 * number and a link, never report content, so they may fall back.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Our Message-ID, fixed when queued so a retried send is recognisably the same mail. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  /**
   * Extra header fields. They travel in clear even on an encrypted mail (threading and routing
   * metadata such as `X-Vigil-Case`): never put report details in them.
   */
  headers?: Record<string, string>;
  /** The recipient's armored OpenPGP public key: the mail is sent PGP/MIME encrypted to it. */
  encryptTo?: string;
  /** Whose key signs the encrypted mail: a program, or the instance (`null`). Unsigned when it has no key. */
  signAs?: { programId: string | null };
  /** The mail carries report details: never send it unencrypted (see the rule above). */
  requireEncryption?: boolean;
  /** Text files attached to the mail; inside the encryption when the mail is encrypted. */
  attachments?: MailAttachment[];
}

/** A text attachment (UTF-8), e.g. a CSAF document or a CVE record. */
export interface MailAttachment {
  filename: string;
  /** MIME type, e.g. `application/json`. */
  contentType: string;
  content: string;
}

/** The header name a case mail carries its case number in; the one piece of the case shown outside encryption. */
export const CASE_HEADER = 'X-Vigil-Case';

// Header fields the sender sets itself. A mail's extra headers may not replace them: the
// composer would otherwise emit a second From or Content-Type next to its own.
const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'auto-submitted',
  'return-path',
]);

/** A mail's extra headers without those the sender owns (addressing, threading, MIME structure). */
export function extraHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (RESERVED_HEADERS.has(key) || key.startsWith('content-')) continue;
    out[name] = value;
  }
  return out;
}
