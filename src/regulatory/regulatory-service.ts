import type { Access, StaffCaller } from '../accounts/index.js';
import { actorOf } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, ForbiddenError, NotFoundError, newId, ValidationError } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database, Db, Kysely, RegulatoryTriggerRow } from '../db/index.js';
import type { CalendarCache, Product, Program } from '../programs/index.js';
import { noteAdverseEvent } from './adverse-events.js';
import {
  dutiesFor,
  dutyById,
  type MalfunctionOutcome,
  REGIME_INFO,
  type Regime,
  TRIGGER_LABELS,
  type TriggerKind,
  triggersFor,
} from './duties.js';
import { dueAfter, startOf } from './regulatory-clocks.js';
import { productOf, readDetails, reasonAad, type TriggerDetails } from './regulatory-records.js';
import {
  clocksOfTrigger,
  decisionsOfReport,
  hasTriggerOfKind,
  insertClocks,
  insertDecision,
  insertTrigger,
  liveDecision,
  lockClock,
  lockDecision,
  lockTrigger,
  reviewDecision,
  setMeasureAvailable,
  updateClock,
} from './regulatory-store.js';
import { createRegulatoryViews, type RegulatoryCaseView } from './regulatory-views.js';
import type { ReportContextSource } from './report-context.js';

/**
 * Regulatory duties of a case. Anyone who may read a case reads its regulatory record; the case
 * team records triggers, measures and submissions and proposes "not reportable"; a second person
 * holding the regime's duty (approver for product laws, privacy officer for privacy laws) approves
 * or rejects. A read-only token changes nothing. Every change commits with its audit entry, which
 * names kinds, duties and references — never the reasons, which are sealed on the record.
 */

export const MAX_REASON_CHARS = 4000;
export const MAX_REFERENCE_CHARS = 200;
/** How far in the future an instant given by staff may lie (clock skew between machines). */
const FUTURE_SLACK_MS = 5 * 60_000;

export interface TriggerInput {
  kind: TriggerKind;
  product?: string;
  awareAt?: string;
  reason: string;
  individualsAffected?: number;
  residentsOfOneState?: number;
  outcome?: MalfunctionOutcome;
  remedialAction?: boolean;
}

function checkText(value: string | undefined, path: string, max: number): string {
  const text = (value ?? '').trim();
  if (text === '') throw new ValidationError([{ path, message: 'must not be empty' }]);
  if ([...text].length > max)
    throw new ValidationError([{ path, message: `must be at most ${max} characters` }]);
  return text;
}

/** An instant given by staff: not in the future, not before `notBefore`; normalised to ISO UTC. */
function checkInstant(value: string | undefined, path: string, now: Date, notBefore?: string): string {
  if (value === undefined) return now.toISOString();
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ValidationError([{ path, message: 'expected an ISO 8601 date and time' }]);
  if (t > now.getTime() + FUTURE_SLACK_MS)
    throw new ValidationError([{ path, message: 'must not be in the future' }]);
  if (notBefore !== undefined && t < Date.parse(notBefore))
    throw new ValidationError([{ path, message: `must not be before ${notBefore}` }]);
  return new Date(t).toISOString();
}

/**
 * Insert a trigger and the clocks its duties start, in the caller's transaction. Shared by staff
 * recording and the assessment's uncontrolled-risk finding.
 */
export async function insertTriggerWithClocks(
  trx: Kysely<Database>,
  t: {
    id: string;
    reportId: string;
    program: Program;
    product: Product;
    kind: TriggerKind;
    awareAt: string;
    recordedAt: string;
    recordedBy: string | null;
    source: 'staff' | 'assessment';
    reasonSealed: Buffer | null;
    details: TriggerDetails;
    calendars: CalendarCache;
  },
): Promise<string[]> {
  const profile = t.product.regulatory;
  const duties = dutiesFor(profile, { kind: t.kind, ...t.details });
  const calendar = t.calendars.forProgram(t.program);
  await insertTrigger(trx, {
    id: t.id,
    report_id: t.reportId,
    program_id: t.program.id,
    product_id: t.product.id,
    kind: t.kind,
    aware_at: t.awareAt,
    recorded_at: t.recordedAt,
    recorded_by: t.recordedBy,
    source: t.source,
    reason_sealed: t.reasonSealed,
    details: JSON.stringify(t.details),
    measure_available_at: null,
  });
  await insertClocks(
    trx,
    duties.map((d) => {
      const started = startOf(
        d,
        { awareAt: t.awareAt, measureAvailableAt: null, submittedAt: () => null },
        calendar.timeZone,
      );
      return {
        id: newId(),
        trigger_id: t.id,
        report_id: t.reportId,
        program_id: t.program.id,
        duty: d.id,
        regime: d.regime,
        started_at: started,
        due_at:
          started === null ? null : dueAfter(d.window, new Date(started), calendar, profile).toISOString(),
        resolution: null,
        resolved_at: null,
        resolved_by: null,
        reference: null,
        created_at: t.recordedAt,
      };
    }),
  );
  return duties.map((d) => d.id);
}

/** Start the waiting clocks of a trigger whose start fact has now happened. */
async function startWaiting(
  trx: Kysely<Database>,
  trigger: RegulatoryTriggerRow,
  program: Program,
  calendars: CalendarCache,
): Promise<void> {
  const calendar = calendars.forProgram(program);
  const profile = productOf(program, trigger.product_id)?.regulatory;
  const clocks = await clocksOfTrigger(trx, trigger.id);
  const submitted = (dutyId: string) =>
    clocks.find((c) => c.duty === dutyId && c.resolution === 'submitted')?.resolved_at ?? null;
  for (const c of clocks) {
    if (c.started_at !== null || c.resolution !== null) continue;
    const duty = dutyById(c.duty);
    const started = startOf(
      duty,
      { awareAt: trigger.aware_at, measureAvailableAt: trigger.measure_available_at, submittedAt: submitted },
      calendar.timeZone,
    );
    if (started === null) continue;
    await updateClock(trx, c.id, {
      started_at: started,
      due_at: dueAfter(duty.window, new Date(started), calendar, profile).toISOString(),
    });
  }
}

export function createRegulatoryService(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  access: Pick<Access, 'caseFor' | 'hasDuty' | 'can' | 'programsFor'>;
  calendars: CalendarCache;
  /** The staff-written facts a paste-ready report is filled from (assessment, advisory). */
  reportFacts: ReportContextSource;
}) {
  const { db, sealer, clock, access, calendars } = deps;
  const k = db.kysely;
  const views = createRegulatoryViews({ db, sealer, clock, access, reportFacts: deps.reportFacts });

  /** The case, if the caller is on its team with a read-write credential. */
  async function teamCase(caller: StaffCaller, caseNumber: string) {
    const found = await access.caseFor(caller, caseNumber, 'case.write');
    return found;
  }

  async function audited(
    caller: StaffCaller,
    found: { row: { id: string; case_number: string }; program: Program },
    action: string,
    work: (trx: Kysely<Database>, now: Date) => Promise<Record<string, unknown>>,
  ): Promise<RegulatoryCaseView> {
    const now = clock.now();
    await k.transaction().execute(async (trx) => {
      const detail = await work(trx, now);
      await appendAudit(
        trx,
        {
          actor: actorOf(caller),
          action,
          programId: found.program.id,
          reportId: found.row.id,
          detail: { caseNumber: found.row.case_number, ...detail },
        },
        now,
      );
    });
    return views.caseView(caller, found.row.case_number);
  }

  return {
    ...views,

    /**
     * Record a trigger on a case: the kind must be one the product's profile has duties for, and
     * the facts that choose among them must be given. Starts the clocks it owes, and opens the
     * adverse-event record for a device malfunction.
     */
    async recordTrigger(
      caller: StaffCaller,
      caseNumber: string,
      input: TriggerInput,
    ): Promise<RegulatoryCaseView> {
      const found = await teamCase(caller, caseNumber);
      const { row, program } = found;
      const reason = checkText(input.reason, 'reason', MAX_REASON_CHARS);
      const productId = input.product ?? row.product_id;
      if (!productId)
        throw new ValidationError([
          {
            path: 'product',
            message: `case ${caseNumber} names no product; give the product the trigger concerns`,
          },
        ]);
      const product = productOf(program, productId);
      if (!product)
        throw new ValidationError([
          { path: 'product', message: `${program.slug} has no product "${productId}"` },
        ]);
      const offered = triggersFor(product.regulatory);
      if (!offered.some((o) => o.kind === input.kind))
        throw new ValidationError([
          {
            path: 'kind',
            message:
              `the regulatory profile of ${product.id} has no duty for "${input.kind}"` +
              (offered.length > 0
                ? `; it has duties for: ${offered.map((o) => o.kind).join(', ')}`
                : '; the product has no regulatory profile in the program definition'),
          },
        ]);
      const details: TriggerDetails = {
        individualsAffected: input.individualsAffected ?? null,
        residentsOfOneState: input.residentsOfOneState ?? null,
        outcome: input.outcome ?? null,
        remedialAction: input.remedialAction ?? null,
      };
      if (input.kind === 'phi-breach' && details.individualsAffected === null)
        throw new ValidationError([
          {
            path: 'individualsAffected',
            message: 'a PHI breach needs an estimate of the individuals affected',
          },
        ]);
      if (input.kind === 'device-malfunction') {
        if (details.outcome === null)
          throw new ValidationError([
            { path: 'outcome', message: 'expected serious-injury, death or public-health-threat' },
          ]);
        if (details.remedialAction === null) details.remedialAction = false;
      }
      const now = clock.now();
      const awareAt = checkInstant(input.awareAt, 'awareAt', now);
      const id = newId();
      return audited(caller, found, 'regulatory.trigger', async (trx) => {
        const duties = await insertTriggerWithClocks(trx, {
          id,
          reportId: row.id,
          program,
          product,
          kind: input.kind,
          awareAt,
          recordedAt: now.toISOString(),
          recordedBy: caller.userId,
          source: 'staff',
          reasonSealed: sealer.seal(reason, reasonAad(id, 'trigger')),
          details,
          calendars,
        });
        if (input.kind === 'device-malfunction')
          await noteAdverseEvent(trx, {
            reportId: row.id,
            programId: program.id,
            caseNumber,
            reason: 'device-malfunction',
            at: now,
          });
        return { trigger: id, kind: input.kind, product: product.id, duties };
      });
    },

    /** A corrective or mitigating measure is available: starts the clocks that wait for it. */
    async recordMeasure(
      caller: StaffCaller,
      caseNumber: string,
      triggerId: string,
      input: { availableAt?: string },
    ): Promise<RegulatoryCaseView> {
      const found = await teamCase(caller, caseNumber);
      const now = clock.now();
      return audited(caller, found, 'regulatory.measure', async (trx) => {
        const trigger = await lockTrigger(trx, found.row.id, triggerId);
        if (!trigger) throw new NotFoundError(`Case ${caseNumber} has no regulatory trigger ${triggerId}.`);
        const waits = (await clocksOfTrigger(trx, trigger.id)).some(
          (c) => dutyById(c.duty).starts === 'measure-available',
        );
        if (!waits)
          throw new ConflictError(
            `No clock of the "${trigger.kind}" trigger waits for a corrective measure.`,
          );
        if (trigger.measure_available_at !== null)
          throw new ConflictError(
            `A corrective measure was already recorded for this trigger (${trigger.measure_available_at}).`,
          );
        const at = checkInstant(input.availableAt, 'availableAt', now, trigger.aware_at);
        await setMeasureAvailable(trx, trigger.id, at);
        await startWaiting(trx, { ...trigger, measure_available_at: at }, found.program, calendars);
        return { trigger: trigger.id, availableAt: at };
      });
    },

    /** Staff sent the report to the authority: record the reference and time; the clock stops. */
    async submit(
      caller: StaffCaller,
      caseNumber: string,
      clockId: string,
      input: { reference: string; submittedAt?: string },
    ): Promise<RegulatoryCaseView> {
      const found = await teamCase(caller, caseNumber);
      const reference = checkText(input.reference, 'reference', MAX_REFERENCE_CHARS);
      const now = clock.now();
      return audited(caller, found, 'regulatory.submitted', async (trx) => {
        const c = await lockClock(trx, found.row.id, clockId);
        if (!c) throw new NotFoundError(`Case ${caseNumber} has no regulatory clock ${clockId}.`);
        if (c.resolution !== null)
          throw new ConflictError(`The ${c.duty} clock is already closed (${c.resolution}).`);
        if (c.started_at === null)
          throw new ConflictError(`The ${c.duty} clock has not started yet; there is nothing due.`);
        const trigger = (await lockTrigger(trx, found.row.id, c.trigger_id)) as RegulatoryTriggerRow;
        // A report may go out before its clock starts (HIPAA's annual log to HHS starts at the
        // year's end), but never before the vendor knew of what it reports.
        const at = checkInstant(input.submittedAt, 'submittedAt', now, trigger.aware_at);
        await updateClock(trx, c.id, {
          resolution: 'submitted',
          resolved_at: at,
          resolved_by: caller.userId,
          reference,
        });
        await startWaiting(trx, trigger, found.program, calendars);
        return { clock: c.id, duty: c.duty, reference, late: c.due_at !== null && at > c.due_at };
      });
    },

    /** Propose that a trigger is not reportable under one regime, with the reason (case team). */
    async proposeNotReportable(
      caller: StaffCaller,
      caseNumber: string,
      input: { triggerId: string; regime: Regime; reason: string },
    ): Promise<RegulatoryCaseView> {
      const found = await teamCase(caller, caseNumber);
      const reason = checkText(input.reason, 'reason', MAX_REASON_CHARS);
      const now = clock.now();
      const id = newId();
      return audited(caller, found, 'regulatory.decision.proposed', async (trx) => {
        const trigger = await lockTrigger(trx, found.row.id, input.triggerId);
        if (!trigger)
          throw new ValidationError([
            { path: 'triggerId', message: `case ${caseNumber} has no such trigger` },
          ]);
        const clocks = (await clocksOfTrigger(trx, trigger.id)).filter((c) => c.regime === input.regime);
        if (clocks.length === 0)
          throw new ValidationError([
            { path: 'regime', message: `the "${trigger.kind}" trigger started no ${input.regime} clock` },
          ]);
        if (clocks.every((c) => c.resolution !== null))
          throw new ConflictError(`Every ${input.regime} clock of this trigger is already closed.`);
        const live = await liveDecision(trx, trigger.id, input.regime);
        if (live)
          throw new ConflictError(`A ${input.regime} decision on this trigger is already ${live.state}.`);
        await insertDecision(trx, {
          id,
          trigger_id: trigger.id,
          report_id: found.row.id,
          program_id: found.program.id,
          regime: input.regime,
          reason_sealed: sealer.seal(reason, reasonAad(id, 'decision')),
          decided_by: caller.userId,
          decided_at: now.toISOString(),
          state: 'proposed',
          reviewed_by: null,
          reviewed_at: null,
          review_note_sealed: null,
        });
        return { decision: id, trigger: trigger.id, regime: input.regime };
      });
    },

    /**
     * Approve or reject a proposed decision: a second person, holding the regime's duty in the
     * program. Approval closes the regime's open clocks of the trigger as not reportable.
     */
    async reviewNotReportable(
      caller: StaffCaller,
      caseNumber: string,
      decisionId: string,
      input: { approve: true } | { approve: false; reason: string },
    ): Promise<RegulatoryCaseView> {
      const found = await access.caseFor(caller, caseNumber, 'case.read');
      const note = input.approve ? undefined : checkText(input.reason, 'reason', MAX_REASON_CHARS);
      // Who may review is settled before the transaction: the access checks read on their own
      // connection, which SQLite's single writer connection would otherwise wait for.
      const proposed = (await decisionsOfReport(k, found.row.id)).find((x) => x.id === decisionId);
      if (!proposed) throw new NotFoundError(`Case ${caseNumber} has no regulatory decision ${decisionId}.`);
      const duty = REGIME_INFO[proposed.regime as Regime].approverDuty;
      if (caller.scope === 'read' || !(await access.hasDuty(caller, found.program, duty)))
        throw new ForbiddenError(
          `Reviewing a ${proposed.regime} decision needs the ${duty} duty in ${found.program.slug} and a read-write credential.`,
        );
      if (proposed.decided_by === caller.userId)
        throw new ForbiddenError(
          'A "not reportable" decision needs two people: the person who proposed it cannot review it.',
        );
      const now = clock.now();
      const action = input.approve ? 'regulatory.decision.approved' : 'regulatory.decision.rejected';
      return audited(caller, found, action, async (trx) => {
        const d = await lockDecision(trx, found.row.id, decisionId);
        if (!d) throw new NotFoundError(`Case ${caseNumber} has no regulatory decision ${decisionId}.`);
        if (d.state !== 'proposed') throw new ConflictError(`This decision is already ${d.state}.`);
        await reviewDecision(trx, d.id, {
          state: input.approve ? 'approved' : 'rejected',
          reviewed_by: caller.userId,
          reviewed_at: now.toISOString(),
          review_note_sealed: note === undefined ? null : sealer.seal(note, reasonAad(d.id, 'review')),
        });
        const closed: string[] = [];
        if (input.approve)
          for (const c of await clocksOfTrigger(trx, d.trigger_id)) {
            if (c.regime !== d.regime || c.resolution !== null) continue;
            await updateClock(trx, c.id, {
              resolution: 'not-reportable',
              resolved_at: now.toISOString(),
              resolved_by: caller.userId,
            });
            closed.push(c.duty);
          }
        return { decision: d.id, regime: d.regime, closed };
      });
    },
  };
}

export type RegulatoryService = ReturnType<typeof createRegulatoryService>;

/**
 * What the assessment tells this capability, inside the assessment's own transaction: an
 * uncontrolled patient risk records the FDA trigger once (when the product is an FDA device),
 * aware from the case's receipt — when the manufacturer learned of it; harm that is serious or
 * worse opens the adverse-event record.
 */
export async function noteAssessment(
  trx: Kysely<Database>,
  deps: { calendars: CalendarCache },
  a: {
    program: Program;
    report: { id: string; case_number: string; received_at: string; product_id: string | null };
    productId: string | null;
    patientRisk: 'controlled' | 'uncontrolled' | null;
    harm: string | null;
    /** Who made the assessment, as the audit log names actors. */
    actor: string;
    at: Date;
  },
): Promise<void> {
  if (a.harm === 'serious' || a.harm === 'critical' || a.harm === 'catastrophic')
    await noteAdverseEvent(trx, {
      reportId: a.report.id,
      programId: a.program.id,
      caseNumber: a.report.case_number,
      reason: `harm-${a.harm}`,
      at: a.at,
    });
  if (a.patientRisk !== 'uncontrolled') return;
  const product = productOf(a.program, a.productId ?? a.report.product_id);
  if (!product || !triggersFor(product.regulatory).some((o) => o.kind === 'uncontrolled-risk')) return;
  if (await hasTriggerOfKind(trx, a.report.id, 'uncontrolled-risk')) return;
  const id = newId();
  const duties = await insertTriggerWithClocks(trx, {
    id,
    reportId: a.report.id,
    program: a.program,
    product,
    kind: 'uncontrolled-risk',
    awareAt: a.report.received_at,
    recordedAt: a.at.toISOString(),
    recordedBy: null,
    source: 'assessment',
    reasonSealed: null,
    details: { individualsAffected: null, residentsOfOneState: null, outcome: null, remedialAction: null },
    calendars: deps.calendars,
  });
  await appendAudit(
    trx,
    {
      actor: a.actor,
      action: 'regulatory.trigger',
      programId: a.program.id,
      reportId: a.report.id,
      detail: {
        caseNumber: a.report.case_number,
        trigger: id,
        kind: 'uncontrolled-risk',
        product: product.id,
        duties,
        source: 'assessment',
      },
    },
    a.at,
  );
}
