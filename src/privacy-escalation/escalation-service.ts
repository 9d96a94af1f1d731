import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database, Db, Kysely, PrivacyEscalationRow } from '../db/index.js';
import type { CalendarCache } from '../programs/index.js';
import {
  type ChecklistItemId,
  checklistLabel,
  readChecklist,
  type StoredChecklistItem,
} from './checklist.js';
import {
  findEscalationByReport,
  findUsers,
  lockEscalationByReport,
  updateEscalation,
} from './escalation-store.js';
import {
  type EscalationReason,
  escalationNoteAad,
  openPrivacyEscalation,
  reopenPrivacyEscalation,
} from './open-escalation.js';
import { findClaim } from './phi-claim-store.js';
import { type ClaimFinding, claimAad, decideClaim } from './phi-claims.js';

/**
 * Staff work on a case's privacy escalation. Anyone who may read the case may read the
 * escalation; the case team (and the privacy officers) may open one by hand, with a reason, or
 * reopen a closed one; ticking items and closing belong to the privacy officers of the program
 * (the `privacy` duty), and never to a read-only token. A pending statement of the reporter that
 * they reached PHI (`phi-claims.ts`) is decided here too: opening the escalation settles it, or the
 * team declines with a reason. Every change is audited in its own transaction; the audit names
 * the item and whether a note or reason was given, never the words.
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
  /** Who opened it by hand, and why; null when the reporter's answer opened it. */
  openedBy: UserRef | null;
  openNote: string | null;
  /** Why it was closed before its checklist was done (null when closed the usual way, or open). */
  closeNote: string | null;
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

/** A reporter's statement that they reached PHI, and what the team decided. */
export interface PhiClaimView {
  caseNumber: string;
  detectedAt: string;
  /** Where and in which words; `excerpt` is null for a part held in PHI quarantine from the caller. */
  findings: { where: string; language: string; excerpt: string | null }[];
  decision: 'escalated' | 'declined' | null;
  decidedBy: UserRef | null;
  decidedAt: string | null;
  note: string | null;
}

const MAX_REASON_CHARS = 2000;

function checkReason(reason: string | undefined, path = 'reason'): string | undefined {
  if (reason === undefined) return undefined;
  const text = reason.trim();
  if (text === '') throw new ValidationError([{ path, message: 'must not be empty' }]);
  if ([...text].length > MAX_REASON_CHARS)
    throw new ValidationError([{ path, message: `must be at most ${MAX_REASON_CHARS} characters` }]);
  return text;
}

export function createPrivacyEscalationService(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  access: Pick<Access, 'caseFor' | 'hasDuty' | 'can'>;
  calendars: CalendarCache;
  publicUrl: string;
  /**
   * Parts of a case held in PHI quarantine (`field:<id>`, `message:<id>`), whose words a caller
   * without the privacy duty never sees.
   */
  heldParts: (reportId: string) => Promise<Set<string>>;
}) {
  const { db, sealer, clock, access } = deps;
  const k = db.kysely;

  async function users(ids: (string | null)[]): Promise<Map<string, UserRef>> {
    const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await findUsers(k, wanted);
    return new Map(rows.map((u) => [u.id, u]));
  }

  async function view(caseNumber: string, row: PrivacyEscalationRow): Promise<PrivacyEscalationView> {
    const items = readChecklist(row.checklist);
    const people = await users([row.closed_by, ...items.map((i) => i.by)]);
    const openNote = row.open_note_sealed
      ? sealer.open(row.open_note_sealed, escalationNoteAad(row.id, 'open')).toString('utf8')
      : null;
    const closeNote = row.close_note_sealed
      ? sealer.open(row.close_note_sealed, escalationNoteAad(row.id, 'close')).toString('utf8')
      : null;
    const openers = row.opened_by ? await users([row.opened_by]) : new Map<string, UserRef>();
    return {
      caseNumber,
      reason: row.reason,
      openedAt: row.opened_at,
      openedBy: row.opened_by ? (openers.get(row.opened_by) ?? null) : null,
      openNote,
      closeNote,
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
      const row = await lockEscalationByReport(trx, report.id);
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
      );
    });
    return get(caller, caseNumber);
  }

  /** The case, if the caller may open an escalation on it: the case team or a privacy officer. */
  async function teamCase(caller: StaffCaller, caseNumber: string) {
    const found = await access.caseFor(caller, caseNumber, 'case.read');
    const allowed =
      caller.scope !== 'read' &&
      ((await access.can(caller, found.program, 'case.write')) ||
        (await access.hasDuty(caller, found.program, 'privacy')));
    if (!allowed)
      throw new ForbiddenError(
        caller.scope === 'read'
          ? 'This API token is read-only; opening a privacy escalation needs a read-write token.'
          : `Only the case team or a privacy officer of ${found.program.slug} may open a privacy escalation.`,
      );
    return found;
  }

  async function claimView(caller: StaffCaller, caseNumber: string, reportId: string, programId: string) {
    const row = await findClaim(k, reportId);
    if (!row) return undefined;
    const { found, decider } = {
      found: sealer.openJson<ClaimFinding[]>(row.findings_sealed, claimAad(reportId, 'findings')),
      decider: row.decided_by ? (await users([row.decided_by])).get(row.decided_by) : undefined,
    };
    // A statement inside a part the PHI guard holds stays as hidden as the part itself.
    const officer = await access.hasDuty(caller, { id: programId }, 'privacy');
    const held = officer ? new Set<string>() : await deps.heldParts(reportId);
    const view: PhiClaimView = {
      caseNumber,
      detectedAt: row.detected_at,
      findings: found.map((f) => ({
        where: f.where,
        language: f.language,
        excerpt: held.has(f.where.startsWith('message:') ? f.where : `field:${f.where}`) ? null : f.excerpt,
      })),
      decision: row.decision === 'escalated' || row.decision === 'declined' ? row.decision : null,
      decidedBy: decider ?? null,
      decidedAt: row.decided_at,
      note: row.decision_note_sealed
        ? sealer.open(row.decision_note_sealed, claimAad(reportId, 'decision')).toString('utf8')
        : null,
    };
    return view;
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

    /**
     * Close the escalation. Every checklist item must be done first, unless the privacy officer
     * gives a reason to close it early (opened in error, the reporter reached no PHI after all);
     * the reason is kept sealed on the escalation and the audit names the items left open.
     */
    close(
      caller: StaffCaller,
      caseNumber: string,
      input: { reason?: string } = {},
    ): Promise<PrivacyEscalationView> {
      const reason = checkReason(input.reason);
      return change(caller, caseNumber, 'privacy-escalation.close', async (trx, row, now) => {
        const open = readChecklist(row.checklist).filter((i) => !i.done);
        if (open.length > 0 && reason === undefined)
          throw new ConflictError(
            `The privacy escalation of case ${caseNumber} cannot be closed while items are open: ` +
              `${open.map((i) => `${i.id} (${checklistLabel(i.id)})`).join('; ')}. ` +
              'Finish them, or give a reason to close it early.',
          );
        await updateEscalation(trx, row.id, {
          closed_at: now,
          closed_by: caller.userId,
          close_note_sealed:
            reason === undefined ? null : sealer.seal(reason, escalationNoteAad(row.id, 'close')),
        });
        return {
          dueAt: row.due_at,
          late: now > row.due_at,
          ...(reason !== undefined ? { early: true, openItems: open.map((i) => i.id), noted: true } : {}),
        };
      });
    },

    /**
     * Open a privacy escalation on a case by hand, with the reason (the case team or a privacy
     * officer; audited, the officers told). A closed escalation is reopened with a new deadline.
     * A pending statement of the reporter is settled as escalated in the same transaction.
     */
    async open(
      caller: StaffCaller,
      caseNumber: string,
      input: { reason: string },
    ): Promise<PrivacyEscalationView> {
      const note = checkReason(input.reason) as string;
      const { row: report, program } = await teamCase(caller, caseNumber);
      const now = clock.now();
      const calendar = deps.calendars.forProgram(program);
      await k.transaction().execute(async (trx) => {
        const existing = await lockEscalationByReport(trx, report.id);
        if (existing && existing.closed_at === null)
          throw new ConflictError(`Case ${caseNumber} already has an open privacy escalation.`);
        const claim = await findClaim(trx, report.id);
        const reason: EscalationReason =
          claim && claim.decision === null ? 'reporter-stated-phi' : 'staff-opened';
        const opening = {
          program,
          calendar,
          reportId: report.id,
          caseNumber,
          at: now,
          reason,
          actor: actorOf(caller),
          openedBy: { userId: caller.userId, note },
        };
        const escalationDeps = { sealer, publicUrl: deps.publicUrl };
        if (existing) await reopenPrivacyEscalation(trx, escalationDeps, existing, opening);
        else await openPrivacyEscalation(trx, escalationDeps, opening);
        if (claim && claim.decision === null)
          await decideClaim(trx, sealer, {
            reportId: report.id,
            decision: 'escalated',
            by: caller.userId,
            at: now.toISOString(),
          });
      });
      return get(caller, caseNumber);
    },

    /** The reporter's statement that they reached PHI, if one was found; 404 when none. */
    async claim(caller: StaffCaller, caseNumber: string): Promise<PhiClaimView> {
      const { row, program } = await access.caseFor(caller, caseNumber, 'case.read');
      const view = await claimView(caller, caseNumber, row.id, program.id);
      if (!view)
        throw new NotFoundError(
          `No statement that the reporter reached PHI was found in case ${caseNumber}.`,
        );
      return view;
    },

    /**
     * Decline to open an escalation on the reporter's statement, with the reason (the case team
     * or a privacy officer; audited). The case's flag clears; opening one later remains possible.
     */
    async declineClaim(
      caller: StaffCaller,
      caseNumber: string,
      input: { reason: string },
    ): Promise<PhiClaimView> {
      const note = checkReason(input.reason) as string;
      const { row: report, program } = await teamCase(caller, caseNumber);
      const now = clock.now();
      await k.transaction().execute(async (trx) => {
        const claim = await findClaim(trx, report.id);
        if (!claim)
          throw new NotFoundError(
            `No statement that the reporter reached PHI was found in case ${caseNumber}.`,
          );
        if (claim.decision !== null)
          throw new ConflictError(
            `The reporter's statement in case ${caseNumber} was already decided (${claim.decision}).`,
          );
        await decideClaim(trx, sealer, {
          reportId: report.id,
          decision: 'declined',
          by: caller.userId,
          at: now.toISOString(),
          note,
        });
        await appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'phi-claim.declined',
            programId: program.id,
            reportId: report.id,
            detail: { caseNumber, noted: true },
          },
          now,
        );
      });
      return (await claimView(caller, caseNumber, report.id, program.id)) as PhiClaimView;
    },
  };
}

export type PrivacyEscalationService = ReturnType<typeof createPrivacyEscalationService>;
