import { randomBytes } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { IntakeGateSettings } from '../config/index.js';
import type { Clock } from '../core/index.js';
import { newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database, Db, Kysely } from '../db/index.js';
import type { Program } from '../programs/index.js';
import { ProofRejectedError, ProofRequiredError, WaitLongerError } from './gate-errors.js';
import {
  countArrivalsFrom,
  countProgramReportsSince,
  findGateKey,
  insertArrival,
  insertGateKey,
  pruneGates,
  spendProof,
} from './intake-gate-store.js';
import {
  addressTag,
  gateLevel,
  maxNumberFor,
  readWaitToken,
  signWaitToken,
  WAIT_TOKEN_SECONDS,
  waitSecondsFor,
} from './proof-of-work.js';

/** The defaults of `loadConfig`, for a service built without settings (unit wiring). */
export const DEFAULT_GATE_SETTINGS: IntakeGateSettings = {
  quietPerHour: 20,
  addressFreePerHour: 3,
  minLevel: 0,
  maxNumber: 1_000_000,
  waitSeconds: 60,
  challengeMinutes: 10,
};

/** What `GET /api/v1/programs/{slug}/challenge` answers. */
export type ChallengeView =
  | { required: false; level: 0 }
  | {
      required: true;
      level: number;
      algorithm: 'SHA-256';
      challenge: string;
      salt: string;
      signature: string;
      maxnumber: number;
      expiresAt: string;
    };

/** What a submission presented: a solved challenge (script, API) or the form's wait token (no script). */
export interface Presented {
  proof?: string;
  waitToken?: string;
}

/** A submission let through; `spent` when a proof or token was used up for it. */
export interface GatePass {
  level: number;
  spent: boolean;
}

const HOUR_MS = 3_600_000;
const PRUNE_EVERY_MS = 60_000;
const KEY_ID = 'pow';
const keyAad = `intake-gate-key:${KEY_ID}`;

/**
 * The adaptive proof-of-work in front of the web form and the JSON API (formula and table in
 * proof-of-work.ts). The HMAC key is 32 random bytes sealed under the instance keyring and kept in
 * the database (like the case digest keys), so every instance signs and checks with the same key
 * and a copy of the database alone cannot forge challenges. A challenge names its program (the
 * slug, in the signed salt) and expires; a solved one, like a waited form token, is spent exactly
 * once in `intake_proofs_spent`, whose primary key settles races between instances.
 *
 * The per-address history is counted in the database (`intake_arrivals`, one row per accepted
 * web/API report with a keyed hash of the client address, kept an hour), not in the rate
 * limiter's memory: the limiter's counters are per instance and per minute, and tests and the
 * bench drive this count simply by sending reports from an address.
 */
export function createIntakeGate(deps: {
  db: Db;
  sealer: Pick<Sealer, 'seal' | 'open'>;
  clock: Clock;
  settings?: IntakeGateSettings;
}) {
  const k = deps.db.kysely;
  const settings = deps.settings ?? DEFAULT_GATE_SETTINGS;
  let keyPromise: Promise<Buffer> | undefined;
  let lastPrune = 0;

  /** The instance's key, created by the first instance that needs it. */
  function gateKey(): Promise<Buffer> {
    keyPromise ??= (async () => {
      let sealed = await findGateKey(k, KEY_ID);
      if (!sealed) {
        const fresh = randomBytes(32);
        await insertGateKey(k, {
          id: KEY_ID,
          key_sealed: deps.sealer.seal(fresh, keyAad),
          created_at: deps.clock.now().toISOString(),
        });
        fresh.fill(0);
        sealed = (await findGateKey(k, KEY_ID)) as Buffer;
      }
      return deps.sealer.open(sealed, keyAad);
    })();
    keyPromise.catch(() => {
      keyPromise = undefined;
    });
    return keyPromise;
  }
  /** altcha-lib takes its HMAC key as a string. */
  const hmacKey = async () => (await gateKey()).toString('hex');

  /** The level asked of `address` for `program` now. */
  async function levelFor(program: Pick<Program, 'id'>, address: string): Promise<number> {
    const since = new Date(deps.clock.now().getTime() - HOUR_MS).toISOString();
    const tag = addressTag(await gateKey(), address);
    const [programCount, addressCount] = await Promise.all([
      countProgramReportsSince(k, program.id, since),
      countArrivalsFrom(k, tag, since),
    ]);
    return gateLevel(settings, programCount, addressCount);
  }

  /** A challenge for `address` to solve before sending a report to `program`, or none in quiet times. */
  async function challenge(program: Pick<Program, 'id' | 'slug'>, address: string): Promise<ChallengeView> {
    const level = await levelFor(program, address);
    if (level === 0) return { required: false, level: 0 };
    const expires = new Date(deps.clock.now().getTime() + settings.challengeMinutes * 60_000);
    const c = await createChallenge({
      algorithm: 'SHA-256',
      hmacKey: await hmacKey(),
      maxnumber: maxNumberFor(settings, level),
      expires,
      params: { program: program.slug },
    });
    return {
      required: true,
      level,
      algorithm: 'SHA-256',
      challenge: c.challenge,
      salt: c.salt,
      signature: c.signature,
      maxnumber: c.maxnumber ?? maxNumberFor(settings, level),
      expiresAt: new Date(Math.floor(expires.getTime() / 1000) * 1000).toISOString(),
    };
  }

  /**
   * The token the form without JavaScript carries: when it was served. `waited` dates it back by
   * the longest wait, for a form shown again after a refusal that already used up a proof (one
   * proof spent, one handed back: a sender still pays once per accepted report).
   */
  async function waitToken(program: Pick<Program, 'id'>, opts: { waited?: boolean } = {}): Promise<string> {
    const now = Math.floor(deps.clock.now().getTime() / 1000);
    return signWaitToken(await gateKey(), {
      programId: program.id,
      issuedAt: opts.waited ? now - settings.waitSeconds : now,
    });
  }

  const spend = (id: string, program: Pick<Program, 'id'>, expiresAtMs: number) =>
    spendProof(k, { id, program_id: program.id, expires_at: new Date(expiresAtMs).toISOString() });

  /** Check a solved challenge for `program` and spend it; throws a `ProofRejectedError` naming why. */
  async function spendSolution(program: Pick<Program, 'id' | 'slug'>, proof: string): Promise<void> {
    const invalid = () =>
      new ProofRejectedError(
        'invalid',
        'The proof-of-work solution is not valid: request a new challenge and solve it.',
      );
    let payload: {
      algorithm?: unknown;
      challenge?: unknown;
      number?: unknown;
      salt?: unknown;
      signature?: unknown;
    };
    try {
      if (proof.length > 2048) throw invalid();
      payload = JSON.parse(Buffer.from(proof, 'base64').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (
      typeof payload !== 'object' ||
      payload === null ||
      payload.algorithm !== 'SHA-256' ||
      typeof payload.challenge !== 'string' ||
      typeof payload.salt !== 'string' ||
      typeof payload.signature !== 'string' ||
      !Number.isSafeInteger(payload.number) ||
      (payload.number as number) < 0
    )
      throw invalid();
    const p = payload as {
      algorithm: 'SHA-256';
      challenge: string;
      number: number;
      salt: string;
      signature: string;
    };
    // The signature is checked first: the salt's parameters mean something only when it is ours.
    if (!(await verifySolution(p, await hmacKey(), false))) throw invalid();
    const params = extractParams(p);
    if (params.program !== program.slug)
      throw new ProofRejectedError(
        'other-program',
        `The proof-of-work challenge was issued for another program: request one from /api/v1/programs/${program.slug}/challenge.`,
      );
    const expires = Number(params.expires) * 1000;
    if (!Number.isFinite(expires) || expires <= deps.clock.now().getTime())
      throw new ProofRejectedError(
        'expired',
        'The proof-of-work challenge has expired: request a new one and solve it.',
      );
    if (!(await spend(`pow:${p.signature}`, program, expires)))
      throw new ProofRejectedError(
        'spent',
        'This proof-of-work solution was used already: each solved challenge is good for one report.',
      );
  }

  /**
   * Let a web or API submission through, or refuse it before anything is read or stored. At level
   * 0 nothing is asked (and nothing presented is spent). The API needs a solved challenge; the web
   * form takes a solved challenge (its script) or a form token old enough (no script), else it is
   * shown again with the time left (`WaitLongerError`).
   */
  async function admit(
    program: Pick<Program, 'id' | 'slug'>,
    address: string,
    presented: Presented,
    channel: 'web' | 'api',
  ): Promise<GatePass> {
    const level = await levelFor(program, address);
    if (level === 0) return { level, spent: false };
    if (presented.proof) {
      await spendSolution(program, presented.proof);
      return { level, spent: true };
    }
    if (channel === 'api')
      throw new ProofRequiredError(
        `The program is receiving many reports: solve the challenge from GET /api/v1/programs/${program.slug}/challenge and send the solution in the X-Vigil-Proof header.`,
      );
    const wait = waitSecondsFor(settings, level);
    const key = await gateKey();
    const token = presented.waitToken ? readWaitToken(key, presented.waitToken) : undefined;
    const nowMs = deps.clock.now().getTime();
    const fresh = async () => new WaitLongerError(wait, await waitToken(program));
    if (!token || token.programId !== program.id || (token.issuedAt + WAIT_TOKEN_SECONDS) * 1000 <= nowMs)
      throw await fresh();
    const waited = nowMs / 1000 - token.issuedAt;
    if (waited < wait) throw new WaitLongerError(Math.ceil(wait - waited), presented.waitToken as string);
    if (!(await spend(`wait:${token.nonce}`, program, (token.issuedAt + WAIT_TOKEN_SECONDS) * 1000)))
      throw await fresh();
    return { level, spent: true };
  }

  /** Now and then drop spent proofs and arrivals past the window. */
  async function pruneNowAndThen(now: Date): Promise<void> {
    if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now.getTime();
    await pruneGates(k, now.toISOString(), new Date(now.getTime() - HOUR_MS).toISOString());
  }

  /**
   * The arrival of a web/API report about to be stored, to be written in the report's own
   * transaction (`record`): it then shares the report's COMMIT, where a separate insert cost a
   * transaction and its WAL fsync of its own on every report, and it counts exactly the reports
   * that were stored. `settle` prunes now and then, after the commit.
   */
  async function arrival(program: Pick<Program, 'id'>, address: string, at: Date) {
    const row = {
      id: newId(),
      program_id: program.id,
      address_tag: addressTag(await gateKey(), address),
      arrived_at: at.toISOString(),
    };
    return {
      record: (trx: Kysely<Database>) => insertArrival(trx, row),
      settle: () => pruneNowAndThen(at),
    };
  }

  return { challenge, waitToken, admit, arrival, levelFor, settings };
}

export type IntakeGate = ReturnType<typeof createIntakeGate>;
