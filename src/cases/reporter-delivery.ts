import { type NoticeOnlyReason, noticeOnlyReason, readRecipientKey } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import { type Answers, fieldFor } from '../reports/index.js';

/** How mail from the team reaches one reporter. */
export interface ReporterDelivery {
  /** Where the team's mails go; undefined when the reporter left no address and gets no mail. */
  email?: string;
  /** The reporter's usable OpenPGP key (armored): replies then travel in the mail, encrypted. */
  key?: string;
  /** Set when the program asked for a key and replies can still only be announced by mail. */
  noticeOnly?: NoticeOnlyReason;
}

/**
 * How the team's mail reaches a reporter, from their opened contact details: the one rule behind
 * the workflow's mails and what the reporter's own page tells them about replies. Form cases hold
 * the fields named by purpose; email cases hold `email` and `publicKey`. Parsing the key is CPU
 * work, so callers do this before any transaction.
 */
export async function reporterDelivery(program: Program, contact: Answers): Promise<ReporterDelivery> {
  const pick = (purpose: 'contact.email' | 'contact.publicKey', fallback: string) => {
    const f = fieldFor(program.definition, purpose);
    const v = (f ? contact[f.id] : undefined) ?? contact[fallback];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const email = pick('contact.email', 'email');
  if (email === undefined) return {};
  const given = pick('contact.publicKey', 'publicKey');
  const key = await readRecipientKey(given);
  const keyAsked = fieldFor(program.definition, 'contact.publicKey') !== undefined;
  const noticeOnly = noticeOnlyReason(keyAsked, given, key !== undefined);
  return { email, ...(key !== undefined ? { key } : {}), ...(noticeOnly ? { noticeOnly } : {}) };
}
