import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';

/**
 * Sign-in throttling counts failures per client address (`throttle.ts`). Behind a reverse proxy
 * without `VIGIL_TRUST_PROXY=true`, every client has the proxy's address, so 30 failed sign-ins
 * from anyone lock out everyone for 15 minutes. Vigil cannot be sure it sits behind a proxy, so
 * it warns where the signs are: at start-up when the public URL is https (Vigil itself serves
 * plain HTTP, so something in front terminates TLS) or names another host than the loopback
 * address Vigil listens on; and at run time, once, when a request carries forwarding headers.
 */

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

/** Why the configuration looks proxied without trusting the proxy, or null when it does not. */
export function proxiedWithoutTrust(
  config: Pick<Config, 'trustProxy' | 'publicUrl' | 'host'>,
): string | null {
  if (config.trustProxy) return null;
  const url = new URL(config.publicUrl);
  if (url.protocol === 'https:')
    return `VIGIL_PUBLIC_URL is ${url.origin} but Vigil serves plain HTTP, so a proxy in front terminates TLS`;
  if (LOOPBACK.has(config.host) && !LOOPBACK.has(url.hostname))
    return `Vigil listens on ${config.host} but VIGIL_PUBLIC_URL names ${url.hostname}, so a proxy in front forwards to it`;
  return null;
}

const CONSEQUENCE =
  'without VIGIL_TRUST_PROXY=true every client has the address of the proxy, and 30 failed sign-ins ' +
  'from anyone lock out every user behind it for 15 minutes. Set VIGIL_TRUST_PROXY=true if the proxy ' +
  'sets X-Forwarded-For (and Vigil is reachable only through it).';

/**
 * Warn at start-up when the configuration looks proxied, and once at run time when a request
 * arrives with forwarding headers that Vigil ignores. Call at plugin registration: the hook
 * then sees the requests of the routes registered after it in the same plugin.
 */
export function warnOfUntrustedProxy(
  app: FastifyInstance,
  config: Pick<Config, 'trustProxy' | 'publicUrl' | 'host'>,
): void {
  if (config.trustProxy) return;
  const why = proxiedWithoutTrust(config);
  if (why) app.log.warn({ setting: 'VIGIL_TRUST_PROXY' }, `${why}; ${CONSEQUENCE}`);
  let warned = false;
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (warned) return;
    const header = FORWARDING_HEADERS.find((h) => request.headers[h] !== undefined);
    if (header === undefined) return;
    warned = true;
    request.log.warn(
      { setting: 'VIGIL_TRUST_PROXY', header, clientAddress: request.ip },
      `Requests carry ${header} but VIGIL_TRUST_PROXY is off, so Vigil takes ${request.ip} for the client; ${CONSEQUENCE}`,
    );
  });
}
