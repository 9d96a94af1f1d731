import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { freePort, startChildServer } from './helpers/child-server.js';
import { runBuiltVigil } from './helpers/cli.js';
import { startDovecot } from './helpers/dovecot.js';
import { plainMessage, sendRaw } from './helpers/mail-builders.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

/**
 * The Prometheus metrics (src/telemetry) and the readiness probe, on a real instance of each
 * dialect: counters move with the right labels as reports are accepted and refused on every
 * channel, the gauges read the database at scrape time (and survive it going away), the listener
 * guards itself with the token and serves only /metrics, /readyz names what fails, and `vigil
 * serve` names VIGIL_METRICS_PORT when the port is taken.
 */

const SLUG = 'northwind-medical';
const ADDRESS = 'psirt@northwind-medical.example';
const TOKEN = 'metrics-token-for-the-tests-0123456789abcdef';
const PHI = 'The export showed patient Jane Roe, DOB 03/14/1961, MRN: 00482913 in clear text.';

/** The value of one sample of the exposition text, matched on its name and exactly these labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    const want = Object.entries(labels);
    if (want.length === Object.keys(got).length && want.every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe.each(dialects)('Prometheus metrics (%s)', (dialect) => {
  const start = new Date('2026-12-08T15:00:00.000Z');
  const clock = createManualClock(start);
  let v: TestVigil;
  let program: Program;
  let metricsUrl: string;
  let smtpPort: number;
  let leadToken: string;
  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
    const res = await fetch(metricsUrl, { headers });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
  };
  const metrics = async () => {
    const r = await scrape();
    expect(r.status).toBe(200);
    return r.text;
  };
  const accepted = (text: string, channel: string) =>
    sample(text, 'vigil_intake_accepted_total', { channel, program: SLUG }) ?? 0;
  const refused = (text: string, channel: string, reason: string) =>
    sample(text, 'vigil_intake_refused_total', { channel, reason });
  const postApi = (slug: string, fields: Record<string, string>) =>
    v.app.inject({ method: 'POST', url: `/api/v1/programs/${slug}/reports`, payload: { fields } });
  const postWeb = (fields: Record<string, string>) => {
    const { body, contentType } = multipartBody(fields);
    return v.app.inject({
      method: 'POST',
      url: `/p/${SLUG}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
  };
  const mail = (text: string) =>
    sendRaw(
      smtpPort,
      { from: 'someone@researcher.example', to: ADDRESS },
      plainMessage({ from: 'someone@researcher.example', to: ADDRESS, subject: 'A finding' }, text),
    );

  beforeAll(async () => {
    v = await startTestVigil(dialect, {
      clock,
      env: { VIGIL_METRICS_PORT: '0', VIGIL_METRICS_TOKEN: TOKEN },
    });
    const listener = await v.services.telemetry.listen();
    metricsUrl = `http://127.0.0.1:${listener?.port}/metrics`;
    smtpPort = await v.smtp.start(0);
    program = (await v.services.programs.find(SLUG)) as Program;
    await v.services.accounts.createUser(
      { email: 'lead@metrics.test', name: 'lead', role: 'lead', program: SLUG },
      'test',
    );
    leadToken = (
      await v.services.accounts.createToken({ userEmail: 'lead@metrics.test', scope: 'read-write' }, 'test')
    ).token;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('guards the listener with the token and serves nothing but GET /metrics', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: TOKEN })).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toContain('text/plain');
    // The Node.js defaults are there, event-loop lag among them.
    expect(ok.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    for (const other of ['/', '/metrics/x', '/readyz', '/api/v1/programs']) {
      const res = await fetch(new URL(other, metricsUrl), { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status, other).toBe(404);
    }
    const post = await fetch(metricsUrl, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(post.status).toBe(405);
  });

  it('counts reports accepted and refused on the web, the API and SMTP, by channel and reason', async () => {
    const before = await metrics();
    // Every channel and reason exists at 0 before anything happens, so alerts have a series.
    expect(refused(before, 'smtp', 'paused')).toBe(0);

    expect((await postApi(SLUG, validAnswers(program, 'api report'))).statusCode).toBe(201);
    expect((await postApi(SLUG, {})).statusCode).toBe(400);
    expect((await postApi('no-such-program-4711', validAnswers(program, 'x'))).statusCode).toBe(404);
    expect((await postWeb(validAnswers(program, 'web report'))).statusCode).toBe(303);
    expect((await postWeb({})).statusCode).toBe(400);
    expect((await mail('A mailed report of a buffer overflow.')).caseNumber).not.toBe('');
    // Refused at RCPT TO by the listener itself, before any processor sees it.
    await expect(
      sendRaw(
        smtpPort,
        { from: 'someone@researcher.example', to: 'nobody@elsewhere.example' },
        plainMessage(
          { from: 'someone@researcher.example', to: 'nobody@elsewhere.example', subject: 'x' },
          'x',
        ),
      ),
    ).rejects.toMatchObject({ responseCode: 550 });

    const after = await metrics();
    expect(accepted(after, 'api') - accepted(before, 'api')).toBe(1);
    expect(accepted(after, 'web') - accepted(before, 'web')).toBe(1);
    expect(accepted(after, 'smtp') - accepted(before, 'smtp')).toBe(1);
    expect(refused(after, 'api', 'invalid')).toBe(1);
    expect(refused(after, 'api', 'unknown_program')).toBe(1);
    expect(refused(after, 'web', 'invalid')).toBe(1);
    expect(refused(after, 'smtp', 'unknown_program')).toBe(1);
    // The slug a sender made up never becomes a label.
    expect(after).not.toContain('no-such-program-4711');

    // Paused: refused on all three channels with the reason "paused".
    const pause = await v.app.inject({
      method: 'PUT',
      url: `/api/v1/programs/${SLUG}/intake-pause`,
      headers: { authorization: `Bearer ${leadToken}` },
      payload: { message: 'Moving our tooling.', reopensOn: '2026-12-15' },
    });
    expect(pause.statusCode).toBe(200);
    expect((await postApi(SLUG, validAnswers(program, 'paused'))).statusCode).toBe(503);
    expect((await postWeb(validAnswers(program, 'paused'))).statusCode).toBe(503);
    await expect(mail('paused')).rejects.toMatchObject({ responseCode: 450 });
    const paused = await metrics();
    for (const channel of ['api', 'web', 'smtp']) expect(refused(paused, channel, 'paused'), channel).toBe(1);
    expect(accepted(paused, 'api')).toBe(accepted(after, 'api'));
    const resume = await v.app.inject({
      method: 'DELETE',
      url: `/api/v1/programs/${SLUG}/intake-pause`,
      headers: { authorization: `Bearer ${leadToken}` },
    });
    expect(resume.statusCode).toBe(200);
  });

  it('times requests by route pattern and status class, never by the raw address', async () => {
    await v.app.inject({ method: 'GET', url: `/p/${SLUG}` });
    await v.app.inject({ method: 'GET', url: '/no/such/page/zq81' });
    const text = await metrics();
    expect(
      sample(text, 'vigil_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/p/:slug',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'vigil_http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status_class: '4xx',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('zq81');
    expect(text).not.toContain(`route="/p/${SLUG}"`);
  });

  it('reads the outbox, the running clocks and the PHI holds from the database at each scrape', async () => {
    // No relay is configured here: every receipt waits in the outbox as pending.
    const pending = await v.db.kysely
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    let text = await metrics();
    expect(Number(pending.n)).toBeGreaterThan(0);
    expect(sample(text, 'vigil_outbox_mails', { state: 'pending' })).toBe(Number(pending.n));
    expect(sample(text, 'vigil_outbox_mails', { state: 'failed' })).toBe(0);
    expect(sample(text, 'vigil_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(sample(text, 'vigil_database_up')).toBe(1);

    const cases = await v.db.kysely
      .selectFrom('reports')
      .innerJoin('programs', 'programs.id', 'reports.program_id')
      .select(['reports.acknowledge_by'])
      .where('programs.slug', '=', SLUG)
      .execute();
    const ack = (state: string) =>
      sample(text, 'vigil_deadline_clocks_running', { program: SLUG, clock: 'acknowledge', state });
    expect(ack('ok')).toBe(cases.length);
    expect(ack('warning')).toBe(0);
    expect(ack('breached')).toBe(0);

    // Nine tenths of the way to the acknowledgement deadline: every such clock warns.
    const due = Date.parse(cases[0]?.acknowledge_by as string);
    clock.set(new Date(start.getTime() + 0.9 * (due - start.getTime())));
    text = await metrics();
    expect(ack('warning')).toBe(cases.length);
    expect(ack('ok')).toBe(0);
    // Two hours on, the receipts have waited that long.
    clock.set(new Date(start.getTime() + 2 * 3_600_000));
    text = await metrics();
    expect(sample(text, 'vigil_outbox_oldest_pending_age_seconds')).toBe(7200);
    // Past due: breached.
    clock.set(new Date(due + 60_000));
    text = await metrics();
    expect(ack('breached')).toBe(cases.length);
    clock.set(start);

    const holds = () => sample(text, 'vigil_phi_holds_open', { program: SLUG });
    expect(holds()).toBe(0);
    expect((await postApi(SLUG, validAnswers(program, PHI))).statusCode).toBe(201);
    text = await metrics();
    expect(holds()).toBe(1);
  });

  it('answers a scrape while the database is gone: vigil_database_up 0, the process metrics still there', async () => {
    await v.db.close();
    const r = await scrape();
    expect(r.status).toBe(200);
    expect(sample(r.text, 'vigil_database_up')).toBe(0);
    expect(r.text).not.toMatch(/^vigil_outbox_mails\{/m);
    expect(r.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });
});

describe.each(dialects)('the rate limit in the intake counters (%s)', (dialect) => {
  let v: TestVigil;
  afterAll(async () => {
    await v?.destroy();
  });

  it('counts a submission over the per-minute limit as rate_limited', async () => {
    v = await startTestVigil(dialect, { env: { VIGIL_RATE_LIMIT_PER_MINUTE: '1' } });
    const program = (await v.services.programs.find(SLUG)) as Program;
    const post = () =>
      v.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${SLUG}/reports`,
        payload: { fields: validAnswers(program, 'limited') },
      });
    expect((await post()).statusCode).toBe(201);
    expect((await post()).statusCode).toBe(429);
    const text = (await v.services.telemetry.render()).body;
    expect(sample(text, 'vigil_intake_refused_total', { channel: 'api', reason: 'rate_limited' })).toBe(1);
    expect(sample(text, 'vigil_intake_refused_total', { channel: 'api', reason: 'proof_required' })).toBe(0);
  });
});

describe.skipIf(toolMissing('dovecot'))('the IMAP channel in the intake counters', () => {
  it('counts a polled report as accepted and a message naming no program as refused', async () => {
    const dovecot = await startDovecot();
    let v: TestVigil | undefined;
    try {
      v = await startTestVigil('sqlite', { env: { VIGIL_IMAP_URL: dovecot.url('Reports') } });
      const mail = (to: string, subject: string) =>
        `From: Researcher <researcher@lab.example>\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${Date.now()}@lab.example>\r\n\r\nDetails of ${subject}.\r\n`;
      await dovecot.append(mail(ADDRESS, 'a finding'), 'Reports');
      await dovecot.append(mail('someone@elsewhere.example', 'lost'), 'Reports');
      expect(await v.imap?.pollOnce()).toEqual({ processed: 1, failed: 1 });
      const text = (await v.services.telemetry.render()).body;
      expect(sample(text, 'vigil_intake_accepted_total', { channel: 'imap', program: SLUG })).toBe(1);
      expect(sample(text, 'vigil_intake_refused_total', { channel: 'imap', reason: 'unknown_program' })).toBe(
        1,
      );
    } finally {
      await v?.destroy();
      await dovecot.destroy();
    }
  }, 60_000);
});

describe.each(dialects)('readiness (%s)', (dialect) => {
  const start = new Date('2026-12-08T15:00:00.000Z');
  const clock = createManualClock(start);
  let v: TestVigil;
  afterAll(async () => {
    await v?.destroy();
  });
  const ready = async () => {
    const res = await v.app.inject({ method: 'GET', url: '/readyz' });
    return { status: res.statusCode, body: res.json() };
  };

  it('is ready with every check ok; 503 naming the blob store when its folder is unusable', async () => {
    // A relay that is never reached: the worker is off, so mail only waits.
    v = await startTestVigil(dialect, { clock, env: { VIGIL_SMTP_URL: 'smtp://127.0.0.1:9' } });
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ready', database: 'ok', checks: { database: 'ok', blobs: 'ok', outbox: 'ok' } },
    });
    const blobs = path.join(v.dataDir, 'blobs');
    await fs.rm(blobs, { recursive: true, force: true });
    await fs.writeFile(blobs, 'not a folder');
    expect(await ready()).toEqual({
      status: 503,
      body: {
        status: 'unavailable',
        database: 'ok',
        checks: { database: 'ok', blobs: 'failing', outbox: 'ok' },
      },
    });
    await fs.rm(blobs);
    expect((await ready()).status).toBe(200);
  });

  it('stays ready but degraded once mail has waited over 30 minutes for a configured relay', async () => {
    const program = (await v.services.programs.find(SLUG)) as Program;
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: validAnswers(program, 'queued receipt') },
    });
    expect(res.statusCode).toBe(201);
    clock.set(new Date(start.getTime() + 29 * 60_000));
    expect((await ready()).body.checks.outbox).toBe('ok');
    clock.set(new Date(start.getTime() + 31 * 60_000));
    // A stuck relay is every instance's: taking them all out of the balancer would stop reports.
    expect(await ready()).toMatchObject({
      status: 200,
      body: { status: 'degraded', checks: { database: 'ok', blobs: 'ok', outbox: 'stale' } },
    });
  });

  it('leaves waiting mail out of readiness when no relay is configured', async () => {
    const quiet = await startTestVigil(dialect, { clock });
    try {
      clock.set(start);
      const program = (await quiet.services.programs.find(SLUG)) as Program;
      const res = await quiet.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${SLUG}/reports`,
        payload: { fields: validAnswers(program, 'kept mail') },
      });
      expect(res.statusCode).toBe(201);
      clock.set(new Date(start.getTime() + 24 * 3_600_000));
      const r = await quiet.app.inject({ method: 'GET', url: '/readyz' });
      expect(r.statusCode).toBe(200);
      expect(r.json().checks).toEqual({ database: 'ok', blobs: 'ok', outbox: 'not-configured' });
    } finally {
      await quiet.destroy();
    }
  });
});

describe.skipIf(!process.env.VIGIL_TEST_DATABASE_URL)(
  'readiness with PostgreSQL out of reach (postgres)',
  () => {
    it('answers 503 naming the database, within the probe bound, and ready again once it is back', async () => {
      const server = new URL(process.env.VIGIL_TEST_DATABASE_URL as string);
      const proxy = await startTcpProxy({
        host: server.hostname || '127.0.0.1',
        port: Number(server.port || 5432),
      });
      const viaProxy = new URL(server);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const v = await startTestVigil('postgres', { env: { DATABASE_URL: viaProxy.toString() } });
      try {
        expect((await v.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
        await proxy.cut();
        const down = await v.app.inject({ method: 'GET', url: '/readyz' });
        expect(down.statusCode).toBe(503);
        expect(down.json()).toEqual({
          status: 'unavailable',
          database: 'unreachable',
          // Without a relay the outbox is not asked; the blob store (files) is fine.
          checks: { database: 'failing', blobs: 'ok', outbox: 'not-configured' },
        });
        const text = (await v.services.telemetry.render()).body;
        expect(sample(text, 'vigil_database_up')).toBe(0);
        expect(sample(text, 'vigil_database_pool_connections', { state: 'waiting' })).toBeDefined();
        await proxy.restore();
        let back = 0;
        for (let i = 0; i < 100 && back !== 200; i++) {
          back = (await v.app.inject({ method: 'GET', url: '/readyz' })).statusCode;
          if (back !== 200) await new Promise((r) => setTimeout(r, 100));
        }
        expect(back).toBe(200);
      } finally {
        await v.destroy();
        await proxy.close();
      }
    }, 60_000);
  },
);

describe('vigil serve and the metrics port', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-metrics-serve-'));
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to start when VIGIL_METRICS_PORT is taken, naming the variable', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const r = await runBuiltVigil(['serve'], {
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PUBLIC_URL: 'https://vigil.test',
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        VIGIL_SMTP_LISTEN: 'false',
        VIGIL_METRICS_PORT: String(port),
        LOG_LEVEL: 'warn',
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('VIGIL_METRICS_PORT');
      expect(r.stderr).toContain(`127.0.0.1:${port}`);
      // One sentence, not a stack trace.
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 120_000);

  it('serves /metrics on its own port while it runs', async () => {
    const port = await freePort();
    const s = await startChildServer(
      { dataDir },
      { env: { VIGIL_METRICS_LISTEN: 'true', VIGIL_METRICS_PORT: String(port) } },
    );
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^vigil_database_up 1$/m);
      // Not on the web port.
      expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  }, 120_000);
});
