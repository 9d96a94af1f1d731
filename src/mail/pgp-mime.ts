import type MailComposerClass from 'nodemailer/lib/mail-composer';
import type MimeNodeClass from 'nodemailer/lib/mime-node';
import * as openpgp from 'openpgp';
import { CASE_HEADER, extraHeaders, type MailAttachment } from './outgoing-mail.js';

/**
 * PGP/MIME (RFC 3156) for outgoing mail, in the combined form of section 6.2: the whole inner
 * MIME entity is signed and encrypted as one OpenPGP message, and the real subject travels
 * inside it as a protected header (protected-headers="v1"), so a relay or mailbox provider sees
 * only who wrote to whom, when, and the case number.
 *
 * Who can read it: the recipient, and the signing program's own key as well. Vigil keeps no copy
 * of what it sent; encrypting to the program too lets the vendor read its own mail where one
 * turns up again (a bounce, a relay's journal or Sent copy). The program key already decrypts
 * the reports themselves, so this widens nothing.
 *
 * No Autocrypt header: the From address is one per instance while keys are per program, so the
 * header would bind whichever program wrote last to the instance address in the reader's client.
 */

/** The addressing and content of a mail, as for a plain one. */
export interface PgpMimeContent {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  text: string;
  html?: string;
  /** Files of the inner entity: encrypted with the rest. */
  attachments?: MailAttachment[];
  /** The Date header, inside and out (default: now). */
  date?: Date;
}

export interface PgpMimeKeys {
  encryptTo: openpgp.PublicKey;
  /** Signs the inner entity; its own encryption key becomes a second recipient. */
  signWith?: openpgp.PrivateKey;
}

/** The subject shown outside the encryption: the case number at most, so threads still sort by case. */
export function outerSubject(headers: Record<string, string> | undefined): string {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === CASE_HEADER.toLowerCase());
  const caseNumber = entry?.[1].trim();
  return caseNumber ? `[${caseNumber}] Encrypted message` : 'Encrypted message';
}

/** Whether `key` can sign now (not expired or revoked, a signing-capable key present). */
export async function canSign(key: openpgp.PrivateKey, date = new Date()): Promise<boolean> {
  return key.getSigningKey(undefined, date).then(
    () => true,
    () => false,
  );
}

/**
 * nodemailer's composer, imported on the first encrypted mail rather than at start-up: an instance
 * that never sends one does not hold its modules (some 2 MiB of heap).
 */
let composer: Promise<{ MailComposer: typeof MailComposerClass; MimeNode: typeof MimeNodeClass }> | undefined;
const loadComposer = () =>
  (composer ??= Promise.all([
    import('nodemailer/lib/mail-composer'),
    import('nodemailer/lib/mime-node'),
  ]).then(([c, n]) => ({ MailComposer: c.default, MimeNode: n.default })));

/** Builds the complete RFC 5322 message, CRLF line ends, ready to hand to the relay as is. */
export async function buildPgpMimeMessage(content: PgpMimeContent, keys: PgpMimeKeys): Promise<Buffer> {
  const { MailComposer, MimeNode } = await loadComposer();
  const date = content.date ?? new Date();
  const extras = extraHeaders(content.headers);
  const threading = {
    ...(content.inReplyTo !== undefined ? { inReplyTo: content.inReplyTo } : {}),
    ...(content.references !== undefined && content.references.length > 0
      ? { references: content.references }
      : {}),
  };

  // The inner entity repeats the outer headers (protected-headers v1) with the real subject, so
  // a client that understands the scheme shows it in place of the neutral one outside.
  const inner = new MailComposer({
    from: content.from,
    to: content.to,
    subject: content.subject,
    messageId: content.messageId,
    date,
    ...threading,
    text: content.text,
    ...(content.html !== undefined ? { html: content.html } : {}),
    ...(content.attachments?.length ? { attachments: content.attachments } : {}),
    headers: extras,
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  }).compile();
  inner.setHeader('Content-Type', `${String(inner.getHeader('Content-Type'))}; protected-headers="v1"`);
  const innerBytes = await inner.build();

  const encryptionKeys = [keys.encryptTo];
  if (keys.signWith) {
    const own = keys.signWith.toPublic();
    // An expired program encryption key must not block the reporter's mail; it only loses the copy.
    if (await own.getEncryptionKey(undefined, date).then(Boolean, () => false)) encryptionKeys.push(own);
  }
  // Binary literal data: the signature covers exactly the bytes the reader will parse as MIME.
  const armored = await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: new Uint8Array(innerBytes), format: 'binary' }),
    encryptionKeys,
    ...(keys.signWith ? { signingKeys: [keys.signWith] } : {}),
    format: 'armored',
  });

  const outer = new MimeNode('multipart/encrypted; protocol="application/pgp-encrypted"', {
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  outer.setHeader({
    ...extras,
    From: content.from,
    To: content.to,
    Subject: outerSubject(content.headers),
    Date: date,
    'Message-ID': content.messageId,
    ...(threading.inReplyTo !== undefined ? { 'In-Reply-To': threading.inReplyTo } : {}),
    ...(threading.references !== undefined ? { References: threading.references.join(' ') } : {}),
    // RFC 3834: tells auto-responders (vacation replies, ticket systems) not to answer us.
    'Auto-Submitted': 'auto-generated',
  });
  // Both parts are 7-bit text already; left to itself the composer would base64 the second one,
  // and some clients then fail to find the armor.
  outer
    .createChild('application/pgp-encrypted')
    .setHeader('Content-Description', 'PGP/MIME version identification')
    .setHeader('Content-Transfer-Encoding', '7bit')
    .setContent('Version: 1\r\n');
  outer
    .createChild('application/octet-stream', { filename: 'encrypted.asc' })
    .setHeader('Content-Description', 'OpenPGP encrypted message')
    .setHeader('Content-Disposition', 'inline')
    .setHeader('Content-Transfer-Encoding', '7bit')
    .setContent(armored);
  return outer.build();
}

export { readRecipientKey, usableRecipientKey } from './recipient-key.js';
