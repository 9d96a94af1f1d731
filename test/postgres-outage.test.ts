import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isDatabaseUnavailable } from '../src/db/index.js';
import type { Program } from '../src/programs/index.js';
import { pgQuery } from './helpers/cli.js';
import { reportSubmission, validAnswers } from './helpers/reports.js';
import { type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';
import { listenOnLoopback, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * PostgreSQL goes away under load and comes back; Vigil must stay up, answer what it cannot do
 * with 503 and Retry-After, lose nothing it acknowledged, and recover by itself. The shared test
 * server is never restarted: only this instance's connections are cut, in the two ways a restart
 * or an outage reaches a client:
 * - `pg_terminate_backend` on the backends carrying this instance's `application_name` (what a
 *   server shutdown does to every client: 57P01, then the socket closes);
 * - a TCP relay between Vigil and the server that the test takes down (refusing connections and
 *   resetting the open ones) and brings back.
 */

const pgUrl = process.env.VIGIL_TEST_DATABASE_URL;
/** Reporters submitting at once, each one submission after another. */
const REPORTERS = 8;
/** Generous limits for polling: a busy machine is slow, and none of this measures speed. */
const WAIT = { timeout: 60_000, interval: 100 };

type Phase = 'warm-up' | 'terminated' | 'proxy down' | 'restored';

interface Outcome {
  index: number;
  phase: Phase;
  program: string;
  marker: string;
  attachmentSize?: number;
  status: number | 'no answer';
  retryAfter?: string | null;
  body?: Record<string, unknown>;
}

describe.skipIf(!pgUrl)('PostgreSQL outage under load (postgres)', () => {
  let proxy: TcpProxy;
  let peer: SmtpPeer;
  let v: TestVigil;
  let base: string;
  let appName: string;
  let staffToken: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => {
    unhandled.push(err);
  };

  beforeAll(async () => {
    // Anything that escapes (an 'error' event nobody listens to, a rejected promise nobody awaits)
    // would end a production process; here it is collected and fails the test.
    process.on('uncaughtException', onUnhandled);
    process.on('unhandledRejection', onUnhandled);
    const server = new URL(pgUrl as string);
    proxy = await startTcpProxy({ host: server.hostname || '127.0.0.1', port: Number(server.port || 5432) });
    appName = `vigil_outage_${randomBytes(5).toString('hex')}`;
    const viaProxy = new URL(pgUrl as string);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    viaProxy.searchParams.set('application_name', appName);
    peer = await startSmtpPeer();
    v = await startTestVigil('postgres', {
      env: { DATABASE_URL: viaProxy.toString(), VIGIL_SMTP_URL: peer.url },
      worker: true,
    });
    base = await listenOnLoopback(v);
    await v.services.accounts.createUser({ email: 'lead@outage.test', role: 'admin' }, 'test');
    staffToken = (
      await v.services.accounts.createToken({ userEmail: 'lead@outage.test', scope: 'read' }, 'test')
    ).token;
  });

  afterAll(async () => {
    await v?.destroy();
    await proxy?.close();
    await peer?.close();
    process.off('uncaughtException', onUnhandled);
    process.off('unhandledRejection', onUnhandled);
  });

  const readiness = async () => {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('stays up, answers 503 with Retry-After while cut off, loses nothing acknowledged and recovers by itself', {
    timeout: 300_000,
  }, async () => {
    const programs = await v.services.programs.list();
    const withFiles = programs.find((p) => p.definition.form.attachments.allowed) as Program;
    expect(withFiles).toBeDefined();
    const runId = randomBytes(4).toString('hex');

    let phase: Phase = 'warm-up';
    let stop = false;
    let paused = false;
    let inFlight = 0;
    let next = 0;
    const outcomes: Outcome[] = [];
    const answered = (p: Phase, status: number) =>
      outcomes.filter((o) => o.phase === p && o.status === status).length;

    const submitOne = async (index: number) => {
      const multipart = index % 2 === 0;
      const program = multipart ? withFiles : (programs[index % programs.length] as Program);
      const marker = `outage-${runId}-${index}.`;
      const answers = validAnswers(program, marker);
      const o: Outcome = { index, phase, program: program.slug, marker, status: 'no answer' };
      let file: { name: string; data: Buffer } | undefined;
      if (multipart) {
        file = { name: `trace-${index}.bin`, data: randomBytes(1024 + (index % 7) * 512) };
        o.attachmentSize = file.data.length;
      }
      const init = reportSubmission(answers, file);
      try {
        const res = await fetch(`${base}/api/v1/programs/${program.slug}/reports`, {
          ...init,
          signal: AbortSignal.timeout(60_000),
        });
        o.status = res.status;
        o.retryAfter = res.headers.get('retry-after');
        o.body = (await res.json()) as Record<string, unknown>;
      } catch {
        // No answer at all (connection dropped, or no answer within a minute): fails below.
      }
      // The phase the answer came in, which is what the assertions speak of.
      o.phase = phase;
      outcomes.push(o);
      // Refusals come back at once; don't spin on them.
      if (o.status !== 201) await new Promise((r) => setTimeout(r, 50));
    };
    const reporters = Array.from({ length: REPORTERS }, async () => {
      while (!stop) {
        if (paused) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        inFlight++;
        await submitOne(next++).finally(() => inFlight--);
      }
    });

    try {
      v.worker?.start();
      await vi.waitFor(() => expect(answered('warm-up', 201)).toBeGreaterThanOrEqual(REPORTERS), WAIT);

      // (a) The server ends this instance's sessions, as a restart or shutdown does (57P01). The
      // first round comes in a lull, so the pool holds idle connections (whose errors the pool
      // itself reports); the others mid-load, so queries and transactions are cut in flight.
      phase = 'terminated';
      for (let round = 0; round < 3; round++) {
        if (round === 0) {
          paused = true;
          await vi.waitFor(() => expect(inFlight).toBe(0), WAIT);
        }
        const ended = await pgQuery<{ ended: boolean; state: string | null }>(
          pgUrl as string,
          'select pg_terminate_backend(pid) as ended, state from pg_stat_activity where application_name = $1',
          [appName],
        );
        // Each round must have cut something, or it proved nothing.
        expect(ended.filter((r) => r.ended).length).toBeGreaterThan(0);
        if (round === 0) {
          expect(ended.filter((r) => r.state === 'idle').length).toBeGreaterThan(0);
          paused = false;
        }
        // Recovered when every reporter has had another submission through since the cut.
        const before = answered('terminated', 201);
        await vi.waitFor(
          () => expect(answered('terminated', 201)).toBeGreaterThanOrEqual(before + REPORTERS),
          WAIT,
        );
      }

      expect(unhandled.map(String)).toEqual([]);

      // (b) The server disappears: connections reset, new ones refused.
      expect(proxy.open()).toBeGreaterThan(0);
      const pollFailures = () => v.logs().split('outbox poll failed').length - 1;
      const pollFailuresBefore = pollFailures();
      await proxy.cut();
      phase = 'proxy down';
      await vi.waitFor(async () => {
        const r = await readiness();
        expect(r.status).toBe(503);
        expect(r.body).toMatchObject({
          status: 'unavailable',
          database: 'unreachable',
          checks: { database: 'failing', blobs: 'ok' },
        });
      }, WAIT);
      await vi.waitFor(() => {
        expect(unhandled.map(String)).toEqual([]);
        expect(answered('proxy down', 503)).toBeGreaterThanOrEqual(REPORTERS);
      }, WAIT);
      // The outbox worker's loop meets the outage, logs it and carries on polling.
      await vi.waitFor(() => expect(pollFailures()).toBeGreaterThan(pollFailuresBefore), WAIT);
      // The periodic jobs' passes fail as a database outage (their loop logs it and tries again
      // at the next tick, see src/jobs/periodic-pass.test.ts), never hang or crash.
      for (const job of [v.clockWarnings, v.policyReminders, v.escalationReminders, v.embargo]) {
        const failure = await job.runOnce().then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
      }
      expect((await readiness()).status).toBe(503);

      await proxy.restore();
      phase = 'restored';
      await vi.waitFor(async () => {
        const r = await readiness();
        expect(r.status).toBe(200);
        expect(r.body).toEqual({
          status: 'ready',
          database: 'ok',
          checks: { database: 'ok', blobs: 'ok', outbox: 'ok' },
        });
      }, WAIT);
      // New submissions succeed without restarting Vigil.
      await vi.waitFor(() => expect(answered('restored', 201)).toBeGreaterThanOrEqual(REPORTERS), WAIT);
      for (const job of [v.clockWarnings, v.policyReminders, v.escalationReminders, v.embargo])
        await job.runOnce();
    } finally {
      stop = true;
      await Promise.all(reporters);
    }

    // Every submission was answered, either 201 or 503 with Retry-After and the common error body.
    const other = outcomes.filter((o) => o.status !== 201 && o.status !== 503);
    expect(
      other.map((o) => ({ phase: o.phase, status: o.status, body: o.body })),
      'answers other than 201 and 503',
    ).toEqual([]);
    const refused = outcomes.filter((o) => o.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) {
      expect(o.retryAfter).toMatch(/^[1-9][0-9]*$/);
      expect(o.body).toEqual({
        error: 'database_unavailable',
        message: expect.stringContaining('database'),
        requestId: expect.any(String),
      });
    }

    // Nothing answered 201 is missing: the reporter's page, the staff view (with the attachment)
    // and the receipt mail, which the outbox worker delivers once the database is back.
    const acked = outcomes.filter((o) => o.status === 201);
    const auth = { authorization: `Bearer ${staffToken}` };
    for (const o of acked) {
      const receipt = o.body as { caseNumber: string; reporterUrl: string };
      const page = await fetch(`${base}${new URL(receipt.reporterUrl).pathname}`);
      expect(page.status, receipt.caseNumber).toBe(200);
      expect(await page.text()).toContain(o.marker);
      const detail = await fetch(`${base}/api/v1/reports/${receipt.caseNumber}`, { headers: auth });
      expect(detail.status, receipt.caseNumber).toBe(200);
      const d = (await detail.json()) as { program: string; attachments: { size: number }[] };
      expect(d.program).toBe(o.program);
      expect(d.attachments.map((a) => a.size)).toEqual(o.attachmentSize ? [o.attachmentSize] : []);
    }
    const receiptIds = () =>
      new Set(peer.received.map((m) => String(m.parsed.messageId ?? '').replace(/\.receipt\..*$/, '')));
    await vi.waitFor(() => {
      const delivered = receiptIds();
      const missing = acked
        .map((o) => (o.body as { caseNumber: string }).caseNumber)
        .filter((n) => !delivered.has(`<${n.toLowerCase()}`));
      expect(missing).toEqual([]);
    }, WAIT);

    // The process never met an error it did not handle, and it is still the same process serving.
    expect(unhandled.map(String)).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
