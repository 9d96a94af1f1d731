import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecryptionError, KeyringError } from './errors.js';
import { KEY_FILE_NAME, loadKeyring, rotateKeyFile } from './keyring.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-keyring-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('key file', () => {
  it('creates a 0600 key file (and its directory) on first start and reuses it afterwards', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await loadKeyring({ dataDir });
    const path = join(dataDir, KEY_FILE_NAME);
    expect(await modeOf(path)).toBe(0o600);
    expect(first.activeKeyId).toMatch(/^v1-[0-9a-f]{8}$/);
    expect(first.keyIds()).toEqual([first.activeKeyId]);

    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toHaveLength(1);
    expect(Buffer.from((lines[0] ?? '').slice(3), 'base64')).toHaveLength(32);
    // No temp files left behind by the atomic write.
    expect(await readdir(dataDir)).toEqual([KEY_FILE_NAME]);

    const second = await loadKeyring({ dataDir });
    expect(second.activeKeyId).toBe(first.activeKeyId);
    const dek = randomBytes(32);
    expect(second.unwrap(first.wrap(dek))).toEqual(dek);
  });

  it('refuses a group/world-readable key file', async () => {
    await loadKeyring({ dataDir: dir });
    const path = join(dir, KEY_FILE_NAME);
    await chmod(path, 0o644);
    await expect(loadKeyring({ dataDir: dir })).rejects.toThrow(KeyringError);
    await expect(loadKeyring({ dataDir: dir })).rejects.toThrow(/chmod 600/);
  });

  it('refuses a key of the wrong length without echoing it', async () => {
    const path = join(dir, KEY_FILE_NAME);
    const short = randomBytes(31).toString('base64');
    await writeFile(path, `v1:${short}\n`, { mode: 0o600 });
    const error = await loadKeyring({ dataDir: dir }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as Error).message).toMatch(/32 bytes/);
    expect((error as Error).message).not.toContain(short);
  });

  it('refuses an empty key file and non-increasing versions', async () => {
    const path = join(dir, KEY_FILE_NAME);
    await writeFile(path, '# nothing here\n', { mode: 0o600 });
    await expect(loadKeyring({ dataDir: dir })).rejects.toThrow(KeyringError);
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64');
    await writeFile(path, `v2:${a}\nv1:${b}\n`, { mode: 0o600 });
    await expect(loadKeyring({ dataDir: dir })).rejects.toThrow(/increase/);
  });
});

describe('VIGIL_MASTER_KEY', () => {
  it('accepts base64 and hex of 32 bytes and does not touch the data dir', async () => {
    const key = randomBytes(32);
    const fromBase64 = await loadKeyring({ masterKey: key.toString('base64'), dataDir: dir });
    const fromHex = await loadKeyring({ masterKey: key.toString('hex'), dataDir: dir });
    const fromUrl = await loadKeyring({ masterKey: key.toString('base64url'), dataDir: dir });
    expect(fromHex.activeKeyId).toBe(fromBase64.activeKeyId);
    expect(fromUrl.activeKeyId).toBe(fromBase64.activeKeyId);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['too short', randomBytes(16).toString('base64')],
    ['31 bytes of hex', randomBytes(31).toString('hex')],
    ['33 bytes of base64', randomBytes(33).toString('base64')],
    ['not base64', '!'.repeat(44)],
    ['a passphrase', 'correct horse battery staple'],
    ['a bad entry in a list', `${randomBytes(32).toString('base64')},nope`],
  ])('rejects %s with a sentence about the expected format', async (_label, masterKey) => {
    const error = await loadKeyring({ masterKey, dataDir: dir }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as Error).message).toMatch(/VIGIL_MASTER_KEY must be exactly 32 random bytes/);
  });

  it('takes a comma-separated list with the last key active', async () => {
    const old = randomBytes(32);
    const current = randomBytes(32);
    const oldRing = await loadKeyring({ masterKey: old.toString('base64'), dataDir: dir });
    const ring = await loadKeyring({
      masterKey: `${old.toString('base64')}, ${current.toString('hex')}`,
      dataDir: dir,
    });
    expect(ring.keyIds()).toHaveLength(2);
    expect(ring.activeKeyId).toMatch(/^v2-/);
    const dek = randomBytes(32);
    expect(ring.unwrap(oldRing.wrap(dek))).toEqual(dek);
    expect(() => oldRing.unwrap(ring.wrap(dek))).toThrow(DecryptionError);
  });

  it('accepts lines copied from the key file, keeping their ids', async () => {
    await loadKeyring({ dataDir: dir });
    await rotateKeyFile(dir);
    const fromFile = await loadKeyring({ dataDir: dir });
    const lines = (await readFile(join(dir, KEY_FILE_NAME), 'utf8'))
      .split('\n')
      .filter((l) => /^v\d/.test(l));
    const fromEnv = await loadKeyring({ masterKey: lines.join(','), dataDir: join(dir, 'unused') });
    expect(fromEnv.keyIds()).toEqual(fromFile.keyIds());
  });

  it('rejects the same key listed twice', async () => {
    const key = randomBytes(32).toString('base64');
    await expect(loadKeyring({ masterKey: `${key},${key}`, dataDir: dir })).rejects.toThrow(/twice/);
  });
});

describe('wrap/unwrap', () => {
  it('detects tampering with any byte of a wrapped key', async () => {
    const ring = await loadKeyring({ dataDir: dir });
    const wrapped = ring.wrap(randomBytes(32));
    for (let i = 0; i < wrapped.length; i++) {
      const copy = Buffer.from(wrapped);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      expect(() => ring.unwrap(copy)).toThrow(DecryptionError);
    }
    expect(() => ring.unwrap(wrapped.subarray(0, wrapped.length - 1))).toThrow(DecryptionError);
  });

  it('names a missing master key by id only', async () => {
    const a = await loadKeyring({ masterKey: randomBytes(32).toString('base64'), dataDir: dir });
    const b = await loadKeyring({ masterKey: randomBytes(32).toString('base64'), dataDir: dir });
    expect(() => b.unwrap(a.wrap(randomBytes(32)))).toThrow(`master key ${a.activeKeyId} is not loaded`);
  });
});

describe('rotateKeyFile', () => {
  it('appends a new active key, keeps the old ones, comments and mode 0600', async () => {
    const before = await loadKeyring({ dataDir: dir });
    const path = join(dir, KEY_FILE_NAME);
    const original = await readFile(path, 'utf8');
    const newId = await rotateKeyFile(dir);
    expect(newId).toMatch(/^v2-[0-9a-f]{8}$/);
    expect(await modeOf(path)).toBe(0o600);
    expect((await readFile(path, 'utf8')).startsWith(original)).toBe(true);
    expect(await readdir(dir)).toEqual([KEY_FILE_NAME]);

    const after = await loadKeyring({ dataDir: dir });
    expect(after.activeKeyId).toBe(newId);
    expect(after.keyIds()).toEqual([before.activeKeyId, newId]);
    const dek = randomBytes(32);
    expect(after.unwrap(before.wrap(dek))).toEqual(dek);
  });

  it('refuses to rotate when there is no key file', async () => {
    await expect(rotateKeyFile(dir)).rejects.toThrow(KeyringError);
  });
});
