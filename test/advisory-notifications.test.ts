import { randomBytes, randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { validateCveRecord } from '../src/disclosure/cve-validate.js';
import type { OutboxWorker } from '../src/jobs/index.js';
import type { MailSender } from '../src/mail/transport.js';
import type { Program } from '../src/programs/index.js';
import { confirmCase } from './helpers/case-workflow.js';
import { officialCveSchema } from './helpers/cve-schema.js';
import { startOutboxWorker } from './helpers/outbox.js';
import {
  armoredMessageOf,
  gpg,
  gpgIdentity,
  lakesideForOutreach,
  removeGpgHome,
} from './helpers/outreach.js';
import { validAnswers } from './helpers/reports.js';
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';
import { WARM_TIMEOUT, warmValidators } from './helpers/validators.js';

/**
 * Who hears of an advisory, end to end through the API, the outbox worker and a real SMTP peer:
 * coordinators get an encrypted TLP:AMBER sharing package (decrypted here with GnuPG); at
 * publication each subscribed customer address gets one mail per revision (encrypted when its
 * contact has a key, read back with openpgp.js) and each reporter one notice with the link and
 * the credit; with pre-notification customers hear at scheduling and not again. The reporter's
 * name, address and phone (a canary) appear in no mail, package or attachment but their own.
 */

const SLUG = 'lakeside-health';
const DAY = 86_400_000;
const CUSTOMERS = [
  'ciso@elsewhere.example',
  'it@elsewhere.example',
  'ops@mercy.example',
  'shared@it-services.example',
];

describe.skipIf(toolMissing('gpg')).each(dialects)('advisory notifications and sharing (%s)', (dialect) => {
  const clock = createManualClock(new Date('2027-03-01T15:00:00.000Z'));
  const tag = randomBytes(4).toString('hex');
  const canary = {
    name: `Canary Name ${tag}`,
    email: `canary-${tag}@reporter.example`,
    phone: `+1 416 555 ${String(1000 + (parseInt(tag.slice(0, 4), 16) % 9000))}`,
    organization: `Canary Org ${tag}`,
  };
  const leaks = (text: string) =>
    [canary.name, canary.email, canary.phone, canary.organization].filter((c) => text.includes(c));
  let v: TestVigil;
  let peer: SmtpPeer;
  let lakeside: Program;
  let sender: MailSender;
  let worker: OutboxWorker;
  let isac: { home: string; publicKey: string };
  let customerKey: openpgp.PrivateKey;
  let coordinatorId: string;
  let id: string;
  const tokens: Record<string, string> = {};

  const call = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, type?: string) =>
    v.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(type ? { 'content-type': type } : {}) },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
  async function ok(
    who: string,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
    type?: string,
  ) {
    const res = await call(who, method, url, payload, type);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  }
  /** Send everything due; returns the mails the peer received meanwhile. */
  async function flush(): Promise<ReceivedMail[]> {
    const before = peer.received.length;
    for (;;) {
      const r = await worker.runOnce();
      expect(r.failed).toBe(0);
      if (r.sent === 0) break;
    }
    return peer.received.slice(before);
  }
  const to = (mails: ReceivedMail[], address: string) => mails.filter((m) => m.rcptTo.includes(address));
  async function openWithGpg(mail: ReceivedMail) {
    const dec = await gpg(isac.home, ['--decrypt'], armoredMessageOf(mail.raw));
    expect(dec.code, dec.err).toBe(0);
    expect(dec.err).toMatch(/Good signature from/);
    return { bytes: dec.out.toString('utf8'), parsed: await simpleParser(dec.out) };
  }
  async function openWithCustomerKey(mail: ReceivedMail) {
    const { data } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armoredMessageOf(mail.raw) }),
      decryptionKeys: customerKey,
      format: 'binary',
    });
    return simpleParser(Buffer.from(data as Uint8Array));
  }

  async function confirmedCase(fields: Record<string, string>): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: { ...validAnswers(lakeside, 'outreach', canary.email), ...canary, ...fields } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().caseNumber as string;
    await confirmCase(ok, n);
    // The case's own mails to the reporter (receipt, acknowledgement) are not the subject here.
    await flush();
    return n;
  }

  /** Draft from a case, change the content, submit and approve: ready to publish or share. */
  async function approvedAdvisory(caseNumber: string, change: (c: Record<string, unknown>) => object) {
    const draft = await ok('author', 'POST', '/api/v1/advisories', { cases: [caseNumber] });
    const url = `/api/v1/advisories/${draft.id}/revisions/1`;
    await ok('author', 'PUT', url, change(draft.revisions[0].content));
    await ok('author', 'POST', `${url}/submit`);
    await ok('approver', 'POST', `${url}/approve`);
    return draft.id as string;
  }

  beforeAll(async () => {
    await warmValidators();
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, {
      clock,
      // Lakeside is a CNA: with its organisation id known, packages carry CVE records.
      env: { VIGIL_MAIL_FROM: 'Lakeside PSIRT <psirt@vigil.test>', VIGIL_CVE_ORG_ID: randomUUID() },
    });
    await lakesideForOutreach(v, false);
    lakeside = await v.services.programs.get(SLUG);
    if (!(await v.services.keys.publishedKey(lakeside.id)))
      await v.services.keys.generate(SLUG, { actor: 'test' });
    for (const [who, role, program, duties] of [
      ['lead', 'lead', SLUG, []],
      ['author', 'handler', SLUG, ['approver']],
      ['approver', 'viewer', SLUG, ['approver']],
      ['viewer', 'viewer', SLUG, []],
      ['outsider', 'lead', 'northwind-medical', []],
    ] as const) {
      const email = `${who}@outreach.test`;
      await v.services.accounts.createUser({ email, name: who, role, program, duties: [...duties] }, 'test');
      tokens[who] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
    isac = await gpgIdentity('Health-ISAC <share@h-isac.example>', 'share@h-isac.example');
    // The coordinator knows the program's published key, so it can check who signed the package.
    const programKey = await v.services.keys.publishedKey(lakeside.id);
    expect((await gpg(isac.home, ['--import'], programKey?.armored)).code).toBe(0);
    const generated = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Ines IT', email: 'it@elsewhere.example' }],
      format: 'object',
    });
    customerKey = generated.privateKey;

    const base = `/api/v1/programs/${SLUG}`;
    await ok('lead', 'POST', `${base}/customers`, {
      name: 'St Elsewhere Hospital',
      products: ['lakeside-health-server'],
      contacts: [
        { name: 'Ines IT', email: 'it@elsewhere.example', publicKey: generated.publicKey.armor() },
        { name: 'Cleo CISO', email: 'ciso@elsewhere.example' },
      ],
    });
    // The shared address sits at two organisations, one of them subscribed to both products.
    await ok(
      'lead',
      'POST',
      `${base}/customers/import`,
      [
        'organisation,name,email,products',
        'Mercy Clinics,Ola Ops,ops@mercy.example,lakeside-health-server;lakeside-platform',
        'Mercy Clinics,Sam Shared,shared@it-services.example,lakeside-health-server;lakeside-platform',
        'County Health,Sam Shared,shared@it-services.example,lakeside-health-server',
        'Platform Only Inc,Pat Platform,platform@only.example,lakeside-platform',
      ].join('\n'),
      'text/csv',
    );
    coordinatorId = (
      await ok('lead', 'POST', `${base}/coordinators`, {
        name: 'Health-ISAC',
        email: 'share@h-isac.example',
        publicKey: isac.publicKey,
      })
    ).id;

    ({ sender, worker } = await startOutboxWorker(v, peer, clock));
    await flush();
  }, 120_000);
  afterAll(async () => {
    sender?.close();
    await v?.destroy();
    await peer?.close();
    await removeGpgHome(isac?.home);
  }, WARM_TIMEOUT);

  // A generous timeout: the CVE schema compiles on first use, which is slow on a busy machine.
  it('shares an approved revision with a coordinator as an encrypted TLP:AMBER package, logged per recipient', async () => {
    const caseNumber = await confirmedCase({ cveCredit: 'yes', cveCreditText: `Canary Credit ${tag}` });
    id = await approvedAdvisory(caseNumber, (c) => ({
      ...c,
      vulnerabilities: (c.vulnerabilities as object[]).map((x) => ({ ...x, cve: 'CVE-2027-20001' })),
    }));
    const url = `/api/v1/advisories/${id}/revisions/1/share`;
    const res = await call('lead', 'POST', url, { coordinatorIds: [coordinatorId, 'no-such-coordinator'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.map((f: { path: string }) => f.path)).toEqual(['coordinatorIds.1']);
    expect((await call('viewer', 'POST', url, { coordinatorIds: [coordinatorId] })).statusCode).toBe(403);
    expect((await call('outsider', 'POST', url, { coordinatorIds: [coordinatorId] })).statusCode).toBe(404);
    expect(await flush()).toEqual([]);

    const shared = await ok('lead', 'POST', url, { coordinatorIds: [coordinatorId] });
    expect(shared.shared).toMatchObject([
      { coordinator: 'Health-ISAC', tlp: 'AMBER', revision: 1, status: 'pending' },
    ]);
    // An explicit label wins over the coordinator's default.
    clock.advance(60_000);
    const strict = await ok('lead', 'POST', url, { coordinatorIds: [coordinatorId], tlp: 'AMBER+STRICT' });
    expect(strict.shared).toMatchObject([{ tlp: 'AMBER+STRICT' }]);

    const mails = await flush();
    expect(mails).toHaveLength(2);
    expect(to(mails, 'share@h-isac.example')).toHaveLength(2);
    const files: string[][] = [];
    for (const mail of mails) {
      expect(mail.parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/encrypted' });
      expect(mail.raw.toString('utf8')).not.toContain('Canary Credit');
      const { bytes, parsed } = await openWithGpg(mail);
      const label = mails.indexOf(mail) === 0 ? 'AMBER' : 'AMBER+STRICT';
      expect(parsed.subject?.startsWith(`TLP:${label} `)).toBe(true);
      expect(parsed.subject).toContain(id);
      expect(parsed.text?.split('\n')[0]).toBe(`TLP:${label}`);
      expect(parsed.text).toContain(`Canary Credit ${tag}`);
      files.push(parsed.attachments.map((a) => a.filename ?? ''));
      const csaf = JSON.parse(
        parsed.attachments
          .find((a) => a.filename?.endsWith('.json') && !a.filename.startsWith('CVE'))
          ?.content.toString('utf8') ?? '{}',
      );
      // CSAF 2.0 knows TLP 1.0 labels only: AMBER+STRICT is RED there.
      expect(csaf.document.distribution.tlp.label).toBe(label === 'AMBER' ? 'AMBER' : 'RED');
      expect(csaf.document.tracking.id).toBe(id);
      const cve = parsed.attachments.find((a) => a.filename === 'CVE-2027-20001.json');
      expect(
        validateCveRecord(JSON.parse(cve?.content.toString('utf8') ?? '{}'), {
          schemaPath: officialCveSchema(),
        }).errors,
      ).toEqual([]);
      // The canary: nowhere in the decrypted mail, its text or any attachment.
      expect(leaks(bytes)).toEqual([]);
      for (const a of parsed.attachments) expect(leaks(a.content.toString('utf8'))).toEqual([]);
    }
    const md = `${id.toLowerCase()}.md`;
    const csafName = `${id.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
    expect(files).toEqual([
      [md, csafName, 'CVE-2027-20001.json'],
      [md, csafName, 'CVE-2027-20001.json'],
    ]);
    const record = await ok('lead', 'GET', `/api/v1/advisories/${id}/deliveries`);
    expect(record.sharing).toMatchObject([
      { coordinator: 'Health-ISAC', email: 'share@h-isac.example', tlp: 'AMBER', status: 'sent' },
      { coordinator: 'Health-ISAC', tlp: 'AMBER+STRICT', status: 'sent' },
    ]);
    expect(record.deliveries).toEqual([]);
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'advisory.shared')
      .execute();
    expect(audit).toHaveLength(2);
  }, 180_000);

  it('at publication sends one mail per customer address and one notice to the reporter', async () => {
    await ok('author', 'POST', `/api/v1/advisories/${id}/revisions/1/publish`);
    const mails = await flush();
    for (const address of CUSTOMERS) expect(to(mails, address), address).toHaveLength(1);
    expect(to(mails, 'platform@only.example')).toEqual([]);
    expect(to(mails, canary.email)).toHaveLength(1);
    expect(mails).toHaveLength(CUSTOMERS.length + 1);
    const link = `https://vigil.test/p/${SLUG}/advisories/${id}`;

    // Encrypted to the contact who gave a key; plain to the others.
    const [encrypted] = to(mails, 'it@elsewhere.example');
    expect(encrypted?.parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/encrypted' });
    const inner = await openWithCustomerKey(encrypted as ReceivedMail);
    expect(inner.text?.split('\n')[0]).toBe('TLP:CLEAR');
    expect(inner.text).toContain(link);
    expect(inner.text).toContain('St Elsewhere Hospital');
    const [plain] = to(mails, 'ciso@elsewhere.example');
    expect(plain?.parsed.text?.split('\n')[0]).toBe('TLP:CLEAR');
    expect(plain?.parsed.subject).toContain(id);
    for (const address of CUSTOMERS) {
      const [m] = to(mails, address);
      expect(leaks((m as ReceivedMail).raw.toString('utf8')), address).toEqual([]);
    }
    expect(leaks(inner.text ?? '')).toEqual([]);

    // The reporter's own notice: the link and the credit as the advisory shows it.
    const [notice] = to(mails, canary.email);
    expect(notice?.parsed.subject).toContain(id);
    expect(notice?.parsed.text).toContain(link);
    expect(notice?.parsed.text).toContain(`You are credited in it as: Canary Credit ${tag}`);

    const record = await ok('lead', 'GET', `/api/v1/advisories/${id}/deliveries`);
    expect(
      record.deliveries.map(
        (d: { kind: string; email: string; encrypted: boolean; status: string; stage: string }) => [
          d.kind,
          d.email,
          d.encrypted,
          d.status,
          d.stage,
        ],
      ),
    ).toEqual([
      ...CUSTOMERS.map((e) => ['customer', e, e === 'it@elsewhere.example', 'sent', 'publication']),
      ['reporter', canary.email, false, 'sent', 'publication'],
    ]);
    // Audited with counts; the addresses live only in the delivery record.
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'notifications.queued')
      .execute();
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([
      { advisory: id, revision: 1, stage: 'publication', customers: CUSTOMERS.length, reporters: 1 },
    ]);
    expect(JSON.stringify(audit)).not.toContain('@');
    expect((await call('viewer', 'GET', `/api/v1/advisories/${id}/deliveries`)).statusCode).toBe(403);
    expect((await call('outsider', 'GET', `/api/v1/advisories/${id}/deliveries`)).statusCode).toBe(404);
  });

  it('a correction reaches each customer address once more, and not the reporter', async () => {
    clock.advance(DAY);
    const url = `/api/v1/advisories/${id}/revisions`;
    await ok('author', 'POST', url, { summary: 'Clarified the fixed version.' });
    // A draft has not been approved by a second person: it is not shared.
    const draftShare = await call('lead', 'POST', `${url}/2/share`, { coordinatorIds: [coordinatorId] });
    expect(draftShare.statusCode).toBe(409);
    expect(draftShare.json().message).toMatch(/only an approved, scheduled or published revision/);
    await ok('author', 'POST', `${url}/2/submit`);
    await ok('approver', 'POST', `${url}/2/approve`);
    await ok('author', 'POST', `${url}/2/publish`);
    const mails = await flush();
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual(CUSTOMERS);
  });

  it('with pre-notification, customers hear when it is scheduled under embargo and not again at publication', async () => {
    await lakesideForOutreach(v, true);
    const embargo = new Date(clock.now().getTime() + 7 * DAY).toISOString();
    const caseNumber = await confirmedCase({ cveCredit: 'no' });
    const second = await approvedAdvisory(caseNumber, (c) => ({ ...c, publishNotBefore: embargo }));
    const published = await ok('author', 'POST', `/api/v1/advisories/${second}/revisions/1/publish`);
    expect(published.revisions[0].state).toBe('scheduled');
    let mails = await flush();
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual(CUSTOMERS);
    expect(to(mails, 'ciso@elsewhere.example')[0]?.parsed.text).toMatch(/advance notice under embargo/);

    // Sent back and scheduled again unchanged: nothing new to tell. Changed: told again.
    const url = `/api/v1/advisories/${second}/revisions/1`;
    const reschedule = async (content?: object) => {
      await ok('approver', 'POST', `${url}/return`);
      if (content) await ok('author', 'PUT', url, content);
      await ok('author', 'POST', `${url}/submit`);
      await ok('approver', 'POST', `${url}/approve`);
      expect((await ok('author', 'POST', `${url}/publish`)).revisions[0].state).toBe('scheduled');
    };
    await reschedule();
    expect(await flush()).toEqual([]);
    await reschedule({ ...published.revisions[0].content, title: 'Corrected title under embargo' });
    mails = await flush();
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual(CUSTOMERS);
    expect(mails[0]?.parsed.subject).toContain('Corrected title under embargo');

    // Nothing early; at the embargo's end the job publishes and only the reporter hears of it.
    clock.advance(6 * DAY);
    expect(await v.embargo.runOnce()).toEqual([]);
    expect(await flush()).toEqual([]);
    clock.advance(DAY + 60_000);
    expect(await v.embargo.runOnce()).toEqual([second]);
    mails = await flush();
    expect(mails.map((m) => m.rcptTo[0])).toEqual([canary.email]);
    expect(mails[0]?.parsed.text).toMatch(/names no one for your report/);
    const record = await ok('lead', 'GET', `/api/v1/advisories/${second}/deliveries`);
    expect(record.deliveries.map((d: { kind: string; stage: string }) => `${d.kind}:${d.stage}`)).toEqual([
      ...CUSTOMERS.flatMap(() => ['customer:pre-notification', 'customer:pre-notification']),
      'reporter:publication',
    ]);
  });
});
