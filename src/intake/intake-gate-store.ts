import type { Kysely } from 'kysely';
import type { Database, IntakeGateKeyTable } from '../db/index.js';

/**
 * SQL of the intake gates: the proof-of-work key, the proofs spent, the per-address arrivals and
 * the count of a program's recent reports. Every table here is shared by all instances, so the
 * gates hold when several instances serve one program.
 */

export async function findGateKey(db: Kysely<Database>, id: string): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('intake_gate_keys')
    .select('key_sealed')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.key_sealed;
}

/** Inserts the key unless another instance got there first (theirs wins). */
export async function insertGateKey(db: Kysely<Database>, row: IntakeGateKeyTable): Promise<void> {
  await db
    .insertInto('intake_gate_keys')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * Records a proof as spent. True when this call spent it; false when it was spent before (on any
 * instance): the primary key decides, so two requests racing with one proof cannot both win.
 */
export async function spendProof(
  db: Kysely<Database>,
  row: { id: string; program_id: string; expires_at: string },
): Promise<boolean> {
  const result = await db
    .insertInto('intake_proofs_spent')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function insertArrival(
  db: Kysely<Database>,
  row: { id: string; program_id: string; address_tag: string; arrived_at: string },
): Promise<void> {
  await db.insertInto('intake_arrivals').values(row).execute();
}

/** Web/API submissions accepted from one address (any program) since `since`. */
export async function countArrivalsFrom(
  db: Kysely<Database>,
  addressTag: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom('intake_arrivals')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('address_tag', '=', addressTag)
    .where('arrived_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Reports a program received since `since`, every channel (reads the reports' program/received index). */
export async function countProgramReportsSince(
  db: Kysely<Database>,
  programId: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('program_id', '=', programId)
    .where('received_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Drops spent proofs that have expired and arrivals older than the window. */
export async function pruneGates(db: Kysely<Database>, now: string, arrivalsBefore: string): Promise<void> {
  await db.deleteFrom('intake_proofs_spent').where('expires_at', '<', now).execute();
  await db.deleteFrom('intake_arrivals').where('arrived_at', '<', arrivalsBefore).execute();
}
