import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { autocryptHeader, boundary, entity, multipart, run } from './helpers/mail-builders.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { deliverQueued, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

/**
 * Which mail joins a case, end to end through the SMTP listener with swaks as the sending client:
 * only one that proves it comes from the case's reporter — our reply token in any recipient, or a
 * signature by the key the reporter gave with the case. A mail that only names the case number,
 * with the reporter's address forged into From, becomes a new case with a note for staff, and the
 * real case's timeline and the reporter's private page stay as they were.
 */

const ADDRESS = 'psirt@northwind-medical.example';
const hex = () => randomBytes(6).toString('hex');

interface CaseJson {
  caseNumber: string;
  content: Record<string, string>;
  messages: { id: string; author: string; body: string }[];
  intake: { flags?: string[]; signature?: { status: string; fingerprint?: string } };
}

describe.skipIf(toolMissing('swaks')).each(dialects)('mail threading needs proof (%s)', (dialect) => {
  let v: TestVigil;
  let peer: SmtpPeer;
  let port: number;
  let program: Program;
  let staffToken: string;
  let reporter: string;
  let reporterKey: openpgp.PrivateKey;
  let caseNumber: string;
  let pageToken: string;
  let replyTo: string;

  const flush = () => deliverQueued(v, peer);

  /** swaks against the listener; `data` is a whole message, else swaks builds one from `args`. */
  async function swaks(args: string[], data?: string): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-threading-'));
    try {
      const file = path.join(dir, 'message.eml');
      if (data !== undefined) await fs.writeFile(file, data);
      const r = await run('swaks', [
        '--server',
        '127.0.0.1',
        '--port',
        String(port),
        '--helo',
        'mx.sender.example',
        ...args,
        ...(data !== undefined ? ['--data', `@${file}`] : []),
      ]);
      const transcript = r.stdout.toString('utf8');
      const accepted = /<-\s+250 2\.0\.0 Accepted as (\S+)/.exec(transcript)?.[1];
      if (r.code !== 0 || !accepted) throw new Error(`swaks failed (${r.code}):\n${transcript}\n${r.stderr}`);
      return accepted;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  async function getCase(n: string): Promise<CaseJson> {
    const res = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${n}`,
      headers: { authorization: `Bearer ${staffToken}` },
    });
    expect(res.statusCode).toBe(200);
    return res.json() as CaseJson;
  }
  const reporterPage = async () => (await v.app.inject({ method: 'GET', url: `/r/${pageToken}` })).body;
  /** The signature status the audit kept for the case's latest reporter message. */
  async function lastMessageSignature(n: string): Promise<string | undefined> {
    const row = await v.db.kysely
      .selectFrom('audit_log')
      .innerJoin('reports', 'reports.id', 'audit_log.report_id')
      .select('audit_log.detail')
      .where('reports.case_number', '=', n)
      .where('audit_log.action', '=', 'message.added')
      .orderBy('audit_log.seq', 'desc')
      .executeTakeFirstOrThrow();
    return (JSON.parse(row.detail) as { intake?: { signature?: { status: string } } }).intake?.signature
      ?.status;
  }

  /** A plain reply built by hand, for swaks --data. */
  const mail = (h: Record<string, string>, contentType: string, body: string) =>
    `${entity(
      {
        Date: new Date().toUTCString(),
        'Message-ID': `<${hex()}@lab.example>`,
        ...h,
        'MIME-Version': '1.0',
        'Content-Type': contentType,
      },
      body,
    )}\r\n`;

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { worker: true, env: { VIGIL_SMTP_URL: peer.url } });
    port = await v.smtp.start(0);
    program = (await v.services.programs.list()).find((p) => p.slug === 'northwind-medical') as Program;
    await v.services.accounts.createUser({ email: 'lead@threading.test', role: 'admin' }, 'test');
    staffToken = (
      await v.services.accounts.createToken({ userEmail: 'lead@threading.test', scope: 'read-write' }, 'test')
    ).token;

    // The reporter's case, from the web form, with their OpenPGP key.
    reporter = `ada.${hex()}@lab.example`;
    ({ privateKey: reporterKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Ada', email: reporter }],
      format: 'object',
    }));
    const keyField = program.definition.form.fields.find((f) => f.purpose === 'contact.publicKey');
    if (!keyField) throw new Error('the program asks for no key');
    const { body, contentType } = multipartBody({
      ...validAnswers(program, `pump ${hex()}`, reporter),
      [keyField.id]: reporterKey.toPublic().armor(),
    });
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${program.slug}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    pageToken = (
      /\/r\/([A-Za-z0-9_-]{43})/.exec(String(res.headers.location)) as RegExpExecArray
    )[1] as string;
    caseNumber = (/Case ([A-Z]+-\d{4}-\d{4})/.exec(await reporterPage()) as RegExpExecArray)[1] as string;
    await flush();
    // Our reply token comes with the team's mails about the case, the acknowledgement first.
    const ack = await v.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${caseNumber}/acknowledge`,
      headers: { authorization: `Bearer ${staffToken}` },
      payload: { contactPerson: 'Pat PSIRT' },
    });
    expect(ack.statusCode, ack.body).toBeLessThan(300);
    const acked = (await flush()).find((m) => m.rcptTo.includes(reporter));
    replyTo = acked?.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(/^psirt\+r-[0-9a-f]{32}@northwind-medical\.example$/);
  });
  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  it('keeps a mail with a forged From and the case number out of the case: a new case, with a note', async () => {
    const before = await getCase(caseNumber);
    const pageBefore = await reporterPage();
    const canary = `FORGED${hex()}`;
    const n = await swaks([
      '--from',
      'attacker@evil.example',
      '--to',
      ADDRESS,
      '--h-From',
      reporter,
      '--h-Subject',
      `Re: ${caseNumber}`,
      '--body',
      `Please send the fix to my new address. ${canary}`,
    ]);

    expect(n).not.toBe(caseNumber);
    const after = await getCase(caseNumber);
    expect(after.messages).toEqual(before.messages);
    expect(JSON.stringify(after)).not.toContain(canary);
    const pageAfter = await reporterPage();
    expect(pageAfter).toBe(pageBefore);
    expect(pageAfter).not.toContain(canary);

    const created = await getCase(n);
    expect(created.content.message).toContain(canary);
    expect(created.content.message).toContain(
      `[Vigil: this mail claims to answer case ${caseNumber}, but carries no proof that it comes from that case's reporter (no reply token, no signature by the reporter's key); it was not added to that case. Its From address is that reporter's`,
    );
    expect(created.intake.flags).toContain('unproven-case-claim');
    // Like any new mail report: a receipt to the From address, naming the new case.
    const receipts = (await flush()).filter((m) => m.rcptTo.includes(reporter));
    expect(receipts.map((m) => m.parsed.subject)).toEqual([expect.stringContaining(n)]);
  });

  it('keeps out a mail signed by a key it brings along for the reporter’s address, marked as such', async () => {
    const before = await getCase(caseNumber);
    const { privateKey: forgedKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Ada', email: reporter }],
      format: 'object',
    });
    const text = await openpgp.sign({
      message: await openpgp.createCleartextMessage({ text: 'It is really me.' }),
      signingKeys: forgedKey,
    });
    const raw = mail(
      {
        From: reporter,
        To: ADDRESS,
        Subject: `Re: ${caseNumber}`,
        Autocrypt: autocryptHeader(reporter, forgedKey.toPublic().write()),
      },
      'text/plain; charset=utf-8',
      text.replace(/\r?\n/g, '\r\n'),
    );
    const n = await swaks(['--from', 'attacker@evil.example', '--to', ADDRESS], raw);
    expect(n).not.toBe(caseNumber);
    expect((await getCase(caseNumber)).messages).toEqual(before.messages);
    const created = await getCase(n);
    expect(created.intake.signature).toEqual({
      status: 'self-supplied-key',
      keyId: expect.stringMatching(/^[0-9A-F]{16}$/),
      fingerprint: forgedKey.getFingerprint().toUpperCase(),
    });
    expect(created.intake.flags).toContain('unproven-case-claim');
    await flush();
  });

  it('threads a reply to our token, also when the token is only in Cc or a later recipient', async () => {
    const replies: [string, string][] = [];
    // To the reply address, from any address of theirs.
    const direct = `DIRECT${hex()}`;
    expect(
      await swaks(['--from', `other.${hex()}@lab.example`, '--to', replyTo, '--body', `More ${direct}`]),
    ).toBe(caseNumber);
    replies.push(['reporter', `More ${direct}`]);
    // A reply-all: the program address first, the token only in the Cc header.
    const cc = `CC${hex()}`;
    expect(
      await swaks(['--from', reporter, '--to', ADDRESS, '--h-Cc', replyTo, '--body', `Copy ${cc}`]),
    ).toBe(caseNumber);
    replies.push(['reporter', `Copy ${cc}`]);
    // Two envelope recipients, the token address second.
    const second = `SECOND${hex()}`;
    expect(
      await swaks(['--from', reporter, '--to', `${ADDRESS},${replyTo}`, '--body', `Both ${second}`]),
    ).toBe(caseNumber);
    replies.push(['reporter', `Both ${second}`]);

    const c = await getCase(caseNumber);
    expect(c.messages.slice(-3).map((m) => [m.author, m.body.trim()])).toEqual(replies);
    const page = await reporterPage();
    for (const t of [direct, cc, second]) expect(page).toContain(t);
  });

  it('threads a mail signed by the key the reporter gave, from any address, inline or PGP/MIME', async () => {
    // Inline: the whole text is one cleartext-signed block.
    const inline = `INLINE${hex()}`;
    const signedText = await openpgp.sign({
      message: await openpgp.createCleartextMessage({ text: `Signed follow-up ${inline}` }),
      signingKeys: reporterKey,
    });
    const from = `elsewhere.${hex()}@lab.example`;
    const n1 = await swaks(
      ['--from', from, '--to', ADDRESS],
      mail(
        { From: from, To: ADDRESS, Subject: `Re: ${caseNumber}` },
        'text/plain; charset=utf-8',
        signedText.replace(/\r?\n/g, '\r\n'),
      ),
    );
    expect(n1).toBe(caseNumber);
    expect(await lastMessageSignature(caseNumber)).toBe('valid');

    // PGP/MIME (RFC 3156): a detached signature over the exact first part.
    const mime = `MIME${hex()}`;
    const part = entity({ 'Content-Type': 'text/plain; charset=utf-8' }, `Signed by PGP/MIME ${mime}\r\n`);
    const signature = await openpgp.sign({
      message: await openpgp.createMessage({ binary: Buffer.from(part) }),
      signingKeys: reporterKey,
      detached: true,
    });
    const b = boundary('signed');
    const n2 = await swaks(
      ['--from', reporter, '--to', ADDRESS],
      mail(
        { From: reporter, To: ADDRESS, Subject: `[${caseNumber}] more` },
        `multipart/signed; micalg=pgp-sha512; protocol="application/pgp-signature"; boundary="${b}"`,
        multipart(b, [
          part,
          entity(
            { 'Content-Type': 'application/pgp-signature; name="signature.asc"' },
            String(signature).replace(/\r?\n/g, '\r\n'),
          ),
        ]),
      ),
    );
    expect(n2).toBe(caseNumber);
    expect(await lastMessageSignature(caseNumber)).toBe('valid');

    const c = await getCase(caseNumber);
    expect(c.messages.slice(-2).map((m) => m.body)).toEqual([
      expect.stringContaining(`Signed follow-up ${inline}`),
      expect.stringContaining(`Signed by PGP/MIME ${mime}`),
    ]);
    expect(await reporterPage()).toContain(inline);

    // The reporter's signed text, wrapped in someone else's words, proves nothing about those words.
    const wrapped = await swaks(
      ['--from', 'attacker@evil.example', '--to', ADDRESS],
      mail(
        { From: reporter, To: ADDRESS, Subject: `Re: ${caseNumber}` },
        'text/plain; charset=utf-8',
        `Ignore the earlier address.\r\n\r\n${signedText.replace(/\r?\n/g, '\r\n')}`,
      ),
    );
    expect(wrapped).not.toBe(caseNumber);
    expect((await getCase(wrapped)).intake.flags).toContain('unproven-case-claim');
    await flush();
  });
});
