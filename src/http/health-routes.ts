import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/index.js';
import { pingDatabase } from '../db/index.js';

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers, not draining). */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { db: Db; isShuttingDown: () => boolean },
): void {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
    if (deps.isShuttingDown()) return reply.code(503).send({ status: 'draining' });
    const database = await pingDatabase(deps.db);
    return reply
      .code(database ? 200 : 503)
      .send({ status: database ? 'ready' : 'unavailable', database: database ? 'ok' : 'unreachable' });
  });
}
