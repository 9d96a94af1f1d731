import { createTransport } from 'nodemailer';
import type { PrivateKey } from 'openpgp';
import { extraHeaders, type OutgoingMail } from './outgoing-mail.js';
import { buildPgpMimeMessage, canSign, usableRecipientKey } from './pgp-mime.js';
import { type MailSender, PermanentSendError, type SmtpSenderOptions } from './sender.js';

export { type MailSender, PermanentSendError, type SmtpSenderOptions } from './sender.js';

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

  async function sendPlain(mail: OutgoingMail) {
    return transport.sendMail({
      from: opts.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html !== undefined ? { html: mail.html } : {}),
      ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
      messageId: mail.messageId,
      ...(mail.inReplyTo !== undefined ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references !== undefined && mail.references.length > 0 ? { references: mail.references } : {}),
      headers: {
        ...extraHeaders(mail.headers),
        // RFC 3834: tells auto-responders (vacation replies, ticket systems) not to answer us.
        'Auto-Submitted': 'auto-generated',
      },
    });
  }

  async function signingKeyFor(mail: OutgoingMail): Promise<PrivateKey | undefined> {
    if (!mail.signAs || !opts.resolveSigningKey) return undefined;
    const key = await opts.resolveSigningKey(mail.signAs.programId);
    // An expired program key leaves the mail unsigned rather than undelivered: the signature
    // vouches for the sender, the encryption is what protects the reporter.
    return key && (await canSign(key)) ? key : undefined;
  }

  return {
    async send(mail) {
      let info: Awaited<ReturnType<typeof sendPlain>>;
      const recipientKey =
        mail.encryptTo !== undefined ? await usableRecipientKey(mail.encryptTo) : undefined;
      if (recipientKey) {
        const raw = await buildPgpMimeMessage(
          {
            from: opts.from,
            to: mail.to,
            subject: mail.subject,
            messageId: mail.messageId,
            ...(mail.inReplyTo !== undefined ? { inReplyTo: mail.inReplyTo } : {}),
            ...(mail.references !== undefined ? { references: mail.references } : {}),
            ...(mail.headers !== undefined ? { headers: mail.headers } : {}),
            text: mail.text,
            ...(mail.html !== undefined ? { html: mail.html } : {}),
            ...(mail.attachments !== undefined ? { attachments: mail.attachments } : {}),
          },
          { encryptTo: recipientKey, signWith: await signingKeyFor(mail) },
        );
        // Sent as built: nodemailer must not re-encode a signed entity. The envelope is given
        // outright, so the recipient is exactly the one the mail names and no header decides it.
        info = await transport.sendMail({ envelope: { from: opts.from, to: [mail.to] }, raw });
      } else if (mail.requireEncryption) {
        // The rule in outgoing-mail.ts: report details never go out in clear. The error names
        // no key or address, since it ends up in last_error and the log.
        throw new PermanentSendError(
          'EENCRYPTKEY',
          'no usable recipient key for a mail that must be encrypted',
        );
      } else {
        // No key, or a key that stopped working since it was given (expired, revoked): such a
        // mail carries no report details, so it goes out as it would have without one.
        info = await sendPlain(mail);
      }
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
