import type { Access, StaffCaller } from '../accounts/index.js';
import type { Clock } from '../core/index.js';
import { NotFoundError } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db, RegulatoryClockRow, RegulatoryDecisionRow, RegulatoryTriggerRow } from '../db/index.js';
import type { Program } from '../programs/index.js';
import { adverseEventNumber } from './adverse-events.js';
import {
  DUTIES,
  describeProfile,
  describeWindow,
  dutyById,
  type MalfunctionOutcome,
  REGIME_INFO,
  REGIMES,
  type Regime,
  TRIGGER_LABELS,
  type TriggerKind,
  triggersFor,
} from './duties.js';
import { clockState, type RegulatoryClockState, waitingFor } from './regulatory-clocks.js';
import { productOf, readDetails, reasonAad } from './regulatory-records.js';
import {
  clockOutcomes,
  clocksOfReport,
  decisionsOfReport,
  findAdverseEvent,
  findUsers,
  listAdverseEvents,
  listOpenClocks,
  triggersOfReport,
} from './regulatory-store.js';
import { buildReportContent, type ReportContent, type ReportKind } from './report-content.js';
import { type ReportContextSource, reportContext } from './report-context.js';

/** Reading the regulatory record: one case, the running clocks across programs, metrics. */

export interface UserRef {
  id: string;
  email: string;
  name: string;
}

export interface RegulatoryClockView {
  id: string;
  triggerId: string;
  duty: string;
  regime: Regime;
  regulation: string;
  article: string;
  title: string;
  recipient: string;
  window: string;
  startedAt: string | null;
  dueAt: string | null;
  waitingFor: string | null;
  state: RegulatoryClockState;
  submittedAt: string | null;
  submittedBy: UserRef | null;
  reference: string | null;
}

export interface RegulatoryTriggerView {
  id: string;
  kind: TriggerKind;
  label: string;
  productId: string;
  awareAt: string;
  recordedAt: string;
  recordedBy: UserRef | null;
  source: 'staff' | 'assessment';
  reason: string | null;
  individualsAffected: number | null;
  residentsOfOneState: number | null;
  outcome: MalfunctionOutcome | null;
  remedialAction: boolean | null;
  measureAvailableAt: string | null;
}

export interface RegulatoryDecisionView {
  id: string;
  triggerId: string;
  regime: Regime;
  regulation: string;
  articles: string[];
  reason: string;
  state: 'proposed' | 'approved' | 'rejected';
  decidedBy: UserRef | null;
  decidedAt: string;
  reviewedBy: UserRef | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

export interface RegulatoryCaseView {
  caseNumber: string;
  program: string;
  timeZone: string;
  product: { id: string; name: string } | null;
  profile: { regimes: Regime[]; summary: string[] } | null;
  availableTriggers: { kind: TriggerKind; label: string; regimes: Regime[] }[];
  triggers: RegulatoryTriggerView[];
  clocks: RegulatoryClockView[];
  decisions: RegulatoryDecisionView[];
  /** FDA's reporting exception for an uncontrolled risk; null when no such trigger is recorded. */
  fdaException: { applies: boolean; lost: string[] } | null;
  adverseEvent: { number: string; openedAt: string; reasons: string[] } | null;
}

export interface RegulatoryClockListItem extends RegulatoryClockView {
  caseNumber: string;
  program: string;
  productId: string;
}

export interface AdverseEventView {
  number: string;
  caseNumber: string;
  program: string;
  productId: string | null;
  openedAt: string;
  reasons: string[];
  /** The harm and risk of the case's patient-safety assessment, when made. */
  patientSafety: { severity: string; exploitability: string; risk: string } | null;
  /** What was decided about reporting it to regulators: the vigilance clocks and decisions. */
  reportability: {
    clocks: {
      duty: string;
      regulation: string;
      article: string;
      state: RegulatoryClockState;
      dueAt: string | null;
      reference: string | null;
    }[];
    decisions: { regime: Regime; state: string; decidedAt: string; reviewedAt: string | null }[];
  };
}

export interface RegulatoryMetric {
  regime: Regime;
  regulation: string;
  kept: number;
  missed: number;
  running: number;
  notReportable: number;
}

const VIGILANCE: readonly Regime[] = ['fda-mdr', 'eu-vigilance'];
const dutyIndex = (id: string) => DUTIES.findIndex((d) => d.id === id);

export function createRegulatoryViews(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  access: Pick<Access, 'caseFor' | 'programsFor'>;
  reportFacts: ReportContextSource;
}) {
  const { sealer, clock, access } = deps;
  const k = deps.db.kysely;

  async function people(ids: (string | null)[]): Promise<Map<string, UserRef>> {
    const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
    return new Map((await findUsers(k, wanted)).map((u) => [u.id, u]));
  }

  function clockView(
    c: RegulatoryClockRow,
    program: Program | undefined,
    productId: string,
    users: Map<string, UserRef>,
    now: Date,
  ): RegulatoryClockView {
    const duty = dutyById(c.duty);
    const profile = program ? productOf(program, productId)?.regulatory : undefined;
    return {
      id: c.id,
      triggerId: c.trigger_id,
      duty: c.duty,
      regime: duty.regime,
      regulation: REGIME_INFO[duty.regime].regulation,
      article: `${duty.source.document}, ${duty.source.article}`,
      title: duty.title,
      recipient: duty.recipient,
      window: describeWindow(duty.window, profile),
      startedAt: c.started_at,
      dueAt: c.due_at,
      waitingFor: c.started_at === null ? waitingFor(duty) : null,
      state: clockState(c, now),
      submittedAt: c.resolution === 'submitted' ? c.resolved_at : null,
      submittedBy: c.resolution === 'submitted' && c.resolved_by ? (users.get(c.resolved_by) ?? null) : null,
      reference: c.reference,
    };
  }

  function triggerView(t: RegulatoryTriggerRow, users: Map<string, UserRef>): RegulatoryTriggerView {
    const d = readDetails(t);
    return {
      id: t.id,
      kind: t.kind as TriggerKind,
      label: TRIGGER_LABELS[t.kind as TriggerKind] ?? t.kind,
      productId: t.product_id,
      awareAt: t.aware_at,
      recordedAt: t.recorded_at,
      recordedBy: t.recorded_by ? (users.get(t.recorded_by) ?? null) : null,
      source: t.source === 'assessment' ? 'assessment' : 'staff',
      reason: t.reason_sealed
        ? sealer.open(t.reason_sealed, reasonAad(t.id, 'trigger')).toString('utf8')
        : null,
      ...d,
      measureAvailableAt: t.measure_available_at,
    };
  }

  function decisionView(
    d: RegulatoryDecisionRow,
    clocks: RegulatoryClockRow[],
    users: Map<string, UserRef>,
  ): RegulatoryDecisionView {
    const articles = [
      ...new Set(
        clocks
          .filter((c) => c.trigger_id === d.trigger_id && c.regime === d.regime)
          .map((c) => {
            const duty = dutyById(c.duty);
            return `${duty.source.document}, ${duty.source.article}`;
          }),
      ),
    ];
    return {
      id: d.id,
      triggerId: d.trigger_id,
      regime: d.regime as Regime,
      regulation: REGIME_INFO[d.regime as Regime]?.regulation ?? d.regime,
      articles,
      reason: sealer.open(d.reason_sealed, reasonAad(d.id, 'decision')).toString('utf8'),
      state: d.state as RegulatoryDecisionView['state'],
      decidedBy: users.get(d.decided_by) ?? null,
      decidedAt: d.decided_at,
      reviewedBy: d.reviewed_by ? (users.get(d.reviewed_by) ?? null) : null,
      reviewedAt: d.reviewed_at,
      reviewNote: d.review_note_sealed
        ? sealer.open(d.review_note_sealed, reasonAad(d.id, 'review')).toString('utf8')
        : null,
    };
  }

  /** The FDA exception holds while no postmarket clock was missed and no death or serious injury is known. */
  function fdaException(triggers: RegulatoryTriggerRow[], clocks: RegulatoryClockView[]) {
    if (!triggers.some((t) => t.kind === 'uncontrolled-risk')) return null;
    const lost = clocks
      .filter(
        (c) => c.regime === 'fda-postmarket' && (c.state === 'breached' || c.state === 'submitted-late'),
      )
      .map((c) => `missed: ${c.title}`);
    if (
      triggers.some((t) => {
        const o = readDetails(t).outcome;
        return t.kind === 'device-malfunction' && (o === 'death' || o === 'serious-injury');
      })
    )
      lost.push('a serious adverse event or death is known');
    return { applies: lost.length === 0, lost };
  }

  async function caseView(caller: StaffCaller, caseNumber: string): Promise<RegulatoryCaseView> {
    const { row, program } = await access.caseFor(caller, caseNumber, 'case.read');
    const now = clock.now();
    const [triggers, clocks, decisions, adverse] = await Promise.all([
      triggersOfReport(k, row.id),
      clocksOfReport(k, row.id),
      decisionsOfReport(k, row.id),
      findAdverseEvent(k, row.id),
    ]);
    const users = await people([
      ...triggers.map((t) => t.recorded_by),
      ...clocks.map((c) => c.resolved_by),
      ...decisions.flatMap((d) => [d.decided_by, d.reviewed_by]),
    ]);
    const productOfTrigger = new Map(triggers.map((t) => [t.id, t.product_id]));
    // A trigger's clocks in the duty table's order (ids are random, and they share an instant).
    const triggerOrder = new Map(triggers.map((t, i) => [t.id, i]));
    clocks.sort(
      (a, b) =>
        (triggerOrder.get(a.trigger_id) ?? 0) - (triggerOrder.get(b.trigger_id) ?? 0) ||
        dutyIndex(a.duty) - dutyIndex(b.duty),
    );
    const clockViews = clocks.map((c) =>
      clockView(c, program, productOfTrigger.get(c.trigger_id) ?? '', users, now),
    );
    const product = productOf(program, row.product_id);
    const offered = triggersFor(product?.regulatory);
    return {
      caseNumber: row.case_number,
      program: program.slug,
      timeZone: program.definition.calendar.timeZone,
      product: product ? { id: product.id, name: product.name } : null,
      profile: product?.regulatory
        ? {
            regimes: REGIMES.filter((r) => offered.some((o) => o.regimes.includes(r))),
            summary: describeProfile(product.regulatory),
          }
        : null,
      availableTriggers: offered.map((o) => ({
        kind: o.kind,
        label: TRIGGER_LABELS[o.kind],
        regimes: o.regimes,
      })),
      triggers: triggers.map((t) => triggerView(t, users)),
      clocks: clockViews,
      decisions: decisions.map((d) => decisionView(d, clocks, users)),
      fdaException: fdaException(triggers, clockViews),
      adverseEvent: adverse
        ? {
            number: adverse.number,
            openedAt: adverse.opened_at,
            reasons: JSON.parse(adverse.reasons) as string[],
          }
        : null,
    };
  }

  return {
    /** The regulatory record of a case, for anyone who may read the case. */
    caseView,

    /** Every running or breached clock in the caller's programs, soonest due first. */
    async openClocks(caller: StaffCaller, limit = 500): Promise<RegulatoryClockListItem[]> {
      const programs = await access.programsFor(caller, 'case.read');
      const byId = new Map(programs.map((p) => [p.id, p]));
      const rows = await listOpenClocks(k, { programIds: programs.map((p) => p.id), limit });
      const now = clock.now();
      return rows.map((r) => {
        const program = byId.get(r.program_id);
        return {
          ...clockView(r, program, r.product_id, new Map(), now),
          caseNumber: r.case_number,
          program: program?.slug ?? '',
          productId: r.product_id,
        };
      });
    },

    /** The paste-ready content for one clock's report: text and JSON, never the reporter's details. */
    async report(
      caller: StaffCaller,
      caseNumber: string,
      clockId: string,
    ): Promise<ReportContent & { clockId: string; reportKind: ReportKind }> {
      const { row, program } = await access.caseFor(caller, caseNumber, 'case.read');
      const clocks = await clocksOfReport(k, row.id);
      const c = clocks.find((x) => x.id === clockId);
      if (!c) throw new NotFoundError(`Case ${caseNumber} has no regulatory clock ${clockId}.`);
      const trigger = (await triggersOfReport(k, row.id)).find((t) => t.id === c.trigger_id);
      if (!trigger) throw new NotFoundError(`Case ${caseNumber} has no regulatory clock ${clockId}.`);
      const duty = dutyById(c.duty);
      const ctx = reportContext({
        caseNumber: row.case_number,
        program,
        productId: trigger.product_id,
        trigger: {
          kind: trigger.kind as TriggerKind,
          awareAt: trigger.aware_at,
          ...readDetails(trigger),
          measureAvailableAt: trigger.measure_available_at,
        },
        duty,
        dueAt: c.due_at,
        assessment: deps.reportFacts.assessmentOf(row.assessment),
        advisory: await deps.reportFacts.advisoryOf(row.id, program.slug),
        now: clock.now(),
      });
      return { clockId: c.id, reportKind: duty.reportKind, ...buildReportContent(duty.reportKind, ctx) };
    },

    /** The adverse-event record of a case, for its readers; 404 when none was opened. */
    async adverseEvent(caller: StaffCaller, caseNumber: string): Promise<AdverseEventView> {
      const { row, program } = await access.caseFor(caller, caseNumber, 'case.read');
      const e = await findAdverseEvent(k, row.id);
      if (!e) throw new NotFoundError(`Case ${caseNumber} has no adverse-event record.`);
      return adverseEventView(e, row, program);
    },

    /** Adverse-event records of the caller's programs, newest first. */
    async adverseEvents(caller: StaffCaller): Promise<AdverseEventView[]> {
      const programs = await access.programsFor(caller, 'case.read');
      const rows = await listAdverseEvents(
        k,
        programs.map((p) => p.id),
        500,
      );
      const out: AdverseEventView[] = [];
      for (const e of rows) {
        const found = await access.caseFor(caller, e.case_number, 'case.read');
        out.push(await adverseEventView(e, found.row, found.program));
      }
      return out;
    },

    /** Kept, missed, running and not-reportable regulatory clocks per regime. */
    async metrics(programIds: string[]): Promise<RegulatoryMetric[]> {
      const rows = await clockOutcomes(k, programIds);
      const now = clock.now();
      return REGIMES.map((regime) => {
        const m: RegulatoryMetric = {
          regime,
          regulation: REGIME_INFO[regime].regulation,
          kept: 0,
          missed: 0,
          running: 0,
          notReportable: 0,
        };
        for (const r of rows) {
          if (r.regime !== regime) continue;
          const s = clockState(r, now);
          if (s === 'submitted') m.kept++;
          else if (s === 'submitted-late' || s === 'breached') m.missed++;
          else if (s === 'running' || s === 'waiting') m.running++;
          else m.notReportable++;
        }
        return m;
      });
    },
  };

  async function adverseEventView(
    e: { number: string; opened_at: string; reasons: string },
    row: { id: string; case_number: string; product_id: string | null; assessment: string | null },
    program: Program,
  ): Promise<AdverseEventView> {
    const [clocks, decisions] = await Promise.all([clocksOfReport(k, row.id), decisionsOfReport(k, row.id)]);
    const now = clock.now();
    const stored = JSON.parse(row.assessment || '{}') as {
      patientSafety?: { severity: string; exploitability: string; risk: string };
    };
    const ps = stored.patientSafety;
    return {
      number: e.number || adverseEventNumber(row.case_number),
      caseNumber: row.case_number,
      program: program.slug,
      productId: row.product_id,
      openedAt: e.opened_at,
      reasons: JSON.parse(e.reasons) as string[],
      patientSafety: ps ? { severity: ps.severity, exploitability: ps.exploitability, risk: ps.risk } : null,
      reportability: {
        clocks: clocks
          .filter((c) => VIGILANCE.includes(c.regime as Regime))
          .map((c) => {
            const duty = dutyById(c.duty);
            return {
              duty: c.duty,
              regulation: REGIME_INFO[duty.regime].regulation,
              article: `${duty.source.document}, ${duty.source.article}`,
              state: clockState(c, now),
              dueAt: c.due_at,
              reference: c.reference,
            };
          }),
        decisions: decisions
          .filter((d) => VIGILANCE.includes(d.regime as Regime))
          .map((d) => ({
            regime: d.regime as Regime,
            state: d.state,
            decidedAt: d.decided_at,
            reviewedAt: d.reviewed_at,
          })),
      },
    };
  }
}
