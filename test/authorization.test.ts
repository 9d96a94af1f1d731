import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../src/accounts/index.js';
import { roleAllows, type StaffCaller } from '../src/accounts/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../src/core/errors.js';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Per-program roles, duties and token scoping, through the real API on every read path: a
 * member of one program must learn nothing of another's cases, and contact details reach only
 * the case team. Direct `access` calls cover what has no API path yet (writes).
 */
describe.each(dialects)('per-program access (%s)', (dialect) => {
  let v: TestVigil;
  let access: Access;
  let A: Program;
  let B: Program;
  /** Case numbers by program, and one attachment in each. */
  const cases = { A: [] as string[], B: [] as string[] };
  const files = {} as Record<'A' | 'B', { caseNumber: string; id: string }>;
  /** The reporter's email address in each program's cases: what contact details look like. */
  const contactOf = {
    A: `a-${randomBytes(6).toString('hex')}@example.org`,
    B: `b-${randomBytes(6).toString('hex')}@example.org`,
  };
  /** Bearer tokens by who holds them. */
  const tokens: Record<string, string> = {};

  const get = (token: string, url: string) =>
    v.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  async function submit(p: Program, contact: string, withFile: boolean): Promise<string> {
    const { body, contentType } = multipartBody(
      validAnswers(p, 'access test', contact),
      withFile ? [{ name: 'poc.txt', data: Buffer.from('proof of concept') }] : [],
    );
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }

  /** Every case number the token can list, following the cursor one small page at a time. */
  async function listAll(token: string, query = ''): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await get(token, `/api/v1/reports?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: { caseNumber: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.caseNumber));
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  }

  async function token(email: string, scope: 'read' | 'read-write', programs?: string[]) {
    return (await v.services.accounts.createToken({ userEmail: email, scope, programs }, 'test')).token;
  }

  const caller = (t: string): Promise<StaffCaller> => v.services.accounts.authenticate(t);

  /** The parts named by the newest `report.read` audit entry of a case. */
  async function lastReadParts(caseNumber: string): Promise<string[] | undefined> {
    const row = await v.db.kysely
      .selectFrom('audit_log')
      .innerJoin('reports', 'reports.id', 'audit_log.report_id')
      .select('audit_log.detail')
      .where('reports.case_number', '=', caseNumber)
      .where('audit_log.action', '=', 'report.read')
      .orderBy('audit_log.seq', 'desc')
      .executeTakeFirst();
    return row ? (JSON.parse(row.detail) as { parts: string[] }).parts : undefined;
  }

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    access = v.services.access;
    const programs = await v.services.programs.list();
    expect(programs.length).toBeGreaterThanOrEqual(2);
    [A, B] = programs as [Program, Program];

    for (const key of ['A', 'B'] as const) {
      const p = key === 'A' ? A : B;
      for (let i = 0; i < 3; i++) cases[key].push(await submit(p, contactOf[key], i === 0));
    }

    const accounts = v.services.accounts;
    await accounts.createUser({ email: 'admin@vendor.example', role: 'admin' }, 'test');
    // Create-and-grant in one go, and role-less creation followed by a grant: both paths.
    await accounts.createUser(
      { email: 'handler-a@vendor.example', role: 'handler', program: A.slug },
      'test',
    );
    await accounts.createUser({ email: 'viewer-a@vendor.example', role: 'viewer', program: A.slug }, 'test');
    await accounts.createUser({ email: 'lead-a@vendor.example' }, 'test');
    await accounts.grantRole({ userEmail: 'lead-a@vendor.example', program: A.slug, role: 'lead' }, 'test');
    await accounts.createUser({ email: 'both@vendor.example', role: 'handler', program: A.slug }, 'test');
    await accounts.grantRole(
      { userEmail: 'both@vendor.example', program: B.slug, role: 'handler', duties: ['privacy'] },
      'test',
    );

    tokens.admin = await token('admin@vendor.example', 'read');
    tokens.handlerA = await token('handler-a@vendor.example', 'read-write');
    tokens.handlerARead = await token('handler-a@vendor.example', 'read');
    tokens.viewerA = await token('viewer-a@vendor.example', 'read-write');
    tokens.leadA = await token('lead-a@vendor.example', 'read');
    tokens.both = await token('both@vendor.example', 'read-write');
    tokens.bothOnlyA = await token('both@vendor.example', 'read-write', [A.slug]);
    tokens.adminOnlyB = await token('admin@vendor.example', 'read', [B.slug]);

    for (const key of ['A', 'B'] as const) {
      const caseNumber = cases[key][0] as string;
      const detail = await get(tokens.admin as string, `/api/v1/reports/${caseNumber}`);
      expect(detail.statusCode, detail.body).toBe(200);
      files[key] = { caseNumber, id: detail.json().attachments[0].id };
    }
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it("a handler of A never sees B's cases: list, filter, get and download all answer as if absent", async () => {
    const t = tokens.handlerA as string;
    const listed = await listAll(t);
    expect(listed.sort()).toEqual([...cases.A].sort());
    for (const n of cases.B) expect(listed).not.toContain(n);

    // Filtering by B is answered exactly like filtering by a program that does not exist.
    const [byB, byNothing] = await Promise.all([
      get(t, `/api/v1/reports?program=${B.slug}`),
      get(t, '/api/v1/reports?program=no-such-program'),
    ]);
    expect(byB.statusCode).toBe(404);
    expect(byNothing.statusCode).toBe(404);
    expect(byB.json().error).toBe(byNothing.json().error);
    expect(byB.json().message).toBe(`There is no program "${B.slug}".`);
    expect(byB.body).not.toContain(B.definition.name);

    // A case of B reads like a case number that was never issued.
    const missing = `${A.definition.casePrefix}-2000-9999`;
    for (const n of cases.B) {
      const res = await get(t, `/api/v1/reports/${n}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toBe(`There is no case ${n}.`);
      expect(res.body).not.toContain(contactOf.B);
    }
    const never = await get(t, `/api/v1/reports/${missing}`);
    expect(never.statusCode).toBe(404);
    expect(never.json().error).toBe('not_found');

    const download = await get(t, `/api/v1/reports/${files.B.caseNumber}/attachments/${files.B.id}`);
    expect(download.statusCode).toBe(404);
    expect(download.body).not.toContain('proof of concept');
    // The same download works within the handler's own program.
    const own = await get(t, `/api/v1/reports/${files.A.caseNumber}/attachments/${files.A.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toBe('proof of concept');

    // Nothing of the refused reads reached the audit log as a read.
    const reads = await v.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('program_id', '=', B.id)
      .where('action', 'in', ['report.read', 'attachment.read'])
      .where('actor', 'like', `user:${(await caller(t)).userId}/%`)
      .execute();
    expect(reads).toEqual([]);
  });

  it('a viewer sees the case without contact details, and the audit records no contact read', async () => {
    const n = cases.A[1] as string;
    const listed = await listAll(tokens.viewerA as string);
    expect(listed.sort()).toEqual([...cases.A].sort());

    const res = await get(tokens.viewerA as string, `/api/v1/reports/${n}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.content).toBeTypeOf('object');
    expect(Object.keys(body.content).length).toBeGreaterThan(0);
    expect(body).not.toHaveProperty('contact');
    expect(res.body).not.toContain(contactOf.A);
    expect(await lastReadParts(n)).toEqual(['content']);

    // The viewer may read attachments (case.read) but nothing of program B.
    const file = await get(
      tokens.viewerA as string,
      `/api/v1/reports/${files.A.caseNumber}/attachments/${files.A.id}`,
    );
    expect(file.statusCode).toBe(200);
    expect((await get(tokens.viewerA as string, `/api/v1/reports/${cases.B[0]}`)).statusCode).toBe(404);
  });

  it('the case team (lead, handler) sees contact details, and that read is audited', async () => {
    for (const t of [tokens.leadA, tokens.handlerA, tokens.handlerARead] as string[]) {
      const n = cases.A[2] as string;
      const res = await get(t, `/api/v1/reports/${n}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(Object.values(res.json().contact)).toContain(contactOf.A);
      expect(await lastReadParts(n)).toEqual(['content', 'contact']);
    }
  });

  it('an instance admin sees every program and every case with its contact details', async () => {
    const listed = await listAll(tokens.admin as string);
    expect(listed.sort()).toEqual([...cases.A, ...cases.B].sort());
    for (const key of ['A', 'B'] as const) {
      const res = await get(tokens.admin as string, `/api/v1/reports/${cases[key][1]}`);
      expect(res.statusCode).toBe(200);
      expect(Object.values(res.json().contact)).toContain(contactOf[key]);
    }
    const dl = await get(
      tokens.admin as string,
      `/api/v1/reports/${files.B.caseNumber}/attachments/${files.B.id}`,
    );
    expect(dl.statusCode).toBe(200);
  });

  it("a token limited to A, held by a member of A and B, sees only A — even an admin's token", async () => {
    expect((await listAll(tokens.both as string)).sort()).toEqual([...cases.A, ...cases.B].sort());

    const limited = tokens.bothOnlyA as string;
    expect((await listAll(limited)).sort()).toEqual([...cases.A].sort());
    expect((await get(limited, `/api/v1/reports?program=${B.slug}`)).statusCode).toBe(404);
    expect((await get(limited, `/api/v1/reports/${cases.B[0]}`)).statusCode).toBe(404);
    expect(
      (await get(limited, `/api/v1/reports/${files.B.caseNumber}/attachments/${files.B.id}`)).statusCode,
    ).toBe(404);
    expect((await get(limited, `/api/v1/reports/${cases.A[0]}`)).statusCode).toBe(200);

    const adminB = tokens.adminOnlyB as string;
    expect((await listAll(adminB)).sort()).toEqual([...cases.B].sort());
    expect((await get(adminB, `/api/v1/reports/${cases.A[0]}`)).statusCode).toBe(404);
  });

  it('refuses a token for an unknown program or one outside the user, naming the field', async () => {
    const unknown = v.services.accounts.createToken(
      { userEmail: 'handler-a@vendor.example', scope: 'read', programs: ['no-such-program'] },
      'test',
    );
    await expect(unknown).rejects.toBeInstanceOf(ValidationError);
    await expect(unknown).rejects.toMatchObject({ fields: [{ path: 'programs' }] });
    const outside = v.services.accounts.createToken(
      { userEmail: 'handler-a@vendor.example', scope: 'read', programs: [B.slug] },
      'test',
    );
    await expect(outside).rejects.toMatchObject({ fields: [{ path: 'programs' }] });
    const none = v.services.accounts.createToken(
      { userEmail: 'handler-a@vendor.example', scope: 'read', programs: [] },
      'test',
    );
    await expect(none).rejects.toBeInstanceOf(ValidationError);
  });

  it('a read-only token never passes a write check; write checks keep 404 for other programs', async () => {
    expect(roleAllows('handler', 'case.write', 'read')).toBe(false);
    expect(roleAllows('admin', 'program.admin', 'read')).toBe(false);
    expect(roleAllows('handler', 'case.contact', 'read')).toBe(true);
    expect(roleAllows('viewer', 'case.contact', 'read-write')).toBe(false);
    expect(roleAllows('handler', 'case.write', 'read-write')).toBe(true);

    const n = cases.A[0] as string;
    const readOnly = await caller(tokens.handlerARead as string);
    await expect(access.caseFor(readOnly, n, 'case.write')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(access.caseFor(readOnly, n, 'case.read')).resolves.toMatchObject({
      program: { id: A.id },
      membership: { role: 'handler' },
    });
    const readWrite = await caller(tokens.handlerA as string);
    await expect(access.caseFor(readWrite, n, 'case.write')).resolves.toMatchObject({
      row: { case_number: n },
    });
    // A viewer may read but not change, even with a read-write token.
    const viewer = await caller(tokens.viewerA as string);
    await expect(access.caseFor(viewer, n, 'case.write')).rejects.toBeInstanceOf(ForbiddenError);
    // Asking to write a case of another program is still "no such case", never "forbidden".
    await expect(access.caseFor(readWrite, cases.B[0] as string, 'case.write')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const adminRead = await caller(tokens.admin as string);
    await expect(access.caseFor(adminRead, n, 'case.write')).rejects.toBeInstanceOf(ForbiddenError);
    expect((await access.programsFor(readWrite, 'case.write')).map((p) => p.id)).toEqual([A.id]);
    expect(await access.programsFor(readOnly, 'case.write')).toEqual([]);
  });

  it('a revoked membership answers 404 from the next request on; a new grant restores it', async () => {
    const accounts = v.services.accounts;
    await accounts.createUser({ email: 'leaver@vendor.example', role: 'handler', program: B.slug }, 'test');
    const t = await token('leaver@vendor.example', 'read');
    const n = cases.B[1] as string;
    expect((await get(t, `/api/v1/reports/${n}`)).statusCode).toBe(200);

    await accounts.revokeRole({ userEmail: 'leaver@vendor.example', program: B.slug }, 'test');
    expect((await get(t, `/api/v1/reports/${n}`)).statusCode).toBe(404);
    expect((await get(t, `/api/v1/reports?program=${B.slug}`)).statusCode).toBe(404);
    expect(await listAll(t)).toEqual([]);
    expect((await get(t, `/api/v1/reports/${files.B.caseNumber}/attachments/${files.B.id}`)).statusCode).toBe(
      404,
    );
    await expect(
      accounts.revokeRole({ userEmail: 'leaver@vendor.example', program: B.slug }, 'test'),
    ).rejects.toBeInstanceOf(NotFoundError);

    await accounts.grantRole({ userEmail: 'leaver@vendor.example', program: B.slug, role: 'viewer' }, 'test');
    const back = await get(t, `/api/v1/reports/${n}`);
    expect(back.statusCode).toBe(200);
    expect(back.json()).not.toHaveProperty('contact');

    const trail = await v.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'program_id'])
      .where('action', 'in', ['member.granted', 'member.revoked'])
      .where('detail', 'like', `%${(await caller(t)).userId}%`)
      .orderBy('seq')
      .execute();
    expect(trail).toEqual([
      { action: 'member.granted', program_id: B.id },
      { action: 'member.revoked', program_id: B.id },
      { action: 'member.granted', program_id: B.id },
    ]);
  });

  it('duties round-trip: stored per program, returned by roleIn, answered by hasDuty', async () => {
    const accounts = v.services.accounts;
    const both = await caller(tokens.both as string);
    expect(await access.roleIn(both, B)).toEqual({ role: 'handler', duties: ['privacy'] });
    expect(await access.roleIn(both, A)).toEqual({ role: 'handler', duties: [] });
    expect(await access.hasDuty(both, B, 'privacy')).toBe(true);
    expect(await access.hasDuty(both, B, 'approver')).toBe(false);
    expect(await access.hasDuty(both, A, 'privacy')).toBe(false);

    // A new grant replaces role and duties together.
    await accounts.grantRole(
      { userEmail: 'both@vendor.example', program: B.slug, role: 'lead', duties: ['approver', 'privacy'] },
      'test',
    );
    expect(await access.roleIn(both, B)).toEqual({ role: 'lead', duties: ['privacy', 'approver'] });
    expect(await access.hasDuty(both, B, 'approver')).toBe(true);
    expect(await accounts.membershipsOf('both@vendor.example')).toEqual(
      [
        { program: A.slug, role: 'handler', duties: [] },
        { program: B.slug, role: 'lead', duties: ['privacy', 'approver'] },
      ].sort((x, y) => x.program.localeCompare(y.program)),
    );

    // A token limited to A carries no duty in B; an instance admin holds none without a grant.
    const onlyA = await caller(tokens.bothOnlyA as string);
    expect(await access.roleIn(onlyA, B)).toBeNull();
    expect(await access.hasDuty(onlyA, B, 'approver')).toBe(false);
    const admin = await caller(tokens.admin as string);
    expect(await access.roleIn(admin, A)).toEqual({ role: 'admin', duties: [] });
    expect(await access.hasDuty(admin, A, 'privacy')).toBe(false);

    await expect(
      accounts.grantRole(
        { userEmail: 'both@vendor.example', program: B.slug, role: 'overlord', duties: ['sheriff'] },
        'test',
      ),
    ).rejects.toMatchObject({ fields: [{ path: 'role' }, { path: 'duties' }] });
  });

  it('an instance role other than admin grants nothing; non-admin roles need a program', async () => {
    // A user stored with an instance-wide "handler" (the rule before per-program roles).
    await v.db.kysely
      .insertInto('users')
      .values({
        id: 'legacy-handler',
        email: 'legacy@vendor.example',
        name: 'legacy',
        role: 'handler',
        created_at: new Date().toISOString(),
      })
      .execute();
    const t = await token('legacy@vendor.example', 'read-write');
    expect((await caller(t)).role).toBe('member');
    expect(await listAll(t)).toEqual([]);
    expect((await get(t, `/api/v1/reports/${cases.A[0]}`)).statusCode).toBe(404);

    const created = await v.services.accounts.createUser({ email: 'nobody@vendor.example' }, 'test');
    expect(created).toMatchObject({ role: 'member', membership: null });
    await expect(
      v.services.accounts.createUser({ email: 'h2@vendor.example', role: 'handler' }, 'test'),
    ).rejects.toMatchObject({ fields: [{ path: 'program' }] });
    await expect(
      v.services.accounts.createUser(
        { email: 'h3@vendor.example', role: 'handler', program: 'nope' },
        'test',
      ),
    ).rejects.toMatchObject({ fields: [{ path: 'program' }] });
  });
});
