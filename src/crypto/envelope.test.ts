import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSealer, sealedKeyId } from './envelope.js';
import { DecryptionError } from './errors.js';
import { loadKeyring, rotateKeyFile } from './keyring.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-envelope-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ringWith = (...keys: Buffer[]) =>
  loadKeyring({ masterKey: keys.map((k) => k.toString('base64')).join(','), dataDir: dir });

describe('sealer', () => {
  it('round-trips strings, buffers, empty input and JSON', async () => {
    const sealer = createSealer(await loadKeyring({ dataDir: dir }));
    expect(sealer.open(sealer.seal('Infusion pump overdose via BLE')).toString()).toBe(
      'Infusion pump overdose via BLE',
    );
    const bytes = randomBytes(1000);
    expect(sealer.open(sealer.seal(bytes, 'a'), 'a')).toEqual(bytes);
    expect(sealer.open(sealer.seal(''))).toHaveLength(0);
    const value = { cvss: 9.8, devices: ['pump'], note: 'ünïcode' };
    expect(sealer.openJson<typeof value>(sealer.sealJson(value, 'report:1:meta'), 'report:1:meta')).toEqual(
      value,
    );
  });

  it('uses a fresh data key and IV every time', async () => {
    const sealer = createSealer(await loadKeyring({ dataDir: dir }));
    const a = sealer.seal('same text');
    const b = sealer.seal('same text');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('same text'))).toBe(false);
  });

  it('refuses to open under a different AAD (ciphertext moved to another row)', async () => {
    const sealer = createSealer(await loadKeyring({ dataDir: dir }));
    const sealed = sealer.seal('secret', 'report:1:content');
    expect(() => sealer.open(sealed, 'report:2:content')).toThrow(DecryptionError);
    expect(() => sealer.open(sealed)).toThrow(DecryptionError);
  });

  it('detects a flipped bit in every byte position', async () => {
    const sealer = createSealer(await loadKeyring({ dataDir: dir }));
    const sealed = sealer.seal('tamper me', 'aad');
    for (let i = 0; i < sealed.length; i++) {
      const copy = Buffer.from(sealed);
      copy[i] = (copy[i] ?? 0) ^ 0x80;
      expect(() => sealer.open(copy, 'aad'), `byte ${i}`).toThrow(DecryptionError);
    }
  });

  it('throws DecryptionError (never RangeError) for truncated or foreign input', async () => {
    const sealer = createSealer(await loadKeyring({ dataDir: dir }));
    const sealed = sealer.seal('x');
    for (const length of [0, 1, 4, 6, 20, sealed.length - 1]) {
      expect(() => sealer.open(sealed.subarray(0, length))).toThrow(DecryptionError);
    }
    expect(() => sealer.open(Buffer.from('plain text in the column'))).toThrow(DecryptionError);
    expect(() => sealedKeyId(Buffer.alloc(3))).toThrow(DecryptionError);
  });

  it('fails with a generic message for a wrong key', async () => {
    const sealed = createSealer(await ringWith(randomBytes(32))).seal('secret');
    const other = createSealer(await ringWith(randomBytes(32)));
    expect(() => other.open(sealed)).toThrow(DecryptionError);
    expect(() => other.open(sealed)).not.toThrow(/secret/);
  });
});

describe('rotation', () => {
  it('opens data sealed under the old key, seals new data under the new key, and rewraps', async () => {
    const oldRing = await loadKeyring({ dataDir: dir });
    const oldSealed = createSealer(oldRing).seal('before rotation', 'report:7:content');
    expect(sealedKeyId(oldSealed)).toBe(oldRing.activeKeyId);

    const newId = await rotateKeyFile(dir);
    const ring = await loadKeyring({ dataDir: dir });
    const sealer = createSealer(ring);
    expect(ring.activeKeyId).toBe(newId);
    expect(sealer.open(oldSealed, 'report:7:content').toString()).toBe('before rotation');
    expect(sealedKeyId(sealer.seal('after'))).toBe(newId);

    const rewrapped = sealer.rewrap(oldSealed);
    expect(sealedKeyId(rewrapped)).toBe(newId);
    // IV, ciphertext and tag are carried over unchanged.
    expect(rewrapped.subarray(rewrapped.length - 40).equals(oldSealed.subarray(oldSealed.length - 40))).toBe(
      true,
    );
    expect(sealer.open(rewrapped, 'report:7:content').toString()).toBe('before rotation');
    // Once rewrapped, the old key is no longer needed.
    expect(() => createSealer(oldRing).open(rewrapped, 'report:7:content')).toThrow(DecryptionError);
  });

  it('finds keys by material when VIGIL_MASTER_KEY numbers them differently than the file did', async () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const sealed = createSealer(await ringWith(a, b)).seal('x'); // wrapped under v2-<b>
    const onlyB = createSealer(await ringWith(b)); // now v1-<b>
    expect(onlyB.open(sealed).toString()).toBe('x');
  });
});
