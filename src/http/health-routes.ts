import type { FastifyInstance } from 'fastify';
import { pingDatabase } from '../db/index.js';
import type { HttpDeps } from './app.js';

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers, not draining). */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, 'db' | 'isShuttingDown'>,
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
