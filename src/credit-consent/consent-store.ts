import type { Insertable, Kysely } from 'kysely';
import type { CreditConsentRow, CreditConsentTable, Database } from '../db/index.js';

/** SQL for credit consents; every function takes `db` or `trx`. */

type Q = Kysely<Database>;

export async function insertConsent(db: Q, row: Insertable<CreditConsentTable>): Promise<void> {
  await db.insertInto('credit_consents').values(row).execute();
}

/** Every consent and withdrawal of a case, oldest first (the last one counts). */
export async function listConsents(db: Q, reportId: string): Promise<CreditConsentRow[]> {
  return db
    .selectFrom('credit_consents')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
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
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
    for (const r of rows) out.set(r.report_id, r);
  }
  return out;
}
