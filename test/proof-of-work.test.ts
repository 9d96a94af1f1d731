import { solveChallenge } from 'altcha-lib/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/core/clock.js';
import {
  addressTag,
  gateLevel,
  maxNumberFor,
  readWaitToken,
  signWaitToken,
  waitSecondsFor,
} from '../src/intake/proof-of-work.js';
import type { Program } from '../src/programs/index.js';
import { mainTextField as mainField, multipartBody, validAnswers } from './helpers/reports.js';
import { storageSnapshot } from './helpers/snapshot.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/** The challenge as the API gives it, solved as a client would: base64 of the ALTCHA v1 payload. */
async function solve(c: {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}) {
  const found = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  if (!found) throw new Error('no solution found');
  return Buffer.from(
    JSON.stringify({
      algorithm: c.algorithm,
      challenge: c.challenge,
      number: found.number,
      salt: c.salt,
      signature: c.signature,
    }),
  ).toString('base64');
}

describe('adaptive proof-of-work: the formula', () => {
  const s = { quietPerHour: 20, addressFreePerHour: 3, minLevel: 0, maxNumber: 2_000_000, waitSeconds: 60 };
  it('asks nothing in quiet times and rises with the program volume and the address history', () => {
    expect(gateLevel(s, 0, 0)).toBe(0);
    expect(gateLevel(s, 19, 2)).toBe(0);
    expect(gateLevel(s, 20, 0)).toBe(1);
    expect(gateLevel(s, 40, 0)).toBe(2);
    expect(gateLevel(s, 80, 0)).toBe(3);
    expect(gateLevel(s, 160, 0)).toBe(4);
    expect(gateLevel(s, 10_000, 0)).toBe(4);
    expect(gateLevel(s, 0, 3)).toBe(1);
    expect(gateLevel(s, 0, 5)).toBe(3);
    expect(gateLevel(s, 40, 4)).toBe(4);
    expect(gateLevel({ ...s, minLevel: 2 }, 0, 0)).toBe(2);
  });
  it('scales maxnumber by four per level and the wait linearly', () => {
    expect([0, 1, 2, 3, 4].map((l) => maxNumberFor(s, l))).toEqual([0, 31_250, 125_000, 500_000, 2_000_000]);
    expect([0, 1, 2, 3, 4].map((l) => waitSecondsFor(s, l))).toEqual([0, 15, 30, 45, 60]);
  });
  it('signs wait tokens and refuses any change to them', () => {
    const key = Buffer.alloc(32, 7);
    const t = signWaitToken(key, { programId: 'p1', issuedAt: 1000 });
    expect(readWaitToken(key, t)).toMatchObject({ programId: 'p1', issuedAt: 1000 });
    expect(readWaitToken(Buffer.alloc(32, 8), t)).toBeUndefined();
    const [payload, mac] = t.split('.') as [string, string];
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('1000', '1')).toString(
      'base64url',
    );
    expect(readWaitToken(key, `${forged}.${mac}`)).toBeUndefined();
    expect(readWaitToken(key, 'garbage')).toBeUndefined();
    expect(addressTag(key, '10.0.0.1')).not.toContain('10.0.0.1');
  });
});

describe.each(dialects)('proof-of-work on the JSON API (%s)', (dialect) => {
  let v: TestVigil;
  let p: Program;
  let other: Program;
  let now = new Date('2026-12-08T10:00:00Z');
  const clock: Clock = { now: () => new Date(now) };
  const url = () => `/api/v1/programs/${p.slug}/reports`;
  const challenge = async (program = p, remoteAddress = '127.0.0.1') =>
    (
      await v.app.inject({ method: 'GET', url: `/api/v1/programs/${program.slug}/challenge`, remoteAddress })
    ).json();
  const submit = (proof?: string, remoteAddress = '127.0.0.1') =>
    v.app.inject({
      method: 'POST',
      url: url(),
      remoteAddress,
      headers: proof === undefined ? {} : { 'x-vigil-proof': proof },
      payload: { fields: validAnswers(p, 'proof test') },
    });

  beforeAll(async () => {
    // Level 1 always, with a tiny maxnumber so the tests solve in milliseconds.
    v = await startTestVigil(dialect, {
      clock,
      env: { VIGIL_POW_MIN_LEVEL: '1', VIGIL_POW_MAX_NUMBER: '4096' },
    });
    const programs = await v.services.programs.list();
    p = programs[0] as Program;
    other = programs[1] as Program;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('gives a challenge bound to the program that expires', async () => {
    const c = await challenge();
    expect(c).toMatchObject({ required: true, level: 1, algorithm: 'SHA-256', maxnumber: 64 });
    expect(c.salt).toContain(`program=${p.slug}`);
    expect(new Date(c.expiresAt).getTime() - now.getTime()).toBe(10 * 60_000);
  });

  it('refuses a report without a proof: 400 naming the header, nothing stored', async () => {
    const before = await storageSnapshot(v);
    const res = await submit();
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'proof_required',
      fields: [{ path: 'headers.x-vigil-proof' }],
    });
    expect(res.json().message).toContain(`/api/v1/programs/${p.slug}/challenge`);
    expect(await storageSnapshot(v)).toEqual(before);
  });

  it('refuses a multipart report with files without a proof before any file is stored', async () => {
    const before = await storageSnapshot(v);
    const { body, contentType } = multipartBody(validAnswers(p, 'files'), [
      { name: 'poc.txt', data: Buffer.alloc(4096, 65) },
    ]);
    const res = await v.app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(await storageSnapshot(v)).toEqual(before);
  });

  it('refuses forged, garbled and wrong-algorithm proofs with 403, nothing stored', async () => {
    const c = await challenge();
    const good = JSON.parse(Buffer.from(await solve(c), 'base64').toString());
    const variants = [
      { ...good, number: good.number + 1 },
      { ...good, signature: 'ab'.repeat(32) },
      { ...good, salt: good.salt.replace(`program=${p.slug}`, `program=${other.slug}`) },
      { ...good, algorithm: 'SHA-1' },
    ].map((x) => Buffer.from(JSON.stringify(x)).toString('base64'));
    const before = await storageSnapshot(v);
    for (const proof of [...variants, 'not base64 at all!', '']) {
      const res = await submit(proof);
      expect(res.statusCode, proof).toBe(proof === '' ? 400 : 403);
      expect(res.json().fields[0].path).toBe('headers.x-vigil-proof');
    }
    expect(await storageSnapshot(v)).toEqual(before);
  });

  it('accepts a solved challenge once; a replay is refused and stores nothing', async () => {
    const proof = await solve(await challenge());
    const ok = await submit(proof);
    expect(ok.statusCode).toBe(201);
    const before = await storageSnapshot(v);
    const again = await submit(proof);
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ error: 'proof_rejected' });
    expect(again.json().message).toContain('used already');
    expect(await storageSnapshot(v)).toEqual(before);
    const spent = await v.db.kysely.selectFrom('intake_proofs_spent').selectAll().execute();
    expect(spent.some((r) => r.program_id === p.id && r.id.startsWith('pow:'))).toBe(true);
  });

  it('refuses an expired challenge and one issued for another program', async () => {
    const expiring = await solve(await challenge());
    const foreign = await solve(await challenge(other));
    const before = await storageSnapshot(v);
    const wrong = await submit(foreign);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().message).toContain('another program');
    now = new Date(now.getTime() + 11 * 60_000);
    const late = await submit(expiring);
    expect(late.statusCode).toBe(403);
    expect(late.json().message).toContain('expired');
    expect(await storageSnapshot(v)).toEqual(before);
  });

  it('the form without JavaScript: too early is shown again with the wait, then accepted once', async () => {
    const form = await v.app.inject({ method: 'GET', url: `/p/${p.slug}/report` });
    const action = /<form method="post" action="([^"]+)"/
      .exec(form.body)?.[1]
      ?.replace(/&amp;/g, '&') as string;
    expect(action).toMatch(/\?wait=/);
    const post = (to: string, fields = validAnswers(p, 'no script canary')) => {
      const { body, contentType } = multipartBody(fields, [
        { name: 'poc.txt', data: Buffer.alloc(1024, 67) },
      ]);
      return v.app.inject({
        method: 'POST',
        url: to,
        headers: { 'content-type': contentType },
        payload: body,
      });
    };
    const before = await storageSnapshot(v);
    const early = await post(action);
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('15');
    expect(early.body).toContain('please wait 15 seconds');
    expect(early.body).toContain('no script canary');
    expect(early.body).toContain(action.replace(/&/g, '&amp;'));
    expect(await storageSnapshot(v)).toEqual(before);
    now = new Date(now.getTime() + 16_000);
    const ok = await post(action);
    expect(ok.statusCode).toBe(303);
    // The token is spent: sent again, the form comes back with a new one to wait for.
    const replay = await post(action);
    expect(replay.statusCode).toBe(429);
    const fresh = /<form method="post" action="([^"]+)"/.exec(replay.body)?.[1] as string;
    expect(fresh).not.toBe(action);
    // A refused form whose token was spent comes back with one that has waited already.
    now = new Date(now.getTime() + 16_000);
    const invalid = await post(fresh.replace(/&amp;/g, '&'), { ...validAnswers(p, 'x'), [mainField(p)]: '' });
    expect(invalid.statusCode).toBe(400);
    const handedBack = /<form method="post" action="([^"]+)"/
      .exec(invalid.body)?.[1]
      ?.replace(/&amp;/g, '&') as string;
    expect((await post(handedBack)).statusCode).toBe(303);
    // A forged solution from a script is explained in the form.
    const forged = await post(
      `/p/${p.slug}/report?proof=${encodeURIComponent(Buffer.from('{}').toString('base64'))}`,
    );
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('anti-spam check was not accepted');
  });

  it('prunes spent proofs once they have expired', async () => {
    const proof = await solve(await challenge());
    expect((await submit(proof)).statusCode).toBe(201);
    now = new Date(now.getTime() + 2 * 3_600_000);
    // The next accepted report prunes (at most once a minute per instance).
    expect((await submit(await solve(await challenge()))).statusCode).toBe(201);
    const spent = await v.db.kysely.selectFrom('intake_proofs_spent').select(['id', 'expires_at']).execute();
    expect(spent.every((r) => r.expires_at >= now.toISOString())).toBe(true);
    // Only the solution just used is left of the challenges (form tokens keep for a day).
    expect(spent.filter((r) => r.id.startsWith('pow:')).length).toBe(1);
  });
});

describe.each(dialects)('proof-of-work adapts to volume and address history (%s)', (dialect) => {
  let v: TestVigil;
  let p: Program;
  beforeAll(async () => {
    v = await startTestVigil(dialect, {
      env: {
        VIGIL_POW_QUIET_PER_HOUR: '3',
        VIGIL_POW_ADDRESS_FREE_PER_HOUR: '2',
        VIGIL_POW_MAX_NUMBER: '4096',
      },
    });
    p = (await v.services.programs.list())[0] as Program;
  });
  afterAll(async () => {
    await v?.destroy();
  });
  const challenge = async (remoteAddress: string) =>
    (
      await v.app.inject({ method: 'GET', url: `/api/v1/programs/${p.slug}/challenge`, remoteAddress })
    ).json();
  const submit = (remoteAddress: string, proof?: string) =>
    v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      remoteAddress,
      headers: proof ? { 'x-vigil-proof': proof } : {},
      payload: { fields: validAnswers(p, 'volume') },
    });

  it('is off in quiet times, then an address that sent much is asked first, then everyone', async () => {
    expect(await challenge('10.0.0.1')).toEqual({ required: false, level: 0 });
    expect((await submit('10.0.0.1')).statusCode).toBe(201);
    expect((await submit('10.0.0.1')).statusCode).toBe(201);
    // Two from 10.0.0.1: its own history asks it for work, another address is still free.
    expect(await challenge('10.0.0.1')).toMatchObject({ required: true, level: 1 });
    expect(await challenge('10.0.0.2')).toEqual({ required: false, level: 0 });
    expect((await submit('10.0.0.1')).statusCode).toBe(400);
    expect((await submit('10.0.0.2')).statusCode).toBe(201);
    // Three reports in the hour: the program is busy for everyone.
    expect(await challenge('10.0.0.3')).toMatchObject({ required: true, level: 1 });
    const c = await challenge('10.0.0.1');
    expect(c.level).toBe(2);
    expect(c.maxnumber).toBe(maxNumberFor({ maxNumber: 4096 }, 2));
    expect((await submit('10.0.0.1', await solve(c))).statusCode).toBe(201);
    // The arrivals hold a keyed hash of the address, never the address.
    const rows = await v.db.kysely.selectFrom('intake_arrivals').selectAll().execute();
    expect(rows.length).toBe(4);
    expect(JSON.stringify(rows)).not.toContain('10.0.0.');
  });
});
