import * as openpgp from 'openpgp';
import { hashToken, type Sealer } from '../crypto/index.js';
import { matchProgramAddress } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import { type Answers, fieldFor, reportAad } from '../reports/index.js';

/**
 * Whether a received mail answers an existing case, and how that is known. The rule, which the
 * reporter's trust in the channel rests on: a mail joins a case only with proof that it comes from
 * that case's reporter —
 * - `token`: the reply token of our mails about the case (`psirt+r-<token>@…`) in any recipient the
 *   mail names (envelope, Delivered-To, To or Cc); only someone who received our mail has it. It
 *   counts only at the program the case belongs to.
 * - `signature`: a case number of this program in the subject, and an OpenPGP signature over the
 *   whole mail by the key the reporter gave earlier (stored with the case, from the form or their
 *   first mail). A key the mail brings along (Autocrypt, an attached key) proves nothing here:
 *   anyone can make a key for any address.
 * Nothing else threads. The From header is written by the sender, so a case number with the
 * reporter's address in From is no proof: such a mail becomes a new case that names the case it
 * claims to answer (`claimed`), for staff to judge. Only `token` is strong enough for a credit
 * answer: a signature proves who wrote the text, not that it was written for this case now (a
 * signed mail can be sent again under another subject).
 *
 * In-Reply-To and References are not a proof either: our Message-IDs are the case number, the kind
 * of mail and at most 32 random bits, are not kept anywhere they could be looked up, and travel
 * quoted in every reply, to every recipient of it.
 */

export type ThreadProof = 'token' | 'signature';

/** How a mail's signature stands against the reporter's stored key. */
export type ReporterSignature = 'whole' | 'part' | 'no';

/** What threading decided: a reply to a case, or a new case (perhaps naming one it could not join). */
export type Threading =
  | {
      kind: 'reply';
      caseNumber: string;
      proof: ThreadProof;
      /** Set when the mail is signed and the case has a key: what that key says of the signature. */
      reporterKey?: { fingerprint: string; signed: ReporterSignature };
    }
  | {
      kind: 'new';
      /** A case of this program the subject names, joined without proof; staff are told. */
      claimed?: { caseNumber: string; fromReporterAddress: boolean };
    };

interface CaseContact {
  id: string;
  program_id: string;
  contact_sealed: Buffer;
}

/** The case lookups threading needs, by reply token hash and by case number. */
export interface ThreadLookup {
  byReplyTokenHash(hash: string): Promise<(CaseContact & { case_number: string }) | undefined>;
  byCaseNumber(caseNumber: string): Promise<CaseContact | undefined>;
}

export interface ThreadDeps {
  lookup: ThreadLookup;
  sealer: Pick<Sealer, 'openJson'>;
  /**
   * Checks the mail's signature against one key: `whole` when that key signed everything read from
   * the mail. Absent when the mail carries no signature, so no contact is opened for nothing.
   */
  signedBy?: (key: openpgp.PublicKey) => Promise<ReporterSignature>;
}

/** What threading reads from a mail. */
export interface MailClues {
  /** Reply tokens of this program's addresses among the mail's recipients (`replyTokensFor`). */
  replyTokens: string[];
  /** The outer and the protected (encrypted) subject. */
  subjects: string[];
  /** The From address (else the envelope's), for the note only: it proves nothing. */
  sender?: string;
}

/** Case numbers considered per mail: each one is a lookup and an unsealing. */
const MAX_CASE_NUMBERS = 3;
/** Reply tokens considered per mail: each one is a lookup. */
const MAX_REPLY_TOKENS = 4;

/** This program's case numbers (`PREFIX-YYYY-NNNN…`) in the subjects, each once, at most three. */
export function caseNumbersIn(program: Program, subjects: string[]): string[] {
  const prefix = program.definition.casePrefix.replace(/[^A-Za-z0-9]/g, '');
  const re = new RegExp(`\\b${prefix}-\\d{4}-\\d{4,}\\b`, 'g');
  return [...new Set(subjects.flatMap((s) => s.match(re) ?? []))].slice(0, MAX_CASE_NUMBERS);
}

/**
 * The reply tokens in `addresses` that are sub-addresses of `program`'s own addresses, each once,
 * at most four. A token at another program's address is not one of this program's.
 */
export function replyTokensFor(program: Program, addresses: string[]): string[] {
  const tokens = addresses.flatMap((a) => matchProgramAddress([program], a)?.replyToken ?? []);
  return [...new Set(tokens)].slice(0, MAX_REPLY_TOKENS);
}

/** Whether `sender` is the reporter's contact address (the standard field or the program's own). */
export function isReporterAddress(program: Program, contact: Answers, sender: string): boolean {
  const emailField = fieldFor(program.definition, 'contact.email');
  const known = [contact.email, emailField ? contact[emailField.id] : undefined];
  return known.some((e) => typeof e === 'string' && e.trim().toLowerCase() === sender.toLowerCase());
}

const KEY_BLOCK =
  /-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/;

/**
 * The OpenPGP key the reporter gave with the case: the program's key field (form cases) or
 * `publicKey` (email cases), public part only. It need not be able to encrypt, only to verify.
 */
export async function reporterKeyOf(
  program: Program,
  contact: Answers,
): Promise<openpgp.PublicKey | undefined> {
  const field = fieldFor(program.definition, 'contact.publicKey');
  const value = (field ? contact[field.id] : undefined) ?? contact.publicKey;
  const block = typeof value === 'string' ? KEY_BLOCK.exec(value)?.[0] : undefined;
  if (!block) return undefined;
  try {
    const key = await openpgp.readKey({ armoredKey: block });
    return key.isPrivate() ? key.toPublic() : key;
  } catch {
    return undefined;
  }
}

/** The case a mail to `program` answers, and how that is known; else a new case. */
export async function threadOf(deps: ThreadDeps, program: Program, mail: MailClues): Promise<Threading> {
  const contactOf = (row: CaseContact) =>
    deps.sealer.openJson<Answers>(row.contact_sealed, reportAad(row.id, 'contact'));
  /** The reporter's key, and what it says of the mail's signature; undefined if either is missing. */
  async function checkedBy(contact: Answers) {
    if (!deps.signedBy) return undefined;
    const key = await reporterKeyOf(program, contact);
    if (!key) return undefined;
    return { fingerprint: key.getFingerprint().toUpperCase(), signed: await deps.signedBy(key) };
  }

  for (const token of mail.replyTokens.slice(0, MAX_REPLY_TOKENS)) {
    const row = await deps.lookup.byReplyTokenHash(hashToken(token));
    if (!row || row.program_id !== program.id) continue;
    const reporterKey = deps.signedBy ? await checkedBy(contactOf(row)) : undefined;
    return {
      kind: 'reply',
      caseNumber: row.case_number,
      proof: 'token',
      ...(reporterKey ? { reporterKey } : {}),
    };
  }

  let claimed: { caseNumber: string; fromReporterAddress: boolean } | undefined;
  for (const caseNumber of caseNumbersIn(program, mail.subjects)) {
    const row = await deps.lookup.byCaseNumber(caseNumber);
    if (!row || row.program_id !== program.id) continue;
    const contact = contactOf(row);
    const reporterKey = await checkedBy(contact);
    if (reporterKey?.signed === 'whole')
      return { kind: 'reply', caseNumber, proof: 'signature', reporterKey };
    claimed ??= {
      caseNumber,
      fromReporterAddress: mail.sender !== undefined && isReporterAddress(program, contact, mail.sender),
    };
  }
  return claimed ? { kind: 'new', claimed } : { kind: 'new' };
}
