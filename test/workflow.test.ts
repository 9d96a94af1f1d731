import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseState, transition, type WorkflowAction } from '../src/cases/workflow.js';
import { createTranslator } from '../src/i18n/index.js';
import type { Program } from '../src/programs/index.js';
import { autocryptHeader, plainMessage } from './helpers/mail-builders.js';
import { validAnswers } from './helpers/reports.js';
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

const t = createTranslator('en');
const canary = (tag: string) => `${tag}${randomBytes(6).toString('hex')}`;

describe.each(dialects)('the case workflow (%s)', (dialect) => {
  let peer: SmtpPeer;
  let v: TestVigil;
  let token: string;
  let readToken: string;
  let programs: Record<string, Program>;
  /** Everything written only for staff eyes; no mail and no reporter page may ever contain it. */
  const internalOnly: string[] = [];

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_URL: peer.url }, worker: true });
    await v.services.accounts.createUser(
      { email: 'lead@vigil.test', name: 'Lee Lead', role: 'admin' },
      'test',
    );
    await v.services.accounts.createUser(
      { email: 'handler@vigil.test', name: 'Hana Handler', role: 'admin' },
      'test',
    );
    token = (
      await v.services.accounts.createToken({ userEmail: 'lead@vigil.test', scope: 'read-write' }, 'test')
    ).token;
    readToken = (
      await v.services.accounts.createToken({ userEmail: 'lead@vigil.test', scope: 'read' }, 'test')
    ).token;
    programs = Object.fromEntries((await v.services.programs.list()).map((p) => [p.slug, p]));
  });
  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  const post = (caseNumber: string, action: string, payload: Record<string, unknown> = {}, bearer = token) =>
    v.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${caseNumber}/${action}`,
      headers: { authorization: `Bearer ${bearer}` },
      payload,
    });
  /** A successful action: asserts 200 and answers the case summary. */
  async function act(caseNumber: string, action: string, payload: Record<string, unknown> = {}) {
    const res = await post(caseNumber, action, payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  async function submit(slug: string, text: string, email = 'finder@example.org') {
    const p = programs[slug] as Program;
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${slug}/reports`,
      payload: { fields: validAnswers(p, text, email) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { caseNumber, reporterUrl } = res.json();
    return { caseNumber: caseNumber as string, path: new URL(reporterUrl).pathname };
  }

  const reporterPage = async (path: string) => {
    const res = await v.app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  /** Send what the outbox holds; the mails that arrived with this run. */
  async function flush(): Promise<ReceivedMail[]> {
    const before = peer.received.length;
    await v.worker?.runOnce();
    return peer.received.slice(before);
  }

  async function snapshot(caseNumber: string) {
    const row = await v.db.kysely
      .selectFrom('reports')
      .selectAll()
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    const count = async (table: 'outbox' | 'audit_log' | 'messages') =>
      Number(
        (
          await v.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      row,
      outbox: await count('outbox'),
      audit: await count('audit_log'),
      messages: await count('messages'),
    };
  }

  async function auditOf(caseNumber: string) {
    const { row } = await snapshot(caseNumber);
    return v.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('report_id', '=', row.id)
      .orderBy('seq')
      .execute();
  }

  it.each(['northwind-medical', 'lakeside-health'])(
    'runs the whole happy path for %s, keeping every mail free of report details',
    async (slug) => {
      const content = canary('CONTENT');
      const { caseNumber, path } = await submit(slug, `secret finding ${content}`);
      const [receipt] = await flush();
      expect(receipt?.parsed.subject).toContain('was received');

      let c = await act(caseNumber, 'assign', { email: 'handler@vigil.test' });
      expect(c.assignee).toMatchObject({ email: 'handler@vigil.test', name: 'Hana Handler' });

      c = await act(caseNumber, 'acknowledge', { contactPerson: 'Dana Reyes' });
      expect(c).toMatchObject({ state: 'acknowledged', contactPerson: 'Dana Reyes' });
      expect(c.acknowledgedAt).toEqual(c.stateChangedAt);
      // The case page reads its header (assignee, named contact, clocks) from the case itself.
      const detail = (
        await v.app.inject({
          url: `/api/v1/reports/${caseNumber}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).json();
      expect(detail).toMatchObject({
        state: 'acknowledged',
        assignee: { email: 'handler@vigil.test' },
        contactPerson: 'Dana Reyes',
      });
      expect(detail.clocks.find((k: { name: string }) => k.name === 'acknowledge')).toMatchObject({
        state: 'met',
        stoppedAt: c.acknowledgedAt,
      });
      const verifyClock = detail.clocks.find((k: { name: string }) => k.name === 'verify');
      if (verifyClock) expect(detail.nextDueAt).toBe(verifyClock.due);
      expect(detail.nextDueAt).not.toBe(detail.deadlines.acknowledge);
      const [ack] = await flush();
      expect(ack?.rcptTo).toEqual(['finder@example.org']);
      expect(ack?.parsed.subject).toBe(`[${caseNumber}] Your vulnerability report was acknowledged`);
      expect(ack?.parsed.text).toContain('Your contact person: Dana Reyes');
      expect(ack?.parsed.inReplyTo).toBe(receipt?.parsed.messageId);
      const address = (programs[slug] as Program).definition.intake.emailAddresses[0] as string;
      const [local, domain] = address.split('@');
      expect(ack?.parsed.replyTo?.text).toMatch(new RegExp(`^${local}\\+r-[0-9a-f]{32}@${domain}$`));
      let page = await reporterPage(path);
      expect(page).toContain('Dana Reyes');
      expect(page).toContain(t('state.acknowledged'));

      const question = canary('QUESTION');
      c = await act(caseNumber, 'request-info', { message: `Which firmware do you run? ${question}` });
      expect(c.state).toBe('acknowledged');
      const [notice] = await flush();
      // Not encrypted: the notice says there is news, never what it is.
      expect(notice?.parsed.subject).toBe(`[${caseNumber}] New message on your vulnerability report`);
      expect(notice?.parsed.text).toContain('the private link you saved');
      expect(notice?.raw.includes(question)).toBe(false);
      expect(await reporterPage(path)).toContain(question);

      const answer = canary('ANSWER');
      const sent = await v.app.inject({
        method: 'POST',
        url: `${path}/messages`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `message=${encodeURIComponent(`Firmware 4.2 ${answer}`)}`,
      });
      expect(sent.statusCode).toBe(303);

      const note = canary('INTERNAL');
      internalOnly.push(note);
      const noted = await v.app.inject({
        method: 'POST',
        url: `/api/v1/reports/${caseNumber}/messages`,
        headers: { authorization: `Bearer ${token}` },
        payload: { body: `Looks like the telemetry bug ${note}`, visibility: 'internal' },
      });
      expect(noted.statusCode, noted.body).toBe(201);
      expect(await flush()).toEqual([]);

      c = await act(caseNumber, 'start-verification');
      expect(c.state).toBe('in_verification');
      c = await act(caseNumber, 'confirm');
      expect(c.state).toBe('confirmed');
      expect(c.verifiedAt).toEqual(c.stateChangedAt);
      const findings = canary('FINDINGS');
      c = await act(caseNumber, 'summary', { text: `Confirmed: ${findings}` });
      expect(c.summarySentAt).not.toBeNull();
      const [summaryMail] = await flush();
      expect(summaryMail?.raw.includes(findings)).toBe(false);
      c = await act(caseNumber, 'start-remediation');
      expect(c.state).toBe('in_remediation');
      c = await act(caseNumber, 'mark-disclosed');
      expect(c.state).toBe('disclosed');
      c = await act(caseNumber, 'close');
      expect(c.state).toBe('closed');
      expect(c.closedAt).not.toBeNull();
      expect(await flush()).toEqual([]);
      const reason = canary('REASON');
      internalOnly.push(reason);
      c = await act(caseNumber, 'reopen', { reason: `Bypass found ${reason}` });
      expect(c).toMatchObject({ state: 'in_verification', closedAt: null });
      expect(c.verifiedAt).not.toBeNull();

      page = await reporterPage(path);
      expect(page).toContain(findings);
      expect(page).toContain(answer);
      expect(page).toContain(t('state.in_verification'));
      for (const secret of internalOnly) expect(page).not.toContain(secret);

      // The timeline: messages of both kinds and every action, in order, with the people.
      const tl = await v.app.inject({
        method: 'GET',
        url: `/api/v1/reports/${caseNumber}/timeline`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(tl.statusCode, tl.body).toBe(200);
      const items = tl.json().items as Record<string, unknown>[];
      expect(
        items.map((i) =>
          i.type === 'message' ? `message:${i.author}:${i.visibility}` : `${i.type}:${i.action ?? ''}`,
        ),
      ).toEqual([
        'action:received',
        'assignment:',
        'action:acknowledge',
        'action:request-info',
        'message:staff:reporter',
        'message:reporter:reporter',
        'message:staff:internal',
        'action:start-verification',
        'action:confirm',
        'action:summary',
        'message:staff:reporter',
        'action:start-remediation',
        'action:mark-disclosed',
        'action:close',
        'action:reopen',
        'message:staff:internal',
      ]);
      expect(items[1]).toMatchObject({
        to: { email: 'handler@vigil.test' },
        by: { email: 'lead@vigil.test' },
      });
      expect(items[14]).toMatchObject({ from: 'closed', to: 'in_verification' });
      expect(items[6]).toMatchObject({
        body: `Looks like the telemetry bug ${note}`,
        staff: { name: 'Lee Lead' },
      });

      // One audit entry per change, with states and ids and never any content.
      const audit = await auditOf(caseNumber);
      expect(audit.map((a) => a.action)).toEqual([
        'report.received',
        // Both forms ask about public credit; the answer (here "no") is recorded with the report.
        'credit-consent.recorded',
        'case.assign',
        'case.acknowledge',
        'report.read',
        'case.request-info',
        'message.added',
        'message.added',
        'case.start-verification',
        'case.confirm',
        'case.summary',
        'case.start-remediation',
        'case.mark-disclosed',
        'case.close',
        'case.reopen',
        'report.read',
      ]);
      expect(JSON.parse(audit[3]?.detail ?? '{}')).toMatchObject({
        from: 'received',
        to: 'acknowledged',
        mailed: true,
      });
      expect(JSON.parse(audit[14]?.detail ?? '{}')).toMatchObject({ from: 'closed', to: 'in_verification' });
      const details = audit.map((a) => a.detail).join('\n');
      for (const secret of [
        content,
        question,
        answer,
        note,
        findings,
        reason,
        'Dana Reyes',
        'finder@example.org',
      ])
        expect(details).not.toContain(secret);

      for (const m of peer.received) {
        expect(m.raw.includes(content)).toBe(false);
        for (const secret of internalOnly) expect(m.raw.includes(secret)).toBe(false);
      }
    },
  );

  it('refuses illegal transitions with 409 and the reason, changing nothing', async () => {
    const { caseNumber } = await submit('lakeside-health', 'refusals');
    await flush();
    const tries: [string, WorkflowAction, Record<string, unknown>][] = [
      ['start-verification', 'start_verification', {}],
      ['confirm', 'confirm', {}],
      ['not-reproducible', 'not_reproducible', {}],
      ['request-info', 'request_info', { message: 'Which version?' }],
      ['summary', 'summary', { text: 'Findings' }],
      ['start-remediation', 'start_remediation', {}],
      ['mark-disclosed', 'mark_disclosed', {}],
      ['close', 'close', { message: 'Bye' }],
      ['reopen', 'reopen', { reason: 'Why not' }],
    ];
    const check = async (
      state: CaseState,
      path: string,
      action: WorkflowAction,
      payload: Record<string, unknown>,
    ) => {
      const before = await snapshot(caseNumber);
      const res = await post(caseNumber, path, payload);
      expect(res.statusCode, `${path} from ${state}`).toBe(409);
      const expected = transition(state, action);
      expect(typeof expected).toBe('object');
      expect(res.json()).toMatchObject({ error: 'conflict', message: (expected as { error: string }).error });
      expect(await snapshot(caseNumber)).toEqual(before);
    };
    for (const [path, action, payload] of tries) await check('received', path, action, payload);
    await act(caseNumber, 'acknowledge', { contactPerson: 'Sam' });
    await check('acknowledged', 'acknowledge', 'acknowledge', { contactPerson: 'Sam again' });
    await check('acknowledged', 'confirm', 'confirm', {});
    await act(caseNumber, 'informational', {});
    await check('informational', 'start-remediation', 'start_remediation', {});
    const other = await submit('lakeside-health', 'another one');
    await check('informational', 'duplicate', 'duplicate', { of: other.caseNumber });
    await act(caseNumber, 'close');
    await check('closed', 'request-info', 'request_info', { message: 'More?' });
    await check('closed', 'confirm', 'confirm', {});
    // The acknowledgement, the informational answer and the other case's receipt; nothing refused.
    expect(await flush()).toHaveLength(3);
  });

  it('names the bad fields with 400, and answers 403 and 404 from access', async () => {
    const { caseNumber } = await submit('lakeside-health', 'bad input');
    await v.services.accounts.createUser(
      { email: 'viewer@vigil.test', role: 'viewer', program: 'lakeside-health' },
      'test',
    );
    await v.services.accounts.createUser(
      { email: 'elsewhere@vigil.test', role: 'handler', program: 'northwind-medical' },
      'test',
    );
    await v.services.accounts.createUser(
      { email: 'member@vigil.test', role: 'handler', program: 'lakeside-health' },
      'test',
    );
    const before = await snapshot(caseNumber);
    const fields = async (path: string, payload: Record<string, unknown>) => {
      const res = await post(caseNumber, path, payload);
      expect(res.statusCode, res.body).toBe(400);
      return (res.json().fields as { path: string; message: string }[]).map((f) => f.path);
    };
    expect(await fields('acknowledge', {})).toContain('contactPerson');
    expect(await fields('acknowledge', { contactPerson: '   ' })).toContain('contactPerson');
    expect(await fields('out-of-scope', { category: 'jaywalking' })).toEqual(['category']);
    expect(await fields('duplicate', { of: caseNumber })).toEqual(['of']);
    expect(await fields('duplicate', { of: 'LHD-2020-9999' })).toEqual(['of']);
    expect(await fields('assign', { email: 'nobody@vigil.test' })).toEqual(['email']);
    // Only someone who may work on the case can be assigned: not a viewer, not another program's handler.
    expect(await fields('assign', { email: 'viewer@vigil.test' })).toEqual(['email']);
    expect(await fields('assign', { email: 'elsewhere@vigil.test' })).toEqual(['email']);
    expect(await fields('assign', {})).toEqual(['userId']);
    expect(await fields('request-info', { message: 'x', extra: 1 })).not.toHaveLength(0);
    const msg = await v.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${caseNumber}/messages`,
      headers: { authorization: `Bearer ${token}` },
      payload: { body: 'hi', visibility: 'public' },
    });
    expect(msg.statusCode).toBe(400);
    expect(msg.json().fields.map((f: { path: string }) => f.path)).toEqual(['visibility']);

    expect((await post(caseNumber, 'acknowledge', { contactPerson: 'X' }, readToken)).statusCode).toBe(403);
    expect((await post('LHD-2020-9999', 'acknowledge', { contactPerson: 'X' })).statusCode).toBe(404);
    expect((await post(caseNumber, 'acknowledge', { contactPerson: 'X' }, 'vgl_nope')).statusCode).toBe(401);
    expect(await snapshot(caseNumber)).toEqual(before);
    // A handler of the case's own program can be assigned.
    const assigned = await post(caseNumber, 'assign', { email: 'member@vigil.test' });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().assignee).toMatchObject({ email: 'member@vigil.test' });
  });

  it('answers an out-of-scope report with its category response, straight from "received"', async () => {
    const { caseNumber, path } = await submit('lakeside-health', 'flooding the API');
    await flush();
    const c = await act(caseNumber, 'out-of-scope', { category: 'denial-of-service' });
    expect(c).toMatchObject({ state: 'out_of_scope', outOfScopeCategory: 'denial-of-service' });
    expect(c.acknowledgedAt).not.toBeNull();
    const page = await reporterPage(path);
    expect(page).toContain('Denial of service is out of scope of our vulnerability');
    const [notice] = await flush();
    // The category is a report detail as well: the clear-text notice does not name it.
    expect(notice?.parsed.text).not.toMatch(/denial/i);
    const audit = await auditOf(caseNumber);
    expect(JSON.parse(audit.at(-1)?.detail ?? '{}')).toMatchObject({
      from: 'received',
      to: 'out_of_scope',
      category: 'denial-of-service',
    });
  });

  it("tells a duplicate's reporter nothing of the other case, on the page or in mail", async () => {
    const secret = canary('ORIGINAL');
    const original = await submit('lakeside-health', `the first report ${secret}`, 'first@example.org');
    const { caseNumber, path } = await submit(
      'lakeside-health',
      'the same issue again',
      'second@example.org',
    );
    await act(caseNumber, 'acknowledge', { contactPerson: 'Dana Reyes' });
    await flush();
    const c = await act(caseNumber, 'duplicate', {
      of: original.caseNumber,
      message: 'We will keep you posted.',
    });
    expect(c).toMatchObject({ state: 'duplicate', duplicateOf: original.caseNumber });
    const mails = await flush();
    expect(mails.map((m) => m.rcptTo)).toEqual([['second@example.org']]);
    const page = await reporterPage(path);
    expect(page).toContain(t('workflow.duplicate'));
    expect(page).toContain('We will keep you posted.');
    for (const text of [page, ...mails.map((m) => m.raw.toString('latin1'))]) {
      expect(text).not.toContain(original.caseNumber);
      expect(text).not.toContain(secret);
      expect(text).not.toContain('first@example.org');
    }
  });

  describe('a reporter with an OpenPGP key', () => {
    let privateKey: openpgp.PrivateKey;
    const sender = 'keyed@example.org';

    beforeAll(async () => {
      const k = await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ name: 'Keyed', email: sender }],
        format: 'object',
      });
      privateKey = k.privateKey;
    });

    /** A report by email with the reporter's key in an Autocrypt header. */
    async function emailReport(text: string) {
      const to = (programs['northwind-medical'] as Program).definition.intake.emailAddresses[0] as string;
      const raw = plainMessage(
        {
          from: sender,
          to,
          subject: 'Pump telemetry',
          extraHeaders: { Autocrypt: autocryptHeader(sender, privateKey.toPublic().write()) },
        },
        text,
      );
      const r = await v.inbound.process({ raw: Buffer.from(raw), mailFrom: sender, rcptTo: [to] });
      expect(r.kind).toBe('case');
      return r.caseNumber;
    }

    async function decrypt(m: ReceivedMail): Promise<string> {
      const part = m.parsed.attachments.find((a) => a.contentType === 'application/octet-stream');
      expect(part, 'an encrypted PGP/MIME part').toBeDefined();
      const { data } = await openpgp.decrypt({
        message: await openpgp.readMessage({ armoredMessage: (part?.content ?? Buffer.alloc(0)).toString() }),
        decryptionKeys: privateKey,
      });
      return (await simpleParser(String(data))).text ?? '';
    }

    it('gets reporter messages inside the encryption, never internal notes, and nothing of the other case', async () => {
      const originalSecret = canary('ORIGINAL');
      const original = await submit(
        'northwind-medical',
        `first report ${originalSecret}`,
        'first@example.org',
      );
      const caseNumber = await emailReport('The pump telemetry leaks.');
      await flush();

      const note = canary('INTERNAL');
      internalOnly.push(note);
      const noted = await v.app.inject({
        method: 'POST',
        url: `/api/v1/reports/${caseNumber}/messages`,
        headers: { authorization: `Bearer ${token}` },
        payload: { body: `Same as ${original.caseNumber}? ${note}`, visibility: 'internal' },
      });
      expect(noted.statusCode).toBe(201);
      expect(await flush()).toEqual([]);

      const hello = canary('HELLO');
      const said = await v.app.inject({
        method: 'POST',
        url: `/api/v1/reports/${caseNumber}/messages`,
        headers: { authorization: `Bearer ${token}` },
        payload: { body: `Thanks, we are on it ${hello}`, visibility: 'reporter' },
      });
      expect(said.statusCode).toBe(201);
      const [m1] = await flush();
      expect(m1?.rcptTo).toEqual([sender]);
      expect(m1?.raw.includes(hello)).toBe(false);
      expect(await decrypt(m1 as ReceivedMail)).toContain(hello);

      const c = await act(caseNumber, 'duplicate', { of: original.caseNumber });
      expect(c).toMatchObject({ state: 'duplicate', duplicateOf: original.caseNumber });
      const [m2] = await flush();
      const plain = await decrypt(m2 as ReceivedMail);
      expect(plain).toContain(t('workflow.duplicate'));
      for (const text of [plain, m2?.raw.toString('latin1') ?? '']) {
        expect(text).not.toContain(original.caseNumber);
        expect(text).not.toContain(originalSecret);
        expect(text).not.toContain('first@example.org');
        expect(text).not.toContain(note);
      }

      // Its reply address threads answers into this case.
      const replyTo = m2?.parsed.replyTo?.text as string;
      const reply = plainMessage({ from: sender, to: replyTo, subject: 'Re: your mail' }, 'Happy to help.');
      const r = await v.inbound.process({ raw: Buffer.from(reply), mailFrom: sender, rcptTo: [replyTo] });
      expect(r).toEqual({ kind: 'reply', caseNumber });
    });
  });
});
