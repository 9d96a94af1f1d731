import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { type Db, openDatabase } from '../db/index.js';
import { type App, buildHttpApp } from './app.js';

/**
 * A connection that holds the server without finishing its request (it goes silent mid-body) is
 * closed by the server, which keeps answering everyone else. The limit is shortened for the test;
 * what is asserted is that the server ends it, not how fast.
 */
describe('connection limits', () => {
  let app: App;
  let db: Db;
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-timeouts-'));
    const config = loadConfig({ VIGIL_DATA_DIR: dataDir, VIGIL_PUBLIC_URL: 'https://vigil.test' });
    db = await openDatabase({ dataDir });
    app = await buildHttpApp(
      { config, db, isShuttingDown: () => false },
      {
        logger: false,
        timeouts: { idleConnectionMs: 300 },
        register: async (a) => {
          a.post('/api/v1/echo', async (req) => ({ got: JSON.stringify(req.body).length }));
        },
      },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** Opens a socket, writes `head`, and resolves with what the server sent before it closed. */
  function holdOpen(head: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (d) => {
        received += String(d);
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(received));
      socket.on('connect', () => socket.write(head));
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the server never closed the connection'));
      }, 60_000).unref();
    });
  }

  const head = (length: number) =>
    `POST /api/v1/echo HTTP/1.1\r\nHost: vigil.test\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{"a":`;

  it('closes a connection that goes silent in the middle of a request', async () => {
    await holdOpen(head(1_000));
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
  });
});
