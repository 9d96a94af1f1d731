import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { CaseAccess } from '../cases/case-access.js';
import type { Clock } from '../core/clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../core/errors.js';
import type { Sealer } from '../crypto/index.js';
import type { Database, Db, Kysely, PrivacyEscalationRow } from '../db/index.js';
import {
  type ChecklistItemId,
  checklistLabel,
  readChecklist,
  type StoredChecklistItem,
} from './checklist.js';
import { findEscalationByReport, lockEscalationByReport, updateEscalation } from './escalation-store.js';

/**
 * Staff work on a case's privacy escalation. Anyone who may read the case may read the
 * escalation; ticking items and closing belong to the privacy officers of the program (the
 * `privacy` duty), and never to a read-only token. Every change is audited in its own
 * transaction; the audit names the item and whether a note was given, never the note.
 */

export interface UserRef {
  id: string;
  email: string;
  name: string;
}

export interface PrivacyEscalationView {
  caseNumber: string;
  reason: string;
  openedAt: string;
  dueAt: string;
  open: boolean;
  closedAt: string | null;
  closedBy: UserRef | null;
  checklist: {
    id: ChecklistItemId;
    label: string;
    done: boolean;
    doneBy: UserRef | null;
    doneAt: string | null;
    note: string | null;
  }[];
}

const noteAad = (escalationId: string, item: string) => `privacy-escalation:${escalationId}:${item}`;

export function createPrivacyEscalationService(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  access: Pick<CaseAccess, 'caseFor' | 'hasDuty'>;
}) {
  const { db, sealer, clock, access } = deps;
  const k = db.kysely;

  async function users(ids: (string | null)[]): Promise<Map<string, UserRef>> {
    const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await k
      .selectFrom('users')
      .select(['id', 'email', 'name'])
      .where('id', 'in', wanted)
      .execute();
    return new Map(rows.map((u) => [u.id, u]));
  }

  async function view(caseNumber: string, row: PrivacyEscalationRow): Promise<PrivacyEscalationView> {
    const items = readChecklist(row.checklist);
    const people = await users([row.closed_by, ...items.map((i) => i.by)]);
    return {
      caseNumber,
      reason: row.reason,
      openedAt: row.opened_at,
      dueAt: row.due_at,
      open: row.closed_at === null,
      closedAt: row.closed_at,
      closedBy: row.closed_by ? (people.get(row.closed_by) ?? null) : null,
      checklist: items.map((i) => ({
        id: i.id,
        label: checklistLabel(i.id),
        done: i.done,
        doneBy: i.by ? (people.get(i.by) ?? null) : null,
        doneAt: i.at,
        note:
          i.note === null
            ? null
            : sealer.open(Buffer.from(i.note, 'base64'), noteAad(row.id, i.id)).toString('utf8'),
      })),
    };
  }

  /** The case, if the caller is a privacy officer of its program who may change things. */
  async function officerCase(caller: StaffCaller, caseNumber: string) {
    const found = await access.caseFor(caller, caseNumber, 'case.read');
    if (caller.scope === 'read' || !(await access.hasDuty(caller, found.program, 'privacy')))
      throw new ForbiddenError(
        `Only a privacy officer of ${found.program.slug} (the privacy duty, with a read-write token) ` +
          'may change a privacy escalation.',
      );
    return found;
  }

  /**
   * Run one change on the open escalation of a case, locked, with its audit entry; the change
   * returns the audit detail. Answers the escalation as it stands afterwards.
   */
  async function change(
    caller: StaffCaller,
    caseNumber: string,
    action: string,
    apply: (
      trx: Kysely<Database>,
      row: PrivacyEscalationRow,
      now: string,
    ) => Promise<Record<string, unknown>>,
  ): Promise<PrivacyEscalationView> {
    const { row: report, program } = await officerCase(caller, caseNumber);
    const now = clock.now();
    await k.transaction().execute(async (trx) => {
      const row = await lockEscalationByReport(trx, report.id, db.dialect);
      if (!row) throw new NotFoundError(`Case ${caseNumber} has no privacy escalation.`);
      if (row.closed_at !== null)
        throw new ConflictError(
          `The privacy escalation of case ${caseNumber} is closed; it can no longer change.`,
        );
      const detail = await apply(trx, row, now.toISOString());
      await appendAudit(
        trx,
        {
          actor: actorOf(caller),
          action,
          programId: program.id,
          reportId: report.id,
          detail: { caseNumber, ...detail },
        },
        now,
        db.dialect,
      );
    });
    return get(caller, caseNumber);
  }

  async function get(caller: StaffCaller, caseNumber: string): Promise<PrivacyEscalationView> {
    const { row: report } = await access.caseFor(caller, caseNumber, 'case.read');
    const row = await findEscalationByReport(k, report.id);
    if (!row) throw new NotFoundError(`Case ${caseNumber} has no privacy escalation.`);
    return view(caseNumber, row);
  }

  return {
    /** The escalation of a case, for anyone who may read the case; 404 when it has none. */
    get,

    /** Tick or untick one checklist item, with an optional note (replacing the previous one). */
    setItem(
      caller: StaffCaller,
      caseNumber: string,
      item: ChecklistItemId,
      input: { done: boolean; note?: string },
    ): Promise<PrivacyEscalationView> {
      return change(caller, caseNumber, 'privacy-escalation.item', async (trx, row, now) => {
        const items = readChecklist(row.checklist);
        const updated: StoredChecklistItem[] = items.map((i) =>
          i.id !== item
            ? i
            : {
                id: i.id,
                done: input.done,
                by: caller.userId,
                at: now,
                note:
                  input.note === undefined
                    ? i.note
                    : sealer.seal(input.note, noteAad(row.id, i.id)).toString('base64'),
              },
        );
        await updateEscalation(trx, row.id, { checklist: JSON.stringify(updated) });
        return { item, done: input.done, noted: input.note !== undefined };
      });
    },

    /** Close the escalation; every checklist item must be done first. */
    close(caller: StaffCaller, caseNumber: string): Promise<PrivacyEscalationView> {
      return change(caller, caseNumber, 'privacy-escalation.close', async (trx, row, now) => {
        const open = readChecklist(row.checklist).filter((i) => !i.done);
        if (open.length > 0)
          throw new ConflictError(
            `The privacy escalation of case ${caseNumber} cannot be closed while items are open: ` +
              `${open.map((i) => `${i.id} (${checklistLabel(i.id)})`).join('; ')}.`,
          );
        await updateEscalation(trx, row.id, { closed_at: now, closed_by: caller.userId });
        return { dueAt: row.due_at, late: now > row.due_at };
      });
    },
  };
}

export type PrivacyEscalationService = ReturnType<typeof createPrivacyEscalationService>;
