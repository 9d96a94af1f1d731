import type { Migration, MigrationProvider } from 'kysely';
import { foundation } from './2026-11-23T1200-foundation.js';
import { openpgp } from './2026-11-23T1300-openpgp.js';
import { caseWorkflow } from './2026-11-23T1400-case-workflow.js';
import { queueIndexes } from './2026-11-23T1500-queue-indexes.js';
import { signIn } from './2026-12-02T1600-sign-in.js';
import { policies } from './2026-12-02T1800-policies.js';
import { privacyEscalations } from './2026-12-02T1900-privacy-escalations.js';
import { phiQuarantine } from './2026-12-02T2000-phi-quarantine.js';
import { escalationReminders } from './2026-12-02T2050-escalation-reminders.js';
import { policySendBacks } from './2026-12-02T2055-policy-send-backs.js';
import { advisories } from './2026-12-02T2100-advisories.js';
import { customers } from './2026-12-02T2200-customers.js';
import { advisoryArtefacts } from './2026-12-02T2300-advisory-artefacts.js';
import { reporterChoices } from './2026-12-07T1000-reporter-choices.js';
import { caseFeatureDigests } from './2026-12-07T1100-case-feature-digests.js';
import { policyVersionEditors } from './2026-12-07T1300-policy-version-editors.js';
import { queueFilterIndexes } from './2026-12-07T1500-queue-filter-indexes.js';
import { regulatoryDuties } from './2026-12-07T1700-regulatory-duties.js';
import { intakeGates } from './2026-12-07T1800-intake-gates.js';
import { qualitySignals } from './2026-12-07T1810-quality-signals.js';
import { triageOutcomes } from './2026-12-07T1820-triage-outcomes.js';
import { jobLeases } from './2026-12-08T1000-job-leases.js';
import { reporterStanding } from './2026-12-08T1100-reporter-standing.js';

export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
}

/**
 * Every migration, by timestamped name. Listed statically (not read from a folder) so that the
 * same list runs from the TypeScript sources in tests and from the compiled build in production.
 */
export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '2026-11-23T1200-foundation': foundation(ctx),
        '2026-11-23T1300-openpgp': openpgp(ctx),
        '2026-11-23T1400-case-workflow': caseWorkflow(ctx),
        '2026-11-23T1500-queue-indexes': queueIndexes(ctx),
        '2026-12-02T1600-sign-in': signIn(ctx),
        '2026-12-02T1800-policies': policies(ctx),
        '2026-12-02T1900-privacy-escalations': privacyEscalations(ctx),
        '2026-12-02T2000-phi-quarantine': phiQuarantine(ctx),
        '2026-12-02T2050-escalation-reminders': escalationReminders(ctx),
        '2026-12-02T2055-policy-send-backs': policySendBacks(ctx),
        '2026-12-02T2100-advisories': advisories(ctx),
        '2026-12-02T2200-customers': customers(ctx),
        '2026-12-02T2300-advisory-artefacts': advisoryArtefacts(ctx),
        '2026-12-07T1000-reporter-choices': reporterChoices(ctx),
        '2026-12-07T1100-case-feature-digests': caseFeatureDigests(ctx),
        '2026-12-07T1300-policy-version-editors': policyVersionEditors(ctx),
        '2026-12-07T1500-queue-filter-indexes': queueFilterIndexes(ctx),
        '2026-12-07T1700-regulatory-duties': regulatoryDuties(ctx),
        '2026-12-07T1800-intake-gates': intakeGates(ctx),
        '2026-12-07T1810-quality-signals': qualitySignals(ctx),
        '2026-12-07T1820-triage-outcomes': triageOutcomes(ctx),
        '2026-12-08T1000-job-leases': jobLeases(ctx),
        '2026-12-08T1100-reporter-standing': reporterStanding(ctx),
      };
    },
  };
}
