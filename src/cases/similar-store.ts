import type { Kysely } from 'kysely';
import { type Database, jsonText } from '../db/index.js';

/**
 * SQL for duplicate suggestions: the candidate cases of one program with what scoring needs (the
 * feature digest, never the sealed content), the content of the few suggested, and the cases
 * whose digest the backfill still has to compute.
 */

export interface SimilarCandidateRow {
  id: string;
  case_number: string;
  state: string;
  received_at: string;
  /** Keyed hashes of the case's features (src/case-features); null until computed. */
  feature_digest: Buffer | null;
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
  'feature_digest',
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

/** The sealed content of a few cases (the suggestions, for their titles). */
export async function sealedContentOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, Buffer>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'content_sealed'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.content_sealed]));
}

export interface UndigestedRow {
  id: string;
  program_id: string;
  content_sealed: Buffer;
}

/**
 * Up to `limit` reports without a feature digest, by id after `after` (a pass walks forward, so a
 * case that fails is passed over rather than asked again and again; the next pass retries it).
 */
export async function listUndigested(
  db: Kysely<Database>,
  q: { after: string; limit: number },
): Promise<UndigestedRow[]> {
  return db
    .selectFrom('reports')
    .select(['id', 'program_id', 'content_sealed'])
    .where('feature_digest', 'is', null)
    .where('id', '>', q.after)
    .orderBy('id')
    .limit(q.limit)
    .execute();
}

/** Writes a computed digest unless one was written meanwhile (intake or redaction win). */
export async function fillFeatureDigest(db: Kysely<Database>, id: string, digest: Buffer): Promise<boolean> {
  const r = await db
    .updateTable('reports')
    .set({ feature_digest: digest })
    .where('id', '=', id)
    .where('feature_digest', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
