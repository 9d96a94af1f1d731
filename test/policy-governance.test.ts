import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { seedExamplePolicies } from '../src/policy/index.js';
import { repoRoot } from './helpers/cli.js';
import { policyApi } from './helpers/policies.js';
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { countRows } from './helpers/snapshot.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Policy governance through the real API with API tokens: the life cycle of a policy document,
 * the two-person rule (review and approval by different people, never the author reviewing),
 * duties, the generated revision history on the public page, superseded versions, review
 * reminders at the due date (test clock moved) and the annual review without change.
 */

const SLUG = 'northwind-medical';
const DAY = 86_400_000;

describe.each(dialects)('policy governance (%s)', (dialect) => {
  let peer: SmtpPeer;
  let v: TestVigil;
  const clock = createManualClock(new Date('2027-01-04T15:00:00.000Z'));
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_URL: peer.url }, worker: true, clock });
    const people: [string, string, string, string[]][] = [
      // The author is a lead who also holds the privacy duty: the author-review rule must still bite.
      ['author', 'Avery Author', 'lead', ['privacy']],
      ['owner', 'Olu Owner', 'admin', []],
      ['privacy', 'Priya Privacy', 'handler', ['privacy']],
      ['ceo', 'Casey Chief', 'viewer', ['approver']],
      ['both', 'Bo Both', 'handler', ['privacy', 'approver']],
      ['handler', 'Hal Handler', 'handler', []],
    ];
    for (const [key, name, role, duties] of people) {
      const email = `${key}@northwind.example`;
      await v.services.accounts.createUser({ email, name, role, program: SLUG, duties }, 'test');
      tokens[key] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
    tokens.authorRead = (
      await v.services.accounts.createToken({ userEmail: 'author@northwind.example', scope: 'read' }, 'test')
    ).token;
    // Someone with a role in another program only: the program answers 404 for them.
    await v.services.accounts.createUser(
      { email: 'outsider@lakeside.example', name: 'Out Sider', role: 'lead', program: 'lakeside-health' },
      'test',
    );
    tokens.outsider = (
      await v.services.accounts.createToken(
        { userEmail: 'outsider@lakeside.example', scope: 'read-write' },
        'test',
      )
    ).token;
  });
  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  const { call, ok } = policyApi(() => v, SLUG, tokens);
  const count = (table: 'policy_documents' | 'policy_versions' | 'audit_log' | 'outbox') =>
    countRows(v, table);
  async function flush(): Promise<ReceivedMail[]> {
    const before = peer.received.length;
    await v.worker?.runOnce();
    return peer.received.slice(before);
  }
  const V = '/disclosure-policy/versions';

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    // Without a published policy, the portal keeps its pages as they were.
    expect((await v.app.inject({ method: 'GET', url: `/p/${SLUG}/policy` })).statusCode).toBe(404);
    const txt = await v.app.inject({ method: 'GET', url: `/p/${SLUG}/security.txt` });
    expect(txt.body).not.toContain(`/p/${SLUG}/policy`);
    const before = { docs: await count('policy_documents'), audit: await count('audit_log') };
    const bad = await call('author', 'POST', '', { kind: 'Not A Slug', title: 'Policy' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.map((f: { path: string }) => f.path)).toContain('kind');
    const noTitle = await call('author', 'POST', '', { kind: 'disclosure-policy', title: '  ' });
    expect(noTitle.statusCode).toBe(400);
    expect(noTitle.json().fields.map((f: { path: string }) => f.path)).toContain('title');
    expect({ docs: await count('policy_documents'), audit: await count('audit_log') }).toEqual(before);

    await ok('author', 'POST', '', { kind: 'disclosure-policy', title: 'Vulnerability Disclosure Policy' });
    const versionsBefore = await count('policy_versions');
    const noChanges = await call('author', 'POST', V, { body: '# Scope\n\nText.' });
    expect(noChanges.statusCode).toBe(400);
    expect(noChanges.json().fields.map((f: { path: string }) => f.path)).toContain('changes');
    const badDate = await call('author', 'POST', V, {
      body: 'x',
      changes: 'First',
      effectiveDate: '2027-02-30',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().fields.map((f: { path: string }) => f.path)).toContain('effectiveDate');
    // Neither text nor a published version to start from: the service names the field.
    const nothing = await call('author', 'POST', V, { changes: 'First issue' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().fields.map((f: { path: string }) => f.path)).toContain('body');
    expect(await count('policy_versions')).toBe(versionsBefore);
  });

  it('takes a version from draft through review and approval to publication, audited', async () => {
    const auditBefore = await count('audit_log');
    let doc = await ok('author', 'POST', V, {
      body: '# Scope\n\nOur products.\n\n## Safe harbor\n\nWe will not pursue good-faith research.',
      changes: 'First issue.',
    });
    expect(doc.openVersion).toEqual({ version: '1.0', state: 'draft' });
    doc = await ok('author', 'PATCH', `${V}/1.0`, { changes: 'First issue of the policy.' });
    expect(doc.versions[0].changes).toBe('First issue of the policy.');
    // Approval before review is an illegal move.
    expect((await call('ceo', 'POST', `${V}/1.0/approve`, {})).statusCode).toBe(409);
    doc = await ok('author', 'POST', `${V}/1.0/submit`, {});
    expect(doc.versions[0].state).toBe('in_review');
    // Once submitted, the text is frozen: what is reviewed is what gets published.
    const edit = await call('author', 'PATCH', `${V}/1.0`, { body: 'changed' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().message).toMatch(/only a version draft can be edited/);
    expect((await call('ceo', 'POST', `${V}/1.0/approve`, {})).json().message).toMatch(/not been reviewed/);
    doc = await ok('privacy', 'POST', `${V}/1.0/review`, {});
    expect(doc.versions[0].reviewedBy).toBe('Priya Privacy');
    expect((await call('author', 'POST', `${V}/1.0/publish`, {})).statusCode).toBe(409);
    doc = await ok('ceo', 'POST', `${V}/1.0/approve`, {});
    expect(doc.versions[0]).toMatchObject({ state: 'approved', approvedBy: 'Casey Chief' });
    // Publishing belongs to owners: the approver (a viewer) may not.
    expect((await call('ceo', 'POST', `${V}/1.0/publish`, {})).statusCode).toBe(403);
    doc = await ok('author', 'POST', `${V}/1.0/publish`, {});
    expect(doc.published).toMatchObject({ version: '1.0', effectiveDate: '2027-01-04' });
    expect(doc.openVersion).toBeNull();
    expect(doc.overdue).toBe(false);
    expect(doc.reviewDueAt).toBe(new Date(clock.now().getTime() + 365 * DAY).toISOString());
    expect(doc.history).toEqual([
      {
        version: '1.0',
        date: '2027-01-04',
        changes: 'First issue of the policy.',
        reviewedBy: 'Priya Privacy',
        approvedBy: 'Casey Chief',
        kind: 'version',
      },
    ]);
    const actions = (
      await v.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('seq', '>', auditBefore)
        .orderBy('seq')
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual([
      'policy.draft_created',
      'policy.draft_edited',
      'policy.submitted',
      'policy.reviewed',
      'policy.approved',
      'policy.published',
    ]);
    const list = await ok('handler', 'GET', '');
    expect(list.documents).toEqual([expect.objectContaining({ kind: 'disclosure-policy', overdue: false })]);
    // Another program's lead cannot even see that the program has policies.
    expect((await call('outsider', 'GET', '')).statusCode).toBe(404);
  });

  it('refuses the same person reviewing and approving, the author reviewing, and callers without the duty', async () => {
    clock.advance(40 * DAY);
    await ok('author', 'POST', V, { from: 'published', changes: 'Adds the PHI rule.' });
    await ok('author', 'PATCH', `${V}/1.1`, {
      body: '# Scope\n\nOur products.\n\n## Personal data\n\nStop when you reach patient data.',
    });
    await ok('author', 'POST', `${V}/1.1/submit`, {});

    const own = await call('author', 'POST', `${V}/1.1/review`, {});
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toMatch(/You wrote this draft/);
    const noDuty = await call('handler', 'POST', `${V}/1.1/review`, {});
    expect(noDuty.statusCode).toBe(403);
    expect(noDuty.json().message).toMatch(/privacy/);

    await ok('both', 'POST', `${V}/1.1/review`, {});
    const same = await call('both', 'POST', `${V}/1.1/approve`, {});
    expect(same.statusCode).toBe(403);
    expect(same.json().message).toMatch(/two different people/);
    expect((await call('privacy', 'POST', `${V}/1.1/approve`, {})).statusCode).toBe(403);
    const detail = await ok('author', 'GET', '/disclosure-policy');
    expect(detail.versions.find((x: { version: string }) => x.version === '1.1')).toMatchObject({
      state: 'in_review',
      approvedBy: null,
    });

    await ok('ceo', 'POST', `${V}/1.1/approve`, {});
    const doc = await ok('owner', 'POST', `${V}/1.1/publish`, { effectiveDate: '2027-02-15' });
    expect(doc.versions.map((x: { version: string; state: string }) => [x.version, x.state])).toEqual([
      ['1.0', 'superseded'],
      ['1.1', 'published'],
    ]);
    expect(
      doc.history.map((h: { version: string; reviewedBy: string; approvedBy: string }) => [
        h.version,
        h.reviewedBy,
        h.approvedBy,
      ]),
    ).toEqual([
      ['1.0', 'Priya Privacy', 'Casey Chief'],
      ['1.1', 'Bo Both', 'Casey Chief'],
    ]);
    // A superseded version is history: it cannot be published again.
    expect((await call('owner', 'POST', `${V}/1.0/publish`, {})).statusCode).toBe(409);
  });

  it('shows the published policy with its generated history; superseded versions stay readable', async () => {
    const page = await v.app.inject({ method: 'GET', url: `/p/${SLUG}/policy` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const body = page.body;
    expect(body).toContain('Stop when you reach patient data.');
    expect(body).toMatch(/<h3 id="sec-personal-data">Personal data<\/h3>/);
    expect(body).toContain('href="#sec-personal-data"');
    const history = body.slice(body.indexOf('Revision history'));
    const rows = [...history.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
      .slice(1)
      .map((m) =>
        [...(m[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
          (c[1] ?? '').replace(/<[^>]+>/g, '').trim(),
        ),
      );
    expect(rows).toEqual([
      ['1.0', '2027-01-04', 'First issue of the policy.', 'Priya Privacy', 'Casey Chief'],
      ['1.1', '2027-02-15', 'Adds the PHI rule.', 'Bo Both', 'Casey Chief'],
    ]);
    const old = await v.app.inject({ method: 'GET', url: `/p/${SLUG}/policy/v/1.0` });
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('This version has been superseded');
    expect(old.body).toContain('We will not pursue good-faith research.');
    expect(old.body).not.toContain('Stop when you reach patient data.');
    // Only published text is public: a version that never was answers 404.
    expect((await v.app.inject({ method: 'GET', url: `/p/${SLUG}/policy/v/9.9` })).statusCode).toBe(404);
    const txt = await v.app.inject({ method: 'GET', url: `/p/${SLUG}/security.txt` });
    expect(txt.body).toContain(`Policy: https://vigil.test/p/${SLUG}/policy\n`);
    expect((await v.app.inject({ method: 'GET', url: `/p/${SLUG}` })).body).toContain(
      `href="https://vigil.test/p/${SLUG}/policy"`,
    );
  });

  it('reminds the owners 30 days before and at the review due date, once each', async () => {
    const due = new Date((await ok('author', 'GET', '/disclosure-policy')).reviewDueAt as string);
    expect((await v.policyReminders.runOnce(new Date(due.getTime() - 31 * DAY))).queued).toBe(0);

    clock.set(new Date(due.getTime() - 30 * DAY + 60_000));
    expect(await v.policyReminders.runOnce()).toEqual({ reminders: 1, queued: 2 });
    expect(await v.policyReminders.runOnce()).toEqual({ reminders: 0, queued: 0 });
    const early = await flush();
    expect(early.flatMap((m) => m.rcptTo).sort()).toEqual([
      'author@northwind.example',
      'owner@northwind.example',
    ]);
    const dueDate = new Date(due.getTime()).toISOString().slice(0, 10);
    expect(early[0]?.parsed.subject).toMatch(
      new RegExp(`^Policy review due on ${dueDate}: .+: Vulnerability Disclosure Policy$`),
    );
    expect(early[0]?.parsed.text).toContain(
      `https://vigil.test/console/programs/${SLUG}/policies/disclosure-policy`,
    );

    clock.set(due);
    const outbox = await count('outbox');
    expect(await v.policyReminders.runOnce()).toEqual({ reminders: 1, queued: 2 });
    expect(await count('outbox')).toBe(outbox + 2);
    expect(await v.policyReminders.runOnce()).toEqual({ reminders: 0, queued: 0 });
    expect(await count('outbox')).toBe(outbox + 2);
    const atDue = await flush();
    expect(atDue.flatMap((m) => m.rcptTo).sort()).toEqual([
      'author@northwind.example',
      'owner@northwind.example',
    ]);
    expect(atDue[0]?.parsed.subject).toMatch(/due today/);
    expect((await ok('handler', 'GET', '')).documents[0].overdue).toBe(true);
  });

  it('documents the policy routes in the OpenAPI document under their tag', async () => {
    const doc = (await v.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const op = doc.paths['/api/v1/programs/{slug}/policies/{kind}/versions/{version}/approve'].post;
    expect(op.tags).toEqual(['policies']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409']));
  });

  it('records a review without change with both sign-offs and moves the due date', async () => {
    const before = await ok('author', 'GET', '/disclosure-policy');
    expect(
      (await call('ceo', 'POST', '/disclosure-policy/review-without-change/approve', {})).statusCode,
    ).toBe(409);
    expect((await call('handler', 'POST', '/disclosure-policy/review-without-change', {})).statusCode).toBe(
      403,
    );
    await ok('both', 'POST', '/disclosure-policy/review-without-change', { note: 'Still accurate.' });
    const same = await call('both', 'POST', '/disclosure-policy/review-without-change/approve', {});
    expect(same.statusCode).toBe(403);
    expect(same.json().message).toMatch(/two different people/);
    expect((await ok('author', 'GET', '/disclosure-policy')).reviewDueAt).toBe(before.reviewDueAt);

    const doc = await ok('ceo', 'POST', '/disclosure-policy/review-without-change/approve', {});
    expect(doc.overdue).toBe(false);
    expect(doc.lastReviewedAt).toBe(clock.now().toISOString());
    expect(Date.parse(doc.reviewDueAt)).toBe(clock.now().getTime() + 365 * DAY);
    expect(doc.history.at(-1)).toMatchObject({
      version: '1.1',
      kind: 'review',
      changes: 'Reviewed without change: Still accurate.',
      reviewedBy: 'Bo Both',
      approvedBy: 'Casey Chief',
    });
    expect(doc.published.version).toBe('1.1');
    // The new cycle is reminded afresh at its own due date.
    clock.set(new Date(doc.reviewDueAt));
    expect((await v.policyReminders.runOnce()).queued).toBe(2);
  });

  it('keeps one open version per document, even for concurrent drafts; read-only tokens change nothing', async () => {
    const draft = (n: string) =>
      call('author', 'POST', V, { version: n, from: 'published', changes: `Draft ${n}` });
    const statuses = (await Promise.all([draft('2.0'), draft('3.0')])).map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409]);
    const doc = await ok('author', 'GET', '/disclosure-policy');
    expect(doc.versions.filter((x: { state: string }) => x.state === 'draft')).toHaveLength(1);
    // The database itself refuses a second open version, whatever the service checked before.
    const open = await v.db.kysely
      .selectFrom('policy_versions')
      .selectAll()
      .where('state', '=', 'draft')
      .executeTakeFirstOrThrow();
    await expect(
      v.db.kysely
        .insertInto('policy_versions')
        .values({ ...open, id: `${open.id}x`, version: '9.0', state: 'in_review' })
        .execute(),
    ).rejects.toThrow();
    const versions = await count('policy_versions');
    const readOnly = await call('authorRead', 'PATCH', `${V}/${doc.openVersion.version}`, { changes: 'x' });
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json().message).toMatch(/read-only/);
    expect((await call('authorRead', 'GET', '/disclosure-policy')).statusCode).toBe(200);
    expect(await count('policy_versions')).toBe(versions);
  });

  it('sends a version in review back to draft with a note; refusals change nothing; the next round keeps the rules', async () => {
    const open = (await ok('author', 'GET', '/disclosure-policy')).openVersion.version as string;
    await ok('author', 'PATCH', `${V}/${open}`, { body: '# Scope\n\nAll products.' });
    await ok('author', 'POST', `${V}/${open}/submit`, {});
    await ok('privacy', 'POST', `${V}/${open}/review`, {});
    const sendBacks = async () =>
      Number(
        (
          await v.db.kysely
            .selectFrom('policy_send_backs')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const snapshot = async () => ({
      audit: await count('audit_log'),
      sendBacks: await sendBacks(),
      version: (await ok('author', 'GET', '/disclosure-policy')).versions.find(
        (x: { version: string }) => x.version === open,
      ),
    });
    const before = await snapshot();
    expect(before.version).toMatchObject({
      state: 'in_review',
      reviewedBy: 'Priya Privacy',
      sentBackNote: null,
    });
    const back = (who: string, payload: object) => call(who, 'POST', `${V}/${open}/send-back`, payload);
    const refusals: [string, object, number, RegExp][] = [
      ['handler', { note: 'x' }, 403, /privacy/],
      ['ceo', { note: 'x' }, 403, /privacy/],
      ['author', { note: 'x' }, 403, /You wrote this draft/],
    ];
    for (const [who, payload, status, message] of refusals) {
      const res = await back(who, payload);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(status);
      expect(res.json().message).toMatch(message);
    }
    for (const payload of [{}, { note: '   ' }]) {
      const res = await back('privacy', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().fields.map((f: { path: string }) => f.path)).toEqual(['note']);
    }
    expect(await snapshot()).toEqual(before);

    const note = 'Section "Scope" must name the products and versions again.';
    const doc = await ok('privacy', 'POST', `${V}/${open}/send-back`, { note });
    const sent = doc.versions.find((x: { version: string }) => x.version === open);
    expect(sent).toMatchObject({
      state: 'draft',
      submittedAt: null,
      reviewedAt: null,
      reviewedBy: null,
      sentBackBy: 'Priya Privacy',
      sentBackNote: note,
      sendBacks: [{ by: 'Priya Privacy', note }],
    });
    expect(sent.sentBackAt).toBe(clock.now().toISOString());
    const last = await v.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.action).toBe('policy.sent_back');
    expect(JSON.parse(last.detail)).toMatchObject({ version: open, from: 'in_review', to: 'draft' });
    // A draft cannot be sent back (wrong state), and nothing moves.
    const again = await back('privacy', { note: 'Once more.' });
    expect(again.statusCode).toBe(409);
    expect(await sendBacks()).toBe(1);
    // The author reads the note on the version.
    const seen = (await ok('author', 'GET', '/disclosure-policy')).versions.find(
      (x: { version: string }) => x.version === open,
    );
    expect(seen.sentBackNote).toBe(note);

    // Next round: the author edits and resubmits; still no self-review, still two people.
    await ok('author', 'PATCH', `${V}/${open}`, { body: '# Scope\n\nPumps 4.x and gateways 2.x.' });
    await ok('author', 'POST', `${V}/${open}/submit`, {});
    expect((await call('ceo', 'POST', `${V}/${open}/approve`, {})).json().message).toMatch(
      /not been reviewed/,
    );
    expect((await call('author', 'POST', `${V}/${open}/review`, {})).statusCode).toBe(403);
    await ok('both', 'POST', `${V}/${open}/review`, {});
    const same = await call('both', 'POST', `${V}/${open}/approve`, {});
    expect(same.statusCode).toBe(403);
    expect(same.json().message).toMatch(/two different people/);
    const approved = await ok('ceo', 'POST', `${V}/${open}/approve`, {});
    expect(approved.versions.find((x: { version: string }) => x.version === open)).toMatchObject({
      state: 'approved',
      reviewedBy: 'Bo Both',
      approvedBy: 'Casey Chief',
      sendBacks: [{ note }],
    });
  });

  it('publishes the starter policies of the example programs as version 1.0, once', async () => {
    const dir = path.join(repoRoot, 'examples', 'policies');
    // Northwind already has a governed policy from the tests above: only Lakeside gets one.
    expect(await seedExamplePolicies(v.services, dir)).toEqual(['lakeside-health']);
    expect(await seedExamplePolicies(v.services, dir)).toEqual([]);
    const page = await v.app.inject({ method: 'GET', url: '/p/lakeside-health/policy' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="#sec-safe-harbor"');
    expect(page.body).toContain('CVE Numbering Authority');
    const txt = await v.app.inject({ method: 'GET', url: '/p/lakeside-health/security.txt' });
    expect(txt.body).toContain('Policy: https://vigil.test/p/lakeside-health/policy\n');
  });

  it('lists every document across the programs the caller can see, with its review status, overdue first', async () => {
    await v.services.accounts.createUser(
      { email: 'root@vigil.example', name: 'Root', role: 'admin' },
      'test',
    );
    tokens.root = (
      await v.services.accounts.createToken({ userEmail: 'root@vigil.example', scope: 'read' }, 'test')
    ).token;
    const list = async (who: string, query = '') => {
      const res = await v.app.inject({
        method: 'GET',
        url: `/api/v1/policies${query}`,
        headers: { authorization: `Bearer ${tokens[who]}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().documents as {
        program: { slug: string };
        kind: string;
        overdue: boolean;
        lastReviewedAt: string | null;
        reviewDueAt: string | null;
        published: { version: string } | null;
        openVersion: { version: string; state: string } | null;
      }[];
    };
    // Northwind's review fell due (the clock stands at its due date); Lakeside's was just seeded.
    const all = await list('root');
    expect(all.map((d) => [d.program.slug, d.kind, d.overdue])).toEqual([
      [SLUG, 'disclosure-policy', true],
      ['lakeside-health', 'disclosure-policy', false],
    ]);
    const northwind = all[0];
    expect(northwind?.published?.version).toBe('1.1');
    expect(northwind?.openVersion).toEqual({ version: expect.any(String), state: 'approved' });
    expect(northwind?.lastReviewedAt).toEqual(expect.any(String));
    expect(Date.parse(northwind?.reviewDueAt ?? '')).toBeLessThanOrEqual(clock.now().getTime());
    expect(all[1]?.openVersion).toBeNull();
    expect((await list('root', '?overdue=true')).map((d) => d.program.slug)).toEqual([SLUG]);
    expect((await list('root', '?overdue=false')).map((d) => d.program.slug)).toEqual(['lakeside-health']);
    // Each member sees only their own program.
    expect((await list('handler')).map((d) => d.program.slug)).toEqual([SLUG]);
    expect((await list('outsider')).map((d) => d.program.slug)).toEqual(['lakeside-health']);
    const bad = await v.app.inject({
      method: 'GET',
      url: '/api/v1/policies?overdue=maybe',
      headers: { authorization: `Bearer ${tokens.root}` },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.map((f: { path: string }) => f.path)).toEqual(['querystring.overdue']);
    expect((await v.app.inject({ method: 'GET', url: '/api/v1/policies' })).statusCode).toBe(401);
  });
});
