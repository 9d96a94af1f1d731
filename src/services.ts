import {
  createAccess,
  createAccountService,
  createAuthServices,
  createMemberDirectory,
} from './accounts/index.js';
import { createAssessmentService, readStored } from './assessment/index.js';
import type { BlobStore } from './blobs/index.js';
import {
  createCaseExportService,
  createCaseService,
  createReporterService,
  createSimilarService,
  createTriageService,
  createWorkflowService,
} from './cases/index.js';
import type { Config } from './config/index.js';
import type { Clock } from './core/index.js';
import { createCreditConsentService } from './credit-consent/index.js';
import type { Sealer } from './crypto/index.js';
import type { Db } from './db/index.js';
import {
  type AdvisoryContent,
  createAdvisoryService,
  createArtefactService,
  createCoordinatorService,
  createCustomerService,
  createSharingService,
  latestAdvisoryOfCase,
} from './disclosure/index.js';
import { createIntakeService } from './intake/index.js';
import { createMetricsService } from './metrics/index.js';
import { createKeyService } from './openpgp/index.js';
import { createPolicyService } from './policy/index.js';
import { createPrivacyEscalationService } from './privacy-escalation/index.js';
import { createPrivacyQuarantineService, createScanPool, heldPartsOf } from './privacy-quarantine/index.js';
import { createCalendarCache, createProgramService } from './programs/index.js';
import {
  createRegulatoryService,
  noteAssessment,
  type ReportContextSource,
  soonestDueByReport,
} from './regulatory/index.js';
import { findReportByNumber } from './reports/index.js';
import { createTelemetry } from './telemetry/index.js';

/** What every service may be built from: storage, keys, time and the configuration. */
export interface Infrastructure {
  config: Config;
  db: Db;
  blobs: BlobStore;
  sealer: Sealer;
  clock: Clock;
  /** Another PHI guard worker file (tests use one that waits on a signal). */
  scanWorkerUrl?: URL;
}

/**
 * The one record of Vigil's services, wired from the infrastructure: each capability's factory
 * gets the narrow dependencies it names. The HTTP plugins, the mail intake and the jobs take what
 * they need from this record; adding a capability adds its line here.
 */
export function createServices(infra: Infrastructure) {
  const { config, db, blobs, sealer, clock } = infra;
  const publicUrl = config.publicUrl;
  const programs = createProgramService({ db, clock });
  const calendars = createCalendarCache();
  const access = createAccess({ db, programs, findCase: (n) => findReportByNumber(db.kysely, n) });
  const keys = createKeyService({
    db,
    sealer,
    clock,
    programs,
    options: { overlapDays: config.keyOverlapDays },
  });
  const accounts = createAccountService({ db, clock, session: config.session });
  const cases = createCaseService({
    db,
    programs,
    blobs,
    sealer,
    clock,
    access,
    calendars,
    regulatoryDue: (ids) => soonestDueByReport(db.kysely, ids),
  });
  const workflow = createWorkflowService({ db, sealer, clock, access, publicUrl });
  const assessment = createAssessmentService({
    db,
    clock,
    access,
    // An uncontrolled patient risk records the FDA trigger; serious harm opens an adverse event.
    afterAssess: (trx, a) => noteAssessment(trx, { calendars }, a),
  });
  const regulatory = createRegulatoryService({
    db,
    sealer,
    clock,
    access,
    calendars,
    reportFacts: reportFactsOf(db, publicUrl),
  });
  const privacyEscalations = createPrivacyEscalationService({
    db,
    sealer,
    clock,
    access,
    calendars,
    publicUrl,
    heldParts: async (reportId) => (await heldPartsOf(db.kysely, [reportId])).get(reportId) ?? new Set(),
  });
  const artefacts = createArtefactService({ db, clock, keys, access, programs, config });
  const coordinators = createCoordinatorService({ db, clock, access });
  // The PHI guard's worker threads, shared by every channel of this instance; closed with it.
  const scanPool = createScanPool({
    size: config.limits.scanWorkers || undefined,
    workerUrl: infra.scanWorkerUrl,
  });
  return {
    scanPool,
    // This instance's Prometheus registry, intake counters and readiness probes.
    telemetry: createTelemetry({ db, blobs, clock, config }),
    programs,
    calendars,
    access,
    keys,
    accounts,
    auth: createAuthServices({ db, clock, sealer, accounts, publicUrl }),
    members: createMemberDirectory({ db, programs, access }),
    intake: createIntakeService({
      db,
      programs,
      blobs,
      sealer,
      clock,
      calendars,
      limits: config.limits,
      publicUrl,
      scanPool,
    }),
    reporter: createReporterService({
      db,
      programs,
      blobs,
      sealer,
      clock,
      limits: config.limits,
      publicUrl,
      scanPool,
    }),
    cases,
    workflow,
    triage: createTriageService({ workflow }),
    assessment,
    similar: createSimilarService({ db, sealer, clock, access }),
    caseExports: createCaseExportService({
      db,
      clock,
      access,
      cases,
      workflow,
      assessment,
      privacyEscalations,
      regulatory: (caller, caseNumber) => regulatory.caseView(caller, caseNumber),
    }),
    regulatory,
    metrics: createMetricsService({ db, clock, access, regulatory: (ids) => regulatory.metrics(ids) }),
    policies: createPolicyService({ db, clock, access, programs }),
    privacyEscalations,
    creditConsents: createCreditConsentService({ db, sealer, clock, access, programs }),
    privacyQuarantine: createPrivacyQuarantineService({ db, sealer, clock, access, blobs, scanPool }),
    advisories: createAdvisoryService({ db, clock, sealer, access, programs, publicUrl, artefacts }),
    artefacts,
    customers: createCustomerService({ db, clock, access }),
    coordinators,
    sharing: createSharingService({
      db,
      clock,
      sealer,
      access,
      programs,
      coordinators,
      publicUrl,
      // Packages carry CVE records for CNA programs, under the same identity as their artefacts.
      cnaOf: (program) => {
        const cna = program.definition.disclosure.cna;
        const orgId = config.cve.orgId;
        return cna.enabled && cna.shortName && orgId ? { orgId, shortName: cna.shortName } : undefined;
      },
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

/**
 * The staff-written facts a regulatory report quotes: the case's assessment and the newest
 * advisory drafted from it (its credits, in the reporter's words, are left out).
 */
function reportFactsOf(db: Db, publicUrl: string): ReportContextSource {
  return {
    assessmentOf(json) {
      const a = readStored(json);
      const cvss = a.cvss40
        ? { version: '4.0', ...a.cvss40 }
        : a.cvss31
          ? { version: '3.1', ...a.cvss31 }
          : undefined;
      return {
        ...(cvss
          ? {
              cvss: {
                version: cvss.version,
                vector: cvss.vector,
                score: cvss.score,
                severity: cvss.severity,
              },
            }
          : {}),
        cwes: a.cwe ? [{ id: a.cwe.id, name: a.cwe.name }] : [],
        severity: cvss?.severity ?? null,
        ...(a.patientSafety
          ? {
              patientSafety: {
                severity: a.patientSafety.severity,
                exploitability: a.patientSafety.exploitability,
                risk: a.patientSafety.risk,
              },
            }
          : {}),
        ...(a.ssvc ? { ssvcDecision: a.ssvc.decision } : {}),
      };
    },
    async advisoryOf(reportId, programSlug) {
      const found = await latestAdvisoryOfCase(db.kysely, reportId);
      if (!found) return undefined;
      const c = JSON.parse(found.content) as AdvisoryContent;
      const remediations = c.vulnerabilities.flatMap((v) =>
        v.remediations.map((r) => `${r.category}: ${r.details}`),
      );
      return {
        id: found.publicId,
        title: c.title,
        summary: c.summary,
        ...(remediations.length > 0 ? { remediation: remediations.join('\n') } : {}),
        ...(c.mitigations ? { workarounds: c.mitigations } : {}),
        ...(found.publishedAt
          ? { publicUrl: `${publicUrl}/p/${programSlug}/advisories/${encodeURIComponent(found.publicId)}` }
          : {}),
        cves: c.vulnerabilities.flatMap((v) => (v.cve ? [v.cve] : [])),
        affected: c.vulnerabilities.flatMap((v) =>
          v.affected.map(
            (p) =>
              `${p.productName}: ${p.versions.map((x) => versionText(x)).join(', ')}${p.fixedIn ? ` (fixed in ${p.fixedIn})` : ''}`,
          ),
        ),
        publishedAt: found.publishedAt,
      };
    },
  };
}

function versionText(v: {
  version?: string;
  lessThan?: string;
  lessThanOrEqual?: string;
  status: string;
}): string {
  const range = v.lessThan ? ` < ${v.lessThan}` : v.lessThanOrEqual ? ` <= ${v.lessThanOrEqual}` : '';
  return `${v.version ?? ''}${range} ${v.status}`.trim();
}
