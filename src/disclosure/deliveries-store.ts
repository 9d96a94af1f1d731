import type { Kysely } from 'kysely';
import type { AdvisoryDeliveryRow, AdvisorySharingLogRow, Database } from '../db/index.js';

/**
 * SQL for what went out about an advisory: notifications per recipient (`advisory_deliveries`)
 * and sharing packages (`advisory_sharing_log`). The status of each is the state of its outbox
 * row, read when asked, so it is never out of date.
 */

type Q = Kysely<Database>;

export async function insertDelivery(db: Q, row: AdvisoryDeliveryRow): Promise<void> {
  await db.insertInto('advisory_deliveries').values(row).execute();
}

/** Addresses already told of a revision with this content, by recipient kind. */
export async function notifiedFor(
  db: Q,
  revisionId: string,
  kind: string,
  contentSha256: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('advisory_deliveries')
    .select('email')
    .where('revision_id', '=', revisionId)
    .where('recipient_kind', '=', kind)
    .where('content_sha256', '=', contentSha256)
    .execute();
  return new Set(rows.map((r) => r.email));
}

/** Whether any reporter of the advisory was told of its publication already (any revision). */
export async function reportersToldOf(db: Q, advisoryId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('advisory_deliveries')
    .select('email')
    .where('advisory_id', '=', advisoryId)
    .where('recipient_kind', '=', 'reporter')
    .execute();
  return new Set(rows.map((r) => r.email));
}

export type DeliveryWithStatus = AdvisoryDeliveryRow & {
  status: string | null;
  sent_at: string | null;
};

export async function listDeliveries(db: Q, advisoryId: string): Promise<DeliveryWithStatus[]> {
  return db
    .selectFrom('advisory_deliveries')
    .leftJoin('outbox', 'outbox.id', 'advisory_deliveries.outbox_id')
    .selectAll('advisory_deliveries')
    .select(['outbox.state as status', 'outbox.sent_at as sent_at'])
    .where('advisory_deliveries.advisory_id', '=', advisoryId)
    .orderBy('advisory_deliveries.revision_number')
    .orderBy('advisory_deliveries.recipient_kind')
    .orderBy('advisory_deliveries.email')
    .execute();
}

export async function insertSharing(db: Q, row: AdvisorySharingLogRow): Promise<void> {
  await db.insertInto('advisory_sharing_log').values(row).execute();
}

export type SharingWithStatus = AdvisorySharingLogRow & { status: string | null; sent_at: string | null };

export async function listSharing(db: Q, advisoryId: string): Promise<SharingWithStatus[]> {
  return db
    .selectFrom('advisory_sharing_log')
    .leftJoin('outbox', 'outbox.id', 'advisory_sharing_log.outbox_id')
    .selectAll('advisory_sharing_log')
    .select(['outbox.state as status', 'outbox.sent_at as sent_at'])
    .where('advisory_sharing_log.advisory_id', '=', advisoryId)
    .orderBy('advisory_sharing_log.shared_at')
    .orderBy('advisory_sharing_log.id')
    .execute();
}
