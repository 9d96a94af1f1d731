import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

describe.each(dialects)('case assessment API (%s)', (dialect) => {
  let v: TestVigil;
  let programs: Program[];
  let writeToken: string;
  let readToken: string;
  const caseOf = new Map<string, string>();

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    programs = await v.services.programs.list();
    expect(programs.map((p) => p.slug).sort()).toEqual(['lakeside-health', 'northwind-medical']);
    await v.services.accounts.createUser({ email: 'assessor@vendor.example', role: 'admin' }, 'test');
    writeToken = (
      await v.services.accounts.createToken(
        { userEmail: 'assessor@vendor.example', scope: 'read-write' },
        'test',
      )
    ).token;
    readToken = (
      await v.services.accounts.createToken({ userEmail: 'assessor@vendor.example', scope: 'read' }, 'test')
    ).token;
    for (const p of programs) {
      const { body, contentType } = multipartBody(validAnswers(p, 'pump accepts unsigned firmware'));
      const res = await v.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${p.slug}/reports`,
        headers: { 'content-type': contentType },
        payload: body,
      });
      expect(res.statusCode).toBe(201);
      caseOf.set(p.slug, res.json().caseNumber);
    }
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const auth = (token = writeToken) => ({ authorization: `Bearer ${token}` });
  const put = (caseNumber: string, payload: unknown, token = writeToken) =>
    v.app.inject({
      method: 'PUT',
      url: `/api/v1/reports/${caseNumber}/assessment`,
      headers: auth(token),
      payload: payload as object,
    });
  const get = (caseNumber: string, token = writeToken) =>
    v.app.inject({ method: 'GET', url: `/api/v1/reports/${caseNumber}/assessment`, headers: auth(token) });
  const reportRow = (caseNumber: string) =>
    v.db.kysely
      .selectFrom('reports')
      .select(['id', 'assessment', 'severity', 'product_id'])
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
  const auditFor = (reportId: string) =>
    v.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'detail', 'actor'])
      .where('report_id', '=', reportId)
      .where('action', '=', 'report.assess')
      .orderBy('seq', 'asc')
      .execute();

  it('starts empty', async () => {
    const caseNumber = caseOf.get('northwind-medical') as string;
    const res = await get(caseNumber);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      caseNumber,
      affected: [],
      severity: null,
      warnings: [],
      updatedAt: null,
      updatedBy: null,
    });
  });

  it.each(['northwind-medical', 'lakeside-health'])(
    'stores and returns a full assessment for %s',
    async (slug) => {
      const program = programs.find((p) => p.slug === slug) as Program;
      const [first, second] = program.definition.scope.products;
      const caseNumber = caseOf.get(slug) as string;
      const res = await put(caseNumber, {
        cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        cvss40: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N',
        cwe: 'cwe-79',
        ssvc: {
          exploitation: 'none',
          utility: 'efficient',
          technicalImpact: 'total',
          publicSafetyImpact: 'significant',
        },
        patientSafety: { severity: 'serious', phiInvolved: false, notes: 'could alter a displayed value' },
        affected: [
          { productId: first?.id, versions: first?.versions[0]?.versions, fixedIn: '9.9.9' },
          { productId: second?.id, versions: 'all' },
        ],
        remediationTargetDate: '2099-01-15',
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        caseNumber,
        cvss31: { baseScore: 9.8, severity: 'critical' },
        cvss40: { score: 8.3, severity: 'high', nomenclature: 'CVSS-B' },
        cwe: { id: 'CWE-79' },
        ssvc: { decision: 'out-of-cycle' },
        patientSafety: { severity: 'serious', exploitability: 'medium', risk: 'uncontrolled' },
        affected: [
          { productId: first?.id, productName: first?.name, fixedIn: '9.9.9' },
          { productId: second?.id, versions: 'all' },
        ],
        remediationTargetDate: '2099-01-15',
        severity: 'high',
      });
      expect(body.patientSafety.fda.notifyCustomersBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(body.warnings[0]).toMatch(/after .* FDA's 60 days/);

      const again = await get(caseNumber);
      expect(again.json()).toEqual(body);
      // A read-only token may read the assessment.
      expect((await get(caseNumber, readToken)).statusCode).toBe(200);

      const row = await reportRow(caseNumber);
      expect(row.severity).toBe('high');
      expect(row.product_id).toBe(first?.id);
      expect(JSON.parse(row.assessment).cwe.id).toBe('CWE-79');

      const audit = await auditFor(row.id);
      expect(audit).toHaveLength(1);
      const detail = JSON.parse(audit[0]?.detail as string);
      expect(detail).toEqual({
        changed: ['cvss31', 'cvss40', 'cwe', 'ssvc', 'patientSafety', 'affected', 'remediationTargetDate'],
        severity: 'high',
        ssvc: 'out-of-cycle',
        patientRisk: 'uncontrolled',
      });
      // No free text reaches the audit log.
      expect(audit[0]?.detail).not.toContain('displayed value');
      expect(audit[0]?.detail).not.toContain('9.9.9');
    },
  );

  it('audits only what changed, and writes nothing when nothing did', async () => {
    const caseNumber = caseOf.get('lakeside-health') as string;
    const current = (await get(caseNumber)).json();
    const { id } = await reportRow(caseNumber);
    const before = (await auditFor(id)).length;

    // PUT replaces the whole assessment: send the same parts again, minus CVSS 4.0.
    const input = {
      cvss31: current.cvss31.vector,
      cwe: current.cwe.id,
      ssvc: {
        exploitation: current.ssvc.exploitation,
        utility: current.ssvc.utility,
        technicalImpact: current.ssvc.technicalImpact,
        publicSafetyImpact: current.ssvc.publicSafetyImpact,
      },
      patientSafety: { severity: 'serious', phiInvolved: false, notes: 'could alter a displayed value' },
      affected: current.affected.map((a: Record<string, string>) => ({
        productId: a.productId,
        versions: a.versions,
        ...(a.fixedIn ? { fixedIn: a.fixedIn } : {}),
      })),
      remediationTargetDate: current.remediationTargetDate,
    };
    const res = await put(caseNumber, input);
    expect(res.statusCode, res.body).toBe(200);
    // Without a 4.0 vector the severity comes from 3.1, and exploitability from the 3.1 vector.
    expect(res.json()).toMatchObject({ severity: 'critical', patientSafety: { exploitability: 'high' } });
    expect((await reportRow(caseNumber)).severity).toBe('critical');
    const audit = await auditFor(id);
    expect(audit).toHaveLength(before + 1);
    expect(JSON.parse(audit.at(-1)?.detail as string)).toMatchObject({
      changed: ['cvss40', 'patientSafety'],
      severity: 'critical',
    });

    expect((await put(caseNumber, input)).statusCode).toBe(200);
    expect(await auditFor(id)).toHaveLength(before + 1);

    // An empty body clears it.
    const cleared = await put(caseNumber, {});
    expect(cleared.json()).toMatchObject({ affected: [], severity: null });
    const row = await reportRow(caseNumber);
    expect(row.severity).toBeNull();
    expect(row.product_id).toBeNull();
  });

  it('refuses bad vectors, an unknown CWE, foreign products and bad dates, naming each field, and stores nothing', async () => {
    const caseNumber = caseOf.get('northwind-medical') as string;
    const before = await reportRow(caseNumber);
    const auditBefore = (await auditFor(before.id)).length;
    const lakesideProduct = programs.find((p) => p.slug === 'lakeside-health')?.definition.scope.products[0]
      ?.id;
    const res = await put(caseNumber, {
      cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
      cvss40: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      cwe: 'CWE-999999',
      affected: [{ productId: lakesideProduct, versions: 'all' }],
      remediationTargetDate: '2027-13-01',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('validation_failed');
    expect(body.fields.map((f: { path: string }) => f.path)).toEqual([
      'cvss31',
      'cvss40',
      'cwe',
      'affected.0.productId',
      'remediationTargetDate',
    ]);
    expect(body.message).toMatch(/cvss31: misses the base metric A/);
    expect(body.message).toMatch(/cvss40: is a CVSS 3.1 vector; expected CVSS 4.0/);
    expect(body.message).toMatch(/is not a product of northwind-medical/);

    const after = await reportRow(caseNumber);
    expect(after).toEqual(before);
    expect(await auditFor(before.id)).toHaveLength(auditBefore);
  });

  it('refuses a malformed body by shape, naming the field', async () => {
    const caseNumber = caseOf.get('northwind-medical') as string;
    const res = await put(caseNumber, {
      ssvc: {
        exploitation: 'maybe',
        utility: 'efficient',
        technicalImpact: 'total',
        publicSafetyImpact: 'minimal',
      },
      patientSafety: { severity: 'ouch' },
      surprise: true,
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['ssvc.exploitation', 'patientSafety.severity']));
  });

  it('lets a read-only token read but not assess (403), and unknown cases are 404', async () => {
    const caseNumber = caseOf.get('northwind-medical') as string;
    const res = await put(caseNumber, { cwe: 'CWE-89' }, readToken);
    expect(res.statusCode).toBe(403);
    expect(JSON.parse((await reportRow(caseNumber)).assessment).cwe?.id).toBe('CWE-79');
    expect((await get('NWM-2001-9999')).statusCode).toBe(404);
    expect(
      (await v.app.inject({ method: 'GET', url: `/api/v1/reports/${caseNumber}/assessment` })).statusCode,
    ).toBe(401);
  });

  it('searches the CWE catalogue for staff only', async () => {
    const res = await v.app.inject({
      method: 'GET',
      url: '/api/v1/cwe?q=sql%20injection&limit=3',
      headers: auth(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toEqual({
      id: 'CWE-89',
      name: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    });
    const words = await v.app.inject({
      method: 'GET',
      url: '/api/v1/cwe?q=injection&limit=3',
      headers: auth(),
    });
    expect(words.json().items).toHaveLength(3);
    const byId = await v.app.inject({ method: 'GET', url: '/api/v1/cwe?q=CWE-79', headers: auth(readToken) });
    expect(byId.json().items[0].id).toBe('CWE-79');
    expect((await v.app.inject({ method: 'GET', url: '/api/v1/cwe?q=xss' })).statusCode).toBe(401);
  });

  it('documents the routes in the OpenAPI description', async () => {
    const doc = (await v.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/reports/{caseNumber}/assessment', '/api/v1/cwe']),
    );
    expect(doc.paths['/api/v1/reports/{caseNumber}/assessment'].put.requestBody).toBeDefined();
  });
});
