import type { Program } from '../programs/index.js';
import { type DutyDefinition, describeProfile, REGIME_INFO } from './duties.js';
import type { ReportContext } from './report-content.js';

/**
 * Where a paste-ready report's staff-written facts come from, wired by the composition root:
 * the case's assessment and the advisory drafted from it. Reporter-written text and contact
 * details are never among them: the context has no place for either.
 */
export interface ReportContextSource {
  /** The assessment, from the stored JSON of `reports.assessment`. */
  assessmentOf(storedJson: string | null): ReportContext['assessment'];
  /** The newest advisory drafted from the case, if any. */
  advisoryOf(reportId: string, programSlug: string): Promise<ReportContext['advisory']>;
}

/** Everything a report for one clock is filled from. */
export function reportContext(input: {
  caseNumber: string;
  program: Program;
  productId: string;
  trigger: ReportContext['trigger'];
  duty: DutyDefinition;
  dueAt: string | null;
  assessment: ReportContext['assessment'];
  advisory: ReportContext['advisory'];
  now: Date;
}): ReportContext {
  const def = input.program.definition;
  const product = def.scope.products.find((p) => p.id === input.productId);
  return {
    caseNumber: input.caseNumber,
    vendor: {
      name: def.vendor.name,
      contacts: def.vendor.contacts.map((c) => ({ role: c.role, ...(c.email ? { email: c.email } : {}) })),
    },
    program: { name: def.name, slug: def.slug, ...(def.policy.url ? { policyUrl: def.policy.url } : {}) },
    product: {
      id: input.productId,
      name: product?.name ?? input.productId,
      kind: product?.kind ?? 'other',
      inScopeVersions: product?.versions.filter((v) => v.inScope).map((v) => v.versions) ?? [],
      outOfScopeVersions: product?.versions.filter((v) => !v.inScope).map((v) => v.versions) ?? [],
      profileSummary: describeProfile(product?.regulatory),
    },
    trigger: input.trigger,
    clock: {
      duty: input.duty.id,
      regulation: `${REGIME_INFO[input.duty.regime].regulation} — ${input.duty.source.document}`,
      article: input.duty.source.article,
      recipient: input.duty.recipient,
      dueAt: input.dueAt,
    },
    ...(input.assessment ? { assessment: input.assessment } : {}),
    ...(input.advisory ? { advisory: input.advisory } : {}),
    timeZone: def.calendar.timeZone,
    now: input.now.toISOString(),
  };
}
