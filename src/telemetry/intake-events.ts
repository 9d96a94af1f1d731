import { Counter, type Registry } from 'prom-client';
import { isDatabaseUnavailable } from '../db/index.js';

/**
 * Reports accepted and refused, per channel, for `vigil_intake_accepted_total` and
 * `vigil_intake_refused_total`. Each channel tells this observer from one place: the HTTP app's
 * response hook for the web form and the API (http-observer.ts), the mail processor wrapper for
 * SMTP and IMAP (src/background.ts), and the SMTP listener for what it refuses before DATA ends.
 *
 * Labels stay bounded whatever senders do: a refusal carries no program (a flood may name any
 * slug, address or mailbox), an acceptance carries the program the new case belongs to, and the
 * reason is one of the fixed list below. A report held by the PHI guard is accepted: the hold is
 * the case's business, not a refusal.
 */
export const INTAKE_CHANNELS = ['web', 'api', 'smtp', 'imap'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];

export const REFUSAL_REASONS = [
  /** Too many submissions from one address, sender or for one program. */
  'rate_limited',
  /** Busy: a proof of work (or, without script, a wait) was needed and not given. */
  'proof_required',
  /** The proof was forged, expired, spent or for another program. */
  'proof_rejected',
  'too_large',
  /** The form or body did not validate. */
  'invalid',
  /** The program's intake is paused. */
  'paused',
  /** No program takes reports at the slug or address named. */
  'unknown_program',
  /** The decryption budget was spent: the sender is asked to try later. */
  'busy',
  /** The database did not answer. */
  'unavailable',
  /** Anything else: a failure of Vigil's, not of the report. */
  'error',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Where the intake channels report what they accepted and refused. */
export interface IntakeEvents {
  accepted(channel: IntakeChannel, program: string): void;
  refused(channel: IntakeChannel, reason: RefusalReason): void;
}

/** The intake counters on `registry`, with every channel and reason present from the start at 0. */
export function createIntakeCounters(registry: Registry): IntakeEvents {
  const accepted = new Counter({
    name: 'vigil_intake_accepted_total',
    help: 'Reports and replies accepted, by channel and program.',
    labelNames: ['channel', 'program'] as const,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'vigil_intake_refused_total',
    help: 'Submissions refused, by channel and reason; nothing of a refused submission is kept.',
    labelNames: ['channel', 'reason'] as const,
    registers: [registry],
  });
  // Zeros from the start, so rate() and alerts see a series before the first refusal.
  for (const channel of INTAKE_CHANNELS)
    for (const reason of REFUSAL_REASONS) refused.inc({ channel, reason }, 0);
  return {
    accepted: (channel, program) => accepted.inc({ channel, program }),
    refused: (channel, reason) => refused.inc({ channel, reason }),
  };
}

/** The refusal reason of a typed error's code (`VigilError.code`, the error body's `error`). */
const REASON_OF_CODE: Record<string, RefusalReason> = {
  rate_limited: 'rate_limited',
  proof_required: 'proof_required',
  wait_longer: 'proof_required',
  proof_rejected: 'proof_rejected',
  payload_too_large: 'too_large',
  validation_failed: 'invalid',
  unsupported_media_type: 'invalid',
  intake_paused: 'paused',
  not_found: 'unknown_program',
  decryption_busy: 'busy',
  database_unavailable: 'unavailable',
};

/**
 * Why an HTTP submission was refused, from its error code when the error handler answered, else
 * from the status alone (the web form answers its own refusals with a page: 403 a rejected proof,
 * 429 "wait and send again", 503 paused, 400 or 413 the form with its problems).
 */
export function refusalReasonOf(status: number, errorCode: string | undefined): RefusalReason {
  const byCode = errorCode === undefined ? undefined : REASON_OF_CODE[errorCode];
  if (byCode) return byCode;
  if (status === 400 || status === 415 || status === 422) return 'invalid';
  if (status === 403) return 'proof_rejected';
  if (status === 404) return 'unknown_program';
  if (status === 413) return 'too_large';
  if (status === 429) return errorCode === undefined ? 'proof_required' : 'rate_limited';
  if (status === 503) return 'paused';
  return 'error';
}

/** Why a mail was refused, from what the mail processor or the transport threw. */
export function mailRefusalReasonOf(err: unknown): RefusalReason {
  const name = err instanceof Error ? err.name : '';
  const code = (err as { code?: unknown } | null)?.code;
  if (name === 'UnknownRecipientError' || code === 'imap_no_program_address') return 'unknown_program';
  if (name === 'IntakePausedError' || code === 'intake_paused') return 'paused';
  if (name === 'DecryptBudgetBusyError' || code === 'decryption_busy') return 'busy';
  if (code === 'imap_message_too_large' || code === 'payload_too_large') return 'too_large';
  if (isDatabaseUnavailable(err)) return 'unavailable';
  return 'error';
}
