import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import { type KeyService, publishedKeyPath } from '../openpgp/index.js';
import { programKeyUrl } from '../policy/index.js';
import type { ProgramService } from '../programs/index.js';
import { CSAF_WHITE_PATH } from './artefacts.js';
import {
  CSAF_PROVIDER_METADATA_PATH,
  CSAF_ROLIE_WHITE_PATH,
  changesCsv,
  hashFile,
  indexTxt,
  providerMetadata,
  providerPublisher,
  rolieFeed,
  servedDocuments,
} from './artefacts-provider.js';
import type { ArtefactService } from './artefacts-service.js';

/**
 * Vigil as a CSAF provider (CSAF 2.0 §7): provider metadata, the TLP:WHITE directory
 * distribution (`<YYYY>/<file>.json` with `.sha256`, `.sha512`, `.asc`, plus `index.txt` and
 * `changes.csv`) and its ROLIE feed. Only documents of published TLP:CLEAR advisories exist here;
 * everything else — drafts, embargoed revisions, GREEN/AMBER/RED documents — answers 404 like a
 * missing file. The bytes served are the stored bytes that were hashed and signed at publication.
 */
export function registerCsafProviderRoutes(
  app: FastifyInstance,
  deps: {
    artefacts: Pick<ArtefactService, 'publicCsafDocuments'>;
    clock: Clock;
    programs: Pick<ProgramService, 'list'>;
    keys: Pick<KeyService, 'keyHistory'>;
    config: Pick<Config, 'publicUrl' | 'csafPublisher'>;
  },
): void {
  const { publicUrl } = deps.config;
  const cache = (reply: FastifyReply) => reply.header('Cache-Control', 'public, max-age=300');
  const docs = async () => servedDocuments(await deps.artefacts.publicCsafDocuments());
  const notFound = (reply: FastifyReply) =>
    reply.code(404).type('application/json; charset=utf-8').send({
      error: 'not_found',
      message: 'There is no CSAF document at this address.',
    });

  app.get(CSAF_PROVIDER_METADATA_PATH, async (_request, reply) => {
    const programs = await deps.programs.list();
    const served = await docs();
    const withDocs = new Set(served.map((d) => d.row.program_id));
    // The current key of each program with documents, and the keys it replaced: documents signed
    // before a rotation keep their signature, and it must stay checkable.
    const keys: { fingerprint: string; url: string }[] = [];
    for (const p of programs) {
      if (!withDocs.has(p.id)) continue;
      for (const key of await deps.keys.keyHistory(p.id)) {
        const fingerprint = key.fingerprint.toUpperCase();
        const current = key.state === 'current';
        keys.push({
          fingerprint,
          url: current ? programKeyUrl(p, publicUrl) : `${publicUrl}${publishedKeyPath(p.slug, fingerprint)}`,
        });
      }
    }
    return cache(reply)
      .type('application/json; charset=utf-8')
      .send(
        `${JSON.stringify(
          providerMetadata({
            publicUrl,
            docs: served,
            publisher: providerPublisher(programs, publicUrl, deps.config.csafPublisher),
            keys,
            now: deps.clock.now(),
          }),
          null,
          2,
        )}\n`,
      );
  });

  app.get(CSAF_ROLIE_WHITE_PATH, async (_request, reply) =>
    cache(reply)
      .type('application/json; charset=utf-8')
      .send(
        `${JSON.stringify(rolieFeed({ publicUrl, docs: await docs(), now: deps.clock.now() }), null, 2)}\n`,
      ),
  );

  app.get(`${CSAF_WHITE_PATH}/index.txt`, async (_request, reply) =>
    cache(reply)
      .type('text/plain; charset=utf-8')
      .send(indexTxt(await docs())),
  );

  app.get(`${CSAF_WHITE_PATH}/changes.csv`, async (_request, reply) =>
    cache(reply)
      .type('text/csv; charset=utf-8')
      .send(changesCsv(await docs())),
  );

  app.get<{ Params: { year: string; file: string } }>(
    `${CSAF_WHITE_PATH}/:year/:file`,
    async (request, reply) => {
      const m = /^([+\-a-z0-9_]+\.json)(\.sha256|\.sha512|\.asc)?$/.exec(request.params.file);
      if (!m || !/^\d{4}$/.test(request.params.year)) return notFound(reply);
      const [, fileName, suffix] = m;
      const doc = (await docs()).find((d) => d.path === `${request.params.year}/${fileName}`);
      if (!doc) return notFound(reply);
      const row = doc.row;
      cache(reply);
      switch (suffix) {
        case undefined:
          return reply.type('application/json; charset=utf-8').send(row.body);
        case '.sha256':
          return reply.type('text/plain; charset=utf-8').send(hashFile(row.sha256, fileName as string));
        case '.sha512':
          return reply.type('text/plain; charset=utf-8').send(hashFile(row.sha512, fileName as string));
        default:
          if (row.signature === null) return notFound(reply);
          return reply.type('application/pgp-signature').send(row.signature);
      }
    },
  );
}
