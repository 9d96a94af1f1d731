import { type FieldProblem, ValidationError } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { CreditConsentRow } from '../db/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';

/**
 * Consent to public credit. A reporter gives or withdraws it — on the form, on their private
 * page, in a reply to one of our mails — or staff record one given another way (a call, a
 * letter), with the evidence. Every change is a row; the latest counts. Credit is used exactly
 * in the reporter's words and only while the latest row says `given`.
 */

export type ConsentChoice = 'given' | 'declined';
export type ConsentVia = 'form' | 'private-page' | 'mail-reply' | 'staff';
export const CONSENT_VIAS: readonly ConsentVia[] = ['form', 'private-page', 'mail-reply', 'staff'];

/** Where a case stands: `unanswered` when the reporter never said either way. */
export type CreditStatus =
  | { status: 'given'; text: string }
  | { status: 'declined' }
  | { status: 'unanswered' };

export const CREDIT_TEXT_MAX = 200;

export const consentTextAad = (consentId: string) => `credit-consent:${consentId}:text`;
export const consentEvidenceAad = (consentId: string) => `credit-consent:${consentId}:evidence`;

/** Whether the program credits reporters at all (a public acknowledgements page or CVE credit). */
export const creditsOffered = (program: Program): boolean =>
  program.definition.credits.publicAcknowledgements || program.definition.credits.cve;

/** The reporter's email and phone as given, lower-cased: a credit must not carry them. */
function contactValues(program: Program, contact: Answers): string[] {
  return program.definition.form.fields
    .filter((f) => f.purpose === 'contact.email' || f.purpose === 'contact.phone')
    .map((f) => contact[f.id])
    .concat(contact.email)
    .filter((v): v is string => typeof v === 'string' && v.trim().length >= 4)
    .map((v) => v.trim().toLowerCase());
}

/**
 * Check the words of a credit: one line, 1–200 characters, and none of the reporter's contact
 * details (they never leave the case team, even typed into a credit). Returns the trimmed words.
 */
export function checkCreditText(program: Program, contact: Answers, text: unknown, path = 'text'): string {
  const problem = (message: string): never => {
    throw new ValidationError([{ path, message } satisfies FieldProblem]);
  };
  if (typeof text !== 'string' || text.trim() === '')
    return problem('say how the credit should read: the name, handle or organization to show');
  const words = text.trim();
  if (/[\r\n\u0000-\u001f\u007f]/.test(words)) return problem('must be a single line of text');
  if ([...words].length > CREDIT_TEXT_MAX) return problem(`must be at most ${CREDIT_TEXT_MAX} characters`);
  const lower = words.toLowerCase();
  if (contactValues(program, contact).some((v) => lower.includes(v)))
    return problem('must not contain your email address or phone number: contact details stay with the team');
  return words;
}

/**
 * The consent a form submission carries, if its form asks: the answer to the field whose purpose
 * is `credit` (yes or no) with the `creditText` words; a form with only a `creditText` field takes
 * non-empty words as the consent. Bad words are refused with the field's id, so nothing is stored.
 */
export function consentFromAnswers(
  program: Program,
  content: Answers,
  contact: Answers,
): { choice: ConsentChoice; text?: string } | undefined {
  const fields = program.definition.form.fields;
  const field = (purpose: 'credit' | 'creditText') => fields.find((f) => f.purpose === purpose);
  const consentField = field('credit');
  const textField = field('creditText');
  const answer = consentField ? (content[consentField.id] ?? contact[consentField.id]) : undefined;
  const words = textField ? (content[textField.id] ?? contact[textField.id]) : undefined;
  const hasWords = typeof words === 'string' && words.trim() !== '';
  if (consentField) {
    if (answer === 'no' || answer === false) return { choice: 'declined' };
    if (answer !== 'yes' && answer !== true) return undefined;
  } else if (!hasWords) return undefined;
  return { choice: 'given', text: checkCreditText(program, contact, words, textField?.id ?? 'creditText') };
}

/** A case's current consent, from its latest row (opened here, in memory). */
export function statusOf(sealer: Sealer, latest: CreditConsentRow | undefined): CreditStatus {
  if (!latest) return { status: 'unanswered' };
  if (latest.choice !== 'given' || !latest.credit_text_sealed) return { status: 'declined' };
  return {
    status: 'given',
    text: sealer.open(latest.credit_text_sealed, consentTextAad(latest.id)).toString('utf8'),
  };
}

/**
 * Where a case stands that has no consent row (reports from before consents were recorded): what
 * its form answers said. Words that would be refused today (a contact detail inside) are no
 * consent to use them.
 */
export function statusFromAnswers(program: Program, content: Answers, contact: Answers): CreditStatus {
  try {
    const c = consentFromAnswers(program, content, contact);
    if (!c) return { status: 'unanswered' };
    return c.choice === 'given' && c.text ? { status: 'given', text: c.text } : { status: 'declined' };
  } catch {
    return { status: 'unanswered' };
  }
}
