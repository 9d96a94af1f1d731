import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import type { ImapFlow, MailboxObject } from 'imapflow';
import { BlobStoreUnavailableError } from '../blobs/index.js';
import { type Clock, describeError, systemClock } from '../core/index.js';
import { type Database, isDatabaseUnavailable, type Kysely } from '../db/index.js';
import { IntakePausedError } from '../intake/index.js';
import { acquireLease, releaseLease } from '../jobs/index.js';
import { DecryptBudgetBusyError } from '../openpgp/index.js';
import type { ProgramService } from '../programs/index.js';
import {
  admit,
  afterFailure,
  claimSteps,
  codedError,
  type Failure,
  failedSteps,
  type ImapRouting,
  isSettled,
  leftoverMoves,
  type MarkingMode,
  type MarkStep,
  markingMode,
  messageKey,
  processedSteps,
  ROUTING_HEADERS,
  releaseSteps,
  retryDue,
  routingFor,
  unmarkedAction,
  unprocessedQuery,
  wasInterrupted,
} from './imap-routing.js';
import { type ImapTarget, parseImapUrl } from './imap-url.js';
import { type MailSpool, openMailSpool, type SpooledFile } from './mail-spool.js';
import type { InboundMail, InboundResult } from './processor.js';

export {
  FAILED_KEYWORD,
  type ImapRouting,
  PROCESSED_KEYWORD,
  PROCESSING_KEYWORD,
} from './imap-routing.js';
export { type ImapTarget, parseImapUrl } from './imap-url.js';

/**
 * Email intake from an existing mailbox, for vendors whose report address already delivers into
 * one. Every poll logs in, takes the messages the poller has not settled, oldest UID first, and
 * hands each to the inbound processor — the same path the SMTP listener uses — then marks it.
 *
 * How a message is marked (chosen per poll from what the mailbox allows):
 * - keyword mode (the default when PERMANENTFLAGS has `\*`): after `process()` resolves — that is,
 *   after the case or reply is committed — the message gets `$VigilProcessed` and `\Seen`. A
 *   message carrying `$VigilProcessed` is never handed over again. `\Seen` alone is not the marker:
 *   a person reading the mailbox in a mail client sets it too.
 * - move mode (`?processed=Folder` in the URL, or a server that takes no new keywords): after
 *   `process()` resolves the message is moved to that folder (`Vigil-Processed` by default); what
 *   is left in the mailbox is unprocessed.
 *
 * A message whose processing fails stays where it is, untouched, and is retried with a growing
 * pause (one poll interval, doubling, capped at an hour). After `maxAttempts` failures it is set
 * aside for a person: `$VigilFailed` (left unread), or moved to the `failed` folder in move mode.
 * Nothing is deleted, so nothing is lost; clearing the keyword (or moving it back) retries it.
 * Failure counts live in memory: a restart gives a poison message `maxAttempts` more tries.
 *
 * Exactly once: the processor commits before it resolves, and the poller marks right after. A
 * poller that dies between the two (crash, kill -9, power loss) leaves a committed message
 * unmarked, and the next poll hands it over again; the processor knows the mail (its Message-ID
 * and content hash were recorded with the case, `inbound-store.ts`) and answers with the case it
 * made, storing nothing, and the poller marks it. A message gets `$VigilProcessing` just before it
 * is handed over; one that still carries it on a later poll was interrupted, and is handed over
 * again with a warning naming its UID. When only the marking fails (the IMAP connection dropped
 * while the processor worked), the poller remembers the message and marks it on the next poll
 * without handing it over again.
 *
 * One poller per mailbox. Polls of one instance never overlap, and with `lease` (the composition
 * root always gives one) only the instance holding the mailbox's lease in the database polls:
 * the others skip their polls until the holder stops renewing it (stopped, or dead for
 * `ttlMs`). The lease is renewed at each poll and before each message, and given back on stop.
 *
 * Point it at a mailbox (or folder) that receives reports: on its first poll it takes every
 * message there that carries no `$VigilProcessed`, old mail included.
 *
 * Logs name messages by UID only: never a subject, an address or a byte of content.
 */

/** The slice of a pino logger the poller uses. */
export interface ImapPollerLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export interface ImapPollerDeps {
  /** `imap[s]://user:password@host[:port]/MAILBOX[?processed=…&failed=…&starttls=…]`; see `parseImapUrl`. */
  url: string;
  /** The inbound processor's `process`; it must resolve only after the commit. */
  process: (mail: InboundMail) => Promise<InboundResult>;
  /** Asked once per poll, so program edits apply without a restart. */
  routing: () => Promise<ImapRouting>;
  logger?: ImapPollerLogger;
  clock?: Clock;
  /** Pause between polls; also the first retry pause of a failed message. */
  pollSeconds: number;
  /** Failures before a message is set aside for a person (default 8: about two hours of retrying at a 60 s interval). */
  maxAttempts?: number;
  /** Larger messages are not downloaded; they count as failures and end up set aside (default 50 MiB). */
  maxBytes?: number;
  /**
   * Where messages of `SPOOL_FROM_BYTES` or more are downloaded to, in chunks, instead of into
   * memory (an encrypted mail spool of the poller's own, `mail-spool.ts`); without it every
   * message is fetched whole.
   */
  spoolDir?: string;
  /** Told of each message refused before `process` sees it (the intake counters, src/telemetry). */
  refused?: (code: 'imap_no_program_address' | 'imap_message_too_large') => void;
  /** TCP connect plus TLS handshake budget (default 30 s). */
  connectTimeoutMs?: number;
  /**
   * Poll only while holding this mailbox's lease in `db` (src/jobs/lease-store.ts), so one instance of
   * several polls it. `ttlMs` (default: three poll intervals, at least a minute) must outlast
   * the processing of one message; it is also how long the others wait after the holder dies.
   */
  lease?: { db: Kysely<Database>; holder?: string; ttlMs?: number };
}

/** What one poll did; `skipped` when another instance holds the mailbox's lease. */
export interface PollResult {
  processed: number;
  failed: number;
  skipped?: true;
}

export interface ImapPoller {
  /** Polls now and then every `pollSeconds`; a no-op when already running. */
  start(): void;
  /** Stops polling; resolves once the message in progress is processed and marked. */
  stop(): Promise<void>;
  /**
   * One poll (after any poll in progress). Rejects when the mailbox cannot be reached or marking
   * fails; messages that failed to process are counted in `failed`, not thrown.
   */
  pollOnce(): Promise<PollResult>;
}

/**
 * The lease name of a mailbox: the same account, server and folder on every instance, hashed so
 * the account name is not written into the database.
 */
export function mailboxLeaseName(target: Pick<ImapTarget, 'user' | 'host' | 'port' | 'mailbox'>): string {
  const id = `${target.user}@${target.host}:${target.port}/${target.mailbox}`;
  return `imap-poller:${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
}

/**
 * Routing from the program definitions: any program address or sub-address, and for mail naming
 * none, the first intake address of `fallbackSlug` (`VIGIL_IMAP_PROGRAM`). A fallback program
 * that is missing or has no address fails the poll, so the misconfiguration shows in the log
 * instead of mail piling up as "no program". A program address in the headers wins over the
 * fallback, which is why this passes `rcptTo` and not the processor's `programSlug` (that one
 * forces a program on every mail).
 */
export function programRouting(programs: ProgramService, fallbackSlug?: string): () => Promise<ImapRouting> {
  return async () => routingFor(await programs.list(), fallbackSlug);
}

const MiB = 1024 * 1024;

/** Messages from this size on are downloaded into the spool (with `spoolDir`), as SMTP spools DATA. */
export const IMAP_SPOOL_FROM_BYTES = MiB;

export function createImapPoller(deps: ImapPollerDeps): ImapPoller {
  const target = parseImapUrl(deps.url);
  const { logger } = deps;
  const clock = deps.clock ?? systemClock;
  const pollMs = deps.pollSeconds * 1000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const maxBytes = deps.maxBytes ?? 50 * MiB;

  // Keyed by `${uidValidity}:${uid}`: a recreated mailbox reuses UIDs for other messages.
  const failures = new Map<string, Failure>();
  // Committed but not marked: marked on the next poll instead of being processed again.
  const unmarked = new Set<string>();

  let running = false;
  let stopRequested = false;
  let timer: NodeJS.Timeout | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let client: ImapFlow | undefined;
  // True from the moment a message is claimed until it is marked: stop() must not cut that short.
  let busy = false;

  const lease = deps.lease;
  const leaseName = mailboxLeaseName(target);
  const holder = lease?.holder ?? `${os.hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  const leaseTtlMs = lease?.ttlMs ?? Math.max(3 * pollMs, 60_000);
  // Logged when it changes, not at every skipped poll.
  let holding: boolean | undefined;

  let spool: Promise<MailSpool> | undefined;
  /** The poller's spool, opened (and what a stopped process left in it swept) on first use. */
  function openSpool(dir: string): Promise<MailSpool> {
    spool ??= openMailSpool(dir).then(
      (s) => {
        if (s.swept > 0)
          logger?.info({ removed: s.swept }, 'imap: removed mails spooled by a stopped process');
        return s;
      },
      (err: unknown) => {
        spool = undefined;
        throw err;
      },
    );
    return spool;
  }

  /**
   * The message's bytes to the processor: a large one downloaded in chunks into the spool, so it
   * is never held whole here (the processor opens it from there as it does SMTP's), a small one
   * fetched in one piece. The spooled copy goes once the processor settles, whatever came of it.
   */
  async function fetchAndProcess(
    c: ImapFlow,
    uid: number,
    size: number,
    envelope: Omit<InboundMail, 'raw' | 'spooled' | 'spool'>,
  ): Promise<InboundResult> {
    if (deps.spoolDir === undefined || size < IMAP_SPOOL_FROM_BYTES) {
      const full = await c.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (!full || full.source === undefined) throw codedError('imap_fetch_failed');
      return deps.process({ raw: full.source, ...envelope });
    }
    const into = await openSpool(deps.spoolDir);
    const download = await c.download(String(uid), undefined, { uid: true });
    if (!download.content) throw codedError('imap_fetch_failed');
    let spooled: SpooledFile;
    try {
      spooled = await into.fromStream(download.content, maxBytes);
    } catch (err) {
      download.content.destroy();
      throw err;
    }
    try {
      return await deps.process({ spooled, spool: into, ...envelope });
    } finally {
      await spooled
        .remove()
        .catch((err: unknown) =>
          logger?.error({ uid, err: describeError(err) }, 'imap: a spooled mail could not be removed'),
        );
    }
  }

  /** Take or renew the mailbox's lease; always true without one. */
  async function holdLease(): Promise<boolean> {
    if (!lease) return true;
    const held = await acquireLease(lease.db, leaseName, holder, leaseTtlMs, clock.now());
    if (held !== holding) {
      logger?.info(
        { lease: leaseName },
        held
          ? 'imap: this instance polls the mailbox'
          : 'imap: another instance polls the mailbox; this one waits',
      );
    }
    holding = held;
    return held;
  }

  async function connect(): Promise<ImapFlow> {
    const { ImapFlow } = await loadImapFlow();
    const c = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      doSTARTTLS: target.startTls,
      auth: { user: target.user, pass: target.password },
      // imapflow logs to stdout by default; the poller logs what it needs, by UID only.
      logger: false,
      connectionTimeout: deps.connectTimeoutMs ?? 30_000,
      maxLiteralSize: maxBytes + MiB,
      maxResponseSize: maxBytes + 2 * MiB,
      clientInfo: { name: 'Vigil' },
    });
    // An 'error' event without a listener would crash the process; the poll sees the failure anyway.
    c.on('error', () => {});
    return c;
  }

  async function poll(): Promise<PollResult> {
    if (!(await holdLease())) return { processed: 0, failed: 0, skipped: true };
    const routing = await deps.routing();
    const c = await connect();
    client = c;
    try {
      await c.connect();
      const lock = await c.getMailboxLock(target.mailbox);
      let result: { processed: number; failed: number };
      try {
        result = await drain(c, routing);
      } finally {
        lock.release();
      }
      await c.logout();
      return result;
    } finally {
      client = undefined;
      c.close();
    }
  }

  async function drain(c: ImapFlow, routing: ImapRouting): Promise<PollResult> {
    const box = c.mailbox as MailboxObject;
    const uidValidity = String(box.uidValidity);
    const mode = markingMode(box.permanentFlags, target);
    const folders = new Set<string>();

    const apply = async (uid: number, steps: MarkStep[]) => {
      for (const step of steps) {
        if (step.op === 'move') {
          if (!folders.has(step.folder)) {
            await ensureFolder(c, step.folder);
            folders.add(step.folder);
          }
          if (!(await c.messageMove(String(uid), step.folder, { uid: true })))
            throw codedError('imap_move_failed');
          continue;
        }
        const ok =
          step.op === 'add'
            ? await c.messageFlagsAdd(String(uid), step.flags, { uid: true })
            : await c.messageFlagsRemove(String(uid), step.flags, { uid: true });
        if (!ok) throw codedError('imap_store_failed');
      }
    };

    // First what an earlier poll committed but could not mark, so it is not processed twice.
    for (const key of [...unmarked]) {
      const { action, uid } = unmarkedAction(key, uidValidity);
      if (action === 'forget') {
        logger?.error(
          { uid },
          'imap mailbox was recreated (UIDVALIDITY changed) before a processed message was marked; it may be processed again',
        );
      } else {
        await apply(uid, processedSteps(mode));
        logger?.info({ uid }, 'imap message marked after an earlier marking failed');
      }
      unmarked.delete(key);
    }

    // In move mode, keywords (where usable) say what a failed move left behind.
    for (const { keyword, folder } of leftoverMoves(mode)) {
      for (const uid of await search(c, { keyword, deleted: false })) {
        await apply(uid, [{ op: 'move', folder }]);
      }
    }

    const uids = await search(c, unprocessedQuery(mode));
    // Forget failures of messages someone removed meanwhile.
    const present = new Set(uids.map((uid) => messageKey(uidValidity, uid)));
    for (const key of failures.keys()) if (!present.has(key)) failures.delete(key);

    let processed = 0;
    let failed = 0;
    for (const uid of uids) {
      if (stopRequested) break;
      const key = messageKey(uidValidity, uid);
      if (!retryDue(failures.get(key), clock.now().getTime())) continue;
      // A long drain keeps its lease; one that lost it (this instance stalled past the lease)
      // leaves the rest to the instance that took it over.
      if (!(await holdLease())) break;

      const meta = await c.fetchOne(
        String(uid),
        { uid: true, flags: true, size: true, headers: ROUTING_HEADERS },
        { uid: true },
      );
      if (!meta) {
        if (!c.usable) throw codedError('imap_connection_lost');
        continue; // expunged since the search
      }
      if (isSettled(meta.flags)) continue;

      busy = true;
      try {
        let outcome: InboundResult;
        try {
          if (wasInterrupted(meta.flags)) {
            logger?.warn(
              { uid },
              'imap message was being processed when an earlier poll stopped; handing it over again (a mail already stored makes no duplicate case)',
            );
          }
          const admitted = admit(meta, routing, maxBytes);
          if (!admitted.ok) {
            deps.refused?.(admitted.code);
            throw codedError(admitted.code);
          }
          await apply(uid, claimSteps(mode));
          outcome = await fetchAndProcess(c, uid, meta.size ?? 0, admitted.envelope);
        } catch (err) {
          failed++;
          await settleFailure(c, key, uid, err, mode, apply);
          continue;
        }
        processed++;
        failures.delete(key);
        try {
          await apply(uid, processedSteps(mode));
        } catch (err) {
          unmarked.add(key);
          logger?.error(
            { uid, err: describeError(err) },
            'imap message processed but not marked; it will be marked on the next poll',
          );
          throw err;
        }
        logger?.info(
          {
            uid,
            kind: outcome.kind,
            caseNumber: outcome.caseNumber,
            ...(outcome.again ? { again: true } : {}),
          },
          outcome.again ? 'imap message was already stored; marked' : 'imap message processed',
        );
      } finally {
        busy = false;
      }
    }
    return { processed, failed };
  }

  async function settleFailure(
    c: ImapFlow,
    key: string,
    uid: number,
    err: unknown,
    mode: MarkingMode,
    apply: (uid: number, steps: MarkStep[]) => Promise<void>,
  ): Promise<void> {
    const outcome = afterFailure({
      connectionUsable: c.usable,
      previous: failures.get(key),
      maxAttempts,
      pollMs,
      nowMs: clock.now().getTime(),
      // Busy decrypting, the program paused, the database or the blob store out of reach: the
      // message waits in the mailbox, its attempts uncounted, however long that takes; it is
      // never set aside for what is not its fault.
      busy: isPassing(err),
    });
    // An IMAP failure is the connection's, not the message's: end the poll, keep the count.
    if (outcome.action === 'abort') throw err;
    const error = describeError(err);
    if (outcome.action === 'set-aside') {
      failures.delete(key);
      await apply(uid, failedSteps(mode));
      logger?.error(
        { uid, attempts: outcome.attempts, err: error },
        'imap message could not be processed; set aside for a person',
      );
      return;
    }
    failures.set(key, outcome.failure);
    await apply(uid, releaseSteps(mode));
    logger?.warn(
      { uid, attempts: outcome.failure.attempts, err: error },
      'imap message could not be processed; will retry',
    );
  }

  function pollOnce(): Promise<PollResult> {
    const run = tail.then(poll);
    tail = run.catch(() => {});
    return run;
  }

  function schedule(delayMs: number): void {
    if (!running || timer !== undefined) return;
    timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = undefined;
    pollOnce().then(
      () => schedule(pollMs),
      (err: unknown) => {
        if (!stopRequested) logger?.error({ err: describeError(err) }, 'imap poll failed');
        schedule(pollMs);
      },
    );
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      stopRequested = true;
      // Between messages there is nothing to finish: dropping the connection ends a slow
      // search or download at once. A message in progress is processed and marked first.
      if (!busy) client?.close();
      try {
        await tail;
      } finally {
        stopRequested = false;
      }
      // Given back at once, so another instance need not wait for it to expire.
      if (lease && holding) {
        holding = undefined;
        await releaseLease(lease.db, leaseName, holder).catch((err: unknown) =>
          logger?.warn({ err: describeError(err) }, 'imap: the mailbox lease could not be released'),
        );
      }
    },
    pollOnce,
  };
}

/**
 * imapflow is loaded with the first poll: it holds about 25 MiB of RSS, and most instances take
 * mail over SMTP or not at all.
 */
let imapflow: Promise<typeof import('imapflow')> | undefined;
const loadImapFlow = () => {
  imapflow ??= import('imapflow');
  return imapflow;
};

async function search(c: ImapFlow, query: Parameters<ImapFlow['search']>[0]): Promise<number[]> {
  const uids = await c.search(query, { uid: true });
  if (!Array.isArray(uids)) throw codedError('imap_search_failed');
  return [...uids].sort((a, b) => a - b);
}

async function ensureFolder(c: ImapFlow, folder: string): Promise<void> {
  try {
    await c.mailboxCreate(folder);
  } catch (err) {
    // Servers that do not say ALREADYEXISTS just say NO; the folder may still be there.
    const list = await c.list();
    if (!list.some((m) => m.path === folder)) throw err;
  }
}

/** A failure of this instance's surroundings that passes by itself, never the message's own. */
function isPassing(err: unknown): boolean {
  return (
    err instanceof DecryptBudgetBusyError ||
    err instanceof IntakePausedError ||
    err instanceof BlobStoreUnavailableError ||
    isDatabaseUnavailable(err)
  );
}
