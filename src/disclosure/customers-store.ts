import type { Kysely, Updateable } from 'kysely';
import type {
  CoordinatorRow,
  CoordinatorTable,
  CustomerContactRow,
  CustomerContactTable,
  CustomerOrgRow,
  Database,
} from '../db/index.js';

/**
 * SQL for customers (organisations, their contacts, their product subscriptions) and for
 * coordinators. Every function takes `db` or a transaction first; the service decides which.
 */

type Q = Kysely<Database>;

export async function listOrgs(db: Q, programId: string): Promise<CustomerOrgRow[]> {
  return db
    .selectFrom('customer_orgs')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findOrg(db: Q, programId: string, id: string): Promise<CustomerOrgRow | undefined> {
  return db
    .selectFrom('customer_orgs')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertOrg(db: Q, row: CustomerOrgRow): Promise<void> {
  await db.insertInto('customer_orgs').values(row).execute();
}

export async function renameOrg(db: Q, id: string, name: string, at: string): Promise<void> {
  await db.updateTable('customer_orgs').set({ name, updated_at: at }).where('id', '=', id).execute();
}

/** Remove an organisation with its contacts and subscriptions. */
export async function deleteOrg(db: Q, id: string): Promise<void> {
  await db.deleteFrom('customer_subscriptions').where('org_id', '=', id).execute();
  await db.deleteFrom('customer_contacts').where('org_id', '=', id).execute();
  await db.deleteFrom('customer_orgs').where('id', '=', id).execute();
}

export async function contactsOf(db: Q, orgIds: string[]): Promise<CustomerContactRow[]> {
  if (orgIds.length === 0) return [];
  return db
    .selectFrom('customer_contacts')
    .selectAll()
    .where('org_id', 'in', orgIds)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function insertContact(db: Q, row: CustomerContactRow): Promise<void> {
  await db.insertInto('customer_contacts').values(row).execute();
}

export async function updateContact(db: Q, id: string, set: Updateable<CustomerContactTable>): Promise<void> {
  await db.updateTable('customer_contacts').set(set).where('id', '=', id).execute();
}

export async function deleteContact(db: Q, id: string): Promise<void> {
  await db.deleteFrom('customer_contacts').where('id', '=', id).execute();
}

/** Product ids by organisation id. */
export async function subscriptionsOf(db: Q, orgIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (orgIds.length === 0) return out;
  const rows = await db
    .selectFrom('customer_subscriptions')
    .select(['org_id', 'product_id'])
    .where('org_id', 'in', orgIds)
    .orderBy('product_id')
    .execute();
  for (const r of rows) out.set(r.org_id, [...(out.get(r.org_id) ?? []), r.product_id]);
  return out;
}

/** Make an organisation's subscriptions exactly `productIds`. */
export async function setSubscriptions(
  db: Q,
  orgId: string,
  productIds: string[],
  at: string,
): Promise<void> {
  await db.deleteFrom('customer_subscriptions').where('org_id', '=', orgId).execute();
  await addSubscriptions(db, orgId, productIds, at);
}

/** Add subscriptions, keeping those already there. */
export async function addSubscriptions(
  db: Q,
  orgId: string,
  productIds: string[],
  at: string,
): Promise<void> {
  const unique = [...new Set(productIds)];
  if (unique.length === 0) return;
  await db
    .insertInto('customer_subscriptions')
    .values(unique.map((product_id) => ({ org_id: orgId, product_id, created_at: at })))
    .onConflict((oc) => oc.columns(['org_id', 'product_id']).doNothing())
    .execute();
}

/**
 * The contacts of a program's organisations subscribed to any of `productIds`, with their
 * organisation's name; a contact of an organisation subscribed to several products appears once.
 */
export async function subscribedContacts(
  db: Q,
  programId: string,
  productIds: string[],
): Promise<(CustomerContactRow & { org_name: string })[]> {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('customer_contacts')
    .innerJoin('customer_orgs', 'customer_orgs.id', 'customer_contacts.org_id')
    .selectAll('customer_contacts')
    .select('customer_orgs.name as org_name')
    .where('customer_orgs.program_id', '=', programId)
    .where('customer_orgs.id', 'in', (eb) =>
      eb.selectFrom('customer_subscriptions').select('org_id').where('product_id', 'in', productIds),
    )
    .orderBy('customer_contacts.email')
    .orderBy('customer_orgs.name')
    .execute();
}

export async function listCoordinators(db: Q, programId: string): Promise<CoordinatorRow[]> {
  return db
    .selectFrom('coordinators')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function insertCoordinator(db: Q, row: CoordinatorRow): Promise<void> {
  await db.insertInto('coordinators').values(row).execute();
}

export async function updateCoordinator(db: Q, id: string, set: Updateable<CoordinatorTable>): Promise<void> {
  await db.updateTable('coordinators').set(set).where('id', '=', id).execute();
}

/** A coordinator is kept once a package was shared with it (the log points to it); others go. */
export async function deleteCoordinator(db: Q, id: string): Promise<boolean> {
  const used = await db
    .selectFrom('advisory_sharing_log')
    .select('id')
    .where('coordinator_id', '=', id)
    .executeTakeFirst();
  if (used) return false;
  await db.deleteFrom('coordinators').where('id', '=', id).execute();
  return true;
}
