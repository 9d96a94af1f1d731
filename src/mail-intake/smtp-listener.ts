import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SMTPServer, SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import type { Config } from '../config/index.js';
import { errorForLog } from '../core/index.js';
import type { Database, Kysely } from '../db/index.js';
import { IntakePausedError } from '../intake/index.js';
import { matchProgramAddress } from '../mail/index.js';
import { DecryptBudgetBusyError, decryptBudgetFor } from '../openpgp/index.js';
import type { ProgramService } from '../programs/index.js';
import { type MailSpool, openMailSpool, type SpooledFile, type SpoolWriter } from './mail-spool.js';
import { type InboundMail, type InboundProcessor, UnknownRecipientError } from './processor.js';
import { createSmtpBudgets, programBudgetKey, senderBudgetKey } from './smtp-budget.js';
import { createTlsRenewalCheck, loadTlsMaterial, type TlsMaterial } from './smtp-tls.js';

/**
 * The SMTP listener for reports by email. Answers follow one rule: `250` after DATA only once the
 * mail is committed (case or message, with the original stored), so a mail we acknowledged is
 * durable and one we did not is retried by the sending server. Recipients are checked at RCPT
 * (550 for addresses of no program), size at MAIL FROM / DATA (552, RFC 1870), a per-sender
 * rate at MAIL FROM (450) and a per-program budget at RCPT (450); both budgets are counted per
 * clock hour in the database (`smtp-budget.ts`), so they hold across instances. A program whose intake is paused
 * is answered `450 4.7.1` after DATA (the pause is read where the report would be stored): nothing
 * is kept, and the sending server tries again later, so a mail sent during a pause arrives once it
 * ends (or bounces to its sender after the MTA's retry period, typically 4-5 days). Content problems never cause a refusal after DATA: the processor turns
 * an unreadable mail into a flagged case instead. A large mail that finds the decryption memory
 * budget spent (`src/openpgp/decrypt-budget.ts`) is answered `451 4.3.1` (insufficient system
 * resources, RFC 3463): nothing was kept and the sending server tries again later.
 *
 * A large mail is never held in memory: from 1 MiB on, DATA goes to an encrypted spool file as it
 * arrives (`mail-spool.ts`), which the processor opens from there and which is removed once the
 * mail is settled, whatever came of it; files left by a process that died are swept when the listener starts. The budget is
 * asked at MAIL FROM for the SIZE the client announces (RFC 1870), so a refusal there costs the
 * sender no transfer; without SIZE the processor asks it once the mail is spooled. The reservation
 * is held until the mail is stored. A mail that turns out much larger than its announced SIZE is
 * refused (552), the rest of its DATA read and dropped.
 *
 * STARTTLS is offered when `smtpIn.tls` names a certificate (`smtp-tls.ts`: read at start, a bad
 * file stops the start naming its variable, a renewed file is picked up without a restart); with
 * `require` a MAIL FROM before STARTTLS is refused `530 5.7.0`, so nothing arrives in clear. Without
 * it there is no TLS, for a listener behind the organisation's MX on a private address. No
 * authentication either way: this is an MX, not a submission server. See docs/operations-mail.md.
 */

export interface SmtpListener {
  /** Start listening (on `port`, else the configured one; 0 picks a free port). Resolves with the port. */
  start(port?: number): Promise<number>;
  /** Stop taking connections and wait for mails being processed to commit. */
  stop(): Promise<void>;
  /** The port listened on, once started. */
  readonly port: number | undefined;
}

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/** Concurrent SMTP sessions: each may hold one small message, or a large one within the budget. */
const MAX_CLIENTS = 16;

/** Mails from this size on are spooled to disk as they arrive; smaller ones are kept in memory. */
const SPOOL_FROM_BYTES = 1024 * 1024;

/** SIZE is an estimate (RFC 1870): a mail may exceed it by this much before it is refused. */
const sizeSlack = (announced: number) => Math.max(64 * 1024, Math.ceil(announced / 10));

const budgetBusy = () =>
  smtpError(451, '4.3.1 Busy decrypting other large messages; nothing was kept, try again later');

/** The SIZE parameter of MAIL FROM (RFC 1870), when the client sent a valid one. */
function announcedSize(args: unknown): number | undefined {
  const value =
    typeof args === 'object' && args !== null ? (args as Record<string, unknown>).SIZE : undefined;
  const n = Number(value);
  return typeof value === 'string' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** smtp-server is loaded when the listener first starts: an instance without it never holds it. */
let smtpServer: Promise<typeof import('smtp-server')> | undefined;
const loadSmtpServer = () => {
  smtpServer ??= import('smtp-server');
  return smtpServer;
};

export function createSmtpListener(deps: {
  processor: Pick<InboundProcessor, 'process'>;
  programs: Pick<ProgramService, 'list'>;
  config: Pick<Config, 'host' | 'smtpIn' | 'limits' | 'dataDir'>;
  /** Where mails are spooled while they are received and opened (default `<dataDir>/mail-spool`). */
  spoolDir?: string;
  /** Where the hourly budgets are counted (shared by instances); without it, in this process only. */
  db?: Kysely<Database>;
  /** The clock of the budgets (tests move it); the system's by default. */
  now?: () => number;
  /** How often, at most, a new connection looks for a renewed certificate (default a minute). */
  tlsRecheckMs?: number;
  /** Told of each mail refused before the processor sees it (the intake counters, src/telemetry). */
  refused?: (reason: 'rate_limited' | 'unknown_program' | 'too_large' | 'busy') => void;
  logger: Logger;
}): SmtpListener {
  const { smtpIn } = deps.config;
  // A mail is only accepted if its original can be kept as one attachment, so the smaller limit wins.
  const maxBytes = Math.min(smtpIn.maxBytes, deps.config.limits.maxFileBytes);
  const inflight = new Set<Promise<unknown>>();
  const spoolDir = deps.spoolDir ?? join(deps.config.dataDir, 'mail-spool');
  let spool: Promise<MailSpool> | undefined;
  /** The spool, opened (and what dead processes left in it swept) on first use: at start. */
  const openSpool = (): Promise<MailSpool> => {
    spool ??= openMailSpool(spoolDir).then(
      (s) => {
        if (s.swept > 0)
          deps.logger.info({ removed: s.swept }, 'smtp: removed mails spooled by a stopped process');
        return s;
      },
      (err: unknown) => {
        spool = undefined;
        throw err;
      },
    );
    return spool;
  };
  // Looked up per mail, not kept: a test or bench may give the instance a budget of its own later.
  const budget = () => decryptBudgetFor(deps.config.limits);
  /** A session's budget reservation, for the mail of its current transaction. */
  const reservations = new WeakMap<SMTPServerSession, { release: () => void; bytes: number }>();
  const releaseReservation = (session: SMTPServerSession) => {
    reservations.get(session)?.release();
    reservations.delete(session);
  };
  /** Sessions gone while a reservation was in line: it is given back as soon as it comes. */
  const closed = new WeakSet<SMTPServerSession>();
  const keepReservation = (session: SMTPServerSession, release: () => void, bytes: number): boolean => {
    if (closed.has(session)) {
      release();
      return false;
    }
    reservations.set(session, { release, bytes });
    return true;
  };
  const tooLarge = () => smtpError(552, `5.3.4 Message exceeds the fixed maximum size of ${maxBytes} bytes`);

  // Per-sender and per-program counts per clock hour, in the database: shared by every instance
  // and kept by none in memory (smtp-budget.ts).
  const budgets = createSmtpBudgets(deps.db, deps.now ?? Date.now);
  const allowSender = (address: string) => budgets(senderBudgetKey(address), smtpIn.perSenderPerHour);
  /** Counted once per mail (its first recipient), when the recipient is a program's address. */
  const allowProgram = (programId: string) =>
    budgets(programBudgetKey(programId), smtpIn.perProgramPerHour ?? 0);

  /** Reserve decryption budget for the SIZE a client announced (RFC 1870), before DATA. */
  function reserveForSize(
    address: SMTPServerAddress,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ): void {
    const announced = announcedSize(address.args);
    if (announced === undefined || announced < budget().smallBytes) {
      callback();
      return;
    }
    budget()
      .acquire(announced)
      .then(
        (release) => {
          if (keepReservation(session, release, announced + sizeSlack(announced))) callback();
        },
        (err: unknown) => {
          if (!(err instanceof DecryptBudgetBusyError)) {
            deps.logger.error({ err: errorForLog(err) }, 'smtp: budget reservation failed');
            return callback(smtpError(451, '4.3.0 Temporary failure; try again later'));
          }
          deps.logger.warn(
            { bytes: announced },
            'smtp: mail deferred at MAIL FROM, the decryption budget is spent',
          );
          callback(budgetBusy());
        },
      );
  }

  // STARTTLS: the certificate read at start, and a renewal check run as connections arrive.
  const requireTls = smtpIn.tls?.require === true;
  /** The TLS version each session upgraded to (`TLSv1.3`), for the log line of its mails. */
  const tlsProtocols = new WeakMap<SMTPServerSession, string>();
  const tlsProtocolOf = (session: SMTPServerSession) =>
    session.secure ? (tlsProtocols.get(session) ?? 'unknown') : 'none';
  let tlsRenewal: (() => Promise<TlsMaterial | undefined>) | undefined;
  const renewCertificate = (s: SMTPServer) => {
    tlsRenewal?.().then(
      (renewed) => {
        if (!renewed) return;
        s.updateSecureContext({ cert: renewed.cert, key: renewed.key });
        deps.logger.info({}, 'smtp: renewed TLS certificate loaded');
      },
      (err: unknown) =>
        deps.logger.error(
          { err: errorForLog(err) },
          'smtp: the changed TLS certificate files could not be loaded; still serving the previous certificate',
        ),
    );
  };

  /** The program a session's recipients belong to, so one mail never goes to two programs. */
  const sessionProgram = new WeakMap<SMTPServerSession, string>();

  // A closed SMTPServer stays closed (it answers 421 to anything new), so each start builds one.
  const createServer = (Server: typeof SMTPServer, tls: TlsMaterial | undefined) =>
    new Server({
      banner: 'Vigil report intake',
      logger: false,
      secure: false,
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ? { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' as const } : {}),
      size: maxBytes,
      maxClients: MAX_CLIENTS,
      closeTimeout: 10_000,
      onConnect(_session, callback) {
        callback();
        if (server) renewCertificate(server);
      },
      onSecure(socket, session, callback) {
        const protocol = 'getProtocol' in socket ? socket.getProtocol() : null;
        if (protocol) tlsProtocols.set(session, protocol);
        callback();
      },
      onMailFrom(address: SMTPServerAddress, session, callback) {
        // A transaction given up (RSET, then a new MAIL FROM) gives its reservation back.
        releaseReservation(session);
        if (requireTls && !session.secure) {
          return callback(smtpError(530, '5.7.0 Must issue a STARTTLS command first'));
        }
        allowSender(address.address).then(
          (allowed) => {
            if (!allowed) {
              deps.refused?.('rate_limited');
              return callback(smtpError(450, '4.7.1 Too many messages from this sender; try again later'));
            }
            reserveForSize(address, session, callback);
          },
          (err: unknown) => {
            deps.logger.error({ err: errorForLog(err) }, 'smtp: sender budget check failed');
            callback(smtpError(451, '4.3.0 Temporary failure; try again later'));
          },
        );
      },
      onClose(session) {
        closed.add(session);
        releaseReservation(session);
      },
      onRcptTo(address: SMTPServerAddress, session, callback) {
        void deps.programs
          .list()
          .then(async (programs) => {
            const match = matchProgramAddress(programs, address.address);
            if (!match) {
              deps.refused?.('unknown_program');
              return callback(smtpError(550, '5.1.1 No such mailbox here'));
            }
            const first = sessionProgram.get(session);
            if (session.envelope.rcptTo.length === 0 || first === undefined) {
              if (!(await allowProgram(match.program.id))) {
                deps.logger.warn({ program: match.program.slug }, 'smtp: program budget for the hour spent');
                deps.refused?.('rate_limited');
                return callback(
                  smtpError(450, '4.7.1 This program is receiving too many reports; try again later'),
                );
              }
              sessionProgram.set(session, match.program.id);
            } else if (first !== match.program.id) {
              // RFC 5321 4.5.3.1.10: the client sends this recipient again in a later transaction.
              return callback(
                smtpError(452, '4.5.3 One program per message; send to this address separately'),
              );
            }
            callback();
          })
          .catch((err: unknown) => {
            deps.logger.error({ err: errorForLog(err) }, 'smtp: recipient check failed');
            callback(smtpError(451, '4.3.0 Temporary failure; try again later'));
          });
      },
      onData(stream, session, callback) {
        /**
         * A mail from `SPOOL_FROM_BYTES` on goes to a spool file as it arrives (`mail-spool.ts`,
         * encrypted, removed once the mail is settled), never into memory: the processor reads it
         * from there. A smaller one is kept in memory, which costs less than a file.
         */
        let spoolNow: MailSpool | undefined;
        let writer: Promise<SpoolWriter> | undefined;
        const openWriter = (): Promise<SpoolWriter> => {
          const opened = openSpool().then((spool) => {
            spoolNow = spool;
            return spool.create();
          });
          // An unhandled rejection otherwise, should DATA fail before the end is awaited.
          opened.catch(() => {});
          writer = opened;
          return opened;
        };
        const discard = () => writer?.then((w) => w.discard()).catch(() => {});
        const held: Buffer[] = [];
        let heldBytes = 0;
        let ready: SpoolWriter | undefined;
        let size = 0;
        /** Why the mail will be refused once DATA ends; from then on its bytes are dropped. */
        let refusal: Error | undefined;
        const refuse = (err: Error) => {
          refusal ??= err;
        };
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (refusal) return;
          // Past the limit the rest is read and dropped.
          if (size > maxBytes) return refuse(tooLarge());
          const reserved = reservations.get(session);
          if (reserved && size > reserved.bytes) {
            return refuse(smtpError(552, '5.3.4 Message is larger than the SIZE announced for it'));
          }
          // Once the file is open a chunk is written at once; the stream waits only while the
          // file is being opened or is behind.
          if (ready) {
            if (!ready.write(chunk)) {
              stream.pause();
              void ready.drained().then(() => stream.resume());
            }
            return;
          }
          if (!writer && heldBytes + chunk.length < SPOOL_FROM_BYTES) {
            held.push(chunk);
            heldBytes += chunk.length;
            return;
          }
          stream.pause();
          (writer ?? openWriter()).then(
            async (w) => {
              ready = w;
              for (const h of held.splice(0)) if (!w.write(h)) await w.drained();
              heldBytes = 0;
              if (!w.write(chunk)) await w.drained();
              stream.resume();
            },
            (err: unknown) => {
              deps.logger.error({ err: errorForLog(err) }, 'smtp: the mail spool cannot be written');
              refuse(smtpError(451, '4.3.0 Temporary failure; try again later'));
              stream.resume();
            },
          );
        });
        stream.once('error', (err) => {
          releaseReservation(session);
          void discard();
          callback(err);
        });
        stream.once('end', () => {
          if (stream.sizeExceeded) refuse(tooLarge());
          void settle();
        });
        const settle = async () => {
          if (!refusal && !writer) return processMail({ raw: Buffer.concat(held.splice(0), heldBytes) });
          if (!refusal && writer) {
            const spooled = await writer
              .then((w) => w.finish())
              .catch((err: unknown) => {
                deps.logger.error({ err: errorForLog(err) }, 'smtp: the mail spool cannot be written');
                refuse(smtpError(451, '4.3.0 Temporary failure; try again later'));
                return undefined;
              });
            if (spooled) return processMail({ spooled });
          }
          held.length = 0;
          await discard();
          releaseReservation(session);
          const code = (refusal as { responseCode?: number }).responseCode;
          deps.refused?.(code === 552 ? 'too_large' : 'busy');
          return callback(refusal);
        };
        const processMail = (bytes: { raw: Buffer } | { spooled: SpooledFile }) => {
          const spooled = 'spooled' in bytes ? bytes.spooled : undefined;
          const reservation = reservations.get(session);
          reservations.delete(session);
          const mail: InboundMail = {
            ...(spooled ? { spooled, spool: spoolNow } : { raw: (bytes as { raw: Buffer }).raw }),
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((a) => a.address),
            budgetReserved: reservation !== undefined,
          };
          const work = deps.processor
            .process(mail)
            .finally(async () => {
              reservation?.release();
              // Whatever came of it, the spooled copy goes: a mail taken is in the blob store.
              await spooled
                ?.remove()
                .catch((err: unknown) =>
                  deps.logger.warn({ err: errorForLog(err) }, 'smtp: a spooled mail could not be removed'),
                );
            })
            .then(
              (result) => {
                // Case numbers only: addresses and content are reporter data and stay out of the log.
                deps.logger.info(
                  {
                    kind: result.kind,
                    caseNumber: result.caseNumber,
                    tls: tlsProtocolOf(session),
                    ...(result.again ? { again: true } : {}),
                  },
                  result.again ? 'smtp: mail was already stored; accepted again' : 'smtp: mail accepted',
                );
                callback(null, `2.0.0 Accepted as ${result.caseNumber}`);
              },
              (err: unknown) => {
                if (err instanceof UnknownRecipientError) {
                  return callback(smtpError(550, '5.1.1 No such mailbox here'));
                }
                if (err instanceof IntakePausedError) {
                  deps.logger.info({}, 'smtp: mail deferred, the program is paused');
                  const until = err.pause.reopensOn ? ` until ${err.pause.reopensOn}` : '';
                  return callback(
                    smtpError(450, `4.7.1 Reports to this program are paused${until}; try again later`),
                  );
                }
                if (err instanceof DecryptBudgetBusyError) {
                  deps.logger.warn({ bytes: size }, 'smtp: mail deferred, the decryption budget is spent');
                  return callback(budgetBusy());
                }
                deps.logger.error({ err: errorForLog(err) }, 'smtp: mail could not be stored');
                callback(smtpError(451, '4.3.0 The message could not be stored; try again later'));
              },
            );
          inflight.add(work);
          void work.finally(() => inflight.delete(work));
        };
      },
    });

  let server: SMTPServer | undefined;
  let port: number | undefined;
  return {
    get port() {
      return port;
    },
    async start(listenPort = smtpIn.port) {
      const { SMTPServer: Server } = await loadSmtpServer();
      if (server) throw new Error('the SMTP listener is already running');
      // A certificate that cannot be used stops the start, naming its variable (ConfigError).
      const tls = smtpIn.tls ? await loadTlsMaterial(smtpIn.tls) : undefined;
      tlsRenewal = smtpIn.tls && tls ? createTlsRenewalCheck(smtpIn.tls, tls, deps.tlsRecheckMs) : undefined;
      await openSpool();
      const s = createServer(Server, tls);
      s.on('error', (err) => deps.logger.warn({ err: errorForLog(err) }, 'smtp: connection error'));
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject);
        s.listen(listenPort, deps.config.host, () => {
          s.server.off('error', reject);
          resolve();
        });
      });
      server = s;
      port = (s.server.address() as AddressInfo).port;
      return port;
    },
    async stop() {
      const s = server;
      server = undefined;
      port = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
      // A mail whose DATA arrived is committed before the database closes behind us.
      await Promise.allSettled([...inflight]);
    },
  };
}
