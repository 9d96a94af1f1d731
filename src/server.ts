import type { FastifyServerOptions } from 'fastify';
import { accountsPlugin } from './accounts/index.js';
import { assessmentPlugin } from './assessment/index.js';
import { backgroundPlan, createBackgroundJobs, createMailIntake } from './background.js';
import { type BlobStore, openBlobStore } from './blobs/index.js';
import { type ClockWarningJob, casesPlugin } from './cases/index.js';
import type { Config } from './config/index.js';
import { consolePlugin } from './console/index.js';
import { type Clock, systemClock } from './core/index.js';
import { creditConsentPlugin } from './credit-consent/index.js';
import { createSealer, loadKeyring } from './crypto/index.js';
import { type Db, migrateToLatest, openDatabase } from './db/index.js';
import { disclosurePlugin, type EmbargoJob } from './disclosure/index.js';
import { type App, buildHttpApp } from './http/index.js';
import { intakePlugin } from './intake/index.js';
import type { OutboxWorker } from './jobs/index.js';
import type { ImapPoller, InboundProcessor, SmtpListener } from './mail-intake/index.js';
import { metricsPlugin } from './metrics/index.js';
import { openpgpPlugin } from './openpgp/index.js';
import { type PolicyReminderJob, policyPlugin } from './policy/index.js';
import { portalPlugin, renderErrorPage } from './portal/index.js';
import { type EscalationReminderJob, privacyEscalationPlugin } from './privacy-escalation/index.js';
import { privacyQuarantinePlugin } from './privacy-quarantine/index.js';
import { programsPlugin, startHolidayPreload } from './programs/index.js';
import { type RegulatoryReminderJob, regulatoryPlugin } from './regulatory/index.js';
import { createServices, type Services } from './services.js';

export { ORPHAN_BLOB_MIN_AGE_MS, sweepOrphanBlobs } from './background.js';

/** A running Vigil: the HTTP app, its services and how to stop it. */
export interface Vigil {
  app: App;
  db: Db;
  blobs: BlobStore;
  config: Config;
  services: Services;
  worker?: OutboxWorker;
  /** Deadline warnings (80 % and breach) to assignees and leads; runs where the worker runs. */
  clockWarnings: ClockWarningJob;
  /** Policy review reminders to program owners; runs where the worker runs. */
  policyReminders: PolicyReminderJob;
  /** Privacy escalation reminders to the privacy officers; runs where the worker runs. */
  escalationReminders: EscalationReminderJob;
  /** Regulatory clock reminders and missed-deadline escalations; runs where the worker runs. */
  regulatoryReminders: RegulatoryReminderJob;
  /** Publishes scheduled advisories when their embargo ends; runs where the worker runs. */
  embargo: EmbargoJob;
  /** Turns received mail into cases and reporter messages (the SMTP listener and IMAP poller call it). */
  inbound: InboundProcessor;
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
  /** Run the periodic jobs, and the outbox worker if a relay is set (default: config.worker). */
  worker?: boolean;
  /** Another PHI guard worker file; tests use one that waits on a signal, to hold a scan open. */
  scanWorkerUrl?: URL;
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
  let blobs: BlobStore;
  try {
    blobs = await openBlobStore(config.blobStore, { dataDir: config.dataDir, keyring });
  } catch (err) {
    await db.close();
    throw err;
  }
  const services = createServices({ config, db, blobs, sealer, clock, scanWorkerUrl: opts.scanWorkerUrl });
  if (config.seedExamples) {
    const seeded = await services.programs.seedFromDirectory(config.examplesDir);
    // A fresh instance is usable at once: each example program gets its own key to publish.
    for (const slug of seeded) await services.keys.generate(slug, { actor: 'system:seed' });
  }

  let shuttingDown = false;
  const deps = { config, db, clock, ...services };
  const app = await buildHttpApp(
    { config, db, isShuttingDown: () => shuttingDown, ...services.telemetry.http },
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
        await a.register(regulatoryPlugin, deps);
        await a.register(creditConsentPlugin, deps);
        await a.register(privacyQuarantinePlugin, deps);
        await a.register(openpgpPlugin, deps);
        await a.register(portalPlugin, deps);
        await a.register(disclosurePlugin, deps);
        await a.register(consolePlugin, {});
      },
    },
  );

  // The programs' holiday calendars, fetched now without blocking and twice a day after.
  const holidays = await startHolidayPreload({
    programs: services.programs,
    clock,
    log: app.log,
    dataDir: config.dataDir,
  });

  const wiring = { config, db, blobs, sealer, clock, services, logger: app.log };
  const { inbound, smtp, imap } = await createMailIntake(wiring);
  const plan = backgroundPlan(config, opts.worker);
  const background = await createBackgroundJobs(wiring, plan.outbox);
  const { worker, sender, periodic } = background;
  if (plan.periodic) for (const job of periodic) job.start();

  return {
    app,
    db,
    blobs,
    config,
    services,
    worker,
    clockWarnings: background.clockWarnings,
    policyReminders: background.policyReminders,
    escalationReminders: background.escalationReminders,
    regulatoryReminders: background.regulatoryReminders,
    embargo: background.embargo,
    inbound,
    smtp,
    imap,
    async close() {
      shuttingDown = true;
      holidays.stop();
      await smtp.stop();
      await imap?.stop();
      await app.close();
      for (const job of periodic) await job.stop();
      await worker?.stop();
      sender?.close();
      await services.scanPool.close();
      await services.telemetry.close();
      await db.close();
    },
  };
}
