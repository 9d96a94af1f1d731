/** Outgoing mail: what a queued mail holds and how it reaches the relay, in clear or PGP/MIME. */
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
export {
  createSmtpSender,
  type MailSender,
  PermanentSendError,
  type SmtpSenderOptions,
} from './transport.js';
