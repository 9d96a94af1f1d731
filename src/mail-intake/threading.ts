import { hashToken, type Sealer } from '../crypto/index.js';
import type { ProgramAddress } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import { type Answers, fieldFor, reportAad } from '../reports/index.js';

/**
 * Whether a received mail answers an existing case, and how that is known. The rule, which the
 * reporter's trust in the channel rests on: a mail joins a case only with proof that it comes from
 * that case's reporter —
 * - `token`: the reply token in the recipient address (`psirt+r-<token>@…`); only someone who
 *   received our mail about the case has it. It counts only at the program the case belongs to.
 * - `sender`: a case number of this program in the subject, and a sender address equal to the
 *   reporter's contact address of that case. The sender address is the From header's (else the
 *   envelope's), which nothing here authenticates: this proof is only as good as the MX in front.
 * A case number alone never threads: anyone can write one in a subject. Only `token` is strong
 * enough for what a From header cannot prove (a credit answer, for one).
 */

export interface MailThread {
  caseNumber: string;
  proof: 'token' | 'sender';
}

/** The case lookups threading needs, by reply token hash and by case number. */
export interface ThreadLookup {
  byReplyTokenHash(hash: string): Promise<{ case_number: string; program_id: string } | undefined>;
  byCaseNumber(
    caseNumber: string,
  ): Promise<{ id: string; program_id: string; contact_sealed: Buffer } | undefined>;
}

/** Case numbers considered per mail: each one is a lookup and an unsealing. */
const MAX_CASE_NUMBERS = 3;

/** This program's case numbers (`PREFIX-YYYY-NNNN…`) in the subjects, each once, at most three. */
export function caseNumbersIn(program: Program, subjects: string[]): string[] {
  const prefix = program.definition.casePrefix.replace(/[^A-Za-z0-9]/g, '');
  const re = new RegExp(`\\b${prefix}-\\d{4}-\\d{4,}\\b`, 'g');
  return [...new Set(subjects.flatMap((s) => s.match(re) ?? []))].slice(0, MAX_CASE_NUMBERS);
}

/** Whether `sender` is the reporter's contact address (the standard field or the program's own). */
export function isReporterAddress(program: Program, contact: Answers, sender: string): boolean {
  const emailField = fieldFor(program.definition, 'contact.email');
  const known = [contact.email, emailField ? contact[emailField.id] : undefined];
  return known.some((e) => typeof e === 'string' && e.trim().toLowerCase() === sender.toLowerCase());
}

/**
 * The case a mail to `target` answers, or undefined for a new report. `subjects` are the outer and
 * the protected (encrypted) subject; `sender` the mail's sender address, if it has a valid one.
 */
export async function threadOf(
  deps: { lookup: ThreadLookup; sealer: Pick<Sealer, 'openJson'> },
  target: ProgramAddress,
  subjects: string[],
  sender: string | undefined,
): Promise<MailThread | undefined> {
  const { program } = target;
  if (target.replyToken) {
    const row = await deps.lookup.byReplyTokenHash(hashToken(target.replyToken));
    if (row && row.program_id === program.id) return { caseNumber: row.case_number, proof: 'token' };
  }
  if (!sender) return undefined;
  for (const caseNumber of caseNumbersIn(program, subjects)) {
    const row = await deps.lookup.byCaseNumber(caseNumber);
    if (!row || row.program_id !== program.id) continue;
    const contact = deps.sealer.openJson<Answers>(row.contact_sealed, reportAad(row.id, 'contact'));
    if (isReporterAddress(program, contact, sender)) return { caseNumber, proof: 'sender' };
  }
  return undefined;
}
