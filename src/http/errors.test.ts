import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { NotFoundError, VigilError } from '../core/index.js';
import { type Db, openDatabase } from '../db/index.js';
import { type App, buildHttpApp } from './app.js';
import { DATABASE_RETRY_AFTER_SECONDS, toErrorBody } from './errors.js';

const request = { id: 'req-1' } as unknown as FastifyRequest;
const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('toErrorBody: the database out of reach', () => {
  it.each([
    ['a server restart (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['too many connections', withCode('53300', 'sorry, too many clients already')],
  ])('answers %s with 503, Retry-After and the common body, naming nothing internal', (_what, err) => {
    const { status, body, headers } = toErrorBody(err, request);
    expect(status).toBe(503);
    expect(headers).toEqual({ 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) });
    expect(body).toEqual({ error: 'database_unavailable', message: expect.any(String), requestId: 'req-1' });
    expect(body.message).not.toContain(err.message);
  });

  it('keeps 500 for other database errors and 4xx for typed errors', () => {
    expect(toErrorBody(withCode('23505', 'duplicate key'), request).status).toBe(500);
    expect(toErrorBody(withCode('23505', 'duplicate key'), request).headers).toBeUndefined();
    expect(toErrorBody(new NotFoundError('There is no case X.'), request).status).toBe(404);
  });
});

describe('toErrorBody: a refusal for now', () => {
  it('sends Retry-After when a typed error says when to come back, and not otherwise', () => {
    const busy = Object.assign(new VigilError(503, 'decryption_busy', 'busy, try later'), {
      retryAfterSeconds: 30,
    });
    expect(toErrorBody(busy, request)).toEqual({
      status: 503,
      headers: { 'retry-after': '30' },
      body: { error: 'decryption_busy', message: 'busy, try later', requestId: 'req-1' },
    });
    expect(toErrorBody(new NotFoundError('case'), request).headers).toBeUndefined();
  });
});

describe('the app during a database outage', () => {
  let app: App;
  let db: Db;
  let dataDir: string;
  const rendered: number[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-http-'));
    const config = loadConfig({ VIGIL_DATA_DIR: dataDir, VIGIL_PUBLIC_URL: 'https://vigil.test' });
    db = await openDatabase({ dataDir });
    app = await buildHttpApp(
      { config, db, isShuttingDown: () => false },
      {
        logger: false,
        renderErrorPage: (_req, reply, status, message) => {
          rendered.push(status);
          return reply.code(status).type('text/html; charset=utf-8').send(`<p>${message}</p>`);
        },
        register: async (a) => {
          const lost = () => {
            throw new Error('Connection terminated unexpectedly');
          };
          a.get('/api/v1/lost', lost);
          a.get('/p/lost', { config: { html: true } }, lost);
        },
      },
    );
  });
  afterAll(async () => {
    await app?.close();
    await db?.close().catch(() => {});
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('answers an API request 503 with Retry-After and the JSON error body', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/lost' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toMatchObject({ error: 'database_unavailable' });
  });

  it('answers a page 503 with Retry-After through the error page', async () => {
    const res = await app.inject({ method: 'GET', url: '/p/lost' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(rendered).toEqual([503]);
  });

  it('reports readiness from the database: ready while it answers, unavailable once it does not', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', checks: { database: 'ok' } });
    await db.close();
    const gone = await app.inject({ method: 'GET', url: '/readyz' });
    expect(gone.statusCode).toBe(503);
    expect(gone.json()).toEqual({
      status: 'unavailable',
      database: 'unreachable',
      checks: { database: 'failing' },
    });
  });
});

describe('the log of an unexpected failure', () => {
  it('keeps the class, the code and where it was thrown, never the message', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-http-'));
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({ VIGIL_DATA_DIR: dataDir, VIGIL_PUBLIC_URL: 'https://vigil.test' });
    const db = await openDatabase({ dataDir });
    const canary = 'Patient Jane Roe DOB 1961-03-14 quoted by a driver';
    const app = await buildHttpApp(
      { config, db, isShuttingDown: () => false },
      {
        logger: { level: 'info', stream } as never,
        register: async (a) => {
          a.get('/api/v1/broken', () => {
            throw Object.assign(new TypeError(`invalid input syntax: "${canary}"`), { code: '22P02' });
          });
        },
      },
    );
    try {
      const res = await app.inject({ method: 'GET', url: '/api/v1/broken' });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain(canary);
      const failed = lines.map((l) => JSON.parse(l)).find((e) => e.msg === 'request failed');
      expect(failed?.err).toMatchObject({
        type: 'TypeError',
        code: '22P02',
        stack: expect.stringMatching(/^\s+at /),
      });
      expect(lines.join('')).not.toContain('Jane Roe');
    } finally {
      await app.close();
      await db.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
