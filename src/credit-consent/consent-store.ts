import type { Insertable, Kysely } from 'kysely';
import { type CreditConsentRow, type CreditConsentTable, type Database, isPostgres } from '../db/index.js';

/** SQL for credit consents; every function takes `db` or `trx`. */

type Q = Kysely<Database>;

/**
 * Add a consent row as the case's next change. On PostgreSQL the case's report row is locked
 * first, so two changes at once are numbered one after the other (SQLite serialises writers).
 */
export async function insertConsent(trx: Q, row: Omit<Insertable<CreditConsentTable>, 'seq'>): Promise<void> {
  if (isPostgres(trx))
    await trx.selectFrom('reports').select('id').where('id', '=', row.report_id).forUpdate().execute();
  const last = await trx
    .selectFrom('credit_consents')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('report_id', '=', row.report_id)
    .executeTakeFirst();
  await trx
    .insertInto('credit_consents')
    .values({ ...row, seq: Number(last?.seq ?? 0) + 1 })
    .execute();
}

/** Every consent and withdrawal of a case, oldest first (the last one counts). */
export async function listConsents(db: Q, reportId: string): Promise<CreditConsentRow[]> {
  return db
    .selectFrom('credit_consents')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('seq')
    .execute();
}

/** The staff members who recorded consents, by id: who they are, nothing of their credentials. */
export async function listRecorders(
  db: Q,
  userIds: readonly string[],
): Promise<Map<string, { id: string; email: string; name: string }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('id', 'in', userIds)
    .execute();
  return new Map(rows.map((u) => [u.id, u]));
}

/** The latest consent row of each report that has one. */
export async function latestConsents(db: Q, reportIds: string[]): Promise<Map<string, CreditConsentRow>> {
  const out = new Map<string, CreditConsentRow>();
  // Chunked: PostgreSQL and SQLite both cap bound parameters.
  for (let i = 0; i < reportIds.length; i += 500) {
    const rows = await db
      .selectFrom('credit_consents')
      .selectAll()
      .where('report_id', 'in', reportIds.slice(i, i + 500))
      .orderBy('seq')
      .execute();
    for (const r of rows) out.set(r.report_id, r);
  }
  return out;
}
