/** Reports by email: the SMTP listener and the processor the listener and the IMAP poller share. */
export { matchProgramAddress, type ProgramAddress, replyAddress } from './addresses.js';
export {
  createInboundProcessor,
  type InboundMail,
  type InboundProcessor,
  type InboundProcessorDeps,
  type InboundResult,
  UnknownRecipientError,
} from './processor.js';
export { createSmtpListener, type SmtpListener } from './smtp-listener.js';
