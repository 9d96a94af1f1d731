import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import { NotFoundError } from '../core/index.js';
import { createTranslator, negotiateLanguage } from '../i18n/index.js';
import type { SafeHtml } from '../portal/index.js';
import { layout } from '../portal/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import type { AdvisoryService } from './advisory-service.js';
import {
  acknowledgementsPage,
  advisoryIndex,
  advisoryPage,
  programAdvisoriesPath,
} from './advisory-views.js';
import { renderAtomFeed } from './feed.js';

/**
 * The public side of advisories: indexes, pages, Atom feeds and the acknowledgements page. Only
 * published TLP:CLEAR revisions exist here; everything else answers 404 like a missing page.
 */
export function registerAdvisoryPortalRoutes(
  app: FastifyInstance,
  deps: {
    programs: Pick<ProgramService, 'get' | 'list'>;
    advisories: Pick<AdvisoryService, 'publicList' | 'publicAdvisory'>;
    config: Pick<Config, 'publicUrl'>;
    clock: Clock;
  },
): void {
  const { publicUrl } = deps.config;
  const cache = (reply: FastifyReply) => reply.header('Cache-Control', 'public, max-age=300');
  const sendPage = (reply: FastifyReply, page: SafeHtml) =>
    cache(reply).type('text/html; charset=utf-8').send(page.value);
  const sendFeed = (reply: FastifyReply, xml: string) =>
    cache(reply).type('application/atom+xml; charset=utf-8').send(xml);
  const translatorFor = (request: FastifyRequest, program?: Program) => {
    const lang = negotiateLanguage(
      request.headers['accept-language'],
      program?.definition.languages ?? ['en'],
    );
    return { lang, t: createTranslator(lang) };
  };
  /** The instance-wide index lists the programs the front page lists: those with a public policy. */
  const listedPrograms = async () =>
    (await deps.programs.list()).filter((p) => p.definition.policy.visibility === 'public');

  app.get('/advisories', { config: { html: true } }, async (request, reply) => {
    const { t, lang } = translatorFor(request);
    const body = advisoryIndex(t, {
      advisories: await deps.advisories.publicList(await listedPrograms()),
      lead: t('advisories.lead'),
      feedUrl: '/advisories.atom',
      showProgram: true,
    });
    return sendPage(reply, layout({ t, lang, title: t('advisories.heading'), body }));
  });

  app.get('/advisories.atom', async (request, reply) => {
    const { t } = translatorFor(request);
    return sendFeed(
      reply,
      renderAtomFeed({
        selfUrl: `${publicUrl}/advisories.atom`,
        htmlUrl: `${publicUrl}/advisories`,
        title: t('feed.instanceTitle'),
        author: new URL(publicUrl).hostname,
        advisories: await deps.advisories.publicList(await listedPrograms()),
        emptyUpdated: deps.clock.now().toISOString(),
      }),
    );
  });

  app.get<{ Params: { slug: string } }>(
    '/p/:slug/advisories',
    { config: { html: true } },
    async (request, reply) => {
      const program = await deps.programs.get(request.params.slug);
      const { t, lang } = translatorFor(request, program);
      const body = advisoryIndex(t, {
        advisories: await deps.advisories.publicList([program]),
        lead: t('advisories.programLead', { vendor: program.definition.vendor.name }),
        feedUrl: `${programAdvisoriesPath(program.slug)}.atom`,
        showProgram: false,
        program,
      });
      return sendPage(
        reply,
        layout({
          t,
          lang,
          title: `${t('advisories.heading')} · ${program.definition.name}`,
          crumbs: [{ href: `/p/${program.slug}`, label: program.definition.name }],
          body,
        }),
      );
    },
  );

  app.get<{ Params: { slug: string } }>('/p/:slug/advisories.atom', async (request, reply) => {
    const program = await deps.programs.get(request.params.slug);
    const { t } = translatorFor(request, program);
    return sendFeed(
      reply,
      renderAtomFeed({
        selfUrl: `${publicUrl}${programAdvisoriesPath(program.slug)}.atom`,
        htmlUrl: `${publicUrl}${programAdvisoriesPath(program.slug)}`,
        title: t('feed.programTitle', { program: program.definition.name }),
        author: program.definition.vendor.name,
        advisories: await deps.advisories.publicList([program]),
        emptyUpdated: deps.clock.now().toISOString(),
      }),
    );
  });

  app.get<{ Params: { slug: string; id: string } }>(
    '/p/:slug/advisories/:id',
    { config: { html: true } },
    async (request, reply) => {
      const program = await deps.programs.get(request.params.slug);
      const advisory = await deps.advisories.publicAdvisory(program, request.params.id);
      if (!advisory) throw new NotFoundError('There is nothing at this address.');
      const { t, lang } = translatorFor(request, program);
      return sendPage(
        reply,
        layout({
          t,
          lang,
          title: `${advisory.id}: ${advisory.content.title}`,
          crumbs: [
            { href: `/p/${program.slug}`, label: program.definition.name },
            { href: programAdvisoriesPath(program.slug), label: t('advisories.heading') },
          ],
          body: advisoryPage(t, advisory),
        }),
      );
    },
  );

  app.get<{ Params: { slug: string } }>(
    '/p/:slug/acknowledgements',
    { config: { html: true } },
    async (request, reply) => {
      const program = await deps.programs.get(request.params.slug);
      // A program without public acknowledgements keeps no hall of fame: nothing is here.
      if (!program.definition.credits.publicAcknowledgements)
        throw new NotFoundError('There is nothing at this address.');
      const { t, lang } = translatorFor(request, program);
      return sendPage(
        reply,
        layout({
          t,
          lang,
          title: `${t('acknowledgements.heading')} · ${program.definition.name}`,
          crumbs: [{ href: `/p/${program.slug}`, label: program.definition.name }],
          body: acknowledgementsPage(t, program, await deps.advisories.publicList([program])),
        }),
      );
    },
  );
}
