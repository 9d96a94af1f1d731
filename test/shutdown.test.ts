import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { type Program, parseProgramYaml } from '../src/programs/index.js';
import { attachmentAad } from '../src/reports/staged-files.js';
import { createVigil } from '../src/server.js';
import { type ChildServer, startChildServer, stopChildServer } from './helpers/child-server.js';
import { multipartBody, validAnswers } from './helpers/reports.js';

/**
 * SIGTERM (what an orchestrator sends before it replaces an instance) must not cost a reporter
 * the upload they are in the middle of: the server stops taking connections, finishes the
 * requests it has, and exits 0.
 */

const FILE_BYTES = 2 * 1024 * 1024;
const CHUNKS = 30;
const CHUNK_INTERVAL_MS = 50;
/** Signal the server after this many chunks (well inside the ~1.5 s upload). */
const SIGTERM_AFTER_CHUNKS = 6;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a new TCP connection to the port is refused. */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') resolve(true);
      else reject(err);
    });
  });
}

describe('graceful shutdown on SIGTERM (sqlite)', () => {
  let dataDir: string;
  let server: ChildServer | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-shutdown-'));
  });

  afterAll(async () => {
    if (server) await stopChildServer(server, 'SIGKILL').catch(() => {});
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('finishes a slow upload in flight with 201, refuses new connections and exits 0', {
    timeout: 120_000,
  }, async () => {
    const s = await startChildServer({ dataDir });
    server = s;
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok' });

    const yaml = await fs.readFile(
      path.resolve(import.meta.dirname, '..', 'examples', 'programs', 'medical-device-maker.yaml'),
      'utf8',
    );
    const definition = parseProgramYaml(yaml);
    const program: Program = { id: '', slug: definition.slug, revision: 1, definition };
    expect(definition.form.attachments.allowed).toBe(true);
    const data = randomBytes(FILE_BYTES);
    const sha = createHash('sha256').update(data).digest('hex');
    const { body, contentType } = multipartBody(validAnswers(program, 'uploaded while stopping'), [
      { name: 'capture.pcap', data },
    ]);

    // A multipart POST whose body trickles in over about 1.5 s.
    const req = http.request({
      host: '127.0.0.1',
      port: s.port,
      method: 'POST',
      path: `/api/v1/programs/${program.slug}/reports`,
      headers: { 'content-type': contentType, 'content-length': String(body.length) },
      agent: false,
    });
    let answeredAt = 0;
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.once('error', reject);
      req.once('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.once('error', reject);
        res.once('end', () => {
          answeredAt = Date.now();
          resolve({ status: res.statusCode ?? 0, body: text });
        });
      });
    });
    // Keep a rejection from going unhandled while the body is still being written.
    response.catch(() => {});

    const chunkSize = Math.ceil(body.length / CHUNKS);
    let refusedWhileInFlight = false;
    let signalledAt = 0;
    let refusedAt = 0;
    let answeredEarly = false;
    for (let i = 0; i < CHUNKS; i++) {
      if (i > 0) await sleep(CHUNK_INTERVAL_MS);
      if (i === SIGTERM_AFTER_CHUNKS) {
        s.child.kill('SIGTERM');
        signalledAt = Date.now();
      } else if (signalledAt && !refusedWhileInFlight) {
        // Once signalled, a new connection must be refused while our upload is still going.
        refusedWhileInFlight = await connectionRefused(s.port);
        if (refusedWhileInFlight) refusedAt = Date.now();
      }
      if (answeredAt) answeredEarly = true;
      req.write(body.subarray(i * chunkSize, (i + 1) * chunkSize));
    }
    req.end();
    expect(answeredEarly, 'the server answered before the whole body was sent').toBe(false);
    expect(refusedWhileInFlight, 'new connections were still accepted after SIGTERM').toBe(true);

    const res = await response;
    expect(res.status, res.body).toBe(201);
    const receipt = JSON.parse(res.body) as { caseNumber: string; reporterUrl: string };
    expect(receipt.caseNumber).toMatch(new RegExp(`^${definition.casePrefix}-\\d{4}-\\d{4}$`));
    expect(answeredAt - signalledAt).toBeGreaterThan(500);

    const exit = await Promise.race([s.exited, sleep(5_000).then(() => 'timeout' as const)]);
    expect(exit, s.output()).toEqual({ code: 0, signal: null });
    const exitedAt = Date.now();
    console.info(
      `[shutdown] refused new connections ${refusedAt - signalledAt} ms after SIGTERM, answered the ` +
        `upload 201 ${answeredAt - signalledAt} ms after it, exited 0 ${exitedAt - answeredAt} ms later`,
    );
    expect(await connectionRefused(s.port)).toBe(true);

    // What was acknowledged during shutdown is stored whole.
    const v = await createVigil(loadConfig({ VIGIL_DATA_DIR: dataDir, VIGIL_SEED_EXAMPLES: 'false' }), {
      logger: false,
      worker: false,
    });
    try {
      const report = await v.db.kysely
        .selectFrom('reports')
        .select(['id'])
        .where('case_number', '=', receipt.caseNumber)
        .executeTakeFirstOrThrow();
      const files = await v.db.kysely
        .selectFrom('attachments')
        .selectAll()
        .where('report_id', '=', report.id)
        .execute();
      expect(files).toHaveLength(1);
      expect(files[0]?.size).toBe(FILE_BYTES);
      expect(files[0]?.sha256).toBe(sha);
      const file = files[0] as { id: string; blob_key: string };
      const stored = createHash('sha256');
      for await (const chunk of v.blobs.get(file.blob_key, attachmentAad(file.id))) stored.update(chunk);
      expect(stored.digest('hex')).toBe(sha);
    } finally {
      await v.close();
    }
  });
});
