import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import type { OutboxWorker } from '../src/jobs/index.js';
import type { MailSender } from '../src/mail/transport.js';
import type { Program } from '../src/programs/index.js';
import { confirmCase } from './helpers/case-workflow.js';
import { startOutboxWorker } from './helpers/outbox.js';
import { armoredMessageOf, lakesideForOutreach } from './helpers/outreach.js';
import { validAnswers } from './helpers/reports.js';
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { WARM_TIMEOUT, warmValidators } from './helpers/validators.js';

/**
 * Who may see to whom an advisory went: the delivery record shows recipient addresses only to
 * those who may list the program's customers and coordinators (admins, leads); a handler sees
 * how many mails went out and which failed, and no address. And what may reach them in clear:
 * TLP:AMBER and RED content goes only to contacts with a key (encrypted); the others get a notice
 * without a word of it, and staff see before publishing who those are.
 */

const SLUG = 'lakeside-health';
const KEYED = 'keyed@clinic.example';
const KEYLESS = 'keyless@clinic.example';
const COORDINATOR = 'share@isac.example';

describe.each(dialects)('advisory recipients (%s)', (dialect) => {
  const clock = createManualClock(new Date('2027-04-01T15:00:00.000Z'));
  let v: TestVigil;
  let peer: SmtpPeer;
  let lakeside: Program;
  let sender: MailSender;
  let worker: OutboxWorker;
  let coordinatorId: string;
  let customerKey: openpgp.PrivateKey;
  const tokens: Record<string, string> = {};

  const call = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    v.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
  async function ok(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
    const res = await call(who, method, url, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  }
  async function flush(): Promise<ReceivedMail[]> {
    const before = peer.received.length;
    for (;;) {
      const r = await worker.runOnce();
      if (r.sent === 0 && r.failed === 0) break;
    }
    return peer.received.slice(before);
  }
  const to = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.rcptTo.includes(address));

  async function confirmedCase(): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: validAnswers(lakeside, 'outreach', 'reporter@researcher.example') },
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().caseNumber as string;
    await confirmCase(ok, n);
    await flush();
    return n;
  }

  /** An approved advisory drafted from a fresh case, its content changed by `change`. */
  async function approvedAdvisory(change: (c: Record<string, unknown>) => object) {
    const draft = await ok('handler', 'POST', '/api/v1/advisories', { cases: [await confirmedCase()] });
    const url = `/api/v1/advisories/${draft.id}/revisions/1`;
    await ok('handler', 'PUT', url, change(draft.revisions[0].content));
    await ok('handler', 'POST', `${url}/submit`);
    await ok('approver', 'POST', `${url}/approve`);
    return draft.id as string;
  }

  beforeAll(async () => {
    await warmValidators();
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, {
      clock,
      env: { VIGIL_MAIL_FROM: 'Lakeside PSIRT <psirt@vigil.test>' },
    });
    await lakesideForOutreach(v, false);
    lakeside = await v.services.programs.get(SLUG);
    if (!(await v.services.keys.publishedKey(lakeside.id)))
      await v.services.keys.generate(SLUG, { actor: 'test' });
    for (const [who, role, duties] of [
      ['lead', 'lead', []],
      ['handler', 'handler', []],
      ['approver', 'viewer', ['approver']],
    ] as const) {
      const email = `${who}@recipients.test`;
      await v.services.accounts.createUser(
        { email, name: who, role, program: SLUG, duties: [...duties] },
        'test',
      );
      tokens[who] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
    const keyOf = async (name: string, email: string) =>
      openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ name, email }],
        format: 'object',
      });
    const customer = await keyOf('Kim Keyed', KEYED);
    customerKey = customer.privateKey;
    const coordinator = await keyOf('ISAC', COORDINATOR);
    const base = `/api/v1/programs/${SLUG}`;
    await ok('lead', 'POST', `${base}/customers`, {
      name: 'Riverside Clinic',
      products: ['lakeside-health-server'],
      contacts: [
        { name: 'Kim Keyed', email: KEYED, publicKey: customer.publicKey.armor() },
        { name: 'Lou Keyless', email: KEYLESS },
      ],
    });
    coordinatorId = (
      await ok('lead', 'POST', `${base}/coordinators`, {
        name: 'Clinic-ISAC',
        email: COORDINATOR,
        publicKey: coordinator.publicKey.armor(),
      })
    ).id;
    ({ sender, worker } = await startOutboxWorker(v, peer, clock));
    await flush();
  }, 120_000);
  afterAll(async () => {
    sender?.close();
    await v?.destroy();
    await peer?.close();
  }, WARM_TIMEOUT);

  it('shows recipient addresses to a lead, and to a handler only counts and statuses', async () => {
    const id = await approvedAdvisory((c) => c);
    await ok('lead', 'POST', `/api/v1/advisories/${id}/revisions/1/share`, {
      coordinatorIds: [coordinatorId],
    });
    await ok('handler', 'POST', `/api/v1/advisories/${id}/revisions/1/publish`);
    const mails = await flush();
    expect(to(mails, KEYED)).toHaveLength(1);
    expect(to(mails, KEYLESS)).toHaveLength(1);

    const lead = await ok('lead', 'GET', `/api/v1/advisories/${id}/deliveries`);
    expect(lead.addresses).toBe('shown');
    expect(lead.deliveries.map((d: { email: string }) => d.email)).toEqual(
      expect.arrayContaining([KEYED, KEYLESS, 'reporter@researcher.example']),
    );
    expect(lead.sharing[0].email).toBe(COORDINATOR);

    const res = await call('handler', 'GET', `/api/v1/advisories/${id}/deliveries`);
    expect(res.statusCode).toBe(200);
    // The handler may not list customers, so no address reaches them here either.
    expect(res.body).not.toContain('@');
    const handler = res.json();
    expect(handler.addresses).toBe('withheld');
    expect(handler.deliveries).toHaveLength(lead.deliveries.length);
    expect(handler.deliveries.map((d: { kind: string; status: string }) => [d.kind, d.status])).toEqual(
      lead.deliveries.map((d: { kind: string; status: string }) => [d.kind, d.status]),
    );
    expect(handler.sharing).toMatchObject([{ coordinator: 'Clinic-ISAC', email: null, status: 'sent' }]);
    expect((await call('handler', 'GET', `/api/v1/programs/${SLUG}/customers`)).statusCode).toBe(403);
  }, 180_000);

  it('sends TLP:AMBER content only encrypted; a keyless contact gets a notice without it, announced before publishing', async () => {
    const secret = {
      title: 'Amber title: heap overflow in the HL7 listener',
      summary: 'Amber summary: a crafted ORU message corrupts memory.',
      cve: 'CVE-2027-30001',
      vulnTitle: 'Amber vulnerability title: unchecked segment length',
    };
    const id = await approvedAdvisory((c) => ({
      ...c,
      tlp: 'AMBER',
      title: secret.title,
      summary: secret.summary,
      vulnerabilities: (c.vulnerabilities as object[]).map((x) => ({
        ...x,
        cve: secret.cve,
        title: secret.vulnTitle,
      })),
    }));

    // Before publishing, staff see who lacks a key; the contacts only to those who manage customers.
    const preview = `/api/v1/advisories/${id}/revisions/1/recipients`;
    expect(await ok('lead', 'GET', preview)).toEqual({
      revision: 1,
      tlp: 'AMBER',
      notifyCustomers: true,
      restricted: true,
      addresses: 'shown',
      customers: 2,
      withoutKey: 1,
      keylessContacts: [{ organisation: 'Riverside Clinic', name: 'Lou Keyless', email: KEYLESS }],
    });
    const handlerPreview = await call('handler', 'GET', preview);
    expect(handlerPreview.body).not.toContain('@');
    expect(handlerPreview.json()).toMatchObject({ customers: 2, withoutKey: 1, keylessContacts: null });

    await ok('handler', 'POST', `/api/v1/advisories/${id}/revisions/1/publish`);
    const mails = await flush();
    const [keyless] = to(mails, KEYLESS);
    const [keyed] = to(mails, KEYED);
    expect(keyless).toBeDefined();
    expect(keyed).toBeDefined();

    // The keyless contact: told that there is one and how to get it, and nothing of what it says.
    const notice = `${keyless?.parsed.subject}\n${keyless?.parsed.text}\n${keyless?.raw.toString('utf8')}`;
    for (const words of Object.values(secret)) expect(notice, words).not.toContain(words);
    expect(notice).not.toContain('Lakeside Health Server');
    expect(keyless?.parsed.text?.split('\n')[0]).toBe('TLP:AMBER');
    expect(keyless?.parsed.text).toContain(id);
    expect(keyless?.parsed.text).toMatch(/OpenPGP public key/);

    // The keyed contact: the whole advisory, encrypted, its subject protected inside.
    expect(keyed?.parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/encrypted' });
    const outside = keyed?.raw.toString('utf8') ?? '';
    for (const words of Object.values(secret)) expect(outside, words).not.toContain(words);
    const { data } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armoredMessageOf(keyed?.raw as Buffer) }),
      decryptionKeys: customerKey,
      format: 'binary',
    });
    const inner = await simpleParser(Buffer.from(data as Uint8Array));
    expect(inner.subject).toContain(secret.title);
    for (const words of Object.values(secret)) expect(inner.text, words).toContain(words);

    const record = await ok('lead', 'GET', `/api/v1/advisories/${id}/deliveries`);
    expect(
      record.deliveries
        .filter((d: { kind: string }) => d.kind === 'customer')
        .map((d: { email: string; encrypted: boolean }) => [d.email, d.encrypted]),
    ).toEqual([
      [KEYED, true],
      [KEYLESS, false],
    ]);
  }, 180_000);
});
