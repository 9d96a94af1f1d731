import path from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { type AuthServices, createAccountService, createAuthServices } from './accounts/index.js';
import { createAssessmentService } from './assessment/index.js';
import { type BlobStore, createFileBlobStore } from './blobs/index.js';
import { type ClockWarningJob, createClockWarningJob } from './cases/clock-warnings.js';
import {
  createCalendarCache,
  createCaseAccess,
  createCaseService,
  createReporterService,
  createSimilarService,
  createWorkflowService,
  referencedBlobKeys,
} from './cases/index.js';
import type { Config } from './config/index.js';
import { type Clock, systemClock } from './core/clock.js';
import { createCreditConsentService } from './credit-consent/index.js';
import { createSealer, loadKeyring } from './crypto/index.js';
import { type Db, migrateToLatest, openDatabase } from './db/index.js';
import { type AdvisoryService, createAdvisoryService } from './disclosure/advisory-service.js';
import { type ArtefactService, createArtefactService } from './disclosure/artefacts-service.js';
import { createCoordinatorService } from './disclosure/coordinators-service.js';
import { createCustomerService } from './disclosure/customers-service.js';
import { createEmbargoJob, type EmbargoJob } from './disclosure/embargo-job.js';
import { createSharingService } from './disclosure/sharing-service.js';
import { type App, buildHttpApp } from './http/app.js';
import { createIntakeService } from './intake/index.js';
import { createOutboxWorker } from './jobs/index.js';
import type { ImapPoller } from './mail/inbound/imap-poller.js';
import { createInboundProcessor, createSmtpListener, type SmtpListener } from './mail/inbound/index.js';
import type { MailSender } from './mail/index.js';
import { createMetricsService } from './metrics/index.js';
import { createKeyService } from './openpgp/index.js';
import { createPolicyReminderJob, createPolicyService, type PolicyReminderJob } from './policy/index.js';
import {
  createEscalationReminderJob,
  createPrivacyEscalationService,
  type EscalationReminderJob,
} from './privacy-escalation/index.js';
import { createPrivacyQuarantineService, heldPartsOf } from './privacy-quarantine/index.js';
import { createProgramService } from './programs/index.js';

/** A running Vigil: the HTTP app, its services and how to stop it. */
export interface Vigil {
  app: App;
  db: Db;
  blobs: BlobStore;
  config: Config;
  services: {
    programs: ReturnType<typeof createProgramService>;
    intake: ReturnType<typeof createIntakeService>;
    reporter: ReturnType<typeof createReporterService>;
    cases: ReturnType<typeof createCaseService>;
    workflow: ReturnType<typeof createWorkflowService>;
    similar: ReturnType<typeof createSimilarService>;
    metrics: ReturnType<typeof createMetricsService>;
    accounts: ReturnType<typeof createAccountService>;
    assessment: ReturnType<typeof createAssessmentService>;
    keys: ReturnType<typeof createKeyService>;
    /** Policy documents: versions, review and approval, annual reviews. */
    policies: ReturnType<typeof createPolicyService>;
    /** Privacy escalations: the deadline and checklist when a reporter reached PHI. */
    privacyEscalations: ReturnType<typeof createPrivacyEscalationService>;
    creditConsents: ReturnType<typeof createCreditConsentService>;
    /** PHI quarantine review, release and redaction by the privacy officers. */
    privacyQuarantine: ReturnType<typeof createPrivacyQuarantineService>;
    /** Interactive sign-in: setup/enrolment links, password + second factor, passkeys. */
    auth: AuthServices;
    /** Advisories: drafted from cases, approved by a second person, published (or embargoed). */
    advisories: AdvisoryService;
    /** Advisory artefacts: CSAF documents and CVE records, checked, signed and stored at publication. */
    artefacts: ArtefactService;
    /** Customers of each program, told of advisories affecting their products. */
    customers: ReturnType<typeof createCustomerService>;
    /** Coordinators (ISACs, CERTs) of each program, sent encrypted sharing packages. */
    coordinators: ReturnType<typeof createCoordinatorService>;
    sharing: ReturnType<typeof createSharingService>;
  };
  worker?: ReturnType<typeof createOutboxWorker>;
  /** Deadline warnings (80 % and breach) to assignees and leads; runs where the worker runs. */
  clockWarnings: ClockWarningJob;
  /** Policy review reminders to program owners (30 days before and at the due date); runs where the worker runs. */
  policyReminders: PolicyReminderJob;
  /** Privacy escalation reminders (14 and 3 days before, and overdue) to the privacy officers; runs where the worker runs. */
  escalationReminders: EscalationReminderJob;
  /** Publishes scheduled advisories when their embargo ends; runs where the worker runs. */
  embargo: EmbargoJob;
  /** Turns received mail into cases and reporter messages (the SMTP listener and IMAP poller call it). */
  inbound: ReturnType<typeof createInboundProcessor>;
  /** The SMTP listener for reports by email; created here, started by `vigil serve`. */
  smtp: SmtpListener;
  /** Polls an existing mailbox for reports when VIGIL_IMAP_URL is set (started by `serve`). */
  imap?: ImapPoller;
  /** Stop taking requests, finish those in flight, stop the worker, close the database. */
  close(): Promise<void>;
}

export interface VigilOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Run the outbox worker (default: config.worker and an SMTP URL is set). */
  worker?: boolean;
}

/**
 * The composition root: open storage, run migrations, wire services, build the app. Nothing
 * listens yet; `serve()` in the CLI does that. Tests call this with a temporary data directory.
 */
export async function createVigil(config: Config, opts: VigilOptions = {}): Promise<Vigil> {
  const clock = opts.clock ?? systemClock;
  const keyring = await loadKeyring({ masterKey: config.masterKey, dataDir: config.dataDir });
  const sealer = createSealer(keyring);
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
  });
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const blobs = createFileBlobStore({ root: path.join(config.dataDir, 'blobs'), keyring });

  const programs = createProgramService({ db, clock });
  const calendars = createCalendarCache();
  const intake = createIntakeService({
    db,
    programs,
    blobs,
    sealer,
    clock,
    calendars,
    limits: config.limits,
    publicUrl: config.publicUrl,
  });
  const reporter = createReporterService({
    db,
    programs,
    blobs,
    sealer,
    clock,
    limits: config.limits,
    publicUrl: config.publicUrl,
  });
  const access = createCaseAccess({ db, programs });
  const cases = createCaseService({ db, programs, blobs, sealer, clock, access, calendars });
  const workflow = createWorkflowService({ db, sealer, clock, access, publicUrl: config.publicUrl });
  const similar = createSimilarService({ db, sealer, clock, access });
  const metrics = createMetricsService({ db, clock, access });
  const assessment = createAssessmentService({ db, clock, access });
  const accounts = createAccountService({ db, clock, session: config.session });
  const auth = createAuthServices({ db, clock, sealer, accounts, publicUrl: config.publicUrl });
  const policies = createPolicyService({ db, clock, access, programs });
  const privacyEscalations = createPrivacyEscalationService({
    db,
    sealer,
    clock,
    access,
    calendars,
    publicUrl: config.publicUrl,
    heldParts: async (reportId) => (await heldPartsOf(db.kysely, [reportId])).get(reportId) ?? new Set(),
  });
  const creditConsents = createCreditConsentService({ db, sealer, clock, access, programs });
  const privacyQuarantine = createPrivacyQuarantineService({ db, sealer, clock, access, blobs });
  const advisories = createAdvisoryService({
    db,
    clock,
    sealer,
    access,
    programs,
    publicUrl: config.publicUrl,
    // The artefact service signs with program keys, created just below (used only on calls).
    artefacts: { guard: (...a) => artefacts.guard(...a), prepare: (...a) => artefacts.prepare(...a) },
  });
  const customers = createCustomerService({ db, clock, access });
  const coordinators = createCoordinatorService({ db, clock, access });
  const sharing = createSharingService({
    db,
    clock,
    sealer,
    access,
    programs,
    coordinators,
    publicUrl: config.publicUrl,
    // Packages carry CVE records for CNA programs, under the same identity as their artefacts.
    cnaOf: (program) => {
      const cna = program.definition.disclosure.cna;
      const orgId = config.cve.orgId;
      return cna.enabled && cna.shortName && orgId ? { orgId, shortName: cna.shortName } : undefined;
    },
  });
  const keys = createKeyService({
    db,
    sealer,
    clock,
    programs,
    options: { overlapDays: config.keyOverlapDays },
  });
  const artefacts = createArtefactService({ db, clock, keys, access, programs, config });

  if (config.seedExamples) {
    const seeded = await programs.seedFromDirectory(config.examplesDir);
    // A fresh instance is usable at once: each example program gets its own key to publish.
    for (const slug of seeded) await keys.generate(slug, { actor: 'system:seed' });
  }

  const services: Vigil['services'] = {
    programs,
    intake,
    reporter,
    cases,
    workflow,
    similar,
    metrics,
    assessment,
    accounts,
    keys,
    policies,
    privacyEscalations,
    creditConsents,
    privacyQuarantine,
    auth,
    advisories,
    artefacts,
    customers,
    coordinators,
    sharing,
  };
  let shuttingDown = false;
  const app = await buildHttpApp(
    { config, db, clock, ...services, isShuttingDown: () => shuttingDown },
    { logger: opts.logger },
  );

  const inbound = createInboundProcessor({
    intake,
    reporter,
    creditConsents,
    keys,
    programs,
    db,
    sealer,
    limits: config.limits,
  });
  const smtp = createSmtpListener({ processor: inbound, programs, config, logger: app.log });
  // Mail libraries load only when configured: an instance without them stays lean.
  const imapModule = config.imap ? await import('./mail/inbound/imap-poller.js') : undefined;
  const imap =
    config.imap && imapModule
      ? imapModule.createImapPoller({
          url: config.imap.url,
          routing: imapModule.programRouting(programs, config.imap.program),
          process: (mail) => inbound.process(mail),
          logger: app.log,
          clock,
          pollSeconds: config.imap.pollSeconds,
          maxBytes: config.smtpIn.maxBytes,
        })
      : undefined;

  const runWorker = opts.worker ?? (config.worker && config.smtpUrl !== undefined);
  let worker: ReturnType<typeof createOutboxWorker> | undefined;
  let sender: MailSender | undefined;
  if (runWorker && config.smtpUrl) {
    const { createSmtpSender } = await import('./mail/transport.js');
    sender = createSmtpSender({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      // Encrypted mail is signed by the key of the program it speaks for.
      resolveSigningKey: (programId) => keys.signingKey(programId),
    });
    worker = createOutboxWorker({ db, sealer, clock, sender, logger: app.log });
  }
  const clockWarnings = createClockWarningJob({
    db,
    sealer,
    clock,
    programs,
    calendars,
    publicUrl: config.publicUrl,
    logger: app.log,
  });
  if (runWorker) clockWarnings.start();
  const policyReminders = createPolicyReminderJob({
    db,
    sealer,
    clock,
    programs,
    publicUrl: config.publicUrl,
    logger: app.log,
  });
  if (runWorker) policyReminders.start();
  const embargo = createEmbargoJob({
    db,
    clock,
    programs,
    logger: app.log,
    notify: { sealer, publicUrl: config.publicUrl },
    artefacts,
  });
  if (runWorker) embargo.start();
  const escalationReminders = createEscalationReminderJob({
    db,
    sealer,
    clock,
    programs,
    publicUrl: config.publicUrl,
    logger: app.log,
  });
  if (runWorker) escalationReminders.start();

  return {
    app,
    db,
    blobs,
    config,
    services,
    worker,
    clockWarnings,
    policyReminders,
    escalationReminders,
    embargo,
    inbound,
    smtp,
    imap,
    async close() {
      shuttingDown = true;
      await smtp.stop();
      await imap?.stop();
      await app.close();
      await clockWarnings.stop();
      await policyReminders.stop();
      await escalationReminders.stop();
      await embargo.stop();
      await worker?.stop();
      sender?.close();
      await db.close();
    },
  };
}

/**
 * Delete blobs that no attachment row refers to and that are older than `minAgeMs`: what a crash
 * between storing a file and committing its submission leaves behind. The age guard keeps
 * uploads that are in flight on another instance.
 */
export async function sweepOrphanBlobs(
  vigil: Pick<Vigil, 'db' | 'blobs'>,
  minAgeMs: number,
  now = Date.now(),
): Promise<number> {
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    const referenced = await referencedBlobKeys(vigil.db.kysely, batch);
    for (const key of batch) {
      if (referenced.has(key)) continue;
      const storedAt = await vigil.blobs.storedAt(key);
      if (storedAt === undefined || now - storedAt.getTime() < minAgeMs) continue;
      await vigil.blobs.delete(key);
      removed++;
    }
    batch = [];
  };
  for await (const key of vigil.blobs.list()) {
    batch.push(key);
    if (batch.length >= 500) await flush();
  }
  if (batch.length > 0) await flush();
  return removed + (await vigil.blobs.sweepPartials(minAgeMs, now));
}
