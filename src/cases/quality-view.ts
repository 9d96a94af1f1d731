import type { Database, Kysely } from '../db/index.js';
import { type QualitySignals, summarizeSignals } from './quality-signals.js';
import { signalsOf } from './quality-signals-store.js';

/**
 * The quality signals of a case as the queue and the case detail show them: the score, the
 * explained items and the one-line summary. Cases from before the signals existed have none
 * (null), and the console says so.
 */
export interface CaseSignals extends Omit<QualitySignals, 'version'> {
  computedAt: string;
  /** Every explanation in one line: "no version named; 0 in-scope endpoints mentioned; …". */
  summary: string;
}

/** The signals of some reports by report id (one query); reports without signals are absent. */
export async function signalsFor(
  db: Kysely<Database>,
  reportIds: string[],
): Promise<Map<string, CaseSignals>> {
  const out = new Map<string, CaseSignals>();
  for (const [id, row] of await signalsOf(db, reportIds)) {
    const s = JSON.parse(row.signals) as QualitySignals;
    out.set(id, {
      score: s.score,
      items: s.items,
      similar: s.similar,
      outOfScope: s.outOfScope,
      aiUse: s.aiUse,
      standing: s.standing,
      computedAt: row.computed_at,
      summary: summarizeSignals(s),
    });
  }
  return out;
}
