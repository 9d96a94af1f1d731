import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The case export on both dialects: a case whose description, reporter follow-up and one
 * attachment are held in PHI quarantine is exported by each kind of caller. A handler without
 * the privacy duty gets none of the held text or the held file's name, and the file says what was
 * withheld; privacy officers get everything; a viewer gets no contact details; a handler of
 * another program gets 404. After an approved redaction the export carries `[redacted]`. Every
 * export leaves one `report.exported` audit entry naming the parts that left.
 */
describe.each(dialects)('case export (%s)', (dialect) => {
  const tag = randomBytes(6).toString('hex');
  const canary = { field: `XFIELD${tag}`, file: `XFILE${tag}`, follow: `XFOLLOW${tag}` };
  const reporterEmail = `exporter-${tag}@example.org`;
  const heldName = `patient-${tag}.json`;
  const phiText = (c: string) =>
    `${c} The export showed patient Jane Roe, DOB 03/14/1961, MRN: 00482913 in clear text.`;
  const fhir = Buffer.from(
    JSON.stringify({
      resourceType: 'Patient',
      id: canary.file,
      name: [{ family: 'Roe', given: ['Jane'] }],
      birthDate: '1961-03-14',
      identifier: [{ system: 'urn:mrn', value: '00482913' }],
    }),
  );
  const poc = Buffer.from('import requests\nrequests.get("https://10.2.3.4/")\n');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const CVSS = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

  type Who = 'officer' | 'officer2' | 'handler' | 'viewer' | 'outsider';
  const tokens: Record<Who, string> = { officer: '', officer2: '', handler: '', viewer: '', outsider: '' };
  let v: TestVigil;
  let northwind: Program;
  let caseNumber: string;
  let reportId: string;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: Who, payload?: object) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  const base = () => `/api/v1/reports/${caseNumber}`;

  /** The `report.exported` entries of the case, oldest first. */
  const exportAudit = async () =>
    (
      await v.db.kysely
        .selectFrom('audit_log')
        .select(['actor', 'detail', 'seq'])
        .where('action', '=', 'report.exported')
        .where('report_id', '=', reportId)
        .orderBy('seq')
        .execute()
    ).map((a) => ({ actor: a.actor, detail: JSON.parse(a.detail) }));

  /** Export as `who`, asserting exactly one new audit entry for a successful export. */
  async function exportAs(who: Who, format?: 'md') {
    const before = (await exportAudit()).length;
    const res = await call('GET', `${base()}/export${format ? `?format=${format}` : ''}`, who);
    const after = await exportAudit();
    expect(after.length - before, 'audit entries written').toBe(res.statusCode === 200 ? 1 : 0);
    return { res, audit: after.at(-1)?.detail };
  }

  const expectNoHeld = (text: string, what: string) => {
    for (const c of [...Object.values(canary), heldName, sha(fhir)])
      expect(text, `${what} carries ${c}`).not.toContain(c);
  };

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    northwind = await v.services.programs.get('northwind-medical');
    const grants = [
      ['officer', 'handler', 'northwind-medical', ['privacy']],
      ['officer2', 'lead', 'northwind-medical', ['privacy']],
      ['handler', 'handler', 'northwind-medical', []],
      ['viewer', 'viewer', 'northwind-medical', []],
      ['outsider', 'handler', 'lakeside-health', ['privacy']],
    ] as const;
    for (const [who, role, program, duties] of grants)
      await v.services.accounts.createUser(
        { email: `${who}@cx.test`, role, program, duties: [...duties] },
        'test',
      );
    for (const who of Object.keys(tokens) as Who[])
      tokens[who] = (
        await v.services.accounts.createToken({ userEmail: `${who}@cx.test`, scope: 'read-write' }, 'test')
      ).token;

    // The report: a held description and FHIR file, a clean proof of concept, PHI reached.
    const answers: Record<string, string> = {
      ...validAnswers(northwind, 'placeholder', reporterEmail),
      phiAccessed: 'yes',
    };
    answers.description = phiText(canary.field);
    const form = multipartBody(answers, [
      { name: heldName, type: 'application/fhir+json', data: fhir },
      { name: 'poc.py', type: 'text/x-python', data: poc },
    ]);
    const sent = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${northwind.slug}/reports`,
      headers: { 'content-type': form.contentType },
      payload: form.body,
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const created = sent.json() as { caseNumber: string; reporterUrl: string };
    caseNumber = created.caseNumber;
    reportId = (
      await v.db.kysely
        .selectFrom('reports')
        .select('id')
        .where('case_number', '=', caseNumber)
        .executeTakeFirstOrThrow()
    ).id;
    // A follow-up from the reporter's page, held as well.
    const follow = multipartBody({ message: `Also: ${phiText(canary.follow)}` });
    const followed = await v.app.inject({
      method: 'POST',
      url: `${new URL(created.reporterUrl).pathname}/messages`,
      headers: { 'content-type': follow.contentType },
      payload: follow.body,
    });
    expect(followed.statusCode, followed.body).toBe(303);
    // Staff work that belongs in the record: an internal note and an assessment.
    const note = await call('POST', `${base()}/messages`, 'handler', {
      body: 'Reproduced on firmware 4.2.1 in the lab.',
      visibility: 'internal',
    });
    expect(note.statusCode, note.body).toBe(201);
    // Staff text that tries to close the markdown fence and forge a heading.
    const forged = await call('POST', `${base()}/messages`, 'handler', {
      body: 'See:\n```\n# Forged heading\n```',
      visibility: 'internal',
    });
    expect(forged.statusCode, forged.body).toBe(201);
    const acknowledged = await call('POST', `${base()}/acknowledge`, 'handler', { contactPerson: 'Pat Lee' });
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    const assessed = await call('PUT', `${base()}/assessment`, 'handler', { cvss31: CVSS });
    expect(assessed.statusCode, assessed.body).toBe(200);
  });

  afterAll(async () => {
    await v?.destroy();
  });

  it('gives a handler without the privacy duty none of the held parts, and says what was withheld', async () => {
    const { res, audit } = await exportAs('handler');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${caseNumber}.json"; filename*=UTF-8''${caseNumber}.json`,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    expectNoHeld(res.body, 'handler export');
    const doc = res.json();
    expect(doc).toMatchObject({
      format: 'vigil-case-export',
      version: 1,
      exportedBy: { email: 'handler@cx.test' },
      case: {
        caseNumber,
        program: 'northwind-medical',
        state: 'acknowledged',
        severity: 'critical',
        contactPerson: 'Pat Lee',
      },
      quarantine: { canReview: false, counts: { quarantined: 3, redacted: 0, released: 0 } },
    });
    expect(doc.content.description).toBeUndefined();
    expect(doc.content.discovery).toBeDefined();
    expect(doc.contact).toMatchObject({ email: reporterEmail });
    expect(doc.deadlines.clocks).toContainEqual(
      expect.objectContaining({ name: 'acknowledge', due: doc.deadlines.acknowledgeBy, state: 'met' }),
    );
    expect(doc.history[0]).toMatchObject({ type: 'action', action: 'received' });
    expect(doc.history).toContainEqual(
      expect.objectContaining({
        type: 'action',
        action: 'acknowledge',
        from: 'received',
        to: 'acknowledged',
        by: expect.objectContaining({ email: 'handler@cx.test' }),
      }),
    );

    const reporterMessage = doc.messages.find((m: { author: string }) => m.author === 'reporter');
    expect(reporterMessage).toMatchObject({ body: '', quarantined: true, withheld: true });
    expect(doc.messages).toContainEqual(
      expect.objectContaining({
        author: 'staff',
        visibility: 'internal',
        staff: expect.objectContaining({ email: 'handler@cx.test' }),
        body: 'Reproduced on firmware 4.2.1 in the lab.',
        withheld: false,
      }),
    );
    const held = doc.attachments.find((a: { quarantined: boolean }) => a.quarantined);
    expect(held).toMatchObject({ name: 'quarantined attachment', sha256: null, size: 0, withheld: true });
    expect(doc.attachments).toContainEqual(
      expect.objectContaining({ name: 'poc.py', sha256: sha(poc), size: poc.length, withheld: false }),
    );
    expect(doc.assessment.cvss31.vector).toBe(CVSS);
    expect(doc.privacyEscalation).toMatchObject({ open: true, reason: expect.any(String) });
    expect(doc.privacyEscalation.checklist.length).toBeGreaterThan(0);

    expect(doc.withheld).toEqual({
      contact: false,
      fields: ['description'],
      messages: [reporterMessage.id],
      attachments: [held.id],
    });
    expect(doc.quarantine.held).toEqual(
      expect.arrayContaining([
        { kind: 'field', ref: 'description' },
        { kind: 'message', ref: reporterMessage.id },
        { kind: 'attachment', ref: held.id },
      ]),
    );
    // The audit names the parts that left and the ids that stayed behind, nothing more.
    expect(audit).toEqual({
      format: 'json',
      parts: [
        'metadata',
        'deadlines',
        'history',
        'content',
        'contact',
        'messages',
        'attachment-list',
        'assessment',
        'privacy-escalation',
        'quarantine-summary',
      ],
      quarantined: 3,
      withheld: doc.withheld,
    });
    expectNoHeld(JSON.stringify(audit), 'audit entry');
  });

  it('renders markdown for the same caller with the same parts withheld', async () => {
    const { res, audit } = await exportAs('handler', 'md');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`filename="${caseNumber}.md"`);
    expectNoHeld(res.body, 'markdown export');
    expect(res.body).toContain(`# ${caseNumber}`);
    expect(res.body).toContain('Withheld from this export: field description');
    expect(res.body).toContain('Held in privacy quarantine; withheld.');
    expect(res.body).toContain(sha(poc));
    expect(res.body).toContain('acknowledge (received → acknowledged) by handler@cx.test');
    expect(res.body).toContain('Reproduced on firmware 4.2.1 in the lab.');
    // The forged fence stays inside a longer one, so no line of it starts a heading of the record.
    expect(res.body).toContain('````text\nSee:\n```\n# Forged heading\n```\n````');
    expect(audit).toMatchObject({ format: 'md', parts: expect.arrayContaining(['content', 'contact']) });
  });

  it('gives a privacy officer the held parts', async () => {
    const { res, audit } = await exportAs('officer');
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    expect(doc.content.description).toContain(canary.field);
    expect(res.body).toContain(canary.follow);
    expect(doc.attachments).toContainEqual(
      expect.objectContaining({ name: heldName, sha256: sha(fhir), quarantined: true, withheld: false }),
    );
    expect(doc.quarantine).toMatchObject({ canReview: true, counts: { quarantined: 3 } });
    expect(doc.quarantine.held).toHaveLength(3);
    expect(doc.withheld).toEqual({ contact: false, fields: [], messages: [], attachments: [] });
    expect(audit.withheld).toEqual(doc.withheld);
  });

  it('gives a viewer no contact details, and says so', async () => {
    // Intake metadata leaves through an allowlist too: an unknown key stays behind.
    const meta = await v.db.kysely
      .selectFrom('reports')
      .select('intake_meta')
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    await v.db.kysely
      .updateTable('reports')
      .set({ intake_meta: JSON.stringify({ ...JSON.parse(meta.intake_meta), from: reporterEmail }) })
      .where('id', '=', reportId)
      .execute();
    const { res, audit } = await exportAs('viewer');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(reporterEmail);
    expect(res.body).not.toContain('Ada Researcher');
    expectNoHeld(res.body, 'viewer export');
    const doc = res.json();
    expect(doc.contact).toBeUndefined();
    expect(doc.withheld.contact).toBe(true);
    expect(audit.parts).not.toContain('contact');
    const md = await exportAs('viewer', 'md');
    expect(md.res.body).not.toContain(reporterEmail);
    expect(md.res.body).toContain('contact details');
  });

  it('answers 404 to a handler of another program and 400 to an unknown format, exporting nothing', async () => {
    const { res } = await exportAs('outsider');
    expect(res.statusCode).toBe(404);
    expectNoHeld(res.body, '404');
    expect((await exportAs('outsider', 'md')).res.statusCode).toBe(404);
    const missing = await call('GET', '/api/v1/reports/NW-2026-9999/export', 'officer');
    expect(missing.statusCode).toBe(404);
    const before = (await exportAudit()).length;
    const bad = await call('GET', `${base()}/export?format=pdf`, 'officer');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('format');
    const api = (await v.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const op = api.paths['/api/v1/reports/{caseNumber}/export'].get;
    expect(op.operationId).toBe('exportReport');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404']));
    const anonymous = await v.app.inject({ method: 'GET', url: `${base()}/export` });
    expect(anonymous.statusCode).toBe(401);
    expect((await exportAudit()).length).toBe(before);
  });

  it('shows [redacted] after an approved redaction, to everyone', async () => {
    const d = (await call('GET', base(), 'officer')).json();
    const text = d.content.description as string;
    const message = d.messages.find((m: { author: string }) => m.author === 'reporter');
    const file = d.attachments.find((a: { name: string }) => a.name === heldName);
    const span = (s: string, needle: string) => {
      const start = s.indexOf(needle);
      expect(start, needle).toBeGreaterThanOrEqual(0);
      return [{ start, end: start + needle.length }];
    };
    const proposed = await call('POST', `${base()}/redactions`, 'officer', {
      reason: 'Patient identifiers the reporter should not have sent',
      parts: [
        { kind: 'field', ref: 'description', spans: span(text, canary.field) },
        { kind: 'message', ref: message.id, spans: span(message.body, canary.follow) },
        { kind: 'attachment', ref: file.id, whole: true },
      ],
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const approved = await call('POST', `${base()}/redactions/${proposed.json().id}/approve`, 'officer2');
    expect(approved.statusCode, approved.body).toBe(200);

    for (const who of ['handler', 'officer'] as const) {
      const { res, audit } = await exportAs(who);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain(canary.field);
      expect(res.body).not.toContain(canary.follow);
      expect(res.body).not.toContain(heldName);
      expect(res.body).not.toContain(sha(fhir));
      const doc = res.json();
      expect(doc.content.description).toContain('[redacted]');
      expect(doc.messages.find((m: { id: string }) => m.id === message.id).body).toContain('[redacted]');
      expect(doc.attachments.find((a: { id: string }) => a.id === file.id)).toMatchObject({
        name: '',
        redacted: true,
        sha256: null,
        withheld: false,
      });
      expect(doc.quarantine).toMatchObject({ counts: { quarantined: 0, redacted: 3 }, held: [] });
      expect(doc.withheld).toEqual({ contact: false, fields: [], messages: [], attachments: [] });
      expect(audit).not.toHaveProperty('quarantined');
    }
  });
});
