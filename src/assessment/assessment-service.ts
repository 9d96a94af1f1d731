import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { type FieldProblem, ValidationError } from '../core/index.js';
import type { Database, Db, Kysely, ReportRow } from '../db/index.js';
import { isLocalDate } from '../deadlines/index.js';
import type { Program } from '../programs/index.js';
import {
  type Assessment,
  type AssessmentInput,
  type AssessmentResponse,
  assessmentSchema,
  EMPTY_ASSESSMENT,
} from './assessment-schema.js';
import { lockStoredAssessment, writeAssessment } from './assessment-store.js';
import { type CvssResult, type CvssVersion, cvssProblems, scoreCvss } from './cvss.js';
import { findCwe, normaliseCweId } from './cwe.js';
import { assessPatientSafety } from './patient-safety.js';
import { ssvcDecision } from './ssvc.js';

/** The parts of an assessment, as named in audit entries ("which parts changed"). */
export const ASSESSMENT_PARTS = [
  'cvss31',
  'cvss40',
  'cwe',
  'ssvc',
  'patientSafety',
  'affected',
  'remediationTargetDate',
] as const;
export type AssessmentPart = (typeof ASSESSMENT_PARTS)[number];

export interface AssessmentContext {
  program: Pick<Program, 'slug' | 'definition'>;
  /** When the report arrived: the day the manufacturer learned of the vulnerability. */
  receivedAt: Date;
  now: Date;
  actor: string;
}

/** Every problem with the input's content, one entry per field, in one pass. */
export function assessmentProblems(
  input: AssessmentInput,
  program: AssessmentContext['program'],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const vectors: [CvssVersion, 'cvss31' | 'cvss40'][] = [
    ['3.1', 'cvss31'],
    ['4.0', 'cvss40'],
  ];
  for (const [version, field] of vectors) {
    const vector = input[field];
    if (vector === undefined) continue;
    const found = cvssProblems(version, vector);
    if (found.length > 0) problems.push({ path: field, message: found.join('; ') });
  }
  if (input.cwe !== undefined) {
    const id = normaliseCweId(input.cwe);
    if (!id) problems.push({ path: 'cwe', message: 'expected a CWE id such as CWE-79' });
    else if (!findCwe(id)) problems.push({ path: 'cwe', message: `${id} is not in the CWE catalogue` });
  }
  const products = program.definition.scope.products;
  input.affected?.forEach((a, i) => {
    if (!products.some((p) => p.id === a.productId)) {
      problems.push({
        path: `affected.${i}.productId`,
        message: `"${a.productId}" is not a product of ${program.slug}; expected one of: ${products.map((p) => p.id).join(', ')}`,
      });
    }
  });
  if (input.remediationTargetDate !== undefined && !isLocalDate(input.remediationTargetDate)) {
    problems.push({ path: 'remediationTargetDate', message: 'expected a real date as YYYY-MM-DD' });
  }
  return problems;
}

const cvssView = (r: CvssResult) => ({
  vector: r.vector,
  baseScore: r.baseScore,
  score: r.score,
  severity: r.severity,
  ...(r.nomenclature ? { nomenclature: r.nomenclature } : {}),
});

/**
 * Validate the input and compute everything derived from it: scores, the SSVC decision, the
 * patient-safety call with FDA's clocks, product names, the case severity. Pure.
 */
export function computeAssessment(input: AssessmentInput, ctx: AssessmentContext): Assessment {
  const problems = assessmentProblems(input, ctx.program);
  if (problems.length > 0) throw new ValidationError(problems);

  const cvss31 = input.cvss31 !== undefined ? scoreCvss('3.1', input.cvss31) : undefined;
  const cvss40 = input.cvss40 !== undefined ? scoreCvss('4.0', input.cvss40) : undefined;
  // CVSS 4.0 describes the vulnerability better (e.g. safety, subsequent systems), so it wins.
  const leading = cvss40 ?? cvss31;
  const cwe = input.cwe !== undefined ? findCwe(input.cwe) : undefined;
  const products = ctx.program.definition.scope.products;
  const patientSafety = input.patientSafety
    ? {
        ...assessPatientSafety({
          severity: input.patientSafety.severity,
          cvss: leading,
          learnedAt: ctx.receivedAt,
          timeZone: ctx.program.definition.calendar.timeZone,
        }),
        ...(input.patientSafety.phiInvolved !== undefined
          ? { phiInvolved: input.patientSafety.phiInvolved }
          : {}),
        ...(input.patientSafety.notes ? { notes: input.patientSafety.notes } : {}),
      }
    : undefined;

  const warnings: string[] = [];
  const fixBy = patientSafety?.fda?.distributeFixBy;
  if (fixBy && input.remediationTargetDate && input.remediationTargetDate > fixBy) {
    warnings.push(
      `The remediation target date ${input.remediationTargetDate} is after ${fixBy}, the end of FDA's 60 days for a fix to an uncontrolled risk.`,
    );
  }

  return {
    ...(cvss31 ? { cvss31: cvssView(cvss31) } : {}),
    ...(cvss40 ? { cvss40: cvssView(cvss40) } : {}),
    ...(cwe ? { cwe } : {}),
    ...(input.ssvc ? { ssvc: { ...input.ssvc, decision: ssvcDecision(input.ssvc) } } : {}),
    ...(patientSafety ? { patientSafety } : {}),
    affected: (input.affected ?? []).map((a) => ({
      productId: a.productId,
      productName: products.find((p) => p.id === a.productId)?.name ?? a.productId,
      versions: a.versions.trim(),
      ...(a.fixedIn?.trim() ? { fixedIn: a.fixedIn.trim() } : {}),
    })),
    ...(input.remediationTargetDate ? { remediationTargetDate: input.remediationTargetDate } : {}),
    severity: leading?.severity ?? null,
    warnings,
    updatedAt: ctx.now.toISOString(),
    updatedBy: ctx.actor,
  };
}

/** JSON with object keys sorted: a value read back through the schema may list keys in another order. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The parts whose stored value differs between two assessments. */
export function changedParts(before: Assessment, after: Assessment): AssessmentPart[] {
  return ASSESSMENT_PARTS.filter((part) => canonical(before[part]) !== canonical(after[part]));
}

/** Read the stored JSON; anything unreadable counts as no assessment rather than breaking the case. */
export function readStored(json: string | null | undefined): Assessment {
  let value: unknown;
  try {
    value = JSON.parse(json || '{}');
  } catch {
    return EMPTY_ASSESSMENT;
  }
  const parsed = assessmentSchema.safeParse({ ...EMPTY_ASSESSMENT, ...(value as object) });
  return parsed.success ? parsed.data : EMPTY_ASSESSMENT;
}

/**
 * Told of every assessment that changed, inside its transaction: what other capabilities derive
 * from the patient-safety call (regulatory triggers, adverse-event records) commits with it.
 */
export type AfterAssess = (
  trx: Kysely<Database>,
  a: {
    program: Program;
    report: ReportRow;
    productId: string | null;
    patientRisk: 'controlled' | 'uncontrolled' | null;
    harm: string | null;
    /** Who made the assessment, as the audit log names actors. */
    actor: string;
    at: Date;
  },
) => Promise<void>;

export function createAssessmentService(deps: {
  db: Db;
  clock: Clock;
  access: Pick<Access, 'caseFor'>;
  afterAssess?: AfterAssess;
}) {
  const { clock, access } = deps;
  const k = deps.db.kysely;

  return {
    async get(caller: StaffCaller, caseNumber: string): Promise<AssessmentResponse> {
      const { row } = await access.caseFor(caller, caseNumber, 'case.read');
      return { caseNumber: row.case_number, ...readStored(row.assessment) };
    },

    /**
     * Replace the assessment. The row, its `severity` and `product_id` columns and the audit
     * entry commit together; a PUT that changes nothing writes nothing.
     */
    async put(caller: StaffCaller, caseNumber: string, input: AssessmentInput): Promise<AssessmentResponse> {
      const { row, program } = await access.caseFor(caller, caseNumber, 'case.assess');
      const next = computeAssessment(input, {
        program,
        receivedAt: new Date(row.received_at),
        now: clock.now(),
        actor: actorOf(caller),
      });
      const stored = await k.transaction().execute(async (trx) => {
        // Read the current value inside the transaction (locked on PostgreSQL) so "what
        // changed" is measured against what this write actually replaces.
        const before = readStored(await lockStoredAssessment(trx, row.id));
        const changed = changedParts(before, next);
        if (changed.length === 0) return before;
        await writeAssessment(trx, row.id, {
          assessment: JSON.stringify(next),
          severity: next.severity,
          productId: next.affected[0]?.productId ?? null,
        });
        await appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'report.assess',
            programId: program.id,
            reportId: row.id,
            // Names of parts and enumerated outcomes only: never the notes or version text.
            detail: {
              changed,
              severity: next.severity,
              ...(next.ssvc ? { ssvc: next.ssvc.decision } : {}),
              ...(next.patientSafety ? { patientRisk: next.patientSafety.risk } : {}),
            },
          },
          clock.now(),
        );
        await deps.afterAssess?.(trx, {
          program,
          report: row,
          productId: next.affected[0]?.productId ?? null,
          patientRisk: next.patientSafety?.risk ?? null,
          harm: next.patientSafety?.severity ?? null,
          actor: actorOf(caller),
          at: clock.now(),
        });
        return next;
      });
      return { caseNumber: row.case_number, ...stored };
    },
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
