import type { FastifyInstance, FastifyReply } from 'fastify';
import type * as openpgp from 'openpgp';
import type { Config } from '../config/index.js';
import { NotFoundError } from '../core/index.js';
import type { KeyService } from './key-service.js';

/**
 * Publication of OpenPGP keys: the armored download of each program's active key (and of the
 * instance key, which signs the instance-wide security.txt), and the Web Key Directory in both
 * its direct and advanced forms, so mail clients find a program's key from its address alone.
 *
 * WKD domains: the advanced method names the domain in the path and must match the address
 * exactly. The direct method names none — the domain is the host the client asked, which behind
 * a reverse proxy is often Vigil's own rather than the vendor's — so it matches by local part
 * (hash, and `l` when sent) among all programs' addresses, prefers addresses in the domain of the
 * request's host or of VIGIL_PUBLIC_URL when any match, and otherwise returns every match
 * concatenated, which WKD allows: clients keep the key whose user ID is the address they asked
 * for. Only domains that appear in a program key's user ID are ever answered.
 */

const WKD_HASH = /^[ybndrfg8ejkmcpqxot1uwisza345h769]{32}$/;

function sendArmored(reply: FastifyReply, armored: string, filename: string): FastifyReply {
  return (
    reply
      .type('application/pgp-keys')
      .header('Content-Disposition', `attachment; filename="${filename}"`)
      .header('X-Content-Type-Options', 'nosniff')
      // Short, so a rotation reaches readers within minutes.
      .header('Cache-Control', 'public, max-age=600')
      .send(armored)
  );
}

/** WKD answers are read by clients and by web pages of other origins (hence the open CORS). */
function wkdHeaders(reply: FastifyReply): FastifyReply {
  return reply.header('Access-Control-Allow-Origin', '*').header('Cache-Control', 'public, max-age=600');
}

function sendDirectoryKeys(reply: FastifyReply, keys: openpgp.PublicKey[]): FastifyReply {
  if (keys.length === 0) throw new NotFoundError('No OpenPGP key is published for this address.');
  return wkdHeaders(reply)
    .type('application/octet-stream')
    .send(Buffer.concat(keys.map((k) => k.write())));
}

/** `l` as sent (a repeated parameter is ignored rather than guessed at). */
const localPartOf = (l: unknown) => (typeof l === 'string' ? l : undefined);

/** Register the key download and Web Key Directory routes. */
export function registerKeyRoutes(app: FastifyInstance, deps: { keys: KeyService; config: Config }): void {
  const publicHost = new URL(deps.config.publicUrl).hostname.toLowerCase();

  app.get<{ Params: { slug: string } }>('/p/:slug/key.asc', async (request, reply) => {
    const key = await deps.keys.publishedKeyOf(request.params.slug);
    return sendArmored(reply, key.armored, `${request.params.slug}-${key.fingerprint.slice(-16)}.asc`);
  });

  // Every key the program has published, by fingerprint, at an address that never changes: the
  // current key and the retired ones that signed earlier advisories (listed in the CSAF provider
  // metadata and on the program page). Public keys only.
  app.get<{ Params: { slug: string; file: string } }>('/p/:slug/keys/:file', async (request, reply) => {
    const fingerprint = /^([0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})\.asc$/.exec(request.params.file)?.[1];
    if (!fingerprint) throw new NotFoundError('There is no OpenPGP key at this address.');
    const key = await deps.keys.publishedKeyByFingerprint(request.params.slug, fingerprint);
    return sendArmored(reply, key.armored, `${request.params.slug}-${key.fingerprint.slice(-16)}.asc`);
  });

  app.get('/key.asc', async (_request, reply) => {
    const key = await deps.keys.publishedKey(null);
    if (!key) throw new NotFoundError('This instance has no OpenPGP key yet.');
    return sendArmored(reply, key.armored, `vigil-instance-${key.fingerprint.slice(-16)}.asc`);
  });

  app.get<{ Params: { hash: string }; Querystring: { l?: unknown } }>(
    '/.well-known/openpgpkey/hu/:hash',
    async (request, reply) => {
      const { hash } = request.params;
      if (!WKD_HASH.test(hash)) throw new NotFoundError('No OpenPGP key is published for this address.');
      const keys = await deps.keys.directoryKeys({
        hash,
        localPart: localPartOf(request.query.l),
        preferDomains: [request.hostname.toLowerCase(), publicHost],
      });
      return sendDirectoryKeys(reply, keys);
    },
  );

  app.get<{ Params: { domain: string; hash: string }; Querystring: { l?: unknown } }>(
    '/.well-known/openpgpkey/:domain/hu/:hash',
    async (request, reply) => {
      const { domain, hash } = request.params;
      if (!WKD_HASH.test(hash)) throw new NotFoundError('No OpenPGP key is published for this address.');
      const keys = await deps.keys.directoryKeys({ hash, domain, localPart: localPartOf(request.query.l) });
      return sendDirectoryKeys(reply, keys);
    },
  );

  // The policy file says "this host runs a WKD"; an empty one means default policy.
  app.get('/.well-known/openpgpkey/policy', async (_request, reply) =>
    wkdHeaders(reply).type('text/plain; charset=utf-8').send(''),
  );

  app.get<{ Params: { domain: string } }>(
    '/.well-known/openpgpkey/:domain/policy',
    async (request, reply) => {
      const domains = await deps.keys.directoryDomains();
      if (!domains.has(request.params.domain.toLowerCase()))
        throw new NotFoundError('This host runs no Web Key Directory for that domain.');
      return wkdHeaders(reply).type('text/plain; charset=utf-8').send('');
    },
  );
}
