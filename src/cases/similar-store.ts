import type { Kysely } from 'kysely';
import { type Database, jsonText } from '../db/index.js';

/** SQL for duplicate suggestions: the candidate cases of one program, with what scoring needs. */

export interface SimilarCandidateRow {
  id: string;
  case_number: string;
  state: string;
  received_at: string;
  content_sealed: Buffer;
  assessment: string;
  product_id: string | null;
  duplicate_of: string | null;
}

export interface CandidateQuery {
  programId: string;
  /** The asked case, left out. */
  excludeId: string;
  /** Closed cases count only when closed at or after this instant. */
  closedSince: string;
  /** The newest this many cases, plus … */
  recent: number;
  /** … up to this many older ones that share a product or a CWE with the asked case. */
  related: number;
  productIds: string[];
  cwe: string | null;
}

const columns = [
  'id',
  'case_number',
  'state',
  'received_at',
  'content_sealed',
  'assessment',
  'product_id',
  'duplicate_of',
] as const;

/**
 * Open cases and cases closed since `closedSince`, of one program: the newest `recent`, then
 * older ones sharing a product (the clear `product_id` column) or the assessment's CWE. Both
 * walk `reports_program_received_idx` newest first.
 */
export async function listSimilarCandidates(
  db: Kysely<Database>,
  q: CandidateQuery,
): Promise<SimilarCandidateRow[]> {
  const base = () =>
    db
      .selectFrom('reports')
      .select(columns)
      .where('program_id', '=', q.programId)
      .where('id', '!=', q.excludeId)
      .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', q.closedSince)]));
  const recent = await base().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(q.recent).execute();
  if (q.productIds.length === 0 && q.cwe === null) return recent;
  const oldest = recent[recent.length - 1];
  if (!oldest || recent.length < q.recent) return recent;
  const cwe = jsonText(db, 'reports.assessment', 'cwe', 'id');
  const related = await base()
    .where((eb) => eb(eb.refTuple('received_at', 'id'), '<', eb.tuple(oldest.received_at, oldest.id)))
    .where((eb) =>
      eb.or([
        ...(q.productIds.length > 0 ? [eb('product_id', 'in', q.productIds)] : []),
        ...(q.cwe !== null ? [eb(cwe, '=', q.cwe)] : []),
      ]),
    )
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.related)
    .execute();
  return [...recent, ...related];
}
