import type { Database, Kysely } from '../db/index.js';

/**
 * A named lease in the database, so a job that must not run twice at once (the IMAP poller: two
 * instances draining one mailbox would both take an unmarked message) runs on one instance at a
 * time, on SQLite and PostgreSQL alike, without a session held open on a pooled connection.
 *
 * Taking and renewing are one statement, an upsert whose update only applies when the row is the
 * caller's or has expired: the database decides between two instances asking at once (PostgreSQL
 * locks the conflicting row; SQLite has one writer). A holder that dies simply stops renewing, and
 * the lease passes to the next instance that asks once `expires_at` is behind it. `ttlMs` must
 * therefore be longer than the holder's longest gap between renewals.
 *
 * Times are ISO-8601 UTC text, as everywhere in the schema: they compare correctly as text.
 */

/**
 * Take the lease `name` for `holder`, or renew it if `holder` has it, until `now + ttlMs`. True
 * when `holder` holds it afterwards; false when another holder's lease has not expired.
 */
export async function acquireLease(
  db: Kysely<Database>,
  name: string,
  holder: string,
  ttlMs: number,
  now: Date,
): Promise<boolean> {
  if (!(ttlMs > 0)) throw new RangeError(`acquireLease: ttlMs must be positive, got ${ttlMs}`);
  const nowIso = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const row = await db
    .insertInto('job_leases')
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: expiresAt })
        .where((eb) =>
          eb.or([eb('job_leases.holder', '=', holder), eb('job_leases.expires_at', '<=', nowIso)]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Give the lease up now (when `holder` has it), so another instance need not wait for it to expire. */
export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
}

/** Who holds `name` and until when, if anyone's lease is still running at `now`. */
export async function leaseHolder(
  db: Kysely<Database>,
  name: string,
  now: Date,
): Promise<{ holder: string; expiresAt: string } | undefined> {
  const row = await db
    .selectFrom('job_leases')
    .select(['holder', 'expires_at'])
    .where('name', '=', name)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { holder: row.holder, expiresAt: row.expires_at } : undefined;
}
