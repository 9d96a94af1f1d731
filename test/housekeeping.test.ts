import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHousekeepingJob } from '../src/accounts/index.js';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { ORPHAN_BLOB_MIN_AGE_MS } from '../src/server.js';
import { mainTextField, multipartSubmission, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The housekeeping pass (src/accounts/housekeeping.ts) on both dialects, with the clock moved by
 * the test: what sign-in would refuse anyway (ended sessions, expired pending sign-ins, failures
 * no throttle counts) goes; everything still live stays, whatever the pass is run how often.
 */

const MINUTE = 60_000;

describe.each(dialects)('housekeeping (%s)', (dialect) => {
  const start = new Date('2026-12-08T15:00:00.000Z');
  const clock = createManualClock(start);
  let v: TestVigil;
  let userId: string;
  const iso = (ms: number) => new Date(start.getTime() + ms).toISOString();

  beforeAll(async () => {
    v = await startTestVigil(dialect, {
      clock,
      env: { VIGIL_SESSION_IDLE_MINUTES: '30', VIGIL_SESSION_MAX_HOURS: '12' },
    });
    await v.services.accounts.createUser({ email: 'staff@housekeeping.test', role: 'admin' }, 'test');
    const user = await v.db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'staff@housekeeping.test')
      .executeTakeFirstOrThrow();
    userId = user.id;
  });
  afterAll(async () => {
    await v?.destroy();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const ids = async (table: 'sessions' | 'pending_sign_ins' | 'sign_in_failures') =>
    (await v.db.kysely.selectFrom(table).select('id').execute()).map((r) => r.id).sort();

  async function seed(): Promise<void> {
    const k = v.db.kysely;
    await k.deleteFrom('sessions').execute();
    await k.deleteFrom('pending_sign_ins').execute();
    await k.deleteFrom('sign_in_failures').execute();
    const session = (id: string, lastSeen: number, expires: number) => ({
      id,
      user_id: userId,
      secret_hash: `hash-${id}`,
      created_at: iso(-60 * MINUTE),
      last_seen_at: iso(lastSeen),
      expires_at: iso(expires),
      challenge: id === 'registering' ? 'a-passkey-challenge' : null,
    });
    await k
      .insertInto('sessions')
      .values([
        // Seen a minute ago, ends in hours: live.
        session('live', -1 * MINUTE, 11 * 60 * MINUTE),
        // A live one in the middle of a passkey registration keeps its challenge.
        session('registering', -2 * MINUTE, 11 * 60 * MINUTE),
        // Idle for 31 minutes with a 30-minute idle limit: ended.
        session('idle', -31 * MINUTE, 11 * 60 * MINUTE),
        // Past its absolute end though seen just now: ended.
        session('expired', -1 * MINUTE, -1),
      ])
      .execute();
    const pending = (id: string, expires: number) => ({
      id,
      user_id: userId,
      secret_hash: `pending-${id}`,
      created_at: iso(-10 * MINUTE),
      expires_at: iso(expires),
      challenge: 'a-sign-in-challenge',
    });
    await k
      .insertInto('pending_sign_ins')
      .values([pending('waiting', 5 * MINUTE), pending('stale', -1 * MINUTE)])
      .execute();
    const failure = (id: string, at: number) => ({
      id,
      account: 'staff@housekeeping.test',
      ip: '192.0.2.1',
      at: iso(at),
    });
    // The throttle counts failures of the last 30 minutes (two 15-minute windows).
    await k
      .insertInto('sign_in_failures')
      .values([
        failure('recent', -5 * MINUTE),
        failure('counted', -29 * MINUTE),
        failure('old', -31 * MINUTE),
      ])
      .execute();
  }

  it('removes ended sessions, expired pending sign-ins and uncounted failures; keeps the live ones', async () => {
    await seed();
    const job = createHousekeepingJob({ db: v.db, clock, config: v.config });
    const removed = await job.runOnce();
    expect(removed).toEqual({ sessions: 2, pendingSignIns: 1, signInFailures: 1 });
    expect(await ids('sessions')).toEqual(['live', 'registering']);
    expect(await ids('pending_sign_ins')).toEqual(['waiting']);
    expect(await ids('sign_in_failures')).toEqual(['counted', 'recent']);
    const kept = await v.db.kysely
      .selectFrom('sessions')
      .select('challenge')
      .where('id', '=', 'registering')
      .executeTakeFirstOrThrow();
    expect(kept.challenge).toBe('a-passkey-challenge');

    // Again at once: nothing more to do (a second instance running the same pass finds the same).
    expect(await job.runOnce()).toEqual({ sessions: 0, pendingSignIns: 0, signInFailures: 0 });

    // An hour on, the rest has ended too.
    clock.set(new Date(start.getTime() + 60 * MINUTE));
    expect(await job.runOnce()).toEqual({ sessions: 2, pendingSignIns: 1, signInFailures: 2 });
    expect(await ids('sessions')).toEqual([]);
    expect(await ids('pending_sign_ins')).toEqual([]);
    expect(await ids('sign_in_failures')).toEqual([]);
    clock.set(start);
  });

  it('runs by itself every VIGIL_HOUSEKEEPING_MINUTES once started, and stops', async () => {
    await seed();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const job = createHousekeepingJob({ db: v.db, clock, config: { ...v.config, housekeepingMinutes: 5 } });
    job.start();
    try {
      vi.advanceTimersByTime(4 * MINUTE);
      // Not yet: nothing has run before the first interval.
      expect(await ids('sessions')).toEqual(['expired', 'idle', 'live', 'registering']);
      vi.advanceTimersByTime(MINUTE);
      await vi.waitFor(async () => expect(await ids('sessions')).toEqual(['live', 'registering']), {
        timeout: 10_000,
      });
    } finally {
      await job.stop();
    }
  });

  it('is among the periodic jobs the instance starts', async () => {
    const { createBackgroundJobs } = await import('../src/background.js');
    const jobs = await createBackgroundJobs(
      {
        config: v.config,
        db: v.db,
        blobs: v.blobs,
        sealer: undefined as never,
        clock,
        services: v.services,
        logger: v.app.log,
      },
      false,
    );
    expect(jobs.periodic).toContain(jobs.housekeeping);
    expect(jobs.periodic).toContain(jobs.blobSweep);

    // The orphan sweep runs on the same schedule: a blob no submission committed goes once it is
    // a day old; a younger one (an upload in flight, perhaps on another instance) and a committed
    // attachment's blob stay.
    const put = (text: string) =>
      v.blobs.put(Readable.from([Buffer.from(text)]), { maxBytes: 1024, aad: 'attachment:orphan' });
    const stale = await put('left behind by a crash a day ago');
    const young = await put('an upload still in flight');
    const withFiles = (await v.services.programs.list()).find((p) => p.definition.form.attachments.allowed);
    const submitted = await v.app.inject(
      multipartSubmission((withFiles as Program).slug, validAnswers(withFiles as Program, 'sweep test'), [
        { name: 'trace.txt', data: Buffer.from('a committed attachment') },
      ]),
    );
    expect(submitted.statusCode, submitted.body).toBe(201);
    const committed = await v.db.kysely.selectFrom('attachments').select('blob_key').execute();
    expect(committed).toHaveLength(1);
    const dayAgo = (Date.now() - ORPHAN_BLOB_MIN_AGE_MS - 60_000) / 1000;
    for (const key of [stale.key, committed[0]?.blob_key as string]) {
      await fs.utimes(path.join(v.dataDir, 'blobs', key.slice(0, 2), key), dayAgo, dayAgo);
    }
    expect(await jobs.blobSweep.runOnce()).toBe(1);
    expect(await v.blobs.exists(stale.key)).toBe(false);
    expect(await v.blobs.exists(young.key)).toBe(true);
    expect(await v.blobs.exists(committed[0]?.blob_key as string)).toBe(true);
    expect(await jobs.blobSweep.runOnce()).toBe(0);
  });
});

/**
 * A redaction applied on PostgreSQL vacuums the tables that held the text right after its commit
 * (src/privacy-quarantine/redaction-service.ts), so the dead row versions with the original go
 * now rather than when autovacuum comes round. SQLite's equivalent (secure_delete and the log
 * truncated) is proven on the file bytes in test/phi-redaction.test.ts.
 */
describe.skipIf(!process.env.VIGIL_TEST_DATABASE_URL)('vacuum after a redaction (postgres)', () => {
  let v: TestVigil;
  afterAll(async () => {
    await v?.destroy();
  });

  it('vacuums reports, messages and attachments once the redaction has committed', async () => {
    v = await startTestVigil('postgres');
    for (const [email, role] of [
      ['officer@vac.test', 'handler'],
      ['officer2@vac.test', 'lead'],
    ] as const)
      await v.services.accounts.createUser(
        { email, role, program: 'northwind-medical', duties: ['privacy'] },
        'test',
      );
    const token = async (email: string) =>
      (await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')).token;
    const officer = await token('officer@vac.test');
    const officer2 = await token('officer2@vac.test');
    const program = (await v.services.programs.find('northwind-medical')) as Program;
    const phi = 'The export showed patient Jane Roe, DOB 03/14/1961, MRN: 00482913 in clear text.';
    const submitted = await v.app.inject({
      method: 'POST',
      url: '/api/v1/programs/northwind-medical/reports',
      payload: { fields: validAnswers(program, phi) },
    });
    expect(submitted.statusCode).toBe(201);
    const caseNumber = submitted.json().caseNumber as string;
    const field = mainTextField(program);

    const vacuumed = async () =>
      (
        await sql<{ relname: string }>`select relname from pg_stat_user_tables
          where schemaname = current_schema() and last_vacuum is not null
          and relname in ('reports', 'messages', 'attachments')`.execute(v.db.kysely)
      ).rows
        .map((r) => r.relname)
        .sort();
    expect(await vacuumed()).toEqual([]);

    const call = (url: string, bearer: string, payload?: object) =>
      v.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${bearer}` }, payload });
    const view = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}`,
      headers: { authorization: `Bearer ${officer}` },
    });
    const text = view.json().content[field] as string;
    const start = text.indexOf('Jane Roe');
    expect(start).toBeGreaterThanOrEqual(0);
    const proposed = await call(`/api/v1/reports/${caseNumber}/redactions`, officer, {
      reason: 'Patient identifiers',
      parts: [{ kind: 'field', ref: field, spans: [{ start, end: start + 'Jane Roe'.length }] }],
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    // Proposing changes no text: nothing is vacuumed yet.
    expect(await vacuumed()).toEqual([]);
    const approved = await call(
      `/api/v1/reports/${caseNumber}/redactions/${proposed.json().id}/approve`,
      officer2,
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await vacuumed()).toEqual(['attachments', 'messages', 'reports']);
  });
});
