import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/index.js';
import { loadConfig } from '../src/config/index.js';
import { loadKeyring, parseStreamHeader, sealedKeyId } from '../src/crypto/index.js';
import { byteColumns, columnValues, openDatabase } from '../src/db/index.js';
import type { Program } from '../src/programs/index.js';
import { createVigil, type Vigil } from '../src/server.js';
import { createTempDatabase, repoRoot, runVigil } from './helpers/cli.js';
import { multipartSubmission, validAnswers } from './helpers/reports.js';
import { dialects } from './helpers/test-vigil.js';

/**
 * `vigil keys rotate-master` on both databases, interrupted: the rotation runs as a real process
 * in small batches, is stopped half-way with SIGKILL at a known batch, and a second run
 * (`--rewrap-only`) finishes it. Afterwards every sealed value in every byte column of every
 * table, and every attachment file's header, names the new key, and everything still opens.
 */

const ENVELOPE_MAGIC = Buffer.from([0x56, 0x47, 0x45, 0x01]); // "VGE" v1

interface Storage {
  dataDir: string;
  databaseUrl?: string;
  drop(): Promise<void>;
}

async function newStorage(dialect: 'sqlite' | 'postgres'): Promise<Storage> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-rotate-'));
  const db = dialect === 'postgres' ? await createTempDatabase('vigil_rotate') : undefined;
  return {
    dataDir,
    databaseUrl: db?.url,
    drop: async () => {
      await fs.rm(dataDir, { recursive: true, force: true });
      await db?.drop();
    },
  };
}

const envOf = (s: Storage): Record<string, string> => ({
  VIGIL_DATA_DIR: s.dataDir,
  ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : {}),
});

async function openVigil(s: Storage): Promise<Vigil> {
  const config = loadConfig({
    ...envOf(s),
    VIGIL_RATE_LIMIT_PER_MINUTE: '0',
    VIGIL_POW_QUIET_PER_HOUR: '1000000',
    VIGIL_POW_ADDRESS_FREE_PER_HOUR: '1000000',
    VIGIL_PUBLIC_URL: 'https://vigil.test',
    VIGIL_SMTP_LISTEN: 'false',
    VIGIL_METRICS_LISTEN: 'false',
  });
  return createVigil(config, { logger: false, worker: false });
}

/** Key id → number of sealed values, over every byte column of every table (not only `*_sealed`). */
async function sealedValuesByKey(s: Storage): Promise<Record<string, number>> {
  const db = await openDatabase({ dataDir: s.dataDir, databaseUrl: s.databaseUrl });
  try {
    const out: Record<string, number> = {};
    for (const col of await byteColumns(db)) {
      for (const value of await columnValues(db, col)) {
        if (!value.subarray(0, 4).equals(ENVELOPE_MAGIC)) continue;
        const id = sealedKeyId(value);
        out[id] = (out[id] ?? 0) + 1;
      }
    }
    return out;
  } finally {
    await db.close();
  }
}

/** Key id → number of attachment files whose header wraps their data key under it. */
async function blobsByKey(s: Storage): Promise<Record<string, number>> {
  const root = path.join(s.dataDir, 'blobs');
  const out: Record<string, number> = {};
  for (const shard of await fs.readdir(root)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of await fs.readdir(path.join(root, shard))) {
      const id = parseStreamHeader(await fs.readFile(path.join(root, shard, name))).keyId;
      out[id] = (out[id] ?? 0) + 1;
    }
  }
  return out;
}

/** `vigil keys rotate-master …` as a child process, killed with SIGKILL once it prints `stopAt`. */
async function rotateUntil(
  s: Storage,
  args: string[],
  env: Record<string, string>,
  stopAt: string,
): Promise<string> {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, val] of Object.entries(process.env))
    if (!k.startsWith('VIGIL_') && k !== 'DATABASE_URL') base[k] = val;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/vigil.ts', 'keys', 'rotate-master', ...args],
    { cwd: repoRoot, env: { ...base, ...envOf(s), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes(stopAt)) resolve();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    void exited.then(() => reject(new Error(`the rotation ended before "${stopAt}":\n${out}`)));
  });
  child.kill('SIGKILL');
  expect((await exited).signal).toBe('SIGKILL');
  return out;
}

describe.each(dialects)('master-key rotation (%s)', (dialect) => {
  let s: Storage;
  let oldKey: string;
  let staffToken: string;
  /** Case number → its sealed text, and attachment name → SHA-256 of its bytes, read before the rotation. */
  let before: Record<string, Record<string, string>>;

  async function readEverything(v: Vigil): Promise<Record<string, Record<string, string>>> {
    const auth = { authorization: `Bearer ${staffToken}` };
    const list = await v.app.inject({ method: 'GET', url: '/api/v1/reports?limit=200', headers: auth });
    expect(list.statusCode).toBe(200);
    const out: Record<string, Record<string, string>> = {};
    for (const item of list.json().items as { caseNumber: string }[]) {
      const detail = await v.app.inject({
        method: 'GET',
        url: `/api/v1/reports/${item.caseNumber}`,
        headers: auth,
      });
      expect(detail.statusCode).toBe(200);
      const { content, contact } = detail.json();
      const files: Record<string, string> = { text: JSON.stringify({ content, contact }) };
      for (const a of detail.json().attachments as { id: string; name: string }[]) {
        const dl = await v.app.inject({
          method: 'GET',
          url: `/api/v1/reports/${item.caseNumber}/attachments/${a.id}`,
          headers: auth,
        });
        expect(dl.statusCode).toBe(200);
        files[a.name] = createHash('sha256').update(dl.rawPayload).digest('hex');
      }
      out[item.caseNumber] = files;
    }
    return out;
  }

  beforeAll(async () => {
    s = await newStorage(dialect);
    const v = await openVigil(s);
    try {
      const program = (await v.services.programs.list())[0] as Program;
      await v.services.accounts.createUser({ email: 'lead@vendor.example', role: 'admin' }, 'test');
      staffToken = (
        await v.services.accounts.createToken({ userEmail: 'lead@vendor.example', scope: 'read' }, 'test')
      ).token;
      for (let i = 0; i < 4; i++) {
        const res = await v.app.inject(
          multipartSubmission(program.slug, validAnswers(program, `rotation report ${i}`), [
            { name: `trace-${i}.pcap`, data: randomBytes(80_000 + i * 40_000) },
            { name: `poc-${i}.py`, data: Buffer.from(`print(${i})`) },
          ]),
        );
        expect(res.statusCode).toBe(201);
      }
      before = await readEverything(v);
      expect(Object.keys(before)).toHaveLength(4);
    } finally {
      await v.close();
    }
    oldKey = (await loadKeyring({ dataDir: s.dataDir })).activeKeyId;
  });

  afterAll(async () => {
    await s?.drop();
  });

  it('survives SIGKILL half-way, running it again resumes and re-wraps everything under the new key, and the old key retires', async () => {
    const sealedBefore = await sealedValuesByKey(s);
    expect(Object.keys(sealedBefore)).toEqual([oldKey]);
    expect(await blobsByKey(s)).toEqual({ [oldKey]: 8 });

    const first = await rotateUntil(
      s,
      ['--batch-size', '2'],
      { VIGIL_TEST_ROTATION_PAUSE_AFTER_BATCHES: '3' },
      'Paused after batch 3.',
    );
    const newKey = (await loadKeyring({ dataDir: s.dataDir })).activeKeyId;
    expect(newKey).not.toBe(oldKey);
    expect(first).toContain(`Added master key ${newKey}`);
    // Killed mid-way: six values moved, the rest still under the old key.
    const half = await sealedValuesByKey(s);
    expect(half[newKey]).toBe(6);
    expect(half[oldKey]).toBe((sealedBefore[oldKey] as number) - 6);

    // The old key cannot be retired while anything still uses it.
    const early = await runVigil(['keys', 'retire-master', oldKey], envOf(s));
    expect(early.code).toBe(1);
    expect(early.stderr).toBe(
      `vigil: ${half[oldKey]} sealed value(s) and 8 attachment file(s) still use master key ${oldKey}; run \`vigil keys rotate-master --rewrap-only\` (after every instance has restarted with the new key) and try again.\n`,
    );

    // Run again as it was first run: the interrupted rotation resumes, and no third key appears.
    const second = await runVigil(['keys', 'rotate-master', '--batch-size', '3'], envOf(s));
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      `Resuming the unfinished rotation to master key ${newKey}; no key was added.`,
    );
    expect((await loadKeyring({ dataDir: s.dataDir })).keyIds()).toEqual([oldKey, newKey]);
    await expect(fs.access(path.join(s.dataDir, 'master.key.rotating'))).rejects.toThrow();
    expect(second.stdout).toContain(`Re-wrapped ${(sealedBefore[oldKey] as number) - 6} sealed value(s) in `);
    expect(second.stdout).toContain(`and 8 attachment file(s) under master key ${newKey}`);
    expect(second.stdout).toContain(`then ${oldKey} can be retired`);

    expect(await sealedValuesByKey(s)).toEqual({ [newKey]: sealedBefore[oldKey] });
    expect(await blobsByKey(s)).toEqual({ [newKey]: 8 });

    const again = await runVigil(['keys', 'rotate-master', '--rewrap-only'], envOf(s));
    expect(again.stdout).toContain('Re-wrapped 0 sealed value(s)');
    expect(again.stdout).toContain('and 0 attachment file(s)');

    const active = await runVigil(['keys', 'retire-master', newKey], envOf(s));
    expect(active.code).toBe(1);
    expect(active.stderr).toContain(`${newKey} is the active master key`);
    const unknown = await runVigil(['keys', 'retire-master', 'v9-0badc0de'], envOf(s));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("vigil: Master key v9-0badc0de is not among this instance's keys.\n");
    const retired = await runVigil(['keys', 'retire-master', oldKey], envOf(s));
    expect(retired.stderr).toBe('');
    expect(retired.stdout).toContain(`Removed master key ${oldKey} from `);
    expect((await loadKeyring({ dataDir: s.dataDir })).keyIds()).toEqual([newKey]);

    // Everything still opens with the new key alone.
    const v = await openVigil(s);
    try {
      expect(await readEverything(v)).toEqual(before);
      expect((await verifyAuditChain(v.db.kysely, 5000)).ok).toBe(true);
    } finally {
      await v.close();
    }
  });

  it('with VIGIL_MASTER_KEY: refuses to add a key itself, and re-wraps once the operator has added one', async () => {
    const fromFile = await fs.readFile(path.join(s.dataDir, 'master.key'), 'utf8');
    const lines = fromFile.split('\n').filter((l) => /^v\d+:/.test(l));
    const listed = lines.join(',');
    const env = { ...envOf(s), VIGIL_MASTER_KEY: listed };
    const refused = await runVigil(['keys', 'rotate-master'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^vigil: The master keys come from VIGIL_MASTER_KEY, which Vigil cannot change: append a new key to that comma-separated list \(the active key last\), restart every Vigil instance with it, then run `vigil keys rotate-master --rewrap-only`\.\n$/,
    );
    const highest = Math.max(...lines.map((l) => Number(/^v(\d+):/.exec(l)?.[1])));
    const next = `v${highest + 1}:${randomBytes(32).toString('base64')}`;
    const rotated = await runVigil(['keys', 'rotate-master', '--rewrap-only'], {
      ...env,
      VIGIL_MASTER_KEY: `${listed},${next}`,
    });
    expect(rotated.stderr).toBe('');
    const active = (await loadKeyring({ masterKey: `${listed},${next}`, dataDir: s.dataDir })).activeKeyId;
    expect(rotated.stdout).toContain(`and 8 attachment file(s) under master key ${active}`);
    expect(Object.keys(await sealedValuesByKey(s))).toEqual([active]);
    expect(Object.keys(await blobsByKey(s))).toEqual([active]);
  });
});

describe.each(dialects)('master-key rotation without downtime (%s)', (dialect) => {
  it('--add-only, an instance started before it still writing under the old key, and --rewrap-only catching that', async () => {
    const s = await newStorage(dialect);
    const started: Vigil[] = [];
    try {
      const before = await openVigil(s);
      started.push(before);
      const program = (await before.services.programs.list())[0] as Program;
      const submit = async (v: Vigil, text: string) => {
        const res = await v.app.inject({
          method: 'POST',
          url: `/api/v1/programs/${program.slug}/reports`,
          payload: { fields: validAnswers(program, text) },
        });
        expect(res.statusCode).toBe(201);
        return res.json().caseNumber as string;
      };
      await submit(before, 'before the rotation');
      const oldKey = (await loadKeyring({ dataDir: s.dataDir })).activeKeyId;

      const added = await runVigil(['keys', 'rotate-master', '--add-only'], envOf(s));
      expect(added.code).toBe(0);
      expect(added.stdout).toContain(
        'Restart every Vigil instance so each loads it, then run `vigil keys rotate-master --rewrap-only`.',
      );
      const newKey = (await loadKeyring({ dataDir: s.dataDir })).activeKeyId;
      expect(newKey).not.toBe(oldKey);
      expect(Object.keys(await sealedValuesByKey(s))).toEqual([oldKey]); // nothing re-wrapped yet

      // The instance started before the rotation still wraps under the old key; a restarted one under the new.
      const late = await submit(before, 'from the instance started before');
      const after = await openVigil(s);
      started.push(after);
      const fresh = await submit(after, 'from the restarted instance');
      const mixed = await sealedValuesByKey(s);
      expect(mixed[oldKey]).toBeGreaterThan(0);
      expect(mixed[newKey]).toBeGreaterThan(0);

      const rewrapped = await runVigil(['keys', 'rotate-master', '--rewrap-only'], envOf(s));
      expect(rewrapped.code).toBe(0);
      expect(Object.keys(await sealedValuesByKey(s))).toEqual([newKey]);
      // The restarted instance reads everything, the late write of the old instance included.
      const token = (
        await after.services.accounts.createToken(
          {
            userEmail: (
              await after.services.accounts.createUser({ email: 'ops@vendor.example', role: 'admin' }, 'test')
            ).email,
            scope: 'read',
          },
          'test',
        )
      ).token;
      for (const n of [late, fresh]) {
        const d = await after.app.inject({
          method: 'GET',
          url: `/api/v1/reports/${n}`,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(d.statusCode).toBe(200);
        expect(JSON.stringify(d.json().content)).toMatch(
          /from the (instance started before|restarted instance)/,
        );
      }
    } finally {
      for (const v of started) await v.close();
      await s.drop();
    }
  });
});
