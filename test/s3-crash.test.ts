import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { type Program, parseProgramYaml } from '../src/programs/index.js';
import { attachmentAad } from '../src/reports/index.js';
import { createVigil, sweepOrphanBlobs } from '../src/server.js';
import {
  type ChildServer,
  type ChildStorage,
  createTempDatabase,
  startChildServer,
  stopChildServer,
} from './helpers/child-server.js';
import { reportSubmission, validAnswers } from './helpers/reports.js';
import { startS3, type TestS3 } from './helpers/s3.js';
import { dialects } from './helpers/test-vigil.js';

/**
 * "Nothing accepted is ever lost", with attachments in S3: a `vigil serve` process streaming
 * several multi-part attachments to the bucket is killed with SIGKILL. After the crash every
 * submission answered 201 has its object, whole; what the kill cut short (incomplete multipart
 * uploads, objects whose report never committed) is removed by the orphan sweep.
 */

const SUBMISSIONS = 24;
const CONCURRENCY = 6;
/** Over one 5 MiB part, so each upload is a multipart upload with parts in flight. */
const FILE_BYTES = 7 * 1024 * 1024;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(dialects)('S3 attachments under SIGKILL (%s)', (dialect) => {
  let s3: TestS3;
  let storage: ChildStorage;
  let dropDatabase: (() => Promise<void>) | undefined;
  let server: ChildServer | undefined;

  beforeAll(async () => {
    s3 = await startS3();
    storage = { dataDir: await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-s3-crash-')) };
    if (dialect === 'postgres') {
      const db = await createTempDatabase('vigil_s3_crash');
      storage.databaseUrl = db.url;
      dropDatabase = db.drop;
    }
  });

  afterAll(async () => {
    if (server) await stopChildServer(server, 'SIGKILL').catch(() => {});
    await fs.rm(storage.dataDir, { recursive: true, force: true });
    await dropDatabase?.();
    await s3?.close();
  });

  it('keeps the object of every acknowledged report, and the sweep clears what the kill left', {
    timeout: 180_000,
  }, async () => {
    const first = await startChildServer(storage, { env: s3.env });
    server = first;
    const program = await exampleProgramWithFiles();

    const acked: { caseNumber: string; sha: string }[] = [];
    let killed = false;
    let openAtKill = 0;
    let next = 0;
    const kill = async () => {
      if (killed) return;
      // Kill only with uploads in flight: a kill between uploads would prove little.
      const open = await s3.openUploads();
      if (killed || acked.length < 3 || open.length === 0) return;
      killed = true;
      openAtKill = open.length;
      first.child.kill('SIGKILL');
    };
    const client = async () => {
      while (next < SUBMISSIONS && !killed) {
        const i = next++;
        const data = randomBytes(FILE_BYTES + i * 1000);
        const init = reportSubmission(validAnswers(program, `s3-crash-${i}`), {
          name: `trace-${i}.bin`,
          data,
        });
        try {
          const res = await fetch(`${first.url}/api/v1/programs/${program.slug}/reports`, {
            ...init,
            signal: AbortSignal.timeout(60_000),
          });
          if (res.status === 201) {
            acked.push({
              caseNumber: ((await res.json()) as { caseNumber: string }).caseNumber,
              sha: sha256(data),
            });
          } else {
            throw new Error(`submission ${i} answered ${res.status}: ${await res.text()}`);
          }
        } catch (err) {
          if (!killed) throw err;
        }
        await kill();
      }
    };
    const watcher = async () => {
      while (!killed && next < SUBMISSIONS) {
        await kill();
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await Promise.all([...Array.from({ length: CONCURRENCY }, client), watcher()]);
    const end = await first.exited;
    expect(killed, `no moment with uploads in flight after 3 answers:\n${first.output()}`).toBe(true);
    expect(end.signal).toBe('SIGKILL');
    expect(openAtKill).toBeGreaterThan(0);

    // After the crash, on the same database and bucket.
    const v = await openInProcess(storage, s3.env);
    try {
      const k = v.db.kysely;
      const rows = await k
        .selectFrom('attachments')
        .innerJoin('reports', 'reports.id', 'attachments.report_id')
        .select(['attachments.id', 'attachments.blob_key', 'reports.case_number'])
        .execute();
      for (const a of acked) {
        const row = rows.find((r) => r.case_number === a.caseNumber);
        expect(row, `acknowledged ${a.caseNumber} has no attachment row`).toBeDefined();
        if (!row) continue;
        expect(await v.blobs.exists(row.blob_key), `acknowledged ${a.caseNumber} lacks its object`).toBe(
          true,
        );
        const chunks: Buffer[] = [];
        for await (const c of v.blobs.get(row.blob_key, attachmentAad(row.id))) chunks.push(c as Buffer);
        expect(sha256(Buffer.concat(chunks)), a.caseNumber).toBe(a.sha);
      }

      // What the kill left: incomplete multipart uploads (and possibly objects without a row).
      expect((await s3.openUploads()).length).toBeGreaterThan(0);
      await sweepOrphanBlobs(v, 0);
      expect(await s3.openUploads()).toEqual([]);
      const left: string[] = [];
      for await (const key of v.blobs.list()) left.push(key);
      expect(new Set(left)).toEqual(new Set(rows.map((r) => r.blob_key)));
      console.info(
        `[s3-crash ${dialect}] ${acked.length} answered 201 before the kill, ${openAtKill} upload(s) in flight, ` +
          `${rows.length} attachments stored and verified`,
      );
    } finally {
      await v.close();
    }
  });
});

/** The example program that takes attachments, as its YAML defines it (the child seeded it). */
async function exampleProgramWithFiles(): Promise<Program> {
  const dir = path.resolve(import.meta.dirname, '..', 'examples', 'programs');
  for (const f of (await fs.readdir(dir)).filter((n) => n.endsWith('.yaml')).sort()) {
    const definition = parseProgramYaml(await fs.readFile(path.join(dir, f), 'utf8'));
    if (definition.form.attachments.allowed)
      return { id: '', slug: definition.slug, revision: 1, definition };
  }
  throw new Error('no example program takes attachments');
}

async function openInProcess(storage: ChildStorage, s3Env: Record<string, string>) {
  const config = loadConfig({
    VIGIL_DATA_DIR: storage.dataDir,
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
    VIGIL_SEED_EXAMPLES: 'false',
    ...s3Env,
  });
  return createVigil(config, { logger: false, worker: false });
}
