import { MESSAGE_LIMITS } from '../intake/index.js';
import { parseEntity } from '../mail/index.js';
import { recipientsIn } from './imap-routing.js';
import { oneLine } from './mail-text.js';
import { simpleParser } from './mailparser.js';

/** What the outer header of a mail says, read on its own: it is needed whatever happens to the body. */
export interface MailHeader {
  /** The Autocrypt header values, as received. */
  autocrypt: string[];
  /** The outer Subject, as decoded (not yet flattened to one line). */
  subject?: string;
  /** The From address, else the envelope sender, when it is a plausible address. */
  fromAddress?: string;
  /** The From display name, on one line. */
  fromName: string;
  messageId?: string;
  /**
   * The addresses the recipient fields name (Delivered-To, X-Original-To, Envelope-To, To, Cc):
   * a reply token counts wherever the mail names it, not only in the envelope.
   */
  recipients: string[];
  /** An automatic mail (`Auto-Submitted` other than `no`) or bulk mail (`Precedence`): no receipt. */
  automatic: boolean;
}

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

/** Reads the outer header of `raw`; `mailFrom` is the envelope sender (`''` for a bounce). */
export async function readMailHeader(raw: Buffer, mailFrom: string): Promise<MailHeader> {
  const outer = parseEntity(raw);
  const headerBytes = raw.subarray(0, raw.length - outer.body.length);
  const head = await simpleParser(Buffer.concat([headerBytes, Buffer.from('\r\n')]), {
    skipHtmlToText: true,
    skipTextToHtml: true,
  }).catch(() => undefined);
  const fromHeader = head?.from?.value[0];
  const fromAddress = [fromHeader?.address, mailFrom]
    .map((a) => a?.trim())
    .find((a): a is string => a !== undefined && a.length <= MESSAGE_LIMITS.emailChars && EMAIL_RE.test(a));
  const autoSubmitted = (outer.headers.get('auto-submitted')?.[0] ?? 'no').toLowerCase() !== 'no';
  const bulk = /^(bulk|junk|list)$/i.test(outer.headers.get('precedence')?.[0] ?? '');
  return {
    autocrypt: outer.headers.get('autocrypt') ?? [],
    subject: head?.subject,
    fromAddress,
    fromName: fromHeader?.name ? oneLine(fromHeader.name, MESSAGE_LIMITS.nameChars) : '',
    messageId: head?.messageId ? oneLine(head.messageId, 998) : undefined,
    recipients: recipientsIn(outer.headers),
    automatic: autoSubmitted || bulk,
  };
}
