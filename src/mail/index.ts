/** Outgoing mail: what a queued mail holds and how it reaches the relay. */
export type { OutgoingMail } from './outgoing-mail.js';
export { createSmtpSender, type MailSender, type SmtpSenderOptions } from './transport.js';
