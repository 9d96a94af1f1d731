import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyVersionEditors } from '../src/db/migrations/2026-12-07T1300-policy-version-editors.js';
import { policyApi } from './helpers/policies.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Nobody signs off words they wrote: every person who wrote or edited a policy version is recorded
 * as its editor, and none of them may review, send back or approve it — not only its author. A
 * lead with the privacy duty who rewrote a colleague's draft and submitted it cannot review it.
 */

const SLUG = 'northwind-medical';
const V = '/disclosure-policy/versions';

describe.each(dialects)('policy version editors (%s)', (dialect) => {
  let v: TestVigil;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    const people: [string, string, string[]][] = [
      ['author', 'lead', []],
      // Rewrites the author's draft; holds the privacy duty, so only the editor rule stops them.
      ['rewriter', 'lead', ['privacy']],
      // Edits too; holds the approver duty, so only the editor rule stops them approving.
      ['amender', 'lead', ['approver']],
      ['privacy', 'handler', ['privacy']],
      ['ceo', 'viewer', ['approver']],
    ];
    for (const [key, role, duties] of people) {
      const email = `${key}@editors.example`;
      ids[key] = (
        await v.services.accounts.createUser({ email, name: key, role, program: SLUG, duties }, 'test')
      ).id;
      tokens[key] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const { call, ok } = policyApi(() => v, SLUG, tokens);
  async function refused(who: string, action: string, payload: object = {}) {
    const res = await call(who, 'POST', `${V}/1.0/${action}`, payload);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().message).toMatch(/You edited version 1\.0/);
    expect(res.json().message).toMatch(/nobody who wrote or edited a policy version may review/);
  }

  it('refuses review, send-back and approval to anyone who edited the version', async () => {
    await ok('author', 'POST', '', { kind: 'disclosure-policy', title: 'Vulnerability Disclosure Policy' });
    await ok('author', 'POST', V, { body: '# Scope\n\nOur products.', changes: 'First issue.' });
    await ok('rewriter', 'PATCH', `${V}/1.0`, { body: '# Scope\n\nOnly what the rewriter wants.' });
    await ok('amender', 'PATCH', `${V}/1.0`, { changes: 'First issue, amended.' });
    await ok('rewriter', 'POST', `${V}/1.0/submit`, {});

    await refused('rewriter', 'review');
    await refused('rewriter', 'send-back', { note: 'Looks fine to me.' });
    await ok('privacy', 'POST', `${V}/1.0/review`, {});
    await refused('amender', 'approve');
    const doc = await ok('ceo', 'POST', `${V}/1.0/approve`, {});
    expect(doc.versions[0]).toMatchObject({ version: '1.0', state: 'approved' });
    expect([...doc.versions[0].editors].sort()).toEqual(['amender', 'author', 'rewriter']);
  });

  it('counts the author of a version from before editors were recorded as its editor', async () => {
    const k = v.db.kysely;
    const version = await k
      .selectFrom('policy_versions')
      .select(['id', 'author_id'])
      .where('version', '=', '1.0')
      .executeTakeFirstOrThrow();
    expect(version.author_id).toBe(ids.author);
    // As the database stood before the migration: no editors table, then the migration again.
    const migration = policyVersionEditors({ dialect });
    await migration.down(k as never);
    await migration.up(k as never);
    const { rows } = await sql<{ version_id: string; user_id: string }>`
      select version_id, user_id from policy_version_editors
    `.execute(k);
    expect(rows).toEqual([{ version_id: version.id, user_id: ids.author }]);
  });
});
