import path from 'node:path';
import { createHousekeepingJob, type HousekeepingJob } from './accounts/index.js';
import type { BlobStore } from './blobs/index.js';
import {
  type ClockWarningJob,
  createClockWarningJob,
  createFeatureDigestBackfill,
  type FeatureDigestBackfill,
} from './cases/index.js';
import type { Config } from './config/index.js';
import type { Clock, WorkerLogger } from './core/index.js';
import type { Sealer } from './crypto/index.js';
import type { Db } from './db/index.js';
import { createEmbargoJob, type EmbargoJob } from './disclosure/index.js';
import { createOutboxWorker, createPeriodicPass, type OutboxWorker } from './jobs/index.js';
import { loadSmtpSender, type MailSender, matchProgramAddress } from './mail/index.js';
import {
  createInboundProcessor,
  createSmtpListener,
  type ImapPoller,
  type InboundMail,
  type InboundProcessor,
  loadImapPoller,
  type SmtpListener,
} from './mail-intake/index.js';
import { createPolicyReminderJob, type PolicyReminderJob } from './policy/index.js';
import { createEscalationReminderJob, type EscalationReminderJob } from './privacy-escalation/index.js';
import { createRegulatoryReminderJob, type RegulatoryReminderJob } from './regulatory/index.js';
import { referencedBlobKeys } from './reports/index.js';
import type { Services } from './services.js';
import { type IntakeEvents, mailRefusalReasonOf } from './telemetry/index.js';

/**
 * What runs beside the HTTP app: the mail intake (SMTP listener, IMAP poller and the processor
 * both feed), the outbox worker and the periodic jobs. Each is created here from the services
 * record, so the composition root only starts and stops them.
 */

interface Wiring {
  config: Config;
  db: Db;
  blobs: BlobStore;
  sealer: Sealer;
  clock: Clock;
  services: Services;
  logger: WorkerLogger & Parameters<typeof createSmtpListener>[0]['logger'];
}

/** Reports by e-mail: the processor, the SMTP listener and, when a mailbox is configured, the IMAP poller. */
export interface MailIntake {
  inbound: InboundProcessor;
  smtp: SmtpListener;
  imap?: ImapPoller;
}

export async function createMailIntake(w: Wiring): Promise<MailIntake> {
  const { config, services } = w;
  const inbound = createInboundProcessor({ ...services, db: w.db, sealer: w.sealer, limits: config.limits });
  const smtp = createSmtpListener({
    processor: countedProcessor(inbound, services, 'smtp'),
    programs: services.programs,
    // The hourly budgets are counted there, shared by every instance.
    db: w.db.kysely,
    config,
    refused: (reason) => services.telemetry.intake.refused('smtp', reason),
    logger: w.logger,
  });
  if (!config.imap) return { inbound, smtp };
  // imapflow loads only when a mailbox is configured: an instance without one stays lean.
  const { createImapPoller, programRouting } = await loadImapPoller();
  const imap = createImapPoller({
    url: config.imap.url,
    routing: programRouting(services.programs, config.imap.program),
    process: countedProcessor(inbound, services, 'imap').process,
    logger: w.logger,
    clock: w.clock,
    pollSeconds: config.imap.pollSeconds,
    maxBytes: config.smtpIn.maxBytes,
    // Large messages are downloaded here in chunks, encrypted, never held whole (mail-spool.ts).
    spoolDir: path.join(config.dataDir, 'imap-spool'),
    refused: (code) => services.telemetry.intake.refused('imap', mailRefusalReasonOf({ code })),
    // One instance polls the mailbox at a time, whichever holds its lease. It is renewed before
    // each message, so it need only outlast one message's processing (seconds even for the
    // largest); when its holder dies, another instance takes over after three polls or a minute.
    lease: { db: w.db.kysely, ttlMs: Math.max(3 * config.imap.pollSeconds * 1000, 60_000) },
  });
  return { inbound, smtp, imap };
}

/**
 * The processor as one mail channel sees it, telling the intake counters what each mail came to:
 * accepted (a new case or a reply, under its program) or refused (and why). A mail seen before
 * (the same message delivered again) is not counted twice. Counting never fails a mail.
 */
function countedProcessor(
  inbound: InboundProcessor,
  services: Pick<Services, 'programs'> & { telemetry: { intake: IntakeEvents } },
  channel: 'smtp' | 'imap',
): Pick<InboundProcessor, 'process'> {
  const events = services.telemetry.intake;
  const programOf = async (mail: InboundMail): Promise<string> => {
    if (mail.programSlug !== undefined) return mail.programSlug;
    const programs = await services.programs.list();
    for (const rcpt of mail.rcptTo) {
      const match = matchProgramAddress(programs, rcpt);
      if (match) return match.program.slug;
    }
    return 'unknown';
  };
  return {
    async process(mail) {
      try {
        const result = await inbound.process(mail);
        if (!(result as { again?: boolean }).again)
          events.accepted(channel, await programOf(mail).catch(() => 'unknown'));
        return result;
      } catch (err) {
        events.refused(channel, mailRefusalReasonOf(err));
        throw err;
      }
    },
  };
}

/** A periodic job: started where the worker runs, stopped (waiting for its pass) on close. */
export interface Job {
  start(): void;
  stop(): Promise<void>;
}

/** The outbox worker (when a relay is configured) and the periodic jobs, each also exposed for tests. */
export interface BackgroundJobs {
  worker?: OutboxWorker;
  sender?: MailSender;
  /** Deadline warnings (80 % and breach) to assignees and leads. */
  clockWarnings: ClockWarningJob;
  /** Policy review reminders to program owners. */
  policyReminders: PolicyReminderJob;
  /** Privacy escalation reminders to the privacy officers. */
  escalationReminders: EscalationReminderJob;
  /** Regulatory clock reminders and missed-deadline escalations to leads and privacy officers. */
  regulatoryReminders: RegulatoryReminderJob;
  /** Publishes scheduled advisories when their embargo ends. */
  embargo: EmbargoJob;
  /** Computes the similar-case digests of cases that have none (from before digests, or released since). */
  digestBackfill: FeatureDigestBackfill;
  /** Removes ended sessions and sign-in leftovers every `housekeepingMinutes`. */
  housekeeping: HousekeepingJob;
  /** Removes blobs of submissions that never committed, a day on, every `housekeepingMinutes`. */
  blobSweep: OrphanBlobSweep;
  /** The periodic jobs as a list, in the order they start. */
  periodic: Job[];
}

/**
 * What this process runs: the periodic jobs wherever the worker is on (`VIGIL_WORKER`, or the
 * caller's choice), so scheduled advisories are published and deadlines watched even before a
 * relay is set up; the outbox worker only where a relay is configured (until then queued mail
 * waits in the outbox).
 */
export function backgroundPlan(
  config: Pick<Config, 'worker' | 'smtpUrl'>,
  worker?: boolean,
): { periodic: boolean; outbox: boolean } {
  const periodic = worker ?? config.worker;
  return { periodic, outbox: periodic && config.smtpUrl !== undefined };
}

export async function createBackgroundJobs(w: Wiring, runOutbox: boolean): Promise<BackgroundJobs> {
  const { config, db, sealer, clock, services } = w;
  let worker: OutboxWorker | undefined;
  let sender: MailSender | undefined;
  if (runOutbox && config.smtpUrl) {
    // nodemailer loads only when a relay is configured.
    const createSmtpSender = await loadSmtpSender();
    sender = createSmtpSender({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      // Encrypted mail is signed by the key of the program it speaks for.
      resolveSigningKey: (programId) => services.keys.signingKey(programId),
    });
    worker = createOutboxWorker({
      db,
      sealer,
      clock,
      sender,
      logger: w.logger,
      leaseMs: config.outboxLeaseSeconds * 1000,
    });
  }
  const deps = {
    db,
    sealer,
    clock,
    programs: services.programs,
    publicUrl: config.publicUrl,
    logger: w.logger,
  };
  const clockWarnings = createClockWarningJob({ ...deps, calendars: services.calendars });
  const policyReminders = createPolicyReminderJob(deps);
  const escalationReminders = createEscalationReminderJob(deps);
  const regulatoryReminders = createRegulatoryReminderJob(deps);
  const embargo = createEmbargoJob({
    ...deps,
    notify: { sealer, publicUrl: config.publicUrl },
    artefacts: services.artefacts,
    intervalMs: config.embargoCheckSeconds * 1000,
  });
  const digestBackfill = createFeatureDigestBackfill(deps);
  const housekeeping = createHousekeepingJob({ db, clock, config, logger: w.logger });
  const blobSweep = createOrphanBlobSweep({ db, blobs: w.blobs }, config, w.logger);
  const periodic: Job[] = [
    clockWarnings,
    policyReminders,
    escalationReminders,
    regulatoryReminders,
    embargo,
    digestBackfill,
    housekeeping,
    blobSweep,
  ];
  return {
    worker,
    sender,
    clockWarnings,
    policyReminders,
    escalationReminders,
    regulatoryReminders,
    embargo,
    digestBackfill,
    housekeeping,
    blobSweep,
    periodic,
  };
}

/**
 * How old an unreferenced blob must be before a sweep removes it. An upload streams each file to
 * the blob store before its submission commits, and on a slow link a large submission takes many
 * minutes; with several instances, one sweeping must never delete another's upload in flight. A
 * day is far beyond any submission, and an orphan (encrypted, unreferenced) costs only its space.
 */
export const ORPHAN_BLOB_MIN_AGE_MS = 24 * 3_600_000;

/** The orphan sweep as a periodic job; `runOnce` sweeps now and answers how many blobs went. */
export interface OrphanBlobSweep extends Job {
  runOnce(): Promise<number>;
}

/** The orphan sweep on the housekeeping schedule, on every instance (deletes are idempotent). */
function createOrphanBlobSweep(
  vigil: { db: Db; blobs: BlobStore },
  config: Pick<Config, 'housekeepingMinutes'>,
  logger: WorkerLogger,
): OrphanBlobSweep {
  const runOnce = () => sweepOrphanBlobs(vigil, ORPHAN_BLOB_MIN_AGE_MS);
  const pass = createPeriodicPass({
    intervalMs: config.housekeepingMinutes * 60_000,
    pass: runOnce,
    report: (removed) => {
      if (removed > 0) logger.info({ removed }, 'removed blobs left by interrupted submissions');
    },
    failure: 'orphan blob sweep failed',
    logger,
  });
  return { ...pass, runOnce };
}

/**
 * Delete blobs that no attachment row refers to and that are older than `minAgeMs`: what a crash
 * between storing a file and committing its submission leaves behind. The age guard keeps
 * uploads that are in flight on another instance.
 */
export async function sweepOrphanBlobs(
  vigil: { db: Db; blobs: BlobStore },
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
