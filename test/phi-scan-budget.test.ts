import { randomBytes } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { plainMessage } from './helpers/mail-builders.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The PHI guard off the event loop and within a budget, end to end on both dialects: the
 * instance answers `/healthz` while a pathological 2 MiB report is still being scanned (ordering:
 * the gated worker of test/helpers/gated-scan-worker.ts holds the scan open until the budget
 * stops it), the report is then taken with the content it could not check held; with a budget
 * too small for anything, everything is held and the receipt still goes out. File names and mail
 * subjects are scanned as text; held credit words reach neither the advisory draft nor the
 * consent a reader without the privacy duty sees.
 */
const MiB = 1024 * 1024;
const PHI = 'Patient Jane Roe, DOB 03/14/1961, MRN: 00482913';

describe.each(dialects)('PHI guard budget (%s)', (dialect) => {
  const tag = randomBytes(6).toString('hex');
  const tokens: Record<string, string> = {};

  async function grant(v: TestVigil, key: string, role: string, program: string, duties: string[]) {
    const email = `${key.toLowerCase()}-${tag}@budget.test`;
    await v.services.accounts.createUser({ email, role, program, duties } as never, 'test');
    tokens[key] = (
      await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
    ).token;
  }
  const call = (v: TestVigil, method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  async function ok(
    v: TestVigil,
    who: string,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
  ) {
    const res = await call(v, method, url, who, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  }
  const apiSubmit = (
    v: TestVigil,
    p: Program,
    fields: Record<string, string>,
    files: { name: string; type: string; data: Buffer }[] = [],
  ) => {
    const { body, contentType } = multipartBody(
      { ...validAnswers(p, 'placeholder', 'finder@example.org'), ...fields },
      files,
    );
    return v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
  };
  const partsOf = async (v: TestVigil, caseNumber: string) => {
    const report = await v.db.kysely
      .selectFrom('reports')
      .select('id')
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    return {
      reportId: report.id,
      parts: await v.db.kysely
        .selectFrom('phi_quarantine')
        .select(['part_kind', 'part_ref', 'kinds', 'truncated', 'state'])
        .where('report_id', '=', report.id)
        .orderBy('part_kind')
        .orderBy('part_ref')
        .execute(),
    };
  };

  describe('a pathological report on a gated worker', () => {
    let v: TestVigil;
    let northwind: Program;
    const gate = new BroadcastChannel('vigil-scan-gate');

    beforeAll(async () => {
      v = await startTestVigil(dialect, {
        env: { VIGIL_MAX_FIELD_BYTES: String(4 * MiB), VIGIL_SCAN_BUDGET_MS: '6000' },
        scanWorkerUrl: new URL('./helpers/gated-scan-worker.ts', import.meta.url),
      });
      northwind = await v.services.programs.get('northwind-medical');
      await grant(v, 'nwHandler', 'handler', 'northwind-medical', []);
    });
    afterAll(async () => {
      gate.close();
      await v?.destroy();
    });

    it('answers /healthz while the 2 MiB report is scanned, then takes it with the unchecked content held', async () => {
      // Dates of birth without a name, 2 MiB of them: the name/date pairing's worst case today.
      const description = 'DOB 01/02/1960 '.repeat(Math.ceil((2 * MiB) / 15));
      const started = new Promise<void>((resolve) => {
        gate.onmessage = (e) => {
          if ((e as { data?: { started?: number } }).data?.started !== undefined) resolve();
        };
      });
      // A report first, so that the worker is up: its start-up is not part of the budget below.
      expect((await apiSubmit(v, northwind, { description: 'Warm-up: XSS in the portal.' })).statusCode).toBe(
        201,
      );
      let settled = false;
      const pending = apiSubmit(v, northwind, { description }).then((r) => {
        settled = true;
        return r;
      });
      // Should the budget end before the worker took the job, fail here rather than wait forever.
      await Promise.race([started, pending]);
      expect(settled, 'the scan ended before the worker took it').toBe(false);
      const health = await v.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(settled).toBe(false);

      const res = await pending;
      expect(res.statusCode, res.body).toBe(201);
      const { caseNumber } = res.json() as { caseNumber: string };
      const { parts } = await partsOf(v, caseNumber);
      // The whole text batch was cut off at the budget: every content field is held, unchecked.
      expect(parts.length).toBeGreaterThan(0);
      expect(parts).toContainEqual(
        expect.objectContaining({
          part_kind: 'field',
          part_ref: 'description',
          state: 'quarantined',
          kinds: '[]',
        }),
      );
      for (const p of parts) expect(Number(p.truncated)).toBe(1);
      const detail = (await call(v, 'GET', `/api/v1/reports/${caseNumber}`, 'nwHandler')).json();
      expect(detail.content.description).toBeUndefined();
      expect(detail.phi).toMatchObject({ flagged: true });
      const audit = await v.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'quarantine.hold')
        .execute();
      expect(audit.map((a) => JSON.parse(a.detail))).toContainEqual(
        expect.objectContaining({ caseNumber, unfinished: parts.length, kinds: [] }),
      );
    });
  });

  describe('text fields beyond the form: file names, mail subjects, credit words', () => {
    let v: TestVigil;
    let northwind: Program;
    let lakeside: Program;

    beforeAll(async () => {
      // A budget no slow machine reaches: these parts must be checked, not merely held.
      v = await startTestVigil(dialect, { env: { VIGIL_SCAN_BUDGET_MS: '120000' } });
      northwind = await v.services.programs.get('northwind-medical');
      lakeside = await v.services.programs.get('lakeside-health');
      await grant(v, 'nwHandler', 'handler', 'northwind-medical', []);
      await grant(v, 'lead', 'lead', 'lakeside-health', []);
      await grant(v, 'lkOfficer', 'handler', 'lakeside-health', ['privacy']);
    });
    afterAll(async () => {
      await v?.destroy();
    });

    it('scans attachment file names: a flagged name holds its file, whose content is harmless', async () => {
      const name = 'Jane Roe DOB 1961-03-14 MRN 00482913.txt';
      const res = await apiSubmit(
        v,
        northwind,
        { description: `Harmless ${tag}: SQL injection in /api/v2/devices.` },
        [{ name, type: 'text/plain', data: Buffer.from('print("hello")\n') }],
      );
      expect(res.statusCode, res.body).toBe(201);
      const { caseNumber } = res.json() as { caseNumber: string };
      const { parts } = await partsOf(v, caseNumber);
      expect(parts).toEqual([
        expect.objectContaining({
          part_kind: 'attachment',
          kinds: JSON.stringify(['medical-record-number', 'name-with-birth-date']),
          state: 'quarantined',
        }),
      ]);
      const detail = await call(v, 'GET', `/api/v1/reports/${caseNumber}`, 'nwHandler');
      expect(detail.body).not.toContain('Jane Roe');
      expect(detail.json().attachments).toEqual([
        expect.objectContaining({ name: 'quarantined attachment', quarantined: true }),
      ]);
      expect(detail.json().content.description).toContain('Harmless');
    });

    it('scans a mail’s subject: a flagged subject is held', async () => {
      const raw = plainMessage(
        { from: 'Mail Finder <mailfinder@example.org>', to: 'psirt@northwind-medical.example', subject: PHI },
        `Hello,\n\nThe pump API answers without authentication (${tag}).\n\nMail Finder`,
      );
      const r = await v.inbound.process({
        raw: Buffer.from(raw),
        mailFrom: 'mailfinder@example.org',
        rcptTo: ['psirt@northwind-medical.example'],
      });
      expect(r.kind).toBe('case');
      const { parts } = await partsOf(v, (r as { caseNumber: string }).caseNumber);
      expect(parts.map((p) => `${p.part_kind}:${p.part_kind === 'field' ? p.part_ref : ''}`)).toEqual([
        'attachment:',
        'field:subject',
      ]);
    });

    it('held credit words reach neither the advisory draft nor the consent a reader without the duty sees', async () => {
      const credit = `Jane Roe, DOB 03/14/1961 ${tag.slice(0, 4)}`;
      const form = multipartBody({
        ...validAnswers(lakeside, `credit ${tag}`, 'finder@example.org'),
        cveCredit: 'yes',
        cveCreditText: credit,
      });
      const res = await v.app.inject({
        method: 'POST',
        url: `/p/${lakeside.slug}/report`,
        headers: { 'content-type': form.contentType },
        payload: form.body,
      });
      expect(res.statusCode, res.body).toBe(303);
      const token = (/\/r\/([A-Za-z0-9_-]{43})/.exec(res.headers.location as string) as RegExpExecArray)[1];
      const page = (await v.app.inject({ method: 'GET', url: `/r/${token}` })).body;
      const n = (/Case ([A-Z]+-\d{4}-\d{4})/.exec(page) as RegExpExecArray)[1] as string;
      const { parts } = await partsOf(v, n);
      expect(parts).toContainEqual(
        expect.objectContaining({ part_kind: 'field', part_ref: 'cveCreditText' }),
      );

      const consent = await call(v, 'GET', `/api/v1/reports/${n}/credit-consent`, 'lead');
      expect(consent.statusCode, consent.body).toBe(200);
      expect(consent.body).not.toContain('Jane Roe');
      expect(consent.json().current).toEqual({ status: 'unanswered' });
      // The privacy officer sees what the reporter gave: nothing is lost, only held.
      const officer = (await call(v, 'GET', `/api/v1/reports/${n}/credit-consent`, 'lkOfficer')).json();
      expect(officer.current).toEqual({ status: 'given', text: credit });

      await ok(v, 'lead', 'POST', `/api/v1/reports/${n}/acknowledge`, { contactPerson: 'Lee Lead' });
      await ok(v, 'lead', 'POST', `/api/v1/reports/${n}/start-verification`, {});
      await ok(v, 'lead', 'POST', `/api/v1/reports/${n}/confirm`, {});
      await ok(v, 'lead', 'PUT', `/api/v1/reports/${n}/assessment`, {
        cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        cwe: 'CWE-89',
        affected: [{ productId: 'lakeside-health-server', versions: '>= 4.0, < 4.2.1', fixedIn: '4.2.1' }],
      });
      const draft = await call(v, 'POST', '/api/v1/advisories', 'lead', { cases: [n] });
      expect(draft.statusCode, draft.body).toBeLessThan(300);
      expect(draft.body).not.toContain('Jane Roe');
      expect(draft.json().revisions[0].content.vulnerabilities[0].credits).toEqual([]);
    });
  });

  describe('a budget too small for anything', () => {
    let v: TestVigil;
    let northwind: Program;

    beforeAll(async () => {
      v = await startTestVigil(dialect, { env: { VIGIL_SCAN_BUDGET_MS: '1' } });
      northwind = await v.services.programs.get('northwind-medical');
      await grant(v, 'handler2', 'handler', 'northwind-medical', []);
    });
    afterAll(async () => {
      await v?.destroy();
    });

    it('holds every part unchecked, takes the report and queues the receipt; nothing unscanned passes', async () => {
      const res = await apiSubmit(v, northwind, { description: `Plain report ${tag}: XSS in the portal.` }, [
        { name: 'poc.html', type: 'text/html', data: Buffer.from('<script>alert(1)</script>') },
      ]);
      expect(res.statusCode, res.body).toBe(201);
      const { caseNumber } = res.json() as { caseNumber: string };
      const { reportId, parts } = await partsOf(v, caseNumber);
      const fields = Object.entries(validAnswers(northwind, 'x')).filter(([id]) =>
        northwind.definition.form.fields.some((f) => f.id === id && !f.purpose?.startsWith('contact.')),
      );
      expect(parts.filter((p) => p.part_kind === 'attachment')).toHaveLength(1);
      expect(parts.filter((p) => p.part_kind === 'field').length).toBeGreaterThan(0);
      expect(parts.map((p) => p.part_ref)).toContain('description');
      for (const p of parts) expect(p).toMatchObject({ state: 'quarantined', kinds: '[]', truncated: 1 });
      expect(fields.length).toBeGreaterThan(0);
      const detail = await call(v, 'GET', `/api/v1/reports/${caseNumber}`, 'handler2');
      expect(detail.body).not.toContain(`Plain report ${tag}`);
      expect(detail.json().attachments).toEqual([
        expect.objectContaining({ name: 'quarantined attachment' }),
      ]);
      const outbox = await v.db.kysely
        .selectFrom('outbox')
        .select('kind')
        .where('report_id', '=', reportId)
        .execute();
      expect(outbox.length).toBeGreaterThan(0);
    });
  });
});
