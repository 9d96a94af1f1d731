import { VigilError } from '../core/index.js';

/** A wrong email or password: one answer for both, so it cannot tell which accounts exist. */
export class InvalidCredentialsError extends VigilError {
  constructor() {
    super(401, 'invalid_credentials', 'The email address or the password is wrong.');
  }
}

/** A wrong or already used second-factor code. */
export class InvalidCodeError extends VigilError {
  constructor(message = 'The code is wrong or was already used; enter the next code your app shows.') {
    super(401, 'invalid_code', message);
  }
}

/** No pending sign-in (never started, finished, or older than five minutes). */
export class SignInExpiredError extends VigilError {
  constructor() {
    super(
      401,
      'sign_in_expired',
      'There is no sign-in in progress, or it took longer than 5 minutes; start again with your email and password.',
    );
  }
}

/** Why sign-in waits: see `throttle.ts`. */
export type ThrottledBy = 'account' | 'account-from-ip' | 'ip';

const THROTTLED: Record<ThrottledBy, (minutes: number) => string> = {
  'account-from-ip': (m) =>
    `Too many failed sign-in attempts for this account from your address; try again in ${m} minute(s).`,
  account: (m) =>
    `This account is locked after too many failed sign-in attempts from several addresses; try again in ${m} minute(s). Its owner and the administrators have been told.`,
  ip: (m) => `Too many failed sign-in attempts from your address; try again in ${m} minute(s).`,
};

/** Too many failures for the account from this address, for the account, or from the address. */
export class ThrottledError extends VigilError {
  readonly retryAfterSeconds: number;
  readonly by: ThrottledBy;
  constructor(retryAfterSeconds: number, by: ThrottledBy) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(429, 'throttled', THROTTLED[by](minutes));
    this.retryAfterSeconds = retryAfterSeconds;
    this.by = by;
  }
}

/** A state-changing request of a console session without the right `X-CSRF-Token` header. */
export class CsrfError extends VigilError {
  constructor() {
    super(
      403,
      'csrf',
      'This request needs the header X-CSRF-Token with the csrfToken of GET /api/v1/auth/session; it was missing or wrong.',
    );
  }
}
