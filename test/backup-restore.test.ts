import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/index.js';
import { openRawBlobs, restoreBackup, rewrapAll, writeBackup } from '../src/backup/index.js';
import { loadConfig } from '../src/config/index.js';
import { createSealer, loadKeyring, rotateKeyFile } from '../src/crypto/index.js';
import { type Db, openDatabase } from '../src/db/index.js';
import type { Program } from '../src/programs/index.js';
import { createVigil, type Vigil } from '../src/server.js';
import { createTempDatabase, pgQuery, runVigil } from './helpers/cli.js';
import { multipartBody, multipartSubmission, validAnswers } from './helpers/reports.js';
import { startS3 } from './helpers/s3.js';
import {
  dialects,
  dropSchema,
  listenOnLoopback,
  startTestVigil,
  type TestVigil,
} from './helpers/test-vigil.js';

/**
 * `vigil backup` and `vigil restore` on both databases: a backup taken while Vigil serves (with
 * a submission half-uploaded), restored into a fresh data directory / schema holding only the
 * master key, gives back every case, every attachment byte for byte and an intact audit chain;
 * damaged, truncated, foreign-key and non-empty-target restores are refused with a sentence and
 * leave the target as it was.
 */

const CANARY = 'CANARY-backup-insulin-pump-7731';

interface Target {
  dataDir: string;
  schema?: string;
  database?: Db;
  cleanup(): Promise<void>;
}

/** A fresh data directory (and PostgreSQL schema) holding nothing but `keyFile`'s master key. */
async function freshTarget(dialect: 'sqlite' | 'postgres', keyFile: string | undefined): Promise<Target> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-restore-'));
  if (keyFile) await fs.copyFile(keyFile, path.join(dataDir, 'master.key'));
  await fs.chmod(path.join(dataDir, 'master.key'), 0o600).catch(() => {});
  const schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const database = schema
    ? await openDatabase({ dataDir, databaseUrl: process.env.VIGIL_TEST_DATABASE_URL, schema })
    : undefined;
  return {
    dataDir,
    schema,
    database,
    async cleanup() {
      await database?.close();
      await fs.rm(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  };
}

async function restoreInto(target: Target, file: string) {
  const keyring = await loadKeyring({ dataDir: target.dataDir });
  return restoreBackup(file, {
    dataDir: target.dataDir,
    database: target.database,
    blobs: await openRawBlobs({ kind: 'file' }, { dataDir: target.dataDir, keyring }),
    keyring,
  });
}

/** What a target holds: its files (name and size) and, on PostgreSQL, its tables. */
async function contentsOf(target: Target): Promise<string[]> {
  const files = (await fs.readdir(target.dataDir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(target.dataDir, path.join(e.parentPath, e.name)));
  const tables = target.schema
    ? (
        await pgQuery<{ table_name: string }>(
          process.env.VIGIL_TEST_DATABASE_URL as string,
          'select table_name from information_schema.tables where table_schema = $1',
          [target.schema],
        )
      ).map((r) => `table:${r.table_name}`)
    : [];
  return [...files, ...tables].sort();
}

describe.each(dialects)('backup and restore (%s)', (dialect) => {
  let v: TestVigil;
  let programA: Program;
  let token: string;
  let backupDir: string;
  let backupFile: string;
  let inFlightCase: string;
  const cases: string[] = [];
  const auth = () => ({ authorization: `Bearer ${token}` });

  const backupOf = async (file: string) => {
    const keyring = await loadKeyring({ dataDir: v.dataDir });
    const blobs = await openRawBlobs(v.config.blobStore, { dataDir: v.dataDir, keyring });
    return writeBackup({ db: v.db, blobs, keyring }, file);
  };

  /** Case number → attachment name → SHA-256 of its bytes, read through the staff API. */
  async function casesAndFiles(app: Vigil['app'], numbers: string[]) {
    const out: Record<string, Record<string, string>> = {};
    for (const n of numbers) {
      const detail = await app.inject({ method: 'GET', url: `/api/v1/reports/${n}`, headers: auth() });
      expect(detail.statusCode, `case ${n}`).toBe(200);
      out[n] = {};
      for (const a of detail.json().attachments as { id: string; name: string }[]) {
        const dl = await app.inject({
          method: 'GET',
          url: `/api/v1/reports/${n}/attachments/${a.id}`,
          headers: auth(),
        });
        expect(dl.statusCode).toBe(200);
        (out[n] as Record<string, string>)[a.name] = createHash('sha256').update(dl.rawPayload).digest('hex');
      }
    }
    return out;
  }

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    programA = (await v.services.programs.list())[0] as Program;
    await v.services.accounts.createUser({ email: 'lead@vendor.example', role: 'admin' }, 'test');
    token = (
      await v.services.accounts.createToken({ userEmail: 'lead@vendor.example', scope: 'read' }, 'test')
    ).token;
    for (let i = 0; i < 3; i++) {
      const res = await v.app.inject(
        multipartSubmission(programA.slug, validAnswers(programA, `${CANARY} report ${i}`), [
          { name: `capture-${i}.pcap`, data: randomBytes(100_000 + i * 70_000) },
          { name: 'notes.txt', data: Buffer.from(`notes ${i}`) },
        ]),
      );
      expect(res.statusCode).toBe(201);
      cases.push(res.json().caseNumber);
    }
    backupDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-backups-'));
    backupFile = path.join(backupDir, 'vigil.backup');

    // A submission whose upload is half sent while the backup runs: not in the backup, and not
    // half in it either.
    const base = await listenOnLoopback(v);
    const inFlight = multipartBody(validAnswers(programA, 'in flight'), [
      { name: 'big.bin', data: randomBytes(400_000) },
    ]);
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${base}/api/v1/programs/${programA.slug}/reports`,
        {
          method: 'POST',
          headers: { 'content-type': inFlight.contentType, 'content-length': inFlight.body.length },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += String(d);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(inFlight.body.subarray(0, 200_000));
      (globalThis as { finishUpload?: () => void }).finishUpload = () =>
        req.end(inFlight.body.subarray(200_000));
    });
    await new Promise((r) => setTimeout(r, 200));
    const result = await backupOf(backupFile);
    expect(result.cases).toBe(3);
    expect(result.blobs).toBe(6);
    (globalThis as { finishUpload?: () => void }).finishUpload?.();
    const done = await answered;
    expect(done.status).toBe(201);
    inFlightCase = JSON.parse(done.body).caseNumber;
  });

  afterAll(async () => {
    await v?.destroy();
    if (backupDir) await fs.rm(backupDir, { recursive: true, force: true });
  });

  it('restores every case, attachment and audit entry into an empty target, and Vigil runs on it', async () => {
    const target = await freshTarget(dialect, path.join(v.dataDir, 'master.key'));
    let restored: Vigil | undefined;
    try {
      const r = await restoreInto(target, backupFile);
      expect(r.cases).toBe(3);
      expect(r.blobs).toBe(6);
      await target.database?.close();
      target.database = undefined;
      restored = await createVigil(
        { ...v.config, dataDir: target.dataDir, databaseSchema: target.schema, seedExamples: false },
        { logger: false, worker: false },
      );
      const audit = await verifyAuditChain(restored.db.kysely, 5000);
      expect(audit.ok).toBe(true);
      expect(audit.checked).toBeGreaterThan(3);
      expect(await casesAndFiles(restored.app, cases)).toEqual(await casesAndFiles(v.app, cases));
      const text = await restored.app.inject({
        method: 'GET',
        url: `/api/v1/reports/${cases[0]}`,
        headers: auth(),
      });
      expect(text.body).toContain(`${CANARY} report 0`);
      // The upload still in flight when the backup ran is not in it; the original has it.
      expect(
        (await v.app.inject({ method: 'GET', url: `/api/v1/reports/${inFlightCase}`, headers: auth() }))
          .statusCode,
      ).toBe(200);
      expect(
        (
          await restored.app.inject({
            method: 'GET',
            url: `/api/v1/reports/${inFlightCase}`,
            headers: auth(),
          })
        ).statusCode,
      ).toBe(404);
    } finally {
      await restored?.close();
      await target.cleanup();
    }
  });

  it('holds neither the master key nor any plaintext', async () => {
    const bytes = await fs.readFile(backupFile);
    const keyText = await fs.readFile(path.join(v.dataDir, 'master.key'), 'utf8');
    const keyB64 = /^v1:(.+)$/m.exec(keyText)?.[1] as string;
    expect(bytes.includes(Buffer.from(keyB64))).toBe(false);
    expect(bytes.includes(Buffer.from(keyB64, 'base64'))).toBe(false);
    expect(bytes.includes(Buffer.from(CANARY))).toBe(false);
    expect(bytes.includes(Buffer.from('notes 0'))).toBe(false);
  });

  it('refuses a target that is not empty and leaves it as it was', async () => {
    const target = await freshTarget(dialect, path.join(v.dataDir, 'master.key'));
    try {
      await restoreInto(target, backupFile);
      const before = await contentsOf(target);
      const again = restoreInto(target, backupFile);
      await expect(again).rejects.toThrow(
        dialect === 'sqlite'
          ? /refusing to restore: the data directory .* is not empty \(it holds vigil\.sqlite\)/
          : /refusing to restore: the PostgreSQL schema "t_[0-9a-f]+" already holds \d+ table\(s\)/,
      );
      expect(await contentsOf(target)).toEqual(before);
    } finally {
      await target.cleanup();
    }
  });

  it.each([
    ['truncated in the middle', (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
    ['missing its last byte', (b: Buffer) => b.subarray(0, b.length - 1)],
    ['cut inside its header', (b: Buffer) => b.subarray(0, 30)],
    [
      'with one byte changed',
      (b: Buffer) => {
        const c = Buffer.from(b);
        const at = Math.floor(c.length * 0.7);
        c[at] = (c[at] as number) ^ 0x01;
        return c;
      },
    ],
    ['with bytes appended', (b: Buffer) => Buffer.concat([b, Buffer.from('more')])],
  ])('refuses a backup %s and restores nothing', async (_name, damage) => {
    const file = path.join(backupDir, `damaged-${randomBytes(4).toString('hex')}.backup`);
    await fs.writeFile(file, damage(await fs.readFile(backupFile)));
    const target = await freshTarget(dialect, path.join(v.dataDir, 'master.key'));
    try {
      const before = await contentsOf(target);
      await expect(restoreInto(target, file)).rejects.toThrow(/^the backup file is truncated or damaged$/);
      expect(await contentsOf(target)).toEqual(before);
    } finally {
      await target.cleanup();
    }
  });

  it('refuses a backup made under another master key, naming that key', async () => {
    const target = await freshTarget(dialect, undefined);
    try {
      await loadKeyring({ dataDir: target.dataDir }); // a key of its own
      const before = await contentsOf(target);
      const ownId = (await loadKeyring({ dataDir: v.dataDir })).activeKeyId;
      await expect(restoreInto(target, backupFile)).rejects.toThrow(
        `the backup was made with master key ${ownId}, which this instance does not hold`,
      );
      expect(await contentsOf(target)).toEqual(before);
    } finally {
      await target.cleanup();
    }
  });

  it('fails loudly, writing no file, when an attachment file the database names is missing', async () => {
    const other = await startTestVigil(dialect);
    try {
      const res = await other.app.inject(
        multipartSubmission(programA.slug, validAnswers(programA, 'lost file'), [
          { name: 'lost.bin', data: randomBytes(1000) },
        ]),
      );
      expect(res.statusCode).toBe(201);
      const blobRoot = path.join(other.dataDir, 'blobs');
      for (const shard of await fs.readdir(blobRoot))
        if (shard !== '.tmp') await fs.rm(path.join(blobRoot, shard), { recursive: true });
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-backups-'));
      try {
        const keyring = await loadKeyring({ dataDir: other.dataDir });
        const blobs = await openRawBlobs(other.config.blobStore, { dataDir: other.dataDir, keyring });
        await expect(
          writeBackup({ db: other.db, blobs, keyring }, path.join(dir, 'x.backup')),
        ).rejects.toThrow(
          /the file of attachment [0-9a-f-]+ \(blob [0-9a-f]{32}\) is missing from the blob store, so no backup was written/,
        );
        expect(await fs.readdir(dir)).toEqual([]);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    } finally {
      await other.destroy();
    }
  });

  it('runs as `vigil backup` and `vigil restore`, then `vigil audit verify` passes on the restored instance', async () => {
    // The CLI reaches PostgreSQL by DATABASE_URL alone: a database of its own per instance.
    const source = dialect === 'postgres' ? await createTempDatabase('vigil_backup') : undefined;
    const restored = dialect === 'postgres' ? await createTempDatabase('vigil_restore') : undefined;
    const sourceDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cli-source-'));
    const targetDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cli-target-'));
    const file = path.join(backupDir, `cli-${dialect}.backup`);
    try {
      const sourceEnv = { VIGIL_DATA_DIR: sourceDir, ...(source ? { DATABASE_URL: source.url } : {}) };
      const targetEnv = { VIGIL_DATA_DIR: targetDir, ...(restored ? { DATABASE_URL: restored.url } : {}) };
      // A source instance with data: the seeded programs and their keys, and one user.
      const seeded = await runVigil(
        ['user', 'create', '--email', 'ops@vendor.example', '--role', 'admin'],
        sourceEnv,
      );
      expect(seeded.code, seeded.stderr).toBe(0);
      const made = await runVigil(['backup', '--out', file], sourceEnv);
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      const keyId = (await loadKeyring({ dataDir: sourceDir })).activeKeyId;
      expect(made.stdout).toMatch(
        new RegExp(
          `^Backup written to .*cli-${dialect}\\.backup: 0 case\\(s\\), 0 attachment file\\(s\\), \\d+ bytes\\. Restoring it needs master key ${keyId}; keep that key apart from the backup\\.\\n$`,
        ),
      );
      const again = await runVigil(['backup', '--out', file], sourceEnv);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already exists; choose a new file name for the backup/);

      const noKey = await runVigil(['restore', file], targetEnv);
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain(`restoring needs the master key the backup was made with (${keyId})`);
      expect(await fs.readdir(targetDir)).toEqual([]);

      await fs.copyFile(path.join(sourceDir, 'master.key'), path.join(targetDir, 'master.key'));
      const r = await runVigil(['restore', file], targetEnv);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Restored 0 case\(s\) and 0 attachment file\(s\) from the backup of /);
      const verify = await runVigil(['audit', 'verify'], targetEnv);
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toMatch(/^Audit log intact: [1-9]\d* entries verified\.$/m);
      const users = await runVigil(['user', 'list'], targetEnv);
      expect(users.stdout).toContain('ops@vendor.example');

      const twice = await runVigil(['restore', file], targetEnv);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toMatch(
        /^vigil: refusing to restore: .* restore only into an empty (data directory|database)\n$/,
      );
    } finally {
      await fs.rm(sourceDir, { recursive: true, force: true });
      await fs.rm(targetDir, { recursive: true, force: true });
      await source?.drop();
      await restored?.drop();
    }
  });
});

describe('backup, restore and re-wrap with attachments in an S3 bucket', () => {
  it('copies the bucket’s blobs as stored into the backup, restores them into an empty bucket, and re-wraps them there', async () => {
    const source = await startS3();
    const target = await startS3();
    const v = await startTestVigil('sqlite', { env: source.env });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-s3-backup-'));
    let restored: Vigil | undefined;
    try {
      const program = (await v.services.programs.list())[0] as Program;
      await v.services.accounts.createUser({ email: 'lead@vendor.example', role: 'admin' }, 'test');
      const token = (
        await v.services.accounts.createToken({ userEmail: 'lead@vendor.example', scope: 'read' }, 'test')
      ).token;
      const data = randomBytes(150_000);
      const res = await v.app.inject(
        multipartSubmission(program.slug, validAnswers(program, 'in a bucket'), [{ name: 'dump.bin', data }]),
      );
      expect(res.statusCode).toBe(201);
      const caseNumber = res.json().caseNumber as string;
      const keyring = await loadKeyring({ dataDir: v.dataDir });
      const file = path.join(dir, 's3.backup');
      const made = await writeBackup(
        { db: v.db, blobs: await openRawBlobs(v.config.blobStore, { dataDir: v.dataDir, keyring }), keyring },
        file,
      );
      expect(made.blobs).toBe(1);

      const targetDir = path.join(dir, 'target');
      await fs.mkdir(targetDir, { mode: 0o700 });
      await fs.copyFile(path.join(v.dataDir, 'master.key'), path.join(targetDir, 'master.key'));
      const config = {
        ...v.config,
        ...loadConfig({ ...target.env, VIGIL_DATA_DIR: targetDir }),
        seedExamples: false,
      };
      const targetBlobs = await openRawBlobs(config.blobStore, { dataDir: targetDir, keyring });
      const r = await restoreBackup(file, { dataDir: targetDir, blobs: targetBlobs, keyring });
      expect(r.blobs).toBe(1);
      await expect(restoreBackup(file, { dataDir: targetDir, blobs: targetBlobs, keyring })).rejects.toThrow(
        /refusing to restore/,
      );

      // A new master key, and the bucket's blob header re-wrapped under it.
      const newKey = await rotateKeyFile(targetDir);
      const rotated = await loadKeyring({ dataDir: targetDir });
      const targetDb = await openDatabase({ dataDir: targetDir });
      const rewrapped = await rewrapAll({
        db: targetDb,
        blobs: await openRawBlobs(config.blobStore, { dataDir: targetDir, keyring: rotated }),
        keyring: rotated,
        sealer: createSealer(rotated),
      }).finally(() => targetDb.close());
      expect(rewrapped.blobs).toBe(1);
      expect(rewrapped.activeKeyId).toBe(newKey);

      restored = await createVigil(config, { logger: false, worker: false });
      const detail = await restored.app.inject({
        method: 'GET',
        url: `/api/v1/reports/${caseNumber}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(detail.statusCode).toBe(200);
      const a = detail.json().attachments[0] as { id: string };
      const dl = await restored.app.inject({
        method: 'GET',
        url: `/api/v1/reports/${caseNumber}/attachments/${a.id}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(dl.statusCode).toBe(200);
      expect(dl.rawPayload.equals(data)).toBe(true);
    } finally {
      await restored?.close();
      await v.destroy();
      await source.close();
      await target.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
