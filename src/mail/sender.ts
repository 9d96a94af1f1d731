/**
 * What the outbox worker needs of a mail sender, apart from the SMTP library that implements it,
 * so loading the worker does not load nodemailer until a relay is configured.
 */
import type { PrivateKey } from 'openpgp';
import type { OutgoingMail } from './outgoing-mail.js';

/** Delivers one mail to the configured relay. */
export interface MailSender {
  /** Resolves only once the peer accepted the message (2xx after DATA); any SMTP error rejects. */
  send(mail: OutgoingMail): Promise<void>;
  /** Releases the transport; sends already under way are not waited for. */
  close(): void;
}

/** Where and as whom to send. */
export interface SmtpSenderOptions {
  /** `smtp://` or `smtps://` URL, credentials included; query parameters may tune the connection. */
  smtpUrl: string;
  /** The From address of every mail, e.g. `Vigil <security@vendor.example>`. */
  from: string;
  /**
   * The key that signs encrypted mail for a program (`null`: the instance), e.g. the key
   * service's `signingKey`. Without it, or when it finds none, encrypted mail goes out unsigned.
   */
  resolveSigningKey?: (programId: string | null) => Promise<PrivateKey | undefined>;
}

/**
 * A failure that retrying cannot cure. The worker gives such a row up at once instead of
 * spending its remaining attempts on it. Deliberately not nodemailer's `permanent` flag, which
 * marks every 5xx reply: the worker's policy of retrying relay rejections stays as it was.
 */
export class PermanentSendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentSendError';
  }
}
