import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlobStore, openS3Store } from '../src/blobs/index.js';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { loadKeyring } from '../src/crypto/index.js';
import type { Program } from '../src/programs/index.js';
import { sweepOrphanBlobs } from '../src/server.js';
import { freePort } from './helpers/child-server.js';
import { multipartSubmission, validAnswers } from './helpers/reports.js';
import { S3RVER_ACCESS_KEY, S3RVER_SECRET_KEY, startS3, type TestS3 } from './helpers/s3.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Vigil with its attachments in an S3-compatible bucket (s3rver, a real HTTP service): start-up
 * refuses a bucket, key or endpoint that does not work with one sentence naming the variable, and
 * a whole instance takes a report with a file, keeps only ciphertext in the bucket, and gives the
 * file back to staff.
 */

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('S3 start-up probe', () => {
  let s3: TestS3;
  let dir: string;

  beforeAll(async () => {
    s3 = await startS3();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-s3-probe-'));
  });
  afterAll(async () => {
    await s3?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Opens the blob store as `createVigil` does, from VIGIL_* variables; answers the error. */
  async function openWith(env: Record<string, string>): Promise<unknown> {
    const config = loadConfig({ VIGIL_DATA_DIR: dir, ...env });
    const keyring = await loadKeyring({ dataDir: dir });
    return openBlobStore(config.blobStore, { dataDir: dir, keyring }).then(
      () => undefined,
      (err: unknown) => err,
    );
  }

  it('opens a working bucket, leaving no probe object behind, and answers ping', async () => {
    const config = loadConfig({ VIGIL_DATA_DIR: dir, ...s3.env, VIGIL_S3_PREFIX: 'probe/' });
    const store = await openBlobStore(config.blobStore, {
      dataDir: dir,
      keyring: await loadKeyring({ dataDir: dir }),
    });
    await store.ping();
    const stored = await fs.readdir(path.join(s3.directory, s3.bucket), { recursive: true });
    expect(stored.filter((f) => f.includes('vigil-probe') && f.endsWith('_object'))).toEqual([]);
  });

  it('names VIGIL_S3_BUCKET when the bucket does not exist', async () => {
    const err = await openWith({ ...s3.env, VIGIL_S3_BUCKET: 'no-such-bucket' });
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      `VIGIL_S3_BUCKET: the bucket "no-such-bucket" does not exist at ${s3.endpoint}`,
    ]);
  });

  it('names the credential variables when the service refuses the key', async () => {
    const err = await openWith({ ...s3.env, VIGIL_S3_ACCESS_KEY_ID: 'NOT-A-KEY' });
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toHaveLength(1);
    expect((err as ConfigError).problems[0]).toMatch(
      /^VIGIL_S3_ACCESS_KEY_ID \/ VIGIL_S3_SECRET_ACCESS_KEY: the S3 service refused the credentials \(403\b/,
    );
  });

  it('names VIGIL_S3_ENDPOINT when nothing answers there, without hanging', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const err = await openWith({ ...s3.env, VIGIL_S3_ENDPOINT: dead });
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      `VIGIL_S3_ENDPOINT: cannot connect to ${dead} (ECONNREFUSED); check the URL and that the service is running`,
    ]);
  });

  it('names the credential variables when the key may read the bucket but not write to it', async () => {
    const stop = s3.refuse((r) => r.method === 'PUT' && r.path.includes('/.vigil-probe/'));
    try {
      const err = await openWith(s3.env);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        `VIGIL_S3_ACCESS_KEY_ID / VIGIL_S3_SECRET_ACCESS_KEY: the credentials may not write to the bucket "${s3.bucket}" (403 AccessDenied on PutObject); Vigil needs to put, get, delete and list objects and to list and abort multipart uploads`,
      ]);
    } finally {
      stop();
    }
  });

  it('gives up on an endpoint that accepts connections but never answers, naming it', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    try {
      const config = loadConfig({ VIGIL_DATA_DIR: dir, ...s3.env, VIGIL_S3_ENDPOINT: endpoint });
      if (config.blobStore.kind !== 's3') throw new Error('expected the S3 configuration');
      const err = await openS3Store(config.blobStore, await loadKeyring({ dataDir: dir }), {
        probeTimeoutMs: 1_500,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        `VIGIL_S3_ENDPOINT: cannot connect to ${endpoint} (no answer in time); check the URL and that the service is running`,
      ]);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses a ping once the service is gone', async () => {
    const own = await startS3();
    const config = loadConfig({ VIGIL_DATA_DIR: dir, ...own.env });
    const store = await openBlobStore(config.blobStore, {
      dataDir: dir,
      keyring: await loadKeyring({ dataDir: dir }),
    });
    await store.ping();
    await own.close();
    await expect(store.ping()).rejects.toThrow();
  });
});

describe.each(dialects)('Vigil with attachments in S3 (%s)', (dialect) => {
  let s3: TestS3;
  let v: TestVigil;
  let client: S3Client;
  let program: Program;
  let staffToken: string;
  const prefix = `vigil-${dialect}/`;

  beforeAll(async () => {
    s3 = await startS3();
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: S3RVER_ACCESS_KEY, secretAccessKey: S3RVER_SECRET_KEY },
    });
    v = await startTestVigil(dialect, { env: { ...s3.env, VIGIL_S3_PREFIX: prefix } });
    const programs = await v.services.programs.list();
    program = programs.find((p) => p.definition.form.attachments.allowed) as Program;
    expect(program).toBeDefined();
    await v.services.accounts.createUser({ email: 'lead@vendor.example', role: 'admin' }, 'test');
    staffToken = (
      await v.services.accounts.createToken({ userEmail: 'lead@vendor.example', scope: 'read' }, 'test')
    ).token;
  });
  afterAll(async () => {
    await v?.destroy();
    client?.destroy();
    await s3?.close();
  });

  it('stores a submitted attachment as ciphertext in the bucket and serves the plaintext to staff', async () => {
    const canary = 'CANARY-s3-attachment-7731-infusion-pump-trace';
    const data = Buffer.concat([Buffer.from(canary.repeat(2000)), randomBytes(300_000)]);
    const res = await v.app.inject(
      multipartSubmission(program.slug, validAnswers(program, 'stored in S3'), [
        { name: 'trace.bin', type: 'application/octet-stream', data },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { caseNumber } = res.json() as { caseNumber: string };

    // The attachment's blob is an object <prefix><2 chars>/<key> in the bucket, and only there.
    const rows = await v.db.kysely.selectFrom('attachments').select(['id', 'blob_key', 'sha256']).execute();
    expect(rows).toHaveLength(1);
    const row = rows[0] as { id: string; blob_key: string; sha256: string };
    const object = await client.send(
      new GetObjectCommand({
        Bucket: s3.bucket,
        Key: `${prefix}${row.blob_key.slice(0, 2)}/${row.blob_key}`,
      }),
    );
    const stored = Buffer.from(
      await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(stored.length).toBeGreaterThan(data.length);
    expect(stored.includes(Buffer.from(canary))).toBe(false);
    expect(stored.includes(data.subarray(canary.length * 2000, canary.length * 2000 + 64))).toBe(false);
    const local = await fs.readdir(path.join(v.dataDir, 'blobs'), { recursive: true }).catch(() => []);
    expect(local).toEqual([]);

    // Staff download through the API: the plaintext, whole.
    const detail = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}`,
      headers: { authorization: `Bearer ${staffToken}` },
    });
    const attachment = (detail.json() as { attachments: { id: string; size: number }[] }).attachments[0];
    expect(attachment?.size).toBe(data.length);
    const dl = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}/attachments/${attachment?.id}`,
      headers: { authorization: `Bearer ${staffToken}` },
    });
    expect(dl.statusCode).toBe(200);
    expect(sha256(dl.rawPayload)).toBe(sha256(data));
    expect(row.sha256).toBe(sha256(data));

    // The orphan sweep keeps what the database references, and removes what it does not.
    const orphan = await v.blobs.put(Readable.from([Buffer.from('orphan')]), {
      maxBytes: 100,
      aad: 'attachment:none',
    });
    expect(await sweepOrphanBlobs(v, 0)).toBe(1);
    expect(await v.blobs.exists(orphan.key)).toBe(false);
    expect(await v.blobs.exists(row.blob_key)).toBe(true);
  });

  it('answers 503 with Retry-After while the bucket is unavailable, keeps nothing, and takes the same submission once it is back', async () => {
    const submission = multipartSubmission(program.slug, validAnswers(program, 'while S3 is down'), [
      { name: 'capture.pcap', type: 'application/octet-stream', data: randomBytes(200_000) },
    ]);
    const submit = () => v.app.inject(submission);
    const count = async (table: 'reports' | 'attachments') =>
      (await v.db.kysely.selectFrom(table).select('id').execute()).length;
    const before = { reports: await count('reports'), attachments: await count('attachments') };
    // Every request to the bucket fails as a service in trouble answers (the SDK retries, then gives up).
    const stop = s3.refuse(() => true, {
      status: 503,
      code: 'ServiceUnavailable',
    });
    try {
      const refused = await submit();
      expect(refused.statusCode, refused.body).toBe(503);
      expect(refused.headers['retry-after']).toBe('30');
      expect(refused.json()).toMatchObject({ error: 'storage_unavailable' });
      expect(await count('reports')).toBe(before.reports);
      expect(await count('attachments')).toBe(before.attachments);
      expect((await s3.openUploads()).filter((k) => k.startsWith(prefix))).toEqual([]);
      expect((await v.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    } finally {
      stop();
    }
    // No restart: the same request is taken as soon as the service answers again.
    const accepted = await submit();
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(await count('reports')).toBe(before.reports + 1);
    expect((await v.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
