import type { Clock } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import type { AccountService } from './accounts.js';
import { createEnrolmentService } from './enrolment.js';
import { createPasskeyService } from './passkeys.js';
import { createSignInService } from './sign-in.js';

/** The sign-in services, wired together: enrolment links, sign-in steps, passkeys and factors. */
export function createAuthServices(deps: {
  db: Db;
  clock: Clock;
  sealer: Sealer;
  accounts: Pick<AccountService, 'sessions'>;
  publicUrl: string;
}) {
  const sessions = deps.accounts.sessions;
  const passkeys = createPasskeyService({ db: deps.db, clock: deps.clock, publicUrl: deps.publicUrl });
  const signIn = createSignInService({
    db: deps.db,
    clock: deps.clock,
    sealer: deps.sealer,
    sessions,
    passkeys,
    publicUrl: deps.publicUrl,
  });
  const enrolment = createEnrolmentService({
    db: deps.db,
    clock: deps.clock,
    sealer: deps.sealer,
    sessions,
    publicUrl: deps.publicUrl,
  });
  return { sessions, passkeys, signIn, enrolment };
}

export type AuthServices = ReturnType<typeof createAuthServices>;
