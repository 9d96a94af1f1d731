import { createTransport } from 'nodemailer';
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
}

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

/**
 * An SMTP sender on nodemailer: one connection per mail, no pool, so an idle instance holds no
 * socket and a relay that dropped us is simply dialled again on the next send.
 */
export function createSmtpSender(opts: SmtpSenderOptions): MailSender {
  const transport = createTransport({
    url: opts.smtpUrl,
    // Defaults are minutes long; a hung relay would hold the worker's lease for that long.
    // nodemailer counts the wait for the greeting against connectionTimeout as well.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // No logger: nodemailer would log recipient addresses, which are reporter data.
    logger: false,
  });

  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: opts.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html !== undefined ? { html: mail.html } : {}),
        messageId: mail.messageId,
        ...(mail.inReplyTo !== undefined ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references !== undefined && mail.references.length > 0
          ? { references: mail.references }
          : {}),
        headers: {
          ...extraHeaders(mail.headers),
          // RFC 3834: tells auto-responders (vacation replies, ticket systems) not to answer us.
          'Auto-Submitted': 'auto-generated',
        },
      });
      // With several recipients nodemailer resolves if any was accepted; we only ever send to
      // one, but a partial acceptance must not pass for delivery.
      if (info.rejected.length > 0) {
        throw Object.assign(new Error('recipient rejected'), { code: 'EENVELOPE' });
      }
    },
    close() {
      transport.close();
    },
  };
}

function extraHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (RESERVED_HEADERS.has(key) || key.startsWith('content-')) continue;
    out[name] = value;
  }
  return out;
}
