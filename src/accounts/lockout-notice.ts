import { newId } from '../core/index.js';
import type { OutgoingMail } from '../mail/index.js';
import { ACCOUNT_LIMIT, WINDOW_MS } from './throttle.js';

/**
 * The mails that announce an account locked for everyone (`throttle.ts`): one to the account's
 * owner, one to each instance admin. They name the account, how many attempts failed, the
 * addresses (to the admins only) and when the lock ends — never a password or code tried.
 */

/** At most this many addresses are listed in the admins' mail; the audit log has them all. */
export const LISTED_ADDRESSES = 10;

export function accountLockedMails(input: {
  /** The account's email, when it belongs to an enabled user; otherwise nobody is its owner. */
  owner: string | null;
  account: string;
  admins: readonly string[];
  addresses: readonly string[];
  until: Date;
  publicUrl: string;
}): OutgoingMail[] {
  const host = new URL(input.publicUrl).hostname;
  const minutes = WINDOW_MS / 60_000;
  const until = `${input.until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const from = input.addresses.length === 1 ? 'one address' : `${input.addresses.length} addresses`;
  const messageId = (who: string) => `<account-locked.${who}.${newId().slice(0, 8)}@${host}>`;
  const mails: OutgoingMail[] = [];

  if (input.owner !== null)
    mails.push({
      to: input.owner,
      subject: `Your Vigil account is locked for ${minutes} minutes`,
      messageId: messageId('owner'),
      text: [
        `Vigil (${input.publicUrl}) locked the sign-in of ${input.account} after ${ACCOUNT_LIMIT} failed`,
        `attempts within ${minutes} minutes, from ${from}. None of them was accepted.`,
        '',
        `You can sign in again from ${until}, ${minutes} minutes after the last failed attempt;`,
        'nothing needs to be done to unlock the account.',
        '',
        'If these attempts were not yours, someone is trying to guess your password. Your',
        "instance's administrators have been told as well. If you think your password is known",
        'to someone else, ask an administrator for a new enrolment link to set a new one.',
        '',
      ].join('\n'),
    });

  const listed = input.addresses.slice(0, LISTED_ADDRESSES);
  for (const to of new Set(input.admins)) {
    if (to === input.owner) continue;
    mails.push({
      to,
      subject: `Vigil: sign-in of ${input.account} locked after ${ACCOUNT_LIMIT} failed attempts`,
      messageId: messageId('admin'),
      text: [
        `Vigil (${input.publicUrl}) locked the sign-in of ${input.account} for everyone after`,
        `${ACCOUNT_LIMIT} failed attempts within ${minutes} minutes, from ${from}:`,
        ...listed.map((a) => `  ${a}`),
        ...(input.addresses.length > listed.length ? ['  …'] : []),
        '',
        `Sign-in of the account opens again at ${until} unless more attempts fail. The user has`,
        'been told. The failures are in the audit log as auth.failure, this lock as',
        'auth.account-locked.',
        '',
        'If the addresses are your reverse proxy rather than the clients, Vigil is not reading',
        'the forwarded client address: set VIGIL_TRUST_PROXY=true when Vigil runs behind a',
        'proxy that sets X-Forwarded-For.',
        '',
      ].join('\n'),
    });
  }
  return mails;
}
