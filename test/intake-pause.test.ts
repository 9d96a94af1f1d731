import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { auditEntries } from './helpers/audit.js';
import { plainMessage, sendRaw } from './helpers/mail-builders.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { storageSnapshot } from './helpers/snapshot.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Intake pause (issue 18, part 4): admins and leads pause a program with a public message and a
 * reopening date, audited in the same transaction; while paused the portal shows the message in
 * place of the form, the API answers 503 with Retry-After, SMTP answers 450 4.7.1, and nothing is
 * stored, so no clock starts. The e-mail budget per program (450 at RCPT) is here too.
 */

const SLUG = 'northwind-medical';
const ADDRESS = 'psirt@northwind-medical.example';
const path = `/api/v1/programs/${SLUG}/intake-pause`;

describe.each(dialects)('intake pause (%s)', (dialect) => {
  // 2026-12-08 10:00 in Toronto-ish time; the program calendar decides the reopening instant.
  const clock = createManualClock(new Date('2026-12-08T15:00:00.000Z'));
  let v: TestVigil;
  let p: Program;
  let other: Program;
  let port: number;
  const tokens: Record<string, string> = {};
  const staff = (who: string, method: 'GET' | 'PUT' | 'DELETE', payload?: Record<string, unknown>) =>
    v.app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload === undefined ? {} : { payload }),
    });

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    port = await v.smtp.start(0);
    const programs = await v.services.programs.list();
    p = programs.find((x) => x.slug === SLUG) as Program;
    other = programs.find((x) => x.slug !== SLUG) as Program;
    for (const [who, role, program] of [
      ['lead', 'lead', SLUG],
      ['handler', 'handler', SLUG],
      ['viewer', 'viewer', SLUG],
      ['outsider', 'lead', other.slug],
    ] as const) {
      const email = `${who}@pause.test`;
      await v.services.accounts.createUser({ email, name: who, role, program }, 'test');
      tokens[who] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
    tokens.leadRead = (
      await v.services.accounts.createToken({ userEmail: 'lead@pause.test', scope: 'read' }, 'test')
    ).token;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('lets staff of the program read the state, and only admins and leads change it', async () => {
    expect((await staff('viewer', 'GET')).json()).toEqual({ paused: false, pause: null });
    expect((await staff('outsider', 'GET')).statusCode).toBe(404);
    const before = await storageSnapshot(v);
    const body = { message: 'We are moving our PSIRT tooling.', reopensOn: '2026-12-15' };
    expect((await staff('handler', 'PUT', body)).statusCode).toBe(403);
    expect((await staff('viewer', 'DELETE')).statusCode).toBe(403);
    expect((await staff('leadRead', 'PUT', body)).statusCode).toBe(403);
    expect((await staff('outsider', 'PUT', body)).statusCode).toBe(404);
    const bad = await staff('lead', 'PUT', { message: '  ', reopensOn: '2026-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['message', 'reopensOn']);
    const past = await staff('lead', 'PUT', { message: 'x', reopensOn: '2026-12-01' });
    expect(past.json().fields).toEqual([{ path: 'reopensOn', message: 'must be today or later' }]);
    expect(await storageSnapshot(v)).toEqual(before);
    expect((await staff('viewer', 'GET')).json().paused).toBe(false);
  });

  it('pauses with an audit entry in the same change', async () => {
    const res = await staff('lead', 'PUT', {
      message: 'We are moving our PSIRT tooling. Urgent issues: call +1 555 0100.',
      reopensOn: '2026-12-15',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      paused: true,
      pause: { reopensOn: '2026-12-15', pausedAt: clock.now().toISOString() },
    });
    const entries = await auditEntries(v, 'intake.paused');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.actor).toMatch(/^user:.+\/token:/);
    expect(entries[0]?.detail).toMatchObject({ reopensOn: '2026-12-15' });
    expect((await staff('viewer', 'GET')).json()).toMatchObject({ paused: true });
  });

  it('shows the message on the program page and in place of the form', async () => {
    const page = await v.app.inject({ method: 'GET', url: `/p/${SLUG}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reports are paused');
    expect(page.body).toContain('We are moving our PSIRT tooling.');
    expect(page.body).toContain('2026-12-15');
    const form = await v.app.inject({ method: 'GET', url: `/p/${SLUG}/report` });
    expect(form.body).toContain('Reports are paused');
    expect(form.body).not.toContain('class="report"');
    // The other program is not affected.
    const open = await v.app.inject({ method: 'GET', url: `/p/${other.slug}/report` });
    expect(open.body).toContain('class="report"');
  });

  it('refuses the form, the API and SMTP while paused, storing nothing (no case, so no clock)', async () => {
    const before = await storageSnapshot(v);
    const { body, contentType } = multipartBody(validAnswers(p, 'paused'), [
      { name: 'poc.txt', data: Buffer.alloc(2048, 66) },
    ]);
    const web = await v.app.inject({
      method: 'POST',
      url: `/p/${SLUG}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(web.statusCode).toBe(503);
    expect(web.body).toContain('We are moving our PSIRT tooling.');

    const api = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: validAnswers(p, 'paused') },
    });
    expect(api.statusCode).toBe(503);
    expect(api.json()).toMatchObject({ error: 'intake_paused' });
    expect(api.json().message).toContain('We are moving our PSIRT tooling.');
    expect(api.json().message).toContain('2026-12-15');
    // Until the start of the reopening day in the program's time zone.
    const retry = Number(api.headers['retry-after']);
    expect(retry).toBeGreaterThan(6 * 86_400);
    expect(retry).toBeLessThan(8 * 86_400);
    expect(
      (await v.app.inject({ method: 'GET', url: `/api/v1/programs/${SLUG}/challenge` })).statusCode,
    ).toBe(503);

    const sender = 'someone@researcher.example';
    await expect(
      sendRaw(
        port,
        { from: sender, to: ADDRESS },
        plainMessage({ from: sender, to: ADDRESS, subject: 'x' }, 'x'),
      ),
    ).rejects.toMatchObject({ responseCode: 450, response: expect.stringContaining('4.7.1') });
    expect(await storageSnapshot(v)).toEqual(before);

    const elsewhere = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${other.slug}/reports`,
      payload: { fields: validAnswers(other, 'still open') },
    });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('changes and resumes with audit entries; reports are taken again', async () => {
    const changed = await staff('lead', 'PUT', { message: 'Back soon.' });
    expect(changed.json().pause).toMatchObject({ message: 'Back soon.', reopensOn: null });
    const noDate = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: validAnswers(p, 'paused') },
    });
    expect(noDate.headers['retry-after']).toBe('3600');
    expect(await auditEntries(v, 'intake.pause_changed')).toHaveLength(1);
    expect((await staff('lead', 'DELETE')).json()).toEqual({ paused: false, pause: null });
    expect(await auditEntries(v, 'intake.resumed')).toHaveLength(1);
    // A second resume changes nothing and writes nothing.
    await staff('lead', 'DELETE');
    expect(await auditEntries(v, 'intake.resumed')).toHaveLength(1);
    const ok = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: validAnswers(p, 'open again') },
    });
    expect(ok.statusCode).toBe(201);
    const sender = 'later@researcher.example';
    const mail = await sendRaw(
      port,
      { from: sender, to: ADDRESS },
      plainMessage({ from: sender, to: ADDRESS, subject: 'after' }, 'after the pause'),
    );
    expect(mail.caseNumber).toMatch(/^NWM-/);
  });
});

describe.each(dialects)('e-mail budget per program (%s)', (dialect) => {
  let v: TestVigil;
  let port: number;
  beforeAll(async () => {
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_PER_PROGRAM_PER_HOUR: '2' } });
    port = await v.smtp.start(0);
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('answers 450 4.7.1 at RCPT once the program has had its mails for the hour, from any sender', async () => {
    for (const i of [1, 2]) {
      const from = `sender${i}@researcher.example`;
      const sent = await sendRaw(
        port,
        { from, to: ADDRESS },
        plainMessage({ from, to: ADDRESS, subject: `n${i}` }, 'x'),
      );
      expect(sent.caseNumber).toMatch(/^NWM-/);
    }
    const before = await storageSnapshot(v);
    const from = 'sender3@researcher.example';
    await expect(
      sendRaw(port, { from, to: ADDRESS }, plainMessage({ from, to: ADDRESS, subject: 'n3' }, 'x')),
    ).rejects.toMatchObject({ responseCode: 450, response: expect.stringContaining('4.7.1') });
    expect(await storageSnapshot(v)).toEqual(before);
  });
});
