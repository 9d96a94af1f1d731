import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../http/app.js';
import { instanceSecurityTxt, programSecurityTxt, renderSecurityTxt } from './security-txt.js';

export function registerPolicyRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, 'programs' | 'config' | 'clock'>,
): void {
  const { publicUrl, primaryProgram } = deps.config;

  app.get('/.well-known/security.txt', async (_request, reply) => {
    const programs = (await deps.programs.list()).filter((p) => p.definition.policy.visibility === 'public');
    const primary = primaryProgram
      ? programs.find((p) => p.slug === primaryProgram)
      : programs.length === 1
        ? programs[0]
        : undefined;
    const now = deps.clock.now();
    reply.type('text/plain; charset=utf-8').header('Cache-Control', 'public, max-age=3600');
    if (programs.length === 0)
      return reply.code(404).send('# No disclosure program is published on this host yet.\n');
    const canonical = `${publicUrl}/.well-known/security.txt`;
    if (primary) return renderSecurityTxt(programSecurityTxt(primary, publicUrl, now, canonical));
    return renderSecurityTxt(
      instanceSecurityTxt(programs, publicUrl, now),
      `This host runs ${programs.length} disclosure programs; each program's own file is at ${publicUrl}/p/<program>/security.txt`,
    );
  });

  app.get<{ Params: { slug: string } }>('/p/:slug/security.txt', async (request, reply) => {
    const program = await deps.programs.get(request.params.slug);
    reply.type('text/plain; charset=utf-8').header('Cache-Control', 'public, max-age=3600');
    return renderSecurityTxt(
      programSecurityTxt(program, publicUrl, deps.clock.now(), `${publicUrl}/p/${program.slug}/security.txt`),
    );
  });
}
