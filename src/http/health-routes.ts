import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import { pingDatabase } from '../db/index.js';

/** Readiness checks beyond the database (src/telemetry provides them; each bounded in time). */
export interface ReadinessProbes {
  /** Resolves when the blob store can take writes now; rejects when not. */
  blobs(): Promise<void>;
  /** Seconds the oldest mail not yet sent has waited; 0 when none waits. */
  oldestPendingMailSeconds(): Promise<number>;
}

/**
 * Mail older than this in the outbox, with a relay configured, marks the instance `degraded`: the
 * relay has refused or been out of reach for long enough that someone must look (acknowledgement
 * deadlines are counted in days, but a reporter waits for the receipt now).
 */
export const OUTBOX_STALE_SECONDS = 30 * 60;

/** How long /readyz waits for the database. */
const DATABASE_PROBE_MS = 2_000;

type Check = 'ok' | 'failing';

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers, the
 * blob store takes writes, and the instance is not draining; 503 naming the failing checks in
 * `checks` otherwise). `database` at the top stays for the probes written before the other checks
 * existed.
 *
 * The outbox is checked but does not make the instance unready: every instance shares the outbox
 * and the relay, so a stuck relay would take them all out of the load balancer at once and stop
 * reports from arriving, while an instance that still stores reports durably is exactly what
 * should keep serving. Stale mail reads `stale` and the status `degraded` (still 200), for the
 * uptime check and the alert on `vigil_outbox_oldest_pending_age_seconds` to catch. The outbox
 * reads `not-configured` without a relay (VIGIL_SMTP_URL: mail then waits on purpose), `unknown`
 * when the database cannot say (the database check already fails). Every check is bounded, so a
 * probe answers within a few seconds whatever is down.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: {
    db: Db;
    config: Pick<Config, 'smtpUrl'>;
    isShuttingDown: () => boolean;
    probes?: ReadinessProbes;
  },
): void {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
    if (deps.isShuttingDown()) return reply.code(503).send({ status: 'draining' });
    const { probes } = deps;
    const [database, blobs, outbox] = await Promise.all([
      pingDatabase(deps.db, DATABASE_PROBE_MS),
      probes ? probes.blobs().then(okay, failing) : undefined,
      probes ? outboxCheck(probes, deps.config.smtpUrl !== undefined) : undefined,
    ]);
    const checks = {
      database: database ? 'ok' : 'failing',
      ...(blobs ? { blobs } : {}),
      ...(outbox ? { outbox } : {}),
    };
    const ready = database && blobs !== 'failing';
    return reply.code(ready ? 200 : 503).send({
      status: ready ? (outbox === 'stale' ? 'degraded' : 'ready') : 'unavailable',
      database: database ? 'ok' : 'unreachable',
      checks,
    });
  });
}

const okay = (): Check => 'ok';
const failing = (): Check => 'failing';

async function outboxCheck(
  probes: ReadinessProbes,
  relayConfigured: boolean,
): Promise<'ok' | 'stale' | 'not-configured' | 'unknown'> {
  if (!relayConfigured) return 'not-configured';
  return probes.oldestPendingMailSeconds().then(
    (age) => (age > OUTBOX_STALE_SECONDS ? 'stale' : 'ok'),
    () => 'unknown',
  );
}
