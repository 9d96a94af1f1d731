/** Reports by email: the SMTP listener and the processor the listener and the IMAP poller share. */
export type { ImapPoller } from './imap-poller.js';
export {
  createInboundProcessor,
  type InboundMail,
  type InboundProcessor,
  type InboundProcessorDeps,
  type InboundResult,
  UnknownRecipientError,
} from './processor.js';
export { createSmtpListener, type SmtpListener } from './smtp-listener.js';

/** The IMAP poller, loaded on first use: imapflow stays out of an instance that polls no mailbox. */
export async function loadImapPoller(): Promise<typeof import('./imap-poller.js')> {
  return import('./imap-poller.js');
}
