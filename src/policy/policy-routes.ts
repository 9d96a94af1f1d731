import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import type { KeyService } from '../openpgp/index.js';
import type { ProgramService } from '../programs/index.js';
import { DISCLOSURE_POLICY } from './policy-rules.js';
import type { PolicyService } from './policy-service.js';
import { createSecurityTxtService } from './security-txt.js';

/** security.txt for the host and for each program, cleartext-signed (see `createSecurityTxtService`). */
export function registerPolicyRoutes(
  app: FastifyInstance,
  deps: { programs: ProgramService; config: Config; clock: Clock; keys: KeyService; policies: PolicyService },
): void {
  const securityTxt = createSecurityTxtService({
    programs: deps.programs,
    keys: deps.keys,
    clock: deps.clock,
    publicUrl: deps.config.publicUrl,
    primaryProgram: deps.config.primaryProgram,
    governedPolicyUrl: async (program) =>
      (await deps.policies.hasPublished(program.id, DISCLOSURE_POLICY))
        ? `${deps.config.publicUrl}/p/${program.slug}/policy`
        : undefined,
    warn: (detail, msg) => app.log.warn(detail, msg),
  });

  app.get('/.well-known/security.txt', async (_request, reply) => {
    const body = await securityTxt.wellKnown();
    reply.type('text/plain; charset=utf-8').header('Cache-Control', 'public, max-age=3600');
    if (body === undefined)
      return reply.code(404).send('# No disclosure program is published on this host yet.\n');
    return body;
  });

  app.get<{ Params: { slug: string } }>('/p/:slug/security.txt', async (request, reply) => {
    const body = await securityTxt.ofProgram(request.params.slug);
    return reply.type('text/plain; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(body);
  });
}
