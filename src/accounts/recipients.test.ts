import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb } from '../../test/helpers/test-db.js';
import { dialects } from '../../test/helpers/test-vigil.js';
import type { Db } from '../db/index.js';
import { noticeRecipients } from './recipients.js';

/**
 * The chains that decide who is told, on a real database of each dialect: the step that answers,
 * the instance admins at the end, disabled users and other programs' members never.
 */
describe.each(dialects)('notice recipients on %s', (dialect) => {
  let testDb: TestDb | undefined;
  let db: Db;
  const at = '2026-03-02T12:00:00.000Z';

  beforeAll(async () => {
    testDb = await openTestDatabase(dialect, { poolSize: 4, prefix: 'recipients' });
    db = testDb.db;
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  beforeEach(async () => {
    await db.kysely.deleteFrom('program_members').execute();
    await db.kysely.deleteFrom('users').execute();
    await db.kysely.deleteFrom('programs').execute();
    for (const id of ['p1', 'p2'])
      await db.kysely
        .insertInto('programs')
        .values({
          id,
          slug: id,
          name: id,
          case_prefix: id.toUpperCase(),
          definition: '{}',
          revision: 1,
          created_at: at,
          updated_at: at,
        })
        .execute();
  });

  /** A user (`name@example.org`), optionally an instance admin or disabled. */
  async function user(name: string, o: { admin?: boolean; disabled?: boolean } = {}): Promise<string> {
    await db.kysely
      .insertInto('users')
      .values({
        id: name,
        email: `${name}@example.org`,
        name,
        role: o.admin ? 'admin' : 'member',
        disabled: o.disabled ? 1 : 0,
        created_at: at,
      })
      .execute();
    return name;
  }

  /** A user who is a member of `program` with `role` (and duties, as stored JSON text). */
  async function member(
    name: string,
    program: string,
    role: string,
    o: { duties?: string; disabled?: boolean } = {},
  ): Promise<string> {
    await user(name, { disabled: o.disabled });
    await db.kysely
      .insertInto('program_members')
      .values({ user_id: name, program_id: program, role, duties: o.duties ?? '[]', created_at: at })
      .execute();
    return name;
  }

  const mail = (...names: string[]) => names.map((n) => `${n}@example.org`);

  describe('case deadlines', () => {
    it('go to the leads, not the admins; the assignee comes first and once', async () => {
      await member('blead', 'p1', 'lead');
      await member('alead', 'p1', 'lead');
      await member('cadmin', 'p1', 'admin');
      await member('dhandler', 'p1', 'handler');
      await member('eoff', 'p1', 'lead', { disabled: true });
      await member('flead', 'p2', 'lead');
      expect(await noticeRecipients(db.kysely, 'p1', 'case-deadlines')).toEqual({
        emails: mail('alead', 'blead'),
        fallback: false,
      });
      expect(await noticeRecipients(db.kysely, 'p1', 'case-deadlines', { assigneeId: 'dhandler' })).toEqual({
        emails: mail('dhandler', 'alead', 'blead'),
        fallback: false,
      });
      expect(
        (await noticeRecipients(db.kysely, 'p1', 'case-deadlines', { assigneeId: 'blead' })).emails,
      ).toEqual(mail('blead', 'alead'));
    });

    it('tell the assignee only while enabled, and whether or not a member', async () => {
      await member('alead', 'p1', 'lead');
      await user('gone', { disabled: true });
      await user('outsider');
      expect(
        (await noticeRecipients(db.kysely, 'p1', 'case-deadlines', { assigneeId: 'gone' })).emails,
      ).toEqual(mail('alead'));
      expect(
        (await noticeRecipients(db.kysely, 'p1', 'case-deadlines', { assigneeId: 'outsider' })).emails,
      ).toEqual(mail('outsider', 'alead'));
      expect(
        (await noticeRecipients(db.kysely, 'p1', 'case-deadlines', { assigneeId: null })).emails,
      ).toEqual(mail('alead'));
    });

    it('without an enabled lead go to the admins, then to the instance admins', async () => {
      await member('alead', 'p1', 'lead', { disabled: true });
      await member('badmin', 'p1', 'admin');
      await member('chandler', 'p1', 'handler', { duties: '["privacy"]' });
      await user('zroot', { admin: true });
      expect(await noticeRecipients(db.kysely, 'p1', 'case-deadlines')).toEqual({
        emails: mail('badmin'),
        fallback: true,
      });
      await db.kysely.updateTable('users').set({ disabled: 1 }).where('id', '=', 'badmin').execute();
      await user('yroot', { admin: true });
      await user('xroot', { admin: true, disabled: true });
      expect(await noticeRecipients(db.kysely, 'p1', 'case-deadlines')).toEqual({
        emails: mail('yroot', 'zroot'),
        fallback: true,
      });
    });
  });

  describe('policy reviews', () => {
    it('go to the admins and leads together, else the instance admins', async () => {
      await member('clead', 'p1', 'lead');
      await member('aadmin', 'p1', 'admin');
      await member('bviewer', 'p1', 'viewer');
      await member('dadmin', 'p2', 'admin');
      await user('root', { admin: true });
      expect(await noticeRecipients(db.kysely, 'p1', 'policy-reviews')).toEqual({
        emails: mail('aadmin', 'clead'),
        fallback: false,
      });
      // The instance admin is told only for want of owners, even as a member of the program.
      await member('ehandler', 'p2', 'handler');
      await db.kysely.deleteFrom('program_members').where('user_id', '=', 'dadmin').execute();
      expect(await noticeRecipients(db.kysely, 'p2', 'policy-reviews')).toEqual({
        emails: mail('root'),
        fallback: true,
      });
    });
  });

  describe('privacy notices', () => {
    it('go to the holders of the privacy duty, whatever their role', async () => {
      await member('bhandler', 'p1', 'handler', { duties: '["privacy"]' });
      await member('aviewer', 'p1', 'viewer', { duties: '["approver","privacy"]' });
      await member('clead', 'p1', 'lead');
      await member('dadmin', 'p1', 'admin', { duties: '["approver"]' });
      await member('eoff', 'p1', 'handler', { duties: '["privacy"]', disabled: true });
      await member('fother', 'p2', 'lead', { duties: '["privacy"]' });
      expect(await noticeRecipients(db.kysely, 'p1', 'privacy')).toEqual({
        emails: mail('aviewer', 'bhandler'),
        fallback: false,
      });
    });

    it('fall back to the admins and leads, then the instance admins, and say so', async () => {
      await member('blead', 'p1', 'lead');
      await member('aadmin', 'p1', 'admin');
      await member('chandler', 'p1', 'handler');
      // A duty under a role this release does not know, or duties that do not parse, count for nothing.
      await member('dodd', 'p1', 'owner', { duties: '["privacy"]' });
      await member('ebroken', 'p1', 'handler', { duties: 'privacy' });
      await user('root', { admin: true });
      expect(await noticeRecipients(db.kysely, 'p1', 'privacy')).toEqual({
        emails: mail('aadmin', 'blead'),
        fallback: true,
      });
      expect(await noticeRecipients(db.kysely, 'p2', 'privacy')).toEqual({
        emails: mail('root'),
        fallback: true,
      });
    });
  });

  it('answers inside a transaction as outside it', async () => {
    await member('alead', 'p1', 'lead');
    const inside = await db.kysely
      .transaction()
      .execute((trx) => noticeRecipients(trx, 'p1', 'case-deadlines'));
    expect(inside).toEqual({ emails: mail('alead'), fallback: false });
  });
});
