import { DateTime } from 'luxon';
import type { Access, StaffCaller } from '../accounts/index.js';
import { actorOf } from '../accounts/index.js';
import { programAuditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../core/index.js';
import type { Db } from '../db/index.js';
import type { Program } from '../programs/index.js';
import { IntakePausedError } from './gate-errors.js';
import { deletePause, findPause, upsertPause } from './intake-pause-store.js';

/** A program's pause as the portal, the API and the console show it. */
export interface IntakePause {
  message: string;
  /** YYYY-MM-DD in the program's calendar, or null when no date is promised. */
  reopensOn: string | null;
  pausedAt: string;
}

/** What the staff API answers: whether the program takes reports, and the pause if not. */
export interface IntakePauseState {
  paused: boolean;
  pause: IntakePause | null;
}

export const PAUSE_MESSAGE_MAX = 1000;
/** When a pause names no reopening date, a client is asked to try again after this long. */
const RETRY_WITHOUT_DATE_SECONDS = 3600;

/**
 * Reading the pause of a program, and refusing intake while it lasts: the intake service asks
 * `assertOpen` before it stages or stores anything, so a paused program's refusal leaves no case,
 * no file, no audit entry and no clock behind, whichever channel it came through.
 */
export function createIntakePauses(deps: { db: Db; clock: Clock }) {
  const k = deps.db.kysely;

  async function pauseOf(program: Pick<Program, 'id'>): Promise<IntakePause | undefined> {
    const row = await findPause(k, program.id);
    return row ? { message: row.message, reopensOn: row.reopens_on, pausedAt: row.paused_at } : undefined;
  }

  /** Seconds until the reopening date begins in the program's time zone (at least a minute). */
  function retryAfter(program: Program, reopensOn: string | null): number {
    if (!reopensOn) return RETRY_WITHOUT_DATE_SECONDS;
    const opens = DateTime.fromISO(reopensOn, { zone: program.definition.calendar.timeZone }).startOf('day');
    const seconds = Math.ceil((opens.toMillis() - deps.clock.now().getTime()) / 1000);
    return Number.isFinite(seconds) ? Math.max(60, seconds) : RETRY_WITHOUT_DATE_SECONDS;
  }

  /** Throws `IntakePausedError` (503, Retry-After) while the program is paused. */
  async function assertOpen(program: Program): Promise<void> {
    const pause = await pauseOf(program);
    if (pause) throw new IntakePausedError(pause, retryAfter(program, pause.reopensOn));
  }

  return { pauseOf, assertOpen };
}

export type IntakePauses = ReturnType<typeof createIntakePauses>;

/**
 * Pausing and resuming a program's intake, for its admins and leads (an instance admin is admin
 * everywhere); anyone who may read the program's cases may read the state. Each change is audited
 * in the transaction that makes it, like every other setting.
 */
export function createIntakePauseAdmin(deps: {
  db: Db;
  clock: Clock;
  access: Pick<Access, 'programsFor' | 'roleIn'>;
  pauses: Pick<IntakePauses, 'pauseOf'>;
}) {
  const k = deps.db.kysely;
  const audit = programAuditor(deps.clock);

  async function readable(caller: StaffCaller, slug: string): Promise<Program> {
    const program = (await deps.access.programsFor(caller, 'case.read')).find((p) => p.slug === slug);
    if (!program) throw new NotFoundError(`There is no program ${slug}.`);
    return program;
  }

  async function changeable(caller: StaffCaller, slug: string): Promise<Program> {
    const program = await readable(caller, slug);
    const m = await deps.access.roleIn(caller, program);
    if (!m || (m.role !== 'admin' && m.role !== 'lead'))
      throw new ForbiddenError(`Only admins and leads of ${slug} pause and resume its intake.`);
    if (caller.scope === 'read')
      throw new ForbiddenError('This API token is read-only; changes need a read-write token.');
    return program;
  }

  const stateOf = (pause: IntakePause | undefined): IntakePauseState => ({
    paused: pause !== undefined,
    pause: pause ?? null,
  });

  async function get(caller: StaffCaller, slug: string): Promise<IntakePauseState> {
    return stateOf(await deps.pauses.pauseOf(await readable(caller, slug)));
  }

  async function pause(
    caller: StaffCaller,
    slug: string,
    input: { message: string; reopensOn?: string | null },
  ): Promise<IntakePauseState> {
    const program = await changeable(caller, slug);
    const message = input.message.trim();
    const reopensOn = input.reopensOn ?? null;
    const problems: { path: string; message: string }[] = [];
    if (message.length === 0)
      problems.push({ path: 'message', message: 'must say why and where to turn meanwhile' });
    if (message.length > PAUSE_MESSAGE_MAX)
      problems.push({ path: 'message', message: `must be at most ${PAUSE_MESSAGE_MAX} characters` });
    if (reopensOn !== null) {
      const zone = program.definition.calendar.timeZone;
      const day = DateTime.fromFormat(reopensOn, 'yyyy-MM-dd', { zone });
      if (!day.isValid) problems.push({ path: 'reopensOn', message: 'expected a date as YYYY-MM-DD' });
      else if (day < DateTime.fromJSDate(deps.clock.now(), { zone }).startOf('day'))
        problems.push({ path: 'reopensOn', message: 'must be today or later' });
    }
    if (problems.length > 0) throw new ValidationError(problems);
    const now = deps.clock.now();
    await k.transaction().execute(async (trx) => {
      const before = await findPause(trx, program.id);
      await upsertPause(trx, {
        program_id: program.id,
        message,
        reopens_on: reopensOn,
        paused_by: actorOf(caller),
        paused_at: before?.paused_at ?? now.toISOString(),
      });
      await audit(trx, actorOf(caller), before ? 'intake.pause_changed' : 'intake.paused', program, {
        reopensOn,
        message,
      });
    });
    return stateOf(await deps.pauses.pauseOf(program));
  }

  async function resume(caller: StaffCaller, slug: string): Promise<IntakePauseState> {
    const program = await changeable(caller, slug);
    await k.transaction().execute(async (trx) => {
      if (await deletePause(trx, program.id))
        await audit(trx, actorOf(caller), 'intake.resumed', program, {});
    });
    return stateOf(undefined);
  }

  return { get, pause, resume };
}

export type IntakePauseAdmin = ReturnType<typeof createIntakePauseAdmin>;
