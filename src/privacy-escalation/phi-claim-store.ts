import type { Insertable, Kysely } from 'kysely';
import type { Database, PhiAccessClaimRow, PhiAccessClaimTable } from '../db/index.js';

/** SQL for statements of PHI access (`phi-claims.ts`) and the case flag they raise. */

type Q = Kysely<Database>;

export async function findClaim(db: Q, reportId: string): Promise<PhiAccessClaimRow | undefined> {
  return db.selectFrom('phi_access_claims').selectAll().where('report_id', '=', reportId).executeTakeFirst();
}

export async function insertClaim(db: Q, row: Insertable<PhiAccessClaimTable>): Promise<void> {
  await db.insertInto('phi_access_claims').values(row).execute();
}

/** Record the team's decision on a claim still pending; a decided claim is left as it was. */
export async function decidePendingClaim(
  db: Q,
  reportId: string,
  set: Pick<PhiAccessClaimRow, 'decision' | 'decided_by' | 'decided_at' | 'decision_note_sealed'>,
): Promise<void> {
  await db
    .updateTable('phi_access_claims')
    .set(set)
    .where('report_id', '=', reportId)
    .where('decision', 'is', null)
    .execute();
}

/** Raise or clear the case's pending-claim flag (what the queue shows). */
export async function setClaimFlag(db: Q, reportId: string, pending: boolean): Promise<void> {
  await db
    .updateTable('reports')
    .set({ phi_claim: pending ? 1 : 0 })
    .where('id', '=', reportId)
    .execute();
}
