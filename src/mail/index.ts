/**
 * Mail as Vigil speaks it: program and reply addresses, MIME parsing, what a queued mail holds,
 * and how it reaches the relay, in clear or PGP/MIME.
 */
export { matchProgramAddress, type ProgramAddress, replyAddress } from './addresses.js';
export { type Base64Decoder, createArmorDecoder, createBase64Decoder } from './base64-stream.js';
export { canonicalCrlf, contentTypeOf, mimeDepth, parseEntity, splitMultipart } from './mime.js';
export {
  createSkeletonBuilder,
  isIdentityEncoding,
  type LeafInfo,
  type LeafSink,
  type SkeletonBuilder,
  UnstreamableMimeError,
} from './mime-stream.js';
export { CASE_HEADER, extraHeaders, type MailAttachment, type OutgoingMail } from './outgoing-mail.js';
export {
  buildPgpMimeMessage,
  canSign,
  outerSubject,
  type PgpMimeContent,
  type PgpMimeKeys,
  readRecipientKey,
  usableRecipientKey,
} from './pgp-mime.js';
export { type NoticeOnlyReason, noticeOnlyReason } from './recipient-key.js';
export { type MailSender, PermanentSendError, type SmtpSenderOptions } from './sender.js';

/** The SMTP sender, loaded on first use: nodemailer stays out of an instance without a relay. */
export async function loadSmtpSender(): Promise<typeof import('./transport.js').createSmtpSender> {
  return (await import('./transport.js')).createSmtpSender;
}
