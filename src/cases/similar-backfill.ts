import { caseDigest, type DigestKey, openDigestKey } from '../case-features/index.js';
import type { Clock, WorkerLogger } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { createPeriodicPass } from '../jobs/index.js';
import { heldPartsOf } from '../privacy-quarantine/index.js';
import type { ProgramService } from '../programs/index.js';
import { heldFields, openAnswers } from './similar-service.js';
import { fillFeatureDigest, listUndigested } from './similar-store.js';

/**
 * Fills in the feature digest of cases that have none: those received before digests existed
 * (migration `2026-12-07T1100-case-feature-digests`), or whose digest was dropped. Intake and
 * redaction write digests themselves; this pass only catches up.
 *
 * Bounded and resumable: a pass computes at most `perPass` digests, `batch` rows at a time, each
 * batch read and written outside any long transaction; what it did is in the database (the
 * digest is no longer null), so a pass stopped anywhere — a crash, a restart — simply continues
 * with the rows still null, from any instance. A digest written meanwhile by intake or a redaction
 * is never overwritten (the write is conditional on the column still being null). A case that
 * cannot be read (an unknown program, a key no longer loaded) is passed over and counted; the
 * next pass tries it again.
 */

export interface FeatureDigestBackfill {
  /** Runs every `intervalMs` (default one minute); a no-op when already running. */
  start(): void;
  /** Stops and waits for a pass in flight. */
  stop(): Promise<void>;
  /**
   * One pass: `written` digests stored, `skipped` cases that could not be read; `remaining` is
   * true when the pass stopped at its bound (more may be left for the next pass).
   */
  runOnce(): Promise<{ written: number; skipped: number; remaining: boolean }>;
}

export function createFeatureDigestBackfill(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  programs: Pick<ProgramService, 'list'>;
  logger?: WorkerLogger;
  intervalMs?: number;
  /** Rows read per query (default 100). */
  batch?: number;
  /** Digests computed per pass at most (default 2000). */
  perPass?: number;
}): FeatureDigestBackfill {
  const { db, sealer, clock } = deps;
  const k = db.kysely;
  const batch = deps.batch ?? 100;
  const perPass = deps.perPass ?? 2000;

  async function runOnce(): Promise<{ written: number; skipped: number; remaining: boolean }> {
    const programs = new Map((await deps.programs.list()).map((p) => [p.id, p]));
    const keys = new Map<string, DigestKey>();
    let written = 0;
    let skipped = 0;
    let after = '';
    while (written + skipped < perPass) {
      const rows = await listUndigested(k, { after, limit: Math.min(batch, perPass - written - skipped) });
      if (rows.length === 0) return { written, skipped, remaining: false };
      const held = await heldPartsOf(
        k,
        rows.map((r) => r.id),
      );
      for (const r of rows) {
        after = r.id;
        const program = programs.get(r.program_id);
        try {
          if (!program) throw new Error('unknown program');
          let key = keys.get(program.id);
          if (!key) {
            key = await openDigestKey(k, sealer, program.id, clock.now());
            keys.set(program.id, key);
          }
          const withheld = heldFields(held.get(r.id));
          const digest = caseDigest(
            key,
            program,
            openAnswers(sealer, r.id, r.content_sealed, withheld),
            withheld,
          );
          if (await fillFeatureDigest(k, r.id, digest)) written++;
        } catch {
          skipped++;
        }
      }
    }
    return { written, skipped, remaining: true };
  }

  return {
    ...createPeriodicPass({
      intervalMs: deps.intervalMs ?? 60_000,
      pass: runOnce,
      report: ({ written, skipped }) => {
        if (written + skipped > 0) deps.logger?.info({ written, skipped }, 'case feature digests filled in');
      },
      failure: 'case feature digest pass failed',
      logger: deps.logger,
    }),
    runOnce,
  };
}
