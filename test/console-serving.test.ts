import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDir, registerConsoleRoutes } from '../src/console/console-routes.js';
import { startTestVigil, type TestVigil } from './helpers/test-vigil.js';

describe('the staff console is served at /console', () => {
  let v: TestVigil;
  let assetPath: string;

  beforeAll(async () => {
    const index = path.join(consoleDir(), 'index.html');
    if (!fs.existsSync(index))
      throw new Error(`${index} is missing: build the console first (npm run build:console, or npm test).`);
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(fs.readFileSync(index, 'utf8'))?.[1];
    if (!asset) throw new Error('the built index.html names no /console/assets/*.js script');
    assetPath = asset;
    v = await startTestVigil('sqlite');
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('answers /console with the app page, uncached, under the CSP', async () => {
    const res = await v.app.inject({ url: '/console' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<div id="root"></div>');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // No inline script or style in the page itself.
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/<style/);
  });

  it('answers every other /console path with the same page (the browser routes)', async () => {
    const root = await v.app.inject({ url: '/console' });
    for (const url of [
      '/console/',
      '/console/sign-in',
      '/console/cases/NWM-2026-0001',
      '/console/metrics?program=x',
    ]) {
      const res = await v.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(root.body);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('serves the hashed assets with a long cache, and a missing asset as 404 (never the page)', async () => {
    const res = await v.app.inject({ url: assetPath });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    expect(res.headers['content-security-policy']).toBeDefined();

    const missing = await v.app.inject({ url: '/console/assets/index-nope.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<div id="root">');
  });

  it('leaves the API and the portal alone', async () => {
    const api = await v.app.inject({ url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/json/);
    const portal = await v.app.inject({ url: '/' });
    expect(portal.statusCode).toBe(200);
    expect(portal.body).not.toContain('<div id="root"></div>');
  });
});

describe('without a console build', () => {
  it('answers /console with a 503 page that says how to build it', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-console-'));
    const app = Fastify({ logger: false });
    registerConsoleRoutes(app, { dir: path.join(empty, 'console') });
    try {
      for (const url of ['/console', '/console/sign-in']) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).toBe(503);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toContain('npm run build');
      }
    } finally {
      await app.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
