import path from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { accountsPlugin } from './accounts/index.js';
import { assessmentPlugin } from './assessment/index.js';
import { type BlobStore, createFileBlobStore } from './blobs/index.js';
import { type ClockWarningJob, casesPlugin, createClockWarningJob } from './cases/index.js';
import type { Config } from './config/index.js';
import { consolePlugin } from './console/index.js';
import { type Clock, systemClock } from './core/index.js';
import { creditConsentPlugin } from './credit-consent/index.js';
import { createSealer, loadKeyring } from './crypto/index.js';
import { type Db, migrateToLatest, openDatabase } from './db/index.js';
import { createEmbargoJob, disclosurePlugin, type EmbargoJob } from './disclosure/index.js';
import { type App, buildHttpApp } from './http/index.js';
import { intakePlugin } from './intake/index.js';
import { createOutboxWorker } from './jobs/index.js';
import { loadSmtpSender, type MailSender } from './mail/index.js';
import {
  createInboundProcessor,
  createSmtpListener,
  type ImapPoller,
  loadImapPoller,
  type SmtpListener,
} from './mail-intake/index.js';
import { metricsPlugin } from './metrics/index.js';
import { openpgpPlugin } from './openpgp/index.js';
import { createPolicyReminderJob, type PolicyReminderJob, policyPlugin } from './policy/index.js';
import { portalPlugin, renderErrorPage } from './portal/index.js';
import {
  createEscalationReminderJob,
  type EscalationReminderJob,
  privacyEscalationPlugin,
} from './privacy-escalation/index.js';
import { privacyQuarantinePlugin } from './privacy-quarantine/index.js';
import { programsPlugin } from './programs/index.js';
import { referencedBlobKeys } from './reports/index.js';
import { createServices, type Services } from './services.js';

/** A running Vigil: the HTTP app, its services and how to stop it. */
export interface Vigil {
  app: App;
  db: Db;
  blobs: BlobStore;
  config: Config;
  services: Services;
  worker?: ReturnType<typeof createOutboxWorker>;
  /** Deadline warnings (80 % and breach) to assignees and leads; runs where the worker runs. */
  clockWarnings: ClockWarningJob;
  /** Policy review reminders to program owners; runs where the worker runs. */
  policyReminders: PolicyReminderJob;
  /** Privacy escalation reminders to the privacy officers; runs where the worker runs. */
  escalationReminders: EscalationReminderJob;
  /** Publishes scheduled advisories when their embargo ends; runs where the worker runs. */
  embargo: EmbargoJob;
  /** Turns received mail into cases and reporter messages (the SMTP listener and IMAP poller call it). */
  inbound: ReturnType<typeof createInboundProcessor>;
  /** The SMTP listener for reports by email; created here, started by `vigil serve`. */
  smtp: SmtpListener;
  /** Polls an existing mailbox for reports when VIGIL_IMAP_URL is set (started by `serve`). */
  imap?: ImapPoller;
  /** Stop taking requests, finish those in flight, stop the jobs, close the database. */
  close(): Promise<void>;
}

export interface VigilOptions {
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Run the outbox worker and the periodic jobs (default: config.worker and an SMTP URL is set). */
  worker?: boolean;
}

/** A periodic job: started where the worker runs, stopped (waiting for its pass) on close. */
interface Job {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The composition root: open storage, run migrations, wire the services (services.ts), build the
 * app with each capability's plugin, and create the mail intake and the jobs. Nothing listens
 * yet; `serve()` in the CLI does that. Tests call this with a temporary data directory.
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
  const services = createServices({ config, db, blobs, sealer, clock });
  if (config.seedExamples) {
    const seeded = await services.programs.seedFromDirectory(config.examplesDir);
    // A fresh instance is usable at once: each example program gets its own key to publish.
    for (const slug of seeded) await services.keys.generate(slug, { actor: 'system:seed' });
  }

  let shuttingDown = false;
  const deps = { config, db, clock, ...services };
  const app = await buildHttpApp(
    { config, db, isShuttingDown: () => shuttingDown },
    {
      logger: opts.logger,
      renderErrorPage,
      // One line per capability: its routes, hooks and decorators live in its own plugin.
      register: async (a) => {
        await a.register(accountsPlugin, deps);
        await a.register(programsPlugin, deps);
        await a.register(intakePlugin, deps);
        await a.register(casesPlugin, deps);
        await a.register(metricsPlugin, deps);
        await a.register(assessmentPlugin, deps);
        await a.register(policyPlugin, deps);
        await a.register(privacyEscalationPlugin, deps);
        await a.register(creditConsentPlugin, deps);
        await a.register(privacyQuarantinePlugin, deps);
        await a.register(openpgpPlugin, deps);
        await a.register(portalPlugin, deps);
        await a.register(disclosurePlugin, deps);
        await a.register(consolePlugin, {});
      },
    },
  );

  const inbound = createInboundProcessor({ ...services, db, sealer, limits: config.limits });
  const smtp = createSmtpListener({
    processor: inbound,
    programs: services.programs,
    config,
    logger: app.log,
  });
  // Mail libraries load only when configured: an instance without them stays lean.
  const imapModule = config.imap ? await loadImapPoller() : undefined;
  const imap =
    config.imap && imapModule
      ? imapModule.createImapPoller({
          url: config.imap.url,
          routing: imapModule.programRouting(services.programs, config.imap.program),
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
    const createSmtpSender = await loadSmtpSender();
    sender = createSmtpSender({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      // Encrypted mail is signed by the key of the program it speaks for.
      resolveSigningKey: (programId) => services.keys.signingKey(programId),
    });
    worker = createOutboxWorker({ db, sealer, clock, sender, logger: app.log });
  }
  const jobDeps = {
    db,
    sealer,
    clock,
    programs: services.programs,
    publicUrl: config.publicUrl,
    logger: app.log,
  };
  const clockWarnings = createClockWarningJob({ ...jobDeps, calendars: services.calendars });
  const policyReminders = createPolicyReminderJob(jobDeps);
  const escalationReminders = createEscalationReminderJob(jobDeps);
  const embargo = createEmbargoJob({
    ...jobDeps,
    notify: { sealer, publicUrl: config.publicUrl },
    artefacts: services.artefacts,
  });
  const jobs: Job[] = [clockWarnings, policyReminders, escalationReminders, embargo];
  if (runWorker) for (const job of jobs) job.start();

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
      for (const job of jobs) await job.stop();
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
