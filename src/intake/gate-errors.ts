import { type FieldProblem, VigilError } from '../core/index.js';

/** Where an API client sends its solved challenge (documented on the submit route). */
export const PROOF_HEADER = 'x-vigil-proof';
const proofField = `headers.${PROOF_HEADER}`;

/** The program is busy: this submission needs a solved challenge and came without one. `400`. */
export class ProofRequiredError extends VigilError {
  readonly fields: FieldProblem[];
  constructor(message: string) {
    super(400, 'proof_required', message);
    this.fields = [{ path: proofField, message: 'a solved proof-of-work challenge is required' }];
  }
}

/**
 * The proof sent is not one this program accepts: forged, expired, spent already, or for another
 * program. `403`; `reason` says which, for the form to explain and for the tests.
 */
export class ProofRejectedError extends VigilError {
  readonly fields: FieldProblem[];
  readonly reason: 'invalid' | 'expired' | 'spent' | 'other-program';
  constructor(reason: ProofRejectedError['reason'], message: string) {
    super(403, 'proof_rejected', message);
    this.reason = reason;
    this.fields = [{ path: proofField, message }];
  }
}

/**
 * The form without JavaScript was sent before its wait was over (or without a usable form token).
 * `429` with Retry-After; the portal shows the form again, filled in, with `token` to send it with.
 */
export class WaitLongerError extends VigilError {
  readonly retryAfterSeconds: number;
  readonly token: string;
  constructor(seconds: number, token: string) {
    super(
      429,
      'wait_longer',
      `The program is receiving many reports: please wait ${seconds} seconds and send the form again.`,
    );
    this.retryAfterSeconds = seconds;
    this.token = token;
  }
}

/** The program's intake is paused: nothing was stored. `503` with Retry-After and the program's message. */
export class IntakePausedError extends VigilError {
  readonly retryAfterSeconds: number;
  readonly pause: { message: string; reopensOn: string | null };
  constructor(pause: { message: string; reopensOn: string | null }, retryAfterSeconds: number) {
    super(
      503,
      'intake_paused',
      `This program is not taking reports at the moment${pause.reopensOn ? ` (it reopens on ${pause.reopensOn})` : ''}: ${pause.message}`,
    );
    this.pause = pause;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
