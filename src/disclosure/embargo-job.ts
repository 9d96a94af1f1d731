import type { Clock } from '../core/index.js';
import { ConflictError, describeError, VigilError, type WorkerLogger } from '../core/index.js';
import type { Db } from '../db/index.js';
import { createPeriodicPass } from '../jobs/index.js';
import type { ProgramService } from '../programs/index.js';
import { findAdvisoryById, listDueScheduled } from './advisory-store.js';
import { publishRevision } from './advisory-transitions.js';
import type { ArtefactService } from './artefacts-service.js';
import { expectCreditsConsented } from './credit-check.js';
import type { NotificationDeps } from './notifications.js';

/**
 * The embargo: an approved revision with a `publishNotBefore` still ahead is `scheduled` when
 * published, and this job publishes it once the clock has passed that instant — nobody has to
 * remember to press a button at midnight, and nothing goes out early. Each pass publishes every
 * due revision in its own transaction with a conditional update, so several instances running
 * the job publish each revision once.
 */

export interface EmbargoJob {
  start(): void;
  stop(): Promise<void>;
  /** One pass at `now` (default: the clock's now); the public ids it published. */
  runOnce(now?: Date): Promise<string[]>;
}

export function createEmbargoJob(deps: {
  db: Db;
  clock: Clock;
  programs: Pick<ProgramService, 'list'>;
  logger?: WorkerLogger;
  /** Tells customers and reporters in the publishing transaction (see notifications.ts). */
  notify?: Omit<NotificationDeps, 'clock'>;
  /** CSAF documents and CVE records, prepared at the embargo's end and stored with the publication. */
  artefacts?: Pick<ArtefactService, 'prepare'>;
  /** How often to look (default one minute: an embargo ends at most this late). */
  intervalMs?: number;
}): EmbargoJob {
  /** Publish every scheduled revision whose embargo has passed at `now`, each in its own transaction. */
  async function runOnce(now = deps.clock.now()): Promise<string[]> {
    const done: string[] = [];
    const due = await listDueScheduled(deps.db.kysely, now.toISOString());
    if (due.length === 0) return done;
    const programs = new Map((await deps.programs.list()).map((p) => [p.id, p]));
    for (const rev of due) {
      const row = await findAdvisoryById(deps.db.kysely, rev.advisory_id);
      const program = row ? programs.get(row.program_id) : undefined;
      if (!row || !program) continue;
      try {
        if (deps.notify) await expectCreditsConsented(deps.db.kysely, deps.notify.sealer, program, row, rev);
        const artefacts = await deps.artefacts?.prepare(program, row, rev, now);
        await publishRevision(deps.db, {
          actor: 'system:embargo',
          program,
          row,
          rev,
          now,
          artefacts,
          ...(deps.notify ? { notify: { ...deps.notify, clock: deps.clock } } : {}),
        });
        done.push(row.public_id);
      } catch (err) {
        // Another instance published it first, or it was returned to draft meanwhile.
        if (err instanceof ConflictError) continue;
        // A reporter withdrew consent to a credit it carries: it stays scheduled until corrected.
        if (err instanceof VigilError && err.code === 'credit_consent_lapsed') {
          deps.logger?.warn(
            { advisory: row.public_id, revision: rev.number },
            'embargoed advisory not published: it credits a reporter who withdrew consent',
          );
          continue;
        }
        // Its documents fail validation or cannot be signed: it stays scheduled, the others go on.
        if (!(err instanceof VigilError)) throw err;
        deps.logger?.error(
          { advisory: row.public_id, err: describeError(err) },
          'embargoed advisory not published: its CSAF/CVE documents could not be prepared',
        );
      }
    }
    return done;
  }

  return {
    ...createPeriodicPass({
      intervalMs: deps.intervalMs ?? 60_000,
      pass: () => runOnce(),
      report: (published) => {
        if (published.length > 0)
          deps.logger?.info({ advisories: published }, 'embargoed advisories published');
      },
      failure: 'embargo pass failed',
      logger: deps.logger,
    }),
    runOnce,
  };
}
