import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileBlobStore } from '../src/blobs/index.js';
import { loadConfig } from '../src/config/index.js';
import { loadKeyring } from '../src/crypto/index.js';
import type { Program } from '../src/programs/index.js';
import { createVigil } from '../src/server.js';
import { createTempDatabase } from './helpers/child-server.js';
import { runVigil } from './helpers/cli.js';
import { multipartSubmission, validAnswers } from './helpers/reports.js';
import { startS3, type TestS3 } from './helpers/s3.js';
import { dialects } from './helpers/test-vigil.js';

/**
 * `vigil blobs migrate`: an instance that kept its attachments in <VIGIL_DATA_DIR>/blobs moves
 * them to S3 without re-encrypting them, and, started on the bucket, serves the same files.
 */

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(dialects)('vigil blobs migrate and verify, end to end (%s)', (dialect) => {
  let s3: TestS3;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  /** The instance's own environment (data folder, database), as the CLI is given it. */
  let base: Record<string, string>;

  beforeAll(async () => {
    s3 = await startS3();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-migrate-e2e-'));
    base = {
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PUBLIC_URL: 'https://vigil.test',
      VIGIL_RATE_LIMIT_PER_MINUTE: '0',
    };
    if (dialect === 'postgres') {
      const db = await createTempDatabase('vigil_migrate');
      base.DATABASE_URL = db.url;
      dropDatabase = db.drop;
    }
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
    await dropDatabase?.();
    await s3?.close();
  });

  const open = (env: Record<string, string>) =>
    createVigil(loadConfig({ ...base, ...env }), { logger: false, worker: false });

  it('copies a local store to S3 as it is, resumably, and the instance on S3 serves the same files', async () => {
    // 1. An instance on the local store takes two reports with files.
    const local = await open({});
    const sent: { caseNumber: string; sha: string }[] = [];
    let token: string;
    try {
      const program = (await local.services.programs.list()).find(
        (p) => p.definition.form.attachments.allowed,
      ) as Program;
      await local.services.accounts.createUser({ email: 'lead@vendor.example', role: 'admin' }, 'test');
      token = (
        await local.services.accounts.createToken({ userEmail: 'lead@vendor.example', scope: 'read' }, 'test')
      ).token;
      for (const size of [40_000, 6 * 1024 * 1024]) {
        const data = randomBytes(size);
        const res = await local.app.inject(
          multipartSubmission(program.slug, validAnswers(program, `migrate ${size}`), [
            { name: 'file.bin', data },
          ]),
        );
        expect(res.statusCode, res.body).toBe(201);
        sent.push({ caseNumber: (res.json() as { caseNumber: string }).caseNumber, sha: sha256(data) });
      }
    } finally {
      await local.close();
    }
    const localRoot = path.join(dataDir, 'blobs');
    const localFiles = async () =>
      (await fs.readdir(localRoot, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && !e.parentPath.endsWith('.tmp'))
        .map((e) => e.name)
        .sort();
    const before = await localFiles();
    expect(before).toHaveLength(2);
    const verifiedLocally = await runVigil(['blobs', 'verify'], base);
    expect(verifiedLocally.code, verifiedLocally.stderr).toBe(0);
    expect(verifiedLocally.stdout).toContain(
      'All 2 attachment blob(s) are present and decrypt to their recorded SHA-256.',
    );

    // 2. Migrate, and once more: the second run finds everything there and copies nothing.
    const s3Env = { ...s3.env, VIGIL_S3_PREFIX: 'moved/' };
    const first = await runVigil(['blobs', 'migrate'], { ...base, ...s3Env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      'Done, 2 blob(s) in the local store: 2 copied, 0 already in the bucket and verified, 0 failed.',
    );
    expect(first.stdout).toContain(`The local files in ${localRoot} were left in place.`);
    const again = await runVigil(['blobs', 'migrate'], { ...base, ...s3Env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 copied, 2 already in the bucket and verified, 0 failed.');
    expect(await localFiles()).toEqual(before);

    // The objects are the local files, byte for byte (same key, same ciphertext).
    const objectFile = (key: string) =>
      path.join(s3.directory, s3.bucket, 'moved', key.slice(0, 2), `${key}._S3rver_object`);
    for (const key of before) {
      expect(sha256(await fs.readFile(objectFile(key)))).toBe(
        sha256(await fs.readFile(path.join(localRoot, key.slice(0, 2), key))),
      );
    }

    // 3. With the local files out of the way, the instance on S3 verifies and serves the same bytes.
    await fs.rename(localRoot, `${localRoot}.old`);
    const verified = await runVigil(['blobs', 'verify'], { ...base, ...s3Env });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(
      'All 2 attachment blob(s) are present and decrypt to their recorded SHA-256.',
    );
    const onS3 = await open({ ...s3Env, VIGIL_SEED_EXAMPLES: 'false' });
    try {
      for (const s of sent) {
        const detail = await onS3.app.inject({
          method: 'GET',
          url: `/api/v1/reports/${s.caseNumber}`,
          headers: { authorization: `Bearer ${token}` },
        });
        const id = (detail.json() as { attachments: { id: string }[] }).attachments[0]?.id;
        const dl = await onS3.app.inject({
          method: 'GET',
          url: `/api/v1/reports/${s.caseNumber}/attachments/${id}`,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(dl.statusCode).toBe(200);
        expect(sha256(dl.rawPayload)).toBe(s.sha);
      }
    } finally {
      await onS3.close();
    }

    // 4. verify names an attachment whose object went missing, and exits 1.
    await fs.rm(objectFile(before[0] as string));
    const broken = await runVigil(['blobs', 'verify'], { ...base, ...s3Env });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      new RegExp(`attachment [0-9a-f-]{36} \\(blob ${before[0]}\\): missing from the store`),
    );
    expect(broken.stderr).toContain(
      'vigil: 1 of 2 attachment blob(s) are missing or do not decrypt to their recorded SHA-256 (listed above).',
    );
  });
});

describe('vigil blobs migrate, refusals', () => {
  let s3: TestS3;
  let dir: string;

  beforeAll(async () => {
    s3 = await startS3();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-migrate-'));
  });
  afterAll(async () => {
    await s3?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses with a sentence when no bucket is configured', async () => {
    const r = await runVigil(['blobs', 'migrate'], { VIGIL_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^vigil: no S3 bucket is configured to migrate to; set VIGIL_S3_BUCKET .*\.\n$/);
  });

  it('stops at start-up (exit 3) naming the variable when the bucket does not exist', async () => {
    const r = await runVigil(['blobs', 'migrate'], {
      VIGIL_DATA_DIR: dir,
      ...s3.env,
      VIGIL_S3_BUCKET: 'not-there',
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`VIGIL_S3_BUCKET: the bucket "not-there" does not exist at ${s3.endpoint}`);
  });

  it('exits 1 naming a blob it could not copy, after copying the others', async () => {
    const keyring = await loadKeyring({ dataDir: dir });
    const local = createFileBlobStore({ root: path.join(dir, 'blobs'), keyring });
    const good = await local.put(Readable.from([Buffer.from('fine')]), { maxBytes: 10, aad: 'a' });
    // A blob-named entry that cannot be read as a file.
    const broken = `ff${randomBytes(15).toString('hex')}`;
    await fs.mkdir(path.join(dir, 'blobs', 'ff', broken), { recursive: true });
    const r = await runVigil(['blobs', 'migrate'], { VIGIL_DATA_DIR: dir, ...s3.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 copied, 0 already in the bucket and verified, 1 failed.');
    expect(r.stderr).toContain(`vigil: 1 blob(s) could not be copied and verified (the first is ${broken});`);
    const objects = await fs.readdir(path.join(s3.directory, s3.bucket), { recursive: true });
    expect(objects.some((o) => o.includes(good.key))).toBe(true);
    expect(objects.some((o) => o.includes(broken))).toBe(false);
  });
});
