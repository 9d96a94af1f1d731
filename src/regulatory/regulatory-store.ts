import type { Insertable, Kysely } from 'kysely';
import {
  type AdverseEventRow,
  type Database,
  forUpdate,
  type RegulatoryClockRow,
  type RegulatoryClockTable,
  type RegulatoryDecisionRow,
  type RegulatoryDecisionTable,
  type RegulatoryTriggerRow,
  type RegulatoryTriggerTable,
} from '../db/index.js';

/** SQL for regulatory triggers, clocks, decisions, reminders and adverse events; `db` or `trx` first. */

type Q = Kysely<Database>;

export async function insertTrigger(db: Q, row: Insertable<RegulatoryTriggerTable>): Promise<void> {
  await db.insertInto('regulatory_triggers').values(row).execute();
}

export async function insertClocks(db: Q, rows: Insertable<RegulatoryClockTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('regulatory_clocks').values(rows).execute();
}

export async function triggersOfReport(db: Q, reportId: string): Promise<RegulatoryTriggerRow[]> {
  return db
    .selectFrom('regulatory_triggers')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

export async function clocksOfReport(db: Q, reportId: string): Promise<RegulatoryClockRow[]> {
  return db
    .selectFrom('regulatory_clocks')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function decisionsOfReport(db: Q, reportId: string): Promise<RegulatoryDecisionRow[]> {
  return db
    .selectFrom('regulatory_decisions')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('decided_at')
    .orderBy('id')
    .execute();
}

/** A trigger of a report, locked on PostgreSQL (SQLite serialises writers). */
export async function lockTrigger(
  trx: Q,
  reportId: string,
  id: string,
): Promise<RegulatoryTriggerRow | undefined> {
  const q = trx
    .selectFrom('regulatory_triggers')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('id', '=', id);
  return forUpdate(q, trx).executeTakeFirst();
}

export async function setMeasureAvailable(db: Q, id: string, at: string): Promise<void> {
  await db
    .updateTable('regulatory_triggers')
    .set({ measure_available_at: at })
    .where('id', '=', id)
    .execute();
}

/** Whether a case already has a trigger of this kind (the assessment records one once). */
export async function hasTriggerOfKind(db: Q, reportId: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('regulatory_triggers')
    .select('id')
    .where('report_id', '=', reportId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row !== undefined;
}

export async function clocksOfTrigger(trx: Q, triggerId: string): Promise<RegulatoryClockRow[]> {
  const q = trx.selectFrom('regulatory_clocks').selectAll().where('trigger_id', '=', triggerId);
  return forUpdate(q, trx).execute();
}

export async function lockClock(
  trx: Q,
  reportId: string,
  id: string,
): Promise<RegulatoryClockRow | undefined> {
  const q = trx
    .selectFrom('regulatory_clocks')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('id', '=', id);
  return forUpdate(q, trx).executeTakeFirst();
}

export async function updateClock(
  db: Q,
  id: string,
  set: Partial<
    Pick<
      RegulatoryClockRow,
      'started_at' | 'due_at' | 'resolution' | 'resolved_at' | 'resolved_by' | 'reference'
    >
  >,
): Promise<void> {
  await db.updateTable('regulatory_clocks').set(set).where('id', '=', id).execute();
}

export async function insertDecision(db: Q, row: Insertable<RegulatoryDecisionTable>): Promise<void> {
  await db.insertInto('regulatory_decisions').values(row).execute();
}

export async function lockDecision(
  trx: Q,
  reportId: string,
  id: string,
): Promise<RegulatoryDecisionRow | undefined> {
  const q = trx
    .selectFrom('regulatory_decisions')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('id', '=', id);
  return forUpdate(q, trx).executeTakeFirst();
}

/** A decision on the trigger and regime that is still proposed or approved (one at a time). */
export async function liveDecision(
  trx: Q,
  triggerId: string,
  regime: string,
): Promise<RegulatoryDecisionRow | undefined> {
  return trx
    .selectFrom('regulatory_decisions')
    .selectAll()
    .where('trigger_id', '=', triggerId)
    .where('regime', '=', regime)
    .where('state', 'in', ['proposed', 'approved'])
    .executeTakeFirst();
}

export async function reviewDecision(
  db: Q,
  id: string,
  set: Pick<RegulatoryDecisionRow, 'state' | 'reviewed_by' | 'reviewed_at' | 'review_note_sealed'>,
): Promise<void> {
  await db.updateTable('regulatory_decisions').set(set).where('id', '=', id).execute();
}

/** A running or breached clock with its case, as the Regulatory view and the reminders read it. */
export interface OpenClockRow extends RegulatoryClockRow {
  case_number: string;
  product_id: string;
  aware_at: string;
}

/**
 * Clocks with a due instant and no resolution in these programs, soonest first, keyset-paginated
 * on (due_at, id). `dueBefore` narrows to those due before an instant (the reminder job).
 */
export async function listOpenClocks(
  db: Q,
  q: { programIds: string[]; dueBefore?: string; after?: { due: string; id: string }; limit: number },
): Promise<OpenClockRow[]> {
  if (q.programIds.length === 0) return [];
  let query = db
    .selectFrom('regulatory_clocks as c')
    .innerJoin('reports as r', 'r.id', 'c.report_id')
    .innerJoin('regulatory_triggers as t', 't.id', 'c.trigger_id')
    .selectAll('c')
    .select(['r.case_number', 't.product_id', 't.aware_at'])
    .where('c.resolution', 'is', null)
    .where('c.due_at', 'is not', null)
    .where('c.program_id', 'in', q.programIds)
    .orderBy('c.due_at')
    .orderBy('c.id')
    .limit(q.limit);
  if (q.dueBefore !== undefined) query = query.where('c.due_at', '<', q.dueBefore);
  const after = q.after;
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('c.due_at', '>', after.due),
        eb.and([eb('c.due_at', '=', after.due), eb('c.id', '>', after.id)]),
      ]),
    );
  return query.execute() as Promise<OpenClockRow[]>;
}

/** The soonest due instant among a set of cases' open regulatory clocks, by report id. */
export async function soonestDueByReport(db: Q, reportIds: string[]): Promise<Map<string, string>> {
  if (reportIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('regulatory_clocks')
    .select(['report_id', (eb) => eb.fn.min<string>('due_at').as('due')])
    .where('report_id', 'in', reportIds)
    .where('resolution', 'is', null)
    .where('due_at', 'is not', null)
    .groupBy('report_id')
    .execute();
  return new Map(rows.map((r) => [r.report_id, r.due]));
}

/** Whether a clock is still open, locked on PostgreSQL so a submission waits for the reminder. */
export async function isClockOpenForUpdate(trx: Q, id: string): Promise<boolean> {
  const q = trx.selectFrom('regulatory_clocks').select('resolution').where('id', '=', id);
  const row = await forUpdate(q, trx).executeTakeFirst();
  return row !== undefined && row.resolution === null;
}

/** Record a reminder level; false when it was already queued (the primary key decides). */
export async function markClockReminded(
  db: Q,
  row: { clock_id: string; level: string; created_at: string },
): Promise<boolean> {
  const rows = await db
    .insertInto('regulatory_reminders')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('clock_id')
    .execute();
  return rows.length > 0;
}

export async function remindedLevels(db: Q, clockId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('regulatory_reminders')
    .select('level')
    .where('clock_id', '=', clockId)
    .execute();
  return rows.map((r) => r.level);
}

export async function findAdverseEvent(db: Q, reportId: string): Promise<AdverseEventRow | undefined> {
  return db.selectFrom('adverse_events').selectAll().where('report_id', '=', reportId).executeTakeFirst();
}

export async function lockAdverseEvent(trx: Q, reportId: string): Promise<AdverseEventRow | undefined> {
  const q = trx.selectFrom('adverse_events').selectAll().where('report_id', '=', reportId);
  return forUpdate(q, trx).executeTakeFirst();
}

export async function insertAdverseEvent(
  db: Q,
  row: {
    id: string;
    report_id: string;
    program_id: string;
    number: string;
    opened_at: string;
    reasons: string;
  },
): Promise<void> {
  await db.insertInto('adverse_events').values(row).execute();
}

export async function setAdverseEventReasons(db: Q, id: string, reasons: string): Promise<void> {
  await db.updateTable('adverse_events').set({ reasons }).where('id', '=', id).execute();
}

/** Adverse events of these programs, newest first, with their case numbers. */
export async function listAdverseEvents(
  db: Q,
  programIds: string[],
  limit: number,
): Promise<(AdverseEventRow & { case_number: string })[]> {
  if (programIds.length === 0) return [];
  return db
    .selectFrom('adverse_events as a')
    .innerJoin('reports as r', 'r.id', 'a.report_id')
    .selectAll('a')
    .select('r.case_number')
    .where('a.program_id', 'in', programIds)
    .orderBy('a.opened_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}

/** Every clock of these programs with a due instant: what the metrics count as kept or missed. */
export async function clockOutcomes(
  db: Q,
  programIds: string[],
): Promise<Pick<RegulatoryClockRow, 'regime' | 'due_at' | 'resolution' | 'resolved_at'>[]> {
  if (programIds.length === 0) return [];
  return db
    .selectFrom('regulatory_clocks')
    .select(['regime', 'due_at', 'resolution', 'resolved_at'])
    .where('program_id', 'in', programIds)
    .execute();
}

export async function findUsers(
  db: Q,
  ids: string[],
): Promise<{ id: string; email: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'email', 'name']).where('id', 'in', ids).execute();
}

/** The user a case is assigned to, if any (reminders tell them too). */
export async function assigneeOf(db: Q, reportId: string): Promise<string | null> {
  const row = await db
    .selectFrom('reports')
    .select('assignee_id')
    .where('id', '=', reportId)
    .executeTakeFirst();
  return row?.assignee_id ?? null;
}
