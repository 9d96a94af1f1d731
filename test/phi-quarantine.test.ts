import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealer, loadKeyring, type Sealer } from '../src/crypto/index.js';
import { outboxAad } from '../src/jobs/outbox.js';
import type { Program } from '../src/programs/index.js';
import { buildDicom, secondaryCapture } from './fixtures/phi/dicom-builder.js';
import { plainMessage, sendRaw } from './helpers/mail-builders.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { deliverQueued, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The PHI guard on arrival and the visibility rule, end to end on both dialects: reports through
 * the JSON API (with a FHIR Patient attachment), over SMTP, and a reporter's follow-up on the
 * private page; then every read path a handler without the privacy duty has (case detail,
 * attachment download, timeline, similar cases, queue, mail in the outbox and on the wire) must
 * not carry the canaries, while the program's privacy officers see everything and an officer of
 * another program sees nothing.
 */
describe.each(dialects)('PHI quarantine (%s)', (dialect) => {
  const tag = randomBytes(6).toString('hex');
  // Canaries sit inside the flagged text, so any leak of the held content shows.
  const canary = { field: `QFIELD${tag}`, file: `QFILE${tag}`, follow: `QFOLLOW${tag}`, mail: `QMAIL${tag}` };
  const phiText = (c: string) =>
    `${c} The export showed patient Jane Roe, DOB 03/14/1961, MRN: 00482913 in clear text.`;
  const fhir = (c: string) =>
    JSON.stringify({
      resourceType: 'Patient',
      id: c,
      name: [{ family: 'Roe', given: ['Jane'] }],
      birthDate: '1961-03-14',
      identifier: [{ system: 'urn:mrn', value: '00482913' }],
    });
  const ADDRESS = 'psirt@northwind-medical.example';
  let v: TestVigil;
  let peer: SmtpPeer;
  let sealer: Sealer;
  let northwind: Program;
  let lakeside: Program;
  const tokens: Record<'officer' | 'officer2' | 'handler' | 'outsider', string> = {
    officer: '',
    officer2: '',
    handler: '',
    outsider: '',
  };
  const call = (method: 'GET' | 'POST', url: string, who: keyof typeof tokens, payload?: object) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  const allCanaries = () => Object.values(canary);
  const expectClean = (text: string, what: string) => {
    for (const c of allCanaries()) expect(text, `${what} carries ${c}`).not.toContain(c);
  };

  const flush = () => deliverQueued(v, peer);

  async function submit(
    p: Program,
    description: string,
    files: { name: string; type: string; data: Buffer }[] = [],
  ) {
    const answers = validAnswers(p, 'placeholder', 'finder@example.org');
    answers.description = description;
    const { body, contentType } = multipartBody(answers, files);
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { caseNumber: string; reporterUrl: string };
  }

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_URL: peer.url }, worker: true });
    sealer = createSealer(await loadKeyring({ masterKey: v.config.masterKey, dataDir: v.config.dataDir }));
    northwind = await v.services.programs.get('northwind-medical');
    lakeside = await v.services.programs.get('lakeside-health');
    const grants = [
      ['officer@pq.test', 'handler', 'northwind-medical', ['privacy']],
      ['officer2@pq.test', 'lead', 'northwind-medical', ['privacy']],
      ['handler@pq.test', 'handler', 'northwind-medical', []],
      ['outsider@pq.test', 'handler', 'lakeside-health', ['privacy']],
    ] as const;
    for (const [email, role, program, duties] of grants)
      await v.services.accounts.createUser({ email, role, program, duties: [...duties] }, 'test');
    for (const who of Object.keys(tokens) as (keyof typeof tokens)[])
      tokens[who] = (
        await v.services.accounts.createToken({ userEmail: `${who}@pq.test`, scope: 'read-write' }, 'test')
      ).token;
  });

  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  let clean: string;
  let flagged: { caseNumber: string; reporterUrl: string };
  let emailed: string;

  it('flags nothing in an ordinary vulnerability report', async () => {
    clean = (
      await submit(
        northwind,
        'SQL injection in /api/v2/devices?id=1 on pump-07.northwind.internal (10.2.3.4), firmware 4.2.1, ' +
          'build sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, seen 2026-03-02T10:11:12Z. ' +
          'Call me on +1 416 555 0100 or finder@example.org.',
        [
          {
            name: 'poc.py',
            type: 'text/x-python',
            data: Buffer.from('import requests\nrequests.get("https://10.2.3.4/")\n'),
          },
        ],
      )
    ).caseNumber;
    const d = (await call('GET', `/api/v1/reports/${clean}`, 'handler')).json();
    expect(d.phi).toEqual({ flagged: false, quarantined: 0, redacted: 0, released: 0, canReview: false });
    expect(d.quarantine).toEqual({ fields: [] });
    expect(d.content.description).toContain('SQL injection');
    expect(d.attachments[0]).toMatchObject({ name: 'poc.py', quarantined: false, redacted: false });
    const rows = await v.db.kysely.selectFrom('phi_quarantine').selectAll().execute();
    expect(rows).toEqual([]);
  });

  it('holds a flagged field and a FHIR Patient attachment; the handler sees neither, on any path', async () => {
    flagged = await submit(northwind, phiText(canary.field), [
      { name: 'patient.json', type: 'application/fhir+json', data: Buffer.from(fhir(canary.file)) },
    ]);
    const { caseNumber } = flagged;
    const res = await call('GET', `/api/v1/reports/${caseNumber}`, 'handler');
    expect(res.statusCode).toBe(200);
    expectClean(res.body, 'case detail');
    const d = res.json();
    expect(d.phi).toEqual({ flagged: true, quarantined: 2, redacted: 0, released: 0, canReview: false });
    expect(d.quarantine.fields).toEqual(['description']);
    expect(d.content.description).toBeUndefined();
    expect(d.content.discovery).toBeDefined();
    expect(d.attachments).toEqual([
      expect.objectContaining({ name: 'quarantined attachment', quarantined: true, redacted: false }),
    ]);
    const attachmentId = d.attachments[0].id as string;
    const download = await call(
      'GET',
      `/api/v1/reports/${caseNumber}/attachments/${attachmentId}`,
      'handler',
    );
    expect(download.statusCode).toBe(403);
    expect(download.json()).toMatchObject({
      error: 'quarantined',
      message:
        'This attachment is held in privacy quarantine; only a privacy officer of the program can open it.',
    });
    expectClean(download.body, 'refused download');

    const queue = (await call('GET', '/api/v1/reports?sort=received', 'handler')).json();
    const byNumber = new Map(
      queue.items.map((i: { caseNumber: string; phi: boolean }) => [i.caseNumber, i.phi]),
    );
    expect(byNumber.get(caseNumber)).toBe(true);
    expect(byNumber.get(clean)).toBe(false);

    // The review endpoints: 403 for a reader without the duty, 404 for another program's officer.
    expect((await call('GET', `/api/v1/reports/${caseNumber}/quarantine`, 'handler')).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/reports/${caseNumber}/quarantine`, 'outsider')).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/reports/${caseNumber}`, 'outsider')).statusCode).toBe(404);
  });

  it('shows a privacy officer everything, with the markers and live masked findings', async () => {
    const { caseNumber } = flagged;
    const d = (await call('GET', `/api/v1/reports/${caseNumber}`, 'officer')).json();
    expect(d.phi).toMatchObject({ flagged: true, quarantined: 2, canReview: true });
    expect(d.content.description).toContain(canary.field);
    expect(d.attachments[0]).toMatchObject({ name: 'patient.json', quarantined: true });
    const download = await call(
      'GET',
      `/api/v1/reports/${caseNumber}/attachments/${d.attachments[0].id}`,
      'officer',
    );
    expect(download.statusCode).toBe(200);
    expect(download.body).toContain(canary.file);

    const q = await call('GET', `/api/v1/reports/${caseNumber}/quarantine`, 'officer');
    expect(q.statusCode, q.body).toBe(200);
    const parts = q.json().parts as {
      kind: string;
      ref: string;
      label: string;
      kinds: string[];
      findings: { excerpt: string }[];
    }[];
    expect(parts.map((p) => [p.kind, p.label]).sort()).toEqual(
      [
        ['attachment', 'patient.json'],
        ['field', 'Technical description'],
      ].sort(),
    );
    const field = parts.find((p) => p.kind === 'field');
    expect(field?.kinds).toEqual(['medical-record-number', 'name-with-birth-date']);
    expect(field?.findings.length).toBeGreaterThan(0);
    expect(parts.find((p) => p.kind === 'attachment')).toMatchObject({
      kinds: ['fhir-patient'],
      truncated: false,
    });
    // Masked excerpts: never the full identifier.
    for (const f of parts.flatMap((p) => p.findings)) expect(f.excerpt).not.toContain('00482913');
    expect(q.json().redactions).toEqual([]);
  });

  it('holds a reporter follow-up message with PHI; the reporter still sees what they sent', async () => {
    const { caseNumber, reporterUrl } = flagged;
    const path = new URL(reporterUrl).pathname;
    const { body, contentType } = multipartBody({ message: `Also: ${phiText(canary.follow)}` });
    const sent = await v.app.inject({
      method: 'POST',
      url: `${path}/messages`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(sent.statusCode, sent.body).toBe(303);
    const d = await call('GET', `/api/v1/reports/${caseNumber}`, 'handler');
    expectClean(d.body, 'case detail after follow-up');
    expect(d.json().messages).toEqual([
      expect.objectContaining({ author: 'reporter', body: '', quarantined: true }),
    ]);
    const timeline = await call('GET', `/api/v1/reports/${caseNumber}/timeline`, 'handler');
    expect(timeline.statusCode).toBe(200);
    expectClean(timeline.body, 'timeline');
    const held = (t: { json(): { items: { type: string; quarantined?: boolean; body?: string }[] } }) =>
      t.json().items.filter((i) => i.type === 'message');
    expect(held(timeline)).toEqual([expect.objectContaining({ body: '', quarantined: true })]);
    const officer = await call('GET', `/api/v1/reports/${caseNumber}/timeline`, 'officer');
    expect(officer.body).toContain(canary.follow);
    // The officer reads the text, still marked as held.
    expect(held(officer)).toEqual([expect.objectContaining({ quarantined: true })]);
    const page = await v.app.inject({ method: 'GET', url: path });
    expect(page.body).toContain(canary.follow);
    expect(page.body).toContain(canary.field);
  });

  it('holds an email report and its stored original', async () => {
    const raw = plainMessage(
      {
        from: 'Mail Finder <mailfinder@example.org>',
        to: ADDRESS,
        subject: 'Patient data exposed by pump API',
      },
      `Hello,\n\n${phiText(canary.mail)}\n\nRegards,\nMail Finder`,
    );
    emailed = (await sendRaw(await v.smtp.start(0), { from: 'mailfinder@example.org', to: ADDRESS }, raw))
      .caseNumber;
    expect(emailed).toMatch(/^[A-Z]+-\d{4}-\d{4}$/);
    const res = await call('GET', `/api/v1/reports/${emailed}`, 'handler');
    expectClean(res.body, 'email case detail');
    const d = res.json();
    expect(d.quarantine.fields).toEqual(['message']);
    expect(d.content.subject).toBe('Patient data exposed by pump API');
    expect(d.attachments).toEqual([
      expect.objectContaining({ name: 'quarantined attachment', quarantined: true }),
    ]);
    expect(
      (await call('GET', `/api/v1/reports/${emailed}/attachments/${d.attachments[0].id}`, 'handler'))
        .statusCode,
    ).toBe(403);
    const officer = (await call('GET', `/api/v1/reports/${emailed}`, 'officer')).json();
    expect(officer.attachments[0].name).toBe('original-message.eml');
    expect(officer.content.message).toContain(canary.mail);
  });

  it('holds a DICOM attachment sent through the encrypted form (the guard reads the decrypted bytes)', async () => {
    const published = await v.services.keys.publishedKey(northwind.id);
    if (!published) throw new Error('the seeded program has no key');
    const key = await openpgp.readKey({ armoredKey: published.armored });
    const encrypt = async (data: Uint8Array, armor: boolean) => {
      const message = await openpgp.createMessage({ binary: data, format: 'binary' });
      return armor
        ? Buffer.from(await openpgp.encrypt({ message, encryptionKeys: key }))
        : Buffer.from(await openpgp.encrypt({ message, encryptionKeys: key, format: 'binary' }));
    };
    const json = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
    const answers = validAnswers(northwind, 'placeholder', 'finder@example.org');
    answers.description = 'Images exported by the workstation keep their patient tags; one is attached.';
    const dicom = buildDicom(secondaryCapture({ name: 'Roe^Jane', id: '00482913', birthDate: '19610314' }));
    const { body, contentType } = multipartBody(
      {
        vigil_encrypted: '1',
        vigil_key: published.fingerprint,
        encrypted_files: (
          await encrypt(json([{ name: 'IMG00001.dcm', type: 'application/dicom' }]), true)
        ).toString(),
      },
      [
        {
          field: 'encrypted_fields',
          name: 'fields.asc',
          type: 'application/pgp-encrypted',
          data: await encrypt(json(answers), true),
        },
        { field: 'encrypted_file', name: 'file-1.pgp', data: await encrypt(dicom, false) },
      ],
    );
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${northwind.slug}/report?encrypted=1`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(303);
    const row = await v.db.kysely
      .selectFrom('reports')
      .select('case_number')
      .orderBy('received_at', 'desc')
      .orderBy('case_number', 'desc')
      .executeTakeFirstOrThrow();
    const d = (await call('GET', `/api/v1/reports/${row.case_number}`, 'handler')).json();
    expect(d.quarantine.fields).toEqual([]);
    expect(d.content.description).toContain('patient tags');
    expect(d.attachments).toEqual([
      expect.objectContaining({ name: 'quarantined attachment', quarantined: true }),
    ]);
    const parts = (await call('GET', `/api/v1/reports/${row.case_number}/quarantine`, 'officer')).json()
      .parts;
    expect(parts).toEqual([
      expect.objectContaining({
        kind: 'attachment',
        label: 'IMG00001.dcm',
        kinds: ['dicom-patient'],
        truncated: false,
      }),
    ]);
  });

  it('keeps held fields out of similar-case scoring and titles', async () => {
    const library =
      'The drug library update service of the pump accepts unsigned library files, so a crafted library ' +
      'raises the bolus dose limit. Reproduce: POST https://pump.northwind.example/api/v1/library/upload?format=raw';
    const base = (await submit(northwind, library)).caseNumber;
    // A near duplicate whose description is held: unfiltered, it would be suggested with the
    // canary in its title.
    const twin = (
      await submit(
        northwind,
        `${canary.field} ${library}\nPatient Jane Roe, DOB 03/14/1961, MRN: 00482913 was shown.`,
      )
    ).caseNumber;
    expect((await call('GET', `/api/v1/reports/${twin}`, 'handler')).json().quarantine.fields).toEqual([
      'description',
    ]);
    for (const n of [base, twin, clean, flagged.caseNumber, emailed]) {
      const res = await call('GET', `/api/v1/reports/${n}/similar`, 'handler');
      expect(res.statusCode, res.body).toBe(200);
      expectClean(res.body, `similar cases of ${n}`);
      const officer = await call('GET', `/api/v1/reports/${n}/similar`, 'officer');
      expectClean(officer.body, `similar cases of ${n} (officer)`);
    }
  });

  it('mails the privacy officers once per arrival with kinds only; no mail or outbox row carries content', async () => {
    const rows = await v.db.kysely.selectFrom('outbox').select(['id', 'payload_sealed']).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows)
      expectClean(JSON.stringify(sealer.openJson(r.payload_sealed, outboxAad(r.id))), 'outbox');
    const mails = await flush();
    for (const m of mails) expectClean(m.raw.toString('utf8'), `mail to ${m.rcptTo.join(',')}`);
    const notices = mails.filter((m) => m.parsed.subject?.includes('Content held in privacy quarantine'));
    // Five arrivals held content (report, follow-up, email, encrypted form, the near duplicate),
    // each told to both officers.
    expect(notices.map((m) => m.rcptTo[0]).sort()).toEqual(
      [...Array(5).fill('officer2@pq.test'), ...Array(5).fill('officer@pq.test')].sort(),
    );
    const first = notices.find((m) => m.parsed.subject?.startsWith(`[${flagged.caseNumber}]`));
    expect(first?.parsed.text).toContain('medical-record-number');
    expect(first?.parsed.text).toContain(`https://vigil.test/console/cases/${flagged.caseNumber}`);
  });

  it('audits kinds and counts, never content', async () => {
    const audit = await v.db.kysely.selectFrom('audit_log').select(['action', 'detail']).execute();
    for (const a of audit) expectClean(a.detail, `audit ${a.action}`);
    const holds = audit.filter((a) => a.action === 'quarantine.hold').map((a) => JSON.parse(a.detail));
    expect(holds).toContainEqual(
      expect.objectContaining({
        caseNumber: flagged.caseNumber,
        arrival: 'report',
        parts: { field: 1, attachment: 1 },
        kinds: ['fhir-patient', 'medical-record-number', 'name-with-birth-date'],
      }),
    );
  });

  it('a privacy officer of another program cannot read or change this quarantine', async () => {
    const { caseNumber } = flagged;
    const part = (await call('GET', `/api/v1/reports/${caseNumber}/quarantine`, 'officer')).json().parts[0];
    for (const [method, url, body] of [
      ['GET', `/api/v1/reports/${caseNumber}/quarantine`, undefined],
      ['POST', `/api/v1/reports/${caseNumber}/quarantine/${part.id}/release`, { reason: 'mine now' }],
      [
        'POST',
        `/api/v1/reports/${caseNumber}/redactions`,
        { reason: 'x', parts: [{ kind: 'attachment', ref: part.ref, whole: true }] },
      ],
    ] as const) {
      const res = await call(method, url, 'outsider', body);
      expect(res.statusCode, url).toBe(404);
      expectClean(res.body, url);
    }
    expect(lakeside.id).not.toBe(northwind.id);
  });

  it('release makes a false positive visible to the case team, once', async () => {
    const { caseNumber } = flagged;
    const parts = (await call('GET', `/api/v1/reports/${caseNumber}/quarantine`, 'officer')).json().parts;
    const field = parts.find((p: { kind: string }) => p.kind === 'field');
    expect(
      (
        await call('POST', `/api/v1/reports/${caseNumber}/quarantine/${field.id}/release`, 'handler', {
          reason: 'no',
        })
      ).statusCode,
    ).toBe(403);
    const bad = await call(
      'POST',
      `/api/v1/reports/${caseNumber}/quarantine/${field.id}/release`,
      'officer',
      { reason: '' },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('reason');
    const res = await call(
      'POST',
      `/api/v1/reports/${caseNumber}/quarantine/${field.id}/release`,
      'officer',
      {
        reason: 'A synthetic test record, not a real patient.',
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'released', resolvedBy: { email: 'officer@pq.test' } });
    const again = await call(
      'POST',
      `/api/v1/reports/${caseNumber}/quarantine/${field.id}/release`,
      'officer',
      {
        reason: 'twice',
      },
    );
    expect(again.statusCode).toBe(409);
    const d = (await call('GET', `/api/v1/reports/${caseNumber}`, 'handler')).json();
    expect(d.content.description).toContain(canary.field);
    expect(d.phi).toMatchObject({ flagged: true, quarantined: 2, released: 1 });
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'quarantine.release')
      .execute();
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([
      expect.objectContaining({ part: 'field', kinds: ['medical-record-number', 'name-with-birth-date'] }),
    ]);
    expect(audit[0]?.detail).not.toContain('synthetic');
  });
});
