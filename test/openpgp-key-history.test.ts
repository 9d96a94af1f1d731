import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { loadCsafTests } from '../src/disclosure/index.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { WARM_TIMEOUT, warmValidators } from './helpers/validators.js';

/**
 * A program key replaced after an advisory was signed stays published: the CSAF provider metadata
 * lists it with a URL that serves it, the advisory's `.asc` verifies with the key fetched from
 * there (and not with the new key), and the program page shows both keys.
 */

const BASE = 'https://vigil.test';
const SLUG = 'lakeside-health';
const DAY = 86_400_000;

interface ListedKey {
  fingerprint: string;
  url: string;
}

describe.each(dialects)('OpenPGP key history (%s)', (dialect) => {
  const clock = createManualClock(new Date('2027-06-01T09:00:00.000Z'));
  let v: TestVigil;
  let program: Program;
  const tokens: Record<string, string> = {};
  let advisory: { docPath: string; body: string; signature: string };
  let oldFingerprint: string;
  let newFingerprint: string;

  const get = (url: string) => v.app.inject({ method: 'GET', url });
  const ok = async (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await v.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload !== undefined ? { payload } : {}),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
  const listedKeys = async (): Promise<ListedKey[]> =>
    (await get('/.well-known/csaf/provider-metadata.json')).json().public_openpgp_keys;
  /** A URL the provider metadata lists, fetched from this instance. */
  const fetchListed = (url: string) => {
    expect(url.startsWith(`${BASE}/`)).toBe(true);
    return get(url.slice(BASE.length));
  };
  const verify = async (armoredKey: string) => {
    const key = await openpgp.readKey({ armoredKey });
    const result = await openpgp.verify({
      message: await openpgp.createMessage({ binary: Buffer.from(advisory.body) }),
      signature: await openpgp.readSignature({ armoredSignature: advisory.signature }),
      verificationKeys: key,
      expectSigned: false,
    });
    const [sig] = result.signatures;
    return sig
      ? sig.verified.then(
          () => true,
          () => false,
        )
      : false;
  };

  beforeAll(async () => {
    await warmValidators();
    await loadCsafTests();
    v = await startTestVigil(dialect, { clock });
    program = await v.services.programs.get(SLUG);
    for (const [key, role, duties] of [
      ['lead', 'lead', []],
      ['approver', 'viewer', ['approver']],
    ] as const) {
      const email = `${key}.${randomBytes(3).toString('hex')}@keys.test`;
      await v.services.accounts.createUser({ email, role, program: SLUG, duties: [...duties] }, 'test');
      tokens[key] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
  }, WARM_TIMEOUT);
  afterAll(async () => {
    await v?.destroy();
  });

  it('keeps an advisory signed before a rotation verifiable with the key the metadata lists for it', async () => {
    // An advisory published and signed with the program's first key.
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: validAnswers(program, 'key history') },
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().caseNumber as string;
    await ok('lead', 'POST', `/api/v1/reports/${n}/acknowledge`, { contactPerson: 'Lee Lead' });
    await ok('lead', 'POST', `/api/v1/reports/${n}/start-verification`, {});
    await ok('lead', 'POST', `/api/v1/reports/${n}/confirm`, {});
    await ok('lead', 'PUT', `/api/v1/reports/${n}/assessment`, {
      cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      cwe: 'CWE-200',
      affected: [{ productId: 'lakeside-health-server', versions: '>= 4.0, < 4.2.1', fixedIn: '4.2.1' }],
    });
    const draft = await ok('lead', 'POST', '/api/v1/advisories', { cases: [n] });
    const url = `/api/v1/advisories/${draft.id}/revisions/1`;
    await ok('lead', 'POST', `${url}/submit`);
    await ok('approver', 'POST', `${url}/approve`);
    await ok('lead', 'POST', `${url}/publish`);
    const docPath = `/.well-known/csaf/white/${clock.now().getUTCFullYear()}/${String(draft.id).toLowerCase()}.json`;
    const doc = await get(docPath);
    const sig = await get(`${docPath}.asc`);
    expect(doc.statusCode).toBe(200);
    expect(sig.statusCode).toBe(200);
    advisory = { docPath, body: doc.body, signature: sig.body };
    oldFingerprint = ((await v.services.keys.publishedKey(program.id))?.fingerprint ?? '').toUpperCase();
    expect(oldFingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect((await listedKeys()).map((k) => k.fingerprint)).toEqual([oldFingerprint]);

    // The program key is replaced.
    clock.advance(DAY);
    newFingerprint = (await v.services.keys.generate(SLUG, { actor: 'test' })).fingerprint.toUpperCase();
    expect(newFingerprint).not.toBe(oldFingerprint);

    const listed = await listedKeys();
    expect(listed.map((k) => k.fingerprint).sort()).toEqual([oldFingerprint, newFingerprint].sort());
    const current = listed.find((k) => k.fingerprint === newFingerprint) as ListedKey;
    const retired = listed.find((k) => k.fingerprint === oldFingerprint) as ListedKey;
    expect(current.url).toBe(`${BASE}/p/${SLUG}/key.asc`);
    expect(retired.url).toBe(`${BASE}/p/${SLUG}/keys/${oldFingerprint}.asc`);

    const oldKey = await fetchListed(retired.url);
    expect(oldKey.statusCode).toBe(200);
    expect(oldKey.headers['content-type']).toContain('application/pgp-keys');
    expect(oldKey.body).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(oldKey.body).not.toContain('PRIVATE KEY');
    expect((await openpgp.readKey({ armoredKey: oldKey.body })).getFingerprint().toUpperCase()).toBe(
      oldFingerprint,
    );
    // The earlier advisory's signature holds with the listed old key, and only with it.
    expect(await verify(oldKey.body)).toBe(true);
    const currentKey = await fetchListed(current.url);
    expect((await openpgp.readKey({ armoredKey: currentKey.body })).getFingerprint().toUpperCase()).toBe(
      newFingerprint,
    );
    expect(await verify(currentKey.body)).toBe(false);
    // The current key is served by fingerprint too.
    const byFingerprint = await get(`/p/${SLUG}/keys/${newFingerprint.toLowerCase()}.asc`);
    expect(byFingerprint.statusCode).toBe(200);
    expect(byFingerprint.body).toBe(currentKey.body);
  });

  it('shows the key history on the program page', async () => {
    const page = await get(`/p/${SLUG}`);
    expect(page.statusCode).toBe(200);
    const spaced = (f: string) => f.replace(/(.{4})/g, '$1 ').trim();
    expect(page.body).toContain('Key history');
    const history = page.body.slice(page.body.indexOf('id="key-history"'));
    // Newest first, each a download link by fingerprint, with its state and dates.
    expect(history.indexOf(spaced(newFingerprint))).toBeGreaterThan(-1);
    expect(history.indexOf(spaced(oldFingerprint))).toBeGreaterThan(history.indexOf(spaced(newFingerprint)));
    expect(history).toContain(`href="/p/${SLUG}/keys/${oldFingerprint}.asc"`);
    expect(history).toContain('Current');
    expect(history).toContain('Replaced');
    expect(history).toContain('<time datetime="2027-06-02T09:00:00.000Z">2027-06-02</time>');
    expect(history).not.toContain('PRIVATE');
  });

  it('serves no key the program never published, and no other program’s key under its name', async () => {
    const northwind = await v.services.programs.get('northwind-medical');
    const theirs = (await v.services.keys.publishedKey(northwind.id))?.fingerprint.toUpperCase() as string;
    expect((await get(`/p/${SLUG}/keys/${theirs}.asc`)).statusCode).toBe(404);
    expect((await get(`/p/northwind-medical/keys/${theirs}.asc`)).statusCode).toBe(200);
    for (const file of ['not-hex.asc', `${oldFingerprint}.gpg`, `${'A'.repeat(40)}.asc`]) {
      const res = await get(`/p/${SLUG}/keys/${file}`);
      expect(res.statusCode, file).toBe(404);
      expect(res.body).not.toContain('BEGIN PGP');
    }
    // A key row that never became active (a state other than active or retired) stays unlisted.
    const row = await v.db.kysely
      .selectFrom('program_keys')
      .selectAll()
      .where('fingerprint', '=', oldFingerprint)
      .executeTakeFirstOrThrow();
    const staged = 'F'.repeat(40);
    await v.db.kysely
      .insertInto('program_keys')
      .values({
        ...row,
        id: `staged-${randomBytes(4).toString('hex')}`,
        fingerprint: staged,
        state: 'staged',
      })
      .execute();
    expect((await listedKeys()).map((k) => k.fingerprint)).not.toContain(staged);
    expect((await get(`/p/${SLUG}/keys/${staged}.asc`)).statusCode).toBe(404);
    expect((await get(`/p/${SLUG}`)).body).not.toContain(staged.replace(/(.{4})/g, '$1 ').trim());
  });
});
