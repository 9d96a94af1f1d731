import type { Config } from '../config/index.js';
import { isPostgres } from '../db/index.js';
import { createVigil, ORPHAN_BLOB_MIN_AGE_MS, sweepOrphanBlobs, type Vigil } from '../server.js';
import { type CliIo, processIo } from './io.js';

/** The words around a first-administrator link, printed by `serve` and `setup-link`. */
export const setupLinkText = (l: { url: string; expiresAt: string }) =>
  `Open this link to create the first administrator (valid until ${l.expiresAt}, once):\n  ${l.url}\n`;

/** Start listening; stop gracefully on SIGTERM/SIGINT (in-flight requests finish, the worker stops). */
export async function serve(c: Config, io: CliIo = processIo()): Promise<Vigil> {
  const vigil = await createVigil(c);
  const swept = await sweepOrphanBlobs(vigil, ORPHAN_BLOB_MIN_AGE_MS).catch((err: unknown) => {
    vigil.app.log.warn({ err }, 'orphan blob sweep failed');
    return 0;
  });
  if (swept > 0) vigil.app.log.info({ removed: swept }, 'removed blobs left by interrupted submissions');
  // The metrics port first: a port already taken stops the start with its variable named
  // (VIGIL_METRICS_PORT) before the instance takes any traffic.
  const metrics = await vigil.services.telemetry.listen().catch(async (err: unknown) => {
    await vigil.close().catch(() => {});
    throw err;
  });
  if (metrics) vigil.app.log.info({ port: metrics.port, host: c.metrics.host }, 'serving Prometheus metrics');
  try {
    await vigil.app.listen({ port: c.port, host: c.host });
    if (c.smtpIn.listen) {
      const smtpPort = await vigil.smtp.start();
      vigil.app.log.info({ port: smtpPort, host: c.host }, 'taking reports by email over SMTP');
    }
  } catch (err) {
    // A port taken or a STARTTLS certificate that cannot be used: stop whole, with the reason,
    // rather than run half an instance (the web port open, mail refused).
    await vigil.close().catch(() => {});
    throw err;
  }
  if (vigil.imap) {
    vigil.imap.start();
    vigil.app.log.info({ pollSeconds: c.imap?.pollSeconds }, 'polling the IMAP mailbox for reports');
  }
  vigil.worker?.start();
  if (!c.smtpUrl)
    vigil.app.log.warn(
      'VIGIL_SMTP_URL is not set: outgoing mail is kept in the outbox (see `vigil outbox list`)',
    );
  const database = isPostgres(vigil.db.kysely) ? 'postgres' : 'sqlite';
  io.stdout(`Vigil is running at ${c.publicUrl} (listening on ${c.host}:${c.port}, ${database}).\n`);
  // Until the first administrator exists, each start offers a fresh setup link.
  if (await vigil.services.auth.enrolment.needsFirstAdmin()) {
    io.stdout(setupLinkText(await vigil.services.auth.enrolment.setupLink()));
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    vigil.app.log.info({ signal }, 'shutting down');
    try {
      await vigil.close();
      process.exit(0);
    } catch (err) {
      vigil.app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return vigil;
}
