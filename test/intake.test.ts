import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusinessCalendar, deadlineAfter } from '../src/deadlines/index.js';
import type { Program } from '../src/programs/index.js';
import { mainTextField, multipartBody, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

describe.each(dialects)('report intake end to end (%s)', (dialect) => {
  let v: TestVigil;
  let programA: Program;
  let programB: Program;
  let staffToken: string;

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    const programs = await v.services.programs.list();
    programA = programs.find(
      (p) =>
        'businessDays' in p.definition.deadlines.acknowledge &&
        p.definition.deadlines.acknowledge.businessDays === 5,
    ) as Program;
    programB = programs.find(
      (p) =>
        'businessDays' in p.definition.deadlines.acknowledge &&
        p.definition.deadlines.acknowledge.businessDays === 2,
    ) as Program;
    expect(programA).toBeDefined();
    expect(programB).toBeDefined();
    await v.services.accounts.createUser({ email: 'lead@vendor.example', role: 'admin' }, 'test');
    staffToken = (
      await v.services.accounts.createToken({ userEmail: 'lead@vendor.example', scope: 'read' }, 'test')
    ).token;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const auth = () => ({ authorization: `Bearer ${staffToken}` });

  it('lists both reference programs on the portal, each with scope and out-of-scope categories', async () => {
    const index = await v.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.body).toContain(programA.definition.name);
    expect(index.body).toContain(programB.definition.name);
    for (const p of [programA, programB]) {
      const page = await v.app.inject({ method: 'GET', url: `/p/${p.slug}` });
      expect(page.statusCode).toBe(200);
      for (const prod of p.definition.scope.products)
        expect(page.body).toContain(prod.name.replace(/&/g, '&amp;'));
      for (const c of p.definition.scope.outOfScope) expect(page.body).toContain(c.name);
      expect(page.body).toContain(`/p/${p.slug}/report`);
    }
    const b = await v.app.inject({ method: 'GET', url: `/p/${programB.slug}` });
    expect(b.body).toContain('Out of scope');
  });

  it('renders each program form from its definition, marking required fields', async () => {
    for (const p of [programA, programB]) {
      const page = await v.app.inject({ method: 'GET', url: `/p/${p.slug}/report` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('enctype="multipart/form-data"');
      // Scripts only from Vigil's own files (the form works without them); never inline.
      expect(page.body).not.toMatch(/<script(?![^>]*\bsrc="\/assets\/)[^>]*>/);
      for (const f of p.definition.form.fields) {
        expect(page.body).toContain(`name="${f.id}"`);
        if (f.required && f.kind !== 'yesno' && f.kind !== 'multiselect') {
          expect(page.body).toMatch(new RegExp(`id="f-${f.id}" name="${f.id}" required`));
        }
      }
    }
  });

  it('accepts a form post without JavaScript, with files, and shows the receipt on the private page', async () => {
    const answers = validAnswers(programA, 'stack overflow in the DICOM parser');
    const { body, contentType } = multipartBody(answers, [
      { name: 'poc.py', type: 'text/x-python', data: Buffer.from('print("poc")\n') },
      { name: '.hidden notes.txt', data: Buffer.from('trace bytes') },
    ]);
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${programA.slug}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/r\/[A-Za-z0-9_-]{43}\?received=1$/);
    const page = await v.app.inject({ method: 'GET', url: location });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const caseNumber = /class="case-number">([A-Z0-9-]+)</.exec(page.body)?.[1];
    expect(caseNumber).toMatch(new RegExp(`^${programA.definition.casePrefix}-\\d{4}-\\d{4}$`));
    expect(page.body).toContain(`https://vigil.test${location.replace('?received=1', '')}`);
    expect(page.body).toContain('stack overflow in the DICOM parser');
    expect(page.body).toContain(programA.definition.calendar.timeZone);
    expect(page.body).toContain('poc.py');
    // Leading dots are dropped from stored names: a download never becomes a hidden file.
    expect(page.body).toContain('>hidden notes.txt<');
  });

  it('numbers cases per program and year in sequence', async () => {
    const year = new Date().getUTCFullYear();
    const submit = (p: Program) =>
      v.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${p.slug}/reports`,
        payload: { fields: validAnswers(p, 'seq') },
      });
    const b1 = (await submit(programB)).json();
    const b2 = (await submit(programB)).json();
    const n1 = Number(b1.caseNumber.split('-')[2]);
    expect(b1.caseNumber.startsWith(`${programB.definition.casePrefix}-`)).toBe(true);
    expect(b2.caseNumber).toBe(
      `${programB.definition.casePrefix}-${b1.caseNumber.split('-')[1]}-${String(n1 + 1).padStart(4, '0')}`,
    );
    expect([year, year - 1, year + 1]).toContain(Number(b1.caseNumber.split('-')[1]));
  });

  it('answers a JSON submission with 201, the case number, the private link and the acknowledgement deadline', async () => {
    const before = Date.now();
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${programB.slug}/reports`,
      payload: { fields: validAnswers(programB, 'SQL injection in the search endpoint') },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual([
      'acknowledgeBy',
      'caseNumber',
      'deadlines',
      'reporterUrl',
      'timeZone',
    ]);
    expect(body.reporterUrl).toMatch(/^https:\/\/vigil\.test\/r\/[A-Za-z0-9_-]{43}$/);
    const cal = createBusinessCalendar({ ...programB.definition.calendar });
    const expected = deadlineAfter(new Date(before), programB.definition.deadlines.acknowledge, cal);
    // The deadline ends a local day, so any instant within the same local day gives the same answer.
    expect(body.acknowledgeBy).toBe(expected.toISOString());
    expect(body.deadlines.verify).toBeDefined();
    const page = await v.app.inject({ method: 'GET', url: new URL(body.reporterUrl).pathname });
    expect(page.body).toContain('SQL injection in the search endpoint');
  });

  it('accepts multipart API submissions with attachments and serves them to staff only as downloads', async () => {
    const data = randomBytes(150_000);
    const { body, contentType } = multipartBody(validAnswers(programA, 'with files'), [
      { name: 'capture.pcap', type: 'application/vnd.tcpdump.pcap', data },
      { name: 'exploit.html', type: 'text/html', data: Buffer.from('<script>alert(1)</script>') },
    ]);
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${programA.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode).toBe(201);
    const { caseNumber } = res.json();
    const detail = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}`,
      headers: auth(),
    });
    expect(detail.statusCode).toBe(200);
    const d = detail.json();
    expect(d.attachments.map((a: { name: string }) => a.name).sort()).toEqual([
      'capture.pcap',
      'exploit.html',
    ]);
    const pcap = d.attachments.find((a: { name: string }) => a.name === 'capture.pcap');
    expect(pcap.size).toBe(data.length);
    const html = d.attachments.find((a: { name: string }) => a.name === 'exploit.html');
    const dl = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}/attachments/${pcap.id}`,
      headers: auth(),
    });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(data)).toBe(true);
    const dl2 = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}/attachments/${html.id}`,
      headers: auth(),
    });
    expect(dl2.headers['content-type']).toBe('application/octet-stream');
    expect(dl2.headers['content-disposition']).toBe(
      `attachment; filename="exploit.html"; filename*=UTF-8''exploit.html`,
    );
    expect(dl2.headers['x-content-type-options']).toBe('nosniff');
    const anon = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}/attachments/${pcap.id}`,
    });
    expect(anon.statusCode).toBe(401);
  });

  it('lets the reporter add a message with a file on the private page, and refuses unknown links alike', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${programB.slug}/reports`,
      payload: { fields: validAnswers(programB, 'msg test') },
    });
    const path = new URL(res.json().reporterUrl).pathname;
    const { body, contentType } = multipartBody({ message: 'Here is a second trace <b>bold?</b>' }, [
      { name: 'trace2.txt', data: Buffer.from('more') },
    ]);
    const post = await v.app.inject({
      method: 'POST',
      url: `${path}/messages`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe(`${path}?sent=1`);
    const page = await v.app.inject({ method: 'GET', url: `${path}?sent=1` });
    expect(page.body).toContain('Here is a second trace &lt;b&gt;bold?&lt;/b&gt;');
    expect(page.body).toContain('trace2.txt');
    const fileId = /attachments\/([0-9a-f-]{36})" download>trace2\.txt/.exec(page.body)?.[1];
    const file = await v.app.inject({ method: 'GET', url: `${path}/attachments/${fileId}` });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('more');
    expect(file.headers['content-disposition']).toContain('attachment;');

    const empty = await v.app.inject({
      method: 'POST',
      url: `${path}/messages`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'message=',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('write a message or attach a file');

    const unknown = await v.app.inject({ method: 'GET', url: `/r/${'A'.repeat(43)}` });
    const malformed = await v.app.inject({ method: 'GET', url: '/r/not-a-token' });
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(unknown.body).toBe(malformed.body);
  });

  it('lists cases to staff with filters and keyset pagination, and audits every read', async () => {
    expect((await v.app.inject({ method: 'GET', url: '/api/v1/reports' })).statusCode).toBe(401);
    expect(
      (
        await v.app.inject({
          method: 'GET',
          url: '/api/v1/reports',
          headers: { authorization: 'Bearer vgl_wrong' },
        })
      ).statusCode,
    ).toBe(401);
    for (let i = 0; i < 5; i++) {
      await v.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${programB.slug}/reports`,
        payload: { fields: validAnswers(programB, `page ${i}`) },
      });
    }
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/v1/reports?program=${programB.slug}&state=received&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await v.app.inject({ method: 'GET', url: q, headers: auth() });
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        items: { caseNumber: string; program: string; receivedAt: string }[];
        nextCursor: string | null;
      };
      for (const it of body.items) {
        expect(it.program).toBe(programB.slug);
        expect(seen.has(it.caseNumber)).toBe(false);
        seen.add(it.caseNumber);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen.size).toBeGreaterThanOrEqual(5);
    const all = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports?program=${programB.slug}&limit=200`,
      headers: auth(),
    });
    expect(all.json().items.length).toBe(seen.size);
    const bad = await v.app.inject({ method: 'GET', url: '/api/v1/reports?cursor=zzz', headers: auth() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('cursor');

    const one = [...seen][0] as string;
    const before = await v.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'report.read')
      .execute();
    await v.app.inject({ method: 'GET', url: `/api/v1/reports/${one}`, headers: auth() });
    const after = await v.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'report.read')
      .execute();
    expect(after.length).toBe(before.length + 1);
  });

  it('queues the receipt mail in the outbox, sealed, in the same commit as the report', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${programB.slug}/reports`,
      payload: { fields: validAnswers(programB, 'mail', 'mail-canary@example.org') },
    });
    expect(res.statusCode).toBe(201);
    const rows = await v.db.kysely.selectFrom('outbox').selectAll().where('state', '=', 'pending').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(Buffer.from(r.payload_sealed).includes('mail-canary')).toBe(false);
  });

  it('serves the OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await v.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const op = doc.paths['/api/v1/programs/{slug}/reports'].post;
    expect(op.operationId).toBe('submitReport');
    expect(Object.keys(op.responses)).toEqual(
      expect.arrayContaining(['201', '400', '404', '413', '415', '429']),
    );
    expect(doc.paths['/api/v1/reports'].get.operationId).toBe('listReports');
    expect(doc.paths['/api/v1/reports/{caseNumber}'].get.operationId).toBe('getReport');
  });

  it('serves security.txt per RFC 9116 with an Expires under a year ahead', async () => {
    const res = await v.app.inject({ method: 'GET', url: '/.well-known/security.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    // The file is OpenPGP cleartext-signed: the fields are the signed text between the armor headers and the signature.
    const signed = /\n\n([\s\S]*?)\n-----BEGIN PGP SIGNATURE-----/.exec(res.body)?.[1];
    expect(signed).toBeDefined();
    const lines = (signed ?? '')
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'));
    expect(lines.some((l) => l.startsWith('Contact: '))).toBe(true);
    const expires = lines.filter((l) => l.startsWith('Expires: '));
    expect(expires).toHaveLength(1);
    const at = new Date((expires[0] as string).slice(9));
    expect(at.getTime()).toBeGreaterThan(Date.now());
    expect(at.getTime()).toBeLessThanOrEqual(Date.now() + 366 * 86_400_000);
    expect(lines).toContain('Canonical: https://vigil.test/.well-known/security.txt');
    expect(lines.some((l) => l.startsWith('Preferred-Languages: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('Policy: '))).toBe(true);
    for (const l of lines) expect(l).toMatch(/^[A-Z][A-Za-z-]+: \S/);
    const own = await v.app.inject({ method: 'GET', url: `/p/${programA.slug}/security.txt` });
    expect(own.body).toContain(`Policy: `);
    expect(own.body).toContain(`Canonical: https://vigil.test/p/${programA.slug}/security.txt`);
  });

  it('answers health and readiness probes', async () => {
    expect((await v.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await v.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toBe('ok');
  });

  it('sends strict security headers on portal pages', async () => {
    const res = await v.app.inject({ method: 'GET', url: `/p/${programA.slug}/report` });
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const css = await v.app.inject({ method: 'GET', url: '/assets/portal.css' });
    expect(css.statusCode).toBe(200);
    expect(mainTextField(programA)).toBeTruthy();
  });
});
