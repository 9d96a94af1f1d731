import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import {
  decryptMessage,
  OpenPgpDecryptError,
  programKeyAddress,
  wkdHash,
  wkdUrls,
} from '../src/openpgp/index.js';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

/**
 * Publication of program keys as a reporter's tools see it: the download, the Web Key Directory
 * and the signed security.txt, each checked with the real GnuPG in a throw-away home directory,
 * and a rotation that switches what is published while the old key keeps decrypting.
 */

const DAY = 86_400_000;
const OVERLAP_DAYS = 30;

interface GpgResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** GnuPG on a private, temporary home: nothing of the user's keyring is read or changed. */
async function withGpg<T>(
  fn: (gpg: (args: string[], input?: Buffer | string) => GpgResult) => T | Promise<T>,
): Promise<T> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-gpg-'));
  const gpg = (args: string[], input?: Buffer | string): GpgResult => {
    const r = spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--status-fd', '1', ...args], {
      input,
    });
    return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  };
  try {
    return await fn(gpg);
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    await fs.rm(home, { recursive: true, force: true });
  }
}

/** Import key material (armored or binary) into a fresh home; the fingerprints GnuPG imported. */
function gpgImport(data: Buffer | string): Promise<string[]> {
  return withGpg((gpg) => {
    const r = gpg(['--import'], data);
    expect(r.code, r.stderr).toBe(0);
    return [...r.stdout.matchAll(/^\[GNUPG:\] IMPORT_OK \d+ ([0-9A-F]{40,64})$/gm)].map(
      (m) => m[1] as string,
    );
  });
}

/**
 * `gpg --verify` of a cleartext-signed file with only `publicKey` known: the fingerprint of a
 * valid signature, or the status lines when it fails.
 */
function gpgVerify(
  signed: string,
  publicKey: string,
): Promise<{ ok: boolean; fingerprint?: string; status: string }> {
  return withGpg(async (gpg) => {
    expect(gpg(['--import'], publicKey).code).toBe(0);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-sig-'));
    try {
      const file = path.join(dir, 'security.txt');
      await fs.writeFile(file, signed);
      const r = gpg(['--verify', file]);
      const valid = /^\[GNUPG:\] VALIDSIG ([0-9A-F]{40,64}) .* ([0-9A-F]{40,64})$/m.exec(r.stdout);
      return { ok: r.code === 0 && valid !== null, fingerprint: valid?.[2], status: r.stdout + r.stderr };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
}

/** The text between the cleartext header and the signature, as a reader of security.txt sees it. */
function signedBody(file: string): string {
  const m =
    /^-----BEGIN PGP SIGNED MESSAGE-----\n(?:Hash: [A-Z0-9,]+\n)?\n([\s\S]*?)\n-----BEGIN PGP SIGNATURE-----\n[\s\S]+-----END PGP SIGNATURE-----\n$/.exec(
      file,
    );
  if (!m) throw new Error(`not a cleartext-signed file:\n${file}`);
  return m[1] as string;
}

const grouped = (fpr: string) => fpr.replace(/(.{4})/g, '$1 ').trim();

describe.skipIf(toolMissing('gpg')).each(dialects)('OpenPGP key publication (%s)', (dialect) => {
  let v: TestVigil;
  const clock = createManualClock(new Date());
  let northwind: Program;
  let lakeside: Program;

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock, env: { VIGIL_KEY_OVERLAP_DAYS: String(OVERLAP_DAYS) } });
    northwind = await v.services.programs.get('northwind-medical');
    lakeside = await v.services.programs.get('lakeside-health');
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const published = async (p: Program) => {
    const key = await v.services.keys.publishedKey(p.id);
    if (!key) throw new Error(`${p.slug} has no key`);
    return key;
  };
  const get = (url: string, host?: string) =>
    v.app.inject({ method: 'GET', url, headers: host ? { host } : {} });

  it('offers each program key as an armored download that GnuPG imports, with the fingerprint shown on the program page', async () => {
    for (const p of [northwind, lakeside]) {
      const key = await published(p);
      const res = await get(`/p/${p.slug}/key.asc`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/pgp-keys/);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="${p.slug}-${key.fingerprint.slice(-16)}.asc"`,
      );
      expect(res.body).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n/);
      expect(res.body).not.toContain('PRIVATE KEY');
      expect(await gpgImport(res.body)).toEqual([key.fingerprint]);

      const page = await get(`/p/${p.slug}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<code class="fpr">${grouped(key.fingerprint)}</code>`);
      expect(page.body).toContain(`href="/p/${p.slug}/key.asc"`);
      expect(page.body).toContain('also available through the Web Key Directory');
    }
    expect((await get('/p/no-such-program/key.asc')).statusCode).toBe(404);
  });

  it('names the program key in the receipt panel after a submission', async () => {
    const { body, contentType } = multipartBody(validAnswers(northwind, 'receipt key line'));
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${northwind.slug}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode).toBe(303);
    const page = await get(res.headers.location as string);
    const receipt = /<section class="receipt"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    expect(receipt).toContain(`Encrypt further mail to ${programKeyAddress(northwind)}`);
    expect(receipt).toContain(
      `<code class="fpr">${grouped((await published(northwind)).fingerprint)}</code>`,
    );
  });

  it('serves the binary key through WKD, direct and advanced, for each program address', async () => {
    for (const p of [northwind, lakeside]) {
      const key = await published(p);
      const address = programKeyAddress(p) as string;
      const domain = address.split('@')[1] as string;
      const urls = wkdUrls(address);
      const direct = new URL(urls.direct);
      const advanced = new URL(urls.advanced);
      const answers = [
        await get(direct.pathname + direct.search, domain),
        // Behind a proxy the host may be Vigil's own, and clients may leave out l=.
        await get(direct.pathname),
        await get(advanced.pathname + advanced.search, `openpgpkey.${domain}`),
        await get(advanced.pathname),
      ];
      for (const res of answers) {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/octet-stream');
        expect(res.headers['access-control-allow-origin']).toBe('*');
        // Binary, not armored: an OpenPGP packet header (high bit set) comes first.
        expect(res.rawPayload[0] as number).toBeGreaterThanOrEqual(0x80);
        expect(res.rawPayload.equals(Buffer.from(key.key.write()))).toBe(true);
      }
      expect(await gpgImport(answers[0]?.rawPayload as Buffer)).toEqual([key.fingerprint]);
    }
  });

  it('answers 404 for unknown addresses and 200 with an empty body for the policy files', async () => {
    const northwindDomain = (programKeyAddress(northwind) as string).split('@')[1] as string;
    const lakesideDomain = (programKeyAddress(lakeside) as string).split('@')[1] as string;
    const northwindHash = wkdHash((programKeyAddress(northwind) as string).split('@')[0] as string);
    const misses = [
      `/.well-known/openpgpkey/hu/${wkdHash('nobody')}`,
      `/.well-known/openpgpkey/hu/${wkdHash('nobody')}?l=nobody`,
      // The right hash with a different local part in l=.
      `/.well-known/openpgpkey/hu/${northwindHash}?l=someone-else`,
      `/.well-known/openpgpkey/${northwindDomain}/hu/${wkdHash('nobody')}`,
      // The right local part in another program's domain.
      `/.well-known/openpgpkey/${lakesideDomain}/hu/${northwindHash}`,
      `/.well-known/openpgpkey/elsewhere.example/hu/${northwindHash}`,
      '/.well-known/openpgpkey/hu/not-a-hash',
      '/.well-known/openpgpkey/elsewhere.example/policy',
    ];
    for (const url of misses) expect((await get(url)).statusCode, url).toBe(404);

    for (const url of [
      '/.well-known/openpgpkey/policy',
      `/.well-known/openpgpkey/${northwindDomain}/policy`,
      `/.well-known/openpgpkey/${lakesideDomain}/policy`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('signs each program security.txt with its key; gpg verifies it, and refuses a one-byte change or another key', async () => {
    for (const [p, other] of [
      [northwind, lakeside],
      [lakeside, northwind],
    ] as const) {
      const key = await published(p);
      const res = await get(`/p/${p.slug}/security.txt`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      const body = signedBody(res.body);
      expect(body).toContain(`Encryption: https://vigil.test/p/${p.slug}/key.asc\n`);
      expect(body).toContain(`Canonical: https://vigil.test/p/${p.slug}/security.txt\n`);
      expect(body.match(/^Expires: /gm)).toHaveLength(1);
      expect(body).toContain(`Contact: mailto:${programKeyAddress(p)}\n`);

      const good = await gpgVerify(res.body, key.armored);
      expect(good.ok, good.status).toBe(true);
      expect(good.fingerprint).toBe(key.fingerprint);

      // One byte of the signed text changed: the same check must fail.
      const at = res.body.indexOf('Contact: mailto:') + 'Contact: mailto:'.length;
      const c = res.body[at] as string;
      const tampered = res.body.slice(0, at) + (c === 'x' ? 'y' : 'x') + res.body.slice(at + 1);
      expect(tampered.length).toBe(res.body.length);
      const bad = await gpgVerify(tampered, key.armored);
      expect(bad.ok).toBe(false);
      expect(bad.status).toContain('BADSIG');

      const wrongKey = await gpgVerify(res.body, (await published(other)).armored);
      expect(wrongKey.ok).toBe(false);
      expect(wrongKey.status).toContain('NO_PUBKEY');
    }
  });

  it('signs the host-wide security.txt listing both programs with an instance key made on first need', async () => {
    expect(await v.services.keys.publishedKey(null)).toBeUndefined();
    const res = await get('/.well-known/security.txt');
    expect(res.statusCode).toBe(200);
    const instance = await v.services.keys.publishedKey(null);
    expect(instance).toBeDefined();
    const body = signedBody(res.body);
    for (const p of [northwind, lakeside]) {
      expect(body).toContain(`Encryption: https://vigil.test/p/${p.slug}/key.asc\n`);
      expect(body).toContain(`Contact: mailto:${programKeyAddress(p)}\n`);
    }
    expect(body).toContain('Canonical: https://vigil.test/.well-known/security.txt\n');
    expect(body.match(/^Expires: /gm)).toHaveLength(1);

    // The instance key is published where the file's comment says, and it is the one that signed.
    expect(body).toContain('https://vigil.test/key.asc');
    const download = await get('/key.asc');
    expect(download.statusCode).toBe(200);
    expect(await gpgImport(download.body)).toEqual([instance?.fingerprint]);
    const good = await gpgVerify(res.body, download.body);
    expect(good.ok, good.status).toBe(true);
    expect(good.fingerprint).toBe(instance?.fingerprint);
    const tampered = res.body.replace('Expires: 2', 'Expires: 3');
    expect((await gpgVerify(tampered, download.body)).ok).toBe(false);

    // Later requests reuse the same key rather than making another.
    await get('/.well-known/security.txt');
    expect((await v.services.keys.list()).filter((k) => k.program === null)).toHaveLength(1);
  });

  it('signs the well-known file with the primary program key when VIGIL_PRIMARY_PROGRAM names one', async () => {
    const single = await startTestVigil(dialect, { env: { VIGIL_PRIMARY_PROGRAM: 'lakeside-health' } });
    try {
      const program = await single.services.programs.get('lakeside-health');
      const key = (await single.services.keys.publishedKey(program.id)) as {
        armored: string;
        fingerprint: string;
      };
      const res = await single.app.inject({ method: 'GET', url: '/.well-known/security.txt' });
      const body = signedBody(res.body);
      expect(body).toContain('Encryption: https://vigil.test/p/lakeside-health/key.asc\n');
      expect(body).toContain('Canonical: https://vigil.test/.well-known/security.txt\n');
      expect(body.match(/^Expires: /gm)).toHaveLength(1);
      const good = await gpgVerify(res.body, key.armored);
      expect(good.ok, good.status).toBe(true);
      expect(good.fingerprint).toBe(key.fingerprint);
      // No instance key was needed.
      expect(await single.services.keys.publishedKey(null)).toBeUndefined();
    } finally {
      await single.destroy();
    }
  });

  it('rotation publishes the new key everywhere while the old one decrypts until the overlap ends', async () => {
    const old = await published(northwind);
    const secret = 'sent to the old key before the rotation';
    const encrypted = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: secret }),
      encryptionKeys: old.key,
    });

    const rotated = await v.services.keys.generate(northwind.slug, { actor: 'test' });
    expect(rotated.fingerprint).not.toBe(old.fingerprint);
    const now = await published(northwind);
    expect(now.fingerprint).toBe(rotated.fingerprint);

    // Download and program page.
    const download = await get(`/p/${northwind.slug}/key.asc`);
    expect(await gpgImport(download.body)).toEqual([rotated.fingerprint]);
    expect((await get(`/p/${northwind.slug}`)).body).toContain(grouped(rotated.fingerprint));
    // WKD serves the new key only.
    const direct = new URL(wkdUrls(programKeyAddress(northwind) as string).direct);
    const wkd = await get(direct.pathname + direct.search);
    expect(await gpgImport(wkd.rawPayload)).toEqual([rotated.fingerprint]);
    // security.txt is signed by the new key; the old one no longer verifies it.
    const txt = (await get(`/p/${northwind.slug}/security.txt`)).body;
    const byNew = await gpgVerify(txt, now.armored);
    expect(byNew.ok, byNew.status).toBe(true);
    expect(byNew.fingerprint).toBe(rotated.fingerprint);
    expect((await gpgVerify(txt, old.armored)).ok).toBe(false);

    const decryptingFingerprints = async () =>
      (await v.services.keys.decryptionKeys(northwind.id)).map((k) => k.getFingerprint().toUpperCase());
    const decrypt = async () =>
      decryptMessage(encrypted, await v.services.keys.decryptionKeys(northwind.id), { maxBytes: 1 << 20 });

    // Within the overlap (up to its last day), mail encrypted to the old key still opens.
    expect(await decryptingFingerprints()).toEqual(
      expect.arrayContaining([old.fingerprint, rotated.fingerprint]),
    );
    expect((await decrypt()).data.toString('utf8')).toBe(secret);
    clock.advance((OVERLAP_DAYS - 1) * DAY);
    expect(await decryptingFingerprints()).toContain(old.fingerprint);
    expect((await decrypt()).data.toString('utf8')).toBe(secret);

    // After it, the old key is gone from decryption and the message can no longer be read.
    clock.advance(2 * DAY);
    expect(await decryptingFingerprints()).toEqual([rotated.fingerprint]);
    const err = await decrypt().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenPgpDecryptError);
    expect((err as OpenPgpDecryptError).reason).toBe('no-key');

    const listed = (await v.services.keys.list()).find((k) => k.fingerprint === old.fingerprint);
    expect(listed?.state).toBe('retired');
    expect(listed?.decryptUntil).toBeTruthy();
  });
});
