import fs from 'node:fs';
import path from 'node:path';
import fstatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { packageRoot } from '../core/index.js';

/** Where `npm run build:console` writes the staff console (Vite, hashed asset names). */
export const consoleDir = (): string => path.join(packageRoot(), 'dist', 'console');

const MISSING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Console not built · Vigil</title></head>
<body><main><h1>The staff console has not been built</h1>
<p>This Vigil instance has no staff console files (<code>dist/console</code> is missing).
Run <code>npm run build</code> (or <code>npm run build:console</code>) and restart Vigil.</p>
<p>The API and the public portal work without it.</p></main></body></html>
`;

/**
 * The staff console at /console: hashed assets under /console/assets/ with a year's cache, and
 * index.html (never cached, so a new build is picked up at once) for /console and every other
 * /console/* path, where the browser-side router takes over. The console reads everything else
 * from /api/v1; the CSP set for the whole app (script-src and style-src 'self') applies here too.
 */
export function registerConsoleRoutes(app: FastifyInstance, opts: { dir?: string } = {}): void {
  const dir = opts.dir ?? consoleDir();
  const indexFile = path.join(dir, 'index.html');
  const assetsDir = path.join(dir, 'assets');
  // Read index.html once it exists; a build made while running is picked up on the next request.
  let cached: { mtimeMs: number; html: string } | undefined;
  const readIndex = (): string | undefined => {
    try {
      const st = fs.statSync(indexFile);
      if (!cached || cached.mtimeMs !== st.mtimeMs)
        cached = { mtimeMs: st.mtimeMs, html: fs.readFileSync(indexFile, 'utf8') };
      return cached.html;
    } catch {
      cached = undefined;
      return undefined;
    }
  };

  if (fs.existsSync(assetsDir)) {
    app.register(fstatic, {
      root: assetsDir,
      prefix: '/console/assets/',
      decorateReply: false,
      index: false,
      wildcard: true,
      // Every file name carries a content hash: it never changes under the same name.
      immutable: true,
      maxAge: '365d',
    });
  }

  const sendIndex = (reply: FastifyReply) => {
    const html = readIndex();
    if (html === undefined)
      return reply
        .code(503)
        .header('Cache-Control', 'no-store')
        .header('Retry-After', '60')
        .type('text/html; charset=utf-8')
        .send(MISSING);
    return reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);
  };

  app.get('/console', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  app.get('/console/*', { schema: { hide: true } }, async (request, reply) => {
    // A missing hashed asset is a 404, not the app (a stale page must not get HTML as script).
    if (request.url.startsWith('/console/assets/'))
      return reply
        .code(404)
        .header('Cache-Control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('Not found');
    return sendIndex(reply);
  });
}
