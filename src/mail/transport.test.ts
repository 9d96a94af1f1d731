import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmtpPeer, startSmtpPeer } from '../../test/helpers/smtp-peer.js';
import type { OutgoingMail } from './outgoing-mail.js';
import { createSmtpSender, type MailSender, PermanentSendError } from './transport.js';

const FROM = 'Lakeside PSIRT <psirt@vigil.test>';
const LINK = 'https://vigil.test/r/TOKENxyz_0123456789';

function mail(extra: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: 'ada@example.org',
    subject: '[LH-2026-0001] Your vulnerability report was received',
    text: `Your private link: ${LINK}`,
    messageId: '<lh-2026-0001.receipt.aaaa@vigil.test>',
    headers: { 'X-Vigil-Case': 'LH-2026-0001' },
    ...extra,
  };
}

async function ecc(email: string, opts: { date?: Date; keyExpirationTime?: number } = {}) {
  return openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ email }],
    format: 'object',
    ...opts,
  });
}

function armoredPart(raw: Buffer): string {
  const m = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(raw.toString('latin1'));
  if (!m) throw new Error('no PGP message in the mail');
  return m[0];
}

describe('the SMTP sender with encryption', () => {
  let peer: SmtpPeer;
  let sender: MailSender;
  let reporter: Awaited<ReturnType<typeof ecc>>;
  let program: Awaited<ReturnType<typeof ecc>>;
  let expired: Awaited<ReturnType<typeof ecc>>;
  const asked: (string | null)[] = [];

  beforeAll(async () => {
    peer = await startSmtpPeer();
    reporter = await ecc('ada@example.org');
    program = await ecc('psirt@lakeside.example');
    expired = await ecc('old@example.org', {
      date: new Date(Date.now() - 10 * 86_400_000),
      keyExpirationTime: 86_400,
    });
    sender = createSmtpSender({
      smtpUrl: peer.url,
      from: FROM,
      async resolveSigningKey(programId) {
        asked.push(programId);
        if (programId === 'prog-1') return program.privateKey;
        if (programId === 'prog-expired') return expired.privateKey;
        return undefined;
      },
    });
  });
  afterAll(async () => {
    sender?.close();
    await peer?.close();
  });
  beforeEach(() => {
    peer.received.length = 0;
    asked.length = 0;
  });

  it('sends PGP/MIME, signed by the program named in signAs, to the envelope recipient only', async () => {
    await sender.send(mail({ encryptTo: reporter.publicKey.armor(), signAs: { programId: 'prog-1' } }));
    expect(asked).toEqual(['prog-1']);
    expect(peer.received).toHaveLength(1);
    const got = peer.received[0];
    expect(got?.rcptTo).toEqual(['ada@example.org']);
    expect(got?.mailFrom).toBe('psirt@vigil.test');
    expect(got?.parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/encrypted' });
    expect(got?.parsed.subject).toBe('[LH-2026-0001] Encrypted message');
    expect(got?.raw.includes(LINK)).toBe(false);
    const { data, signatures } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armoredPart(got?.raw as Buffer) }),
      decryptionKeys: reporter.privateKey,
      verificationKeys: program.publicKey,
      expectSigned: true,
      format: 'binary',
    });
    await expect(signatures[0]?.verified).resolves.toBe(true);
    const inner = await simpleParser(Buffer.from(data as Uint8Array));
    expect(inner.subject).toBe('[LH-2026-0001] Your vulnerability report was received');
    expect(inner.text).toContain(LINK);
  });

  it('encrypts but does not sign when the program has no usable signing key', async () => {
    for (const programId of ['prog-expired', 'prog-none']) {
      await sender.send(mail({ encryptTo: reporter.publicKey.armor(), signAs: { programId } }));
    }
    expect(peer.received).toHaveLength(2);
    for (const got of peer.received) {
      expect(got.raw.includes(LINK)).toBe(false);
      const { signatures } = await openpgp.decrypt({
        message: await openpgp.readMessage({ armoredMessage: armoredPart(got.raw) }),
        decryptionKeys: reporter.privateKey,
        format: 'binary',
      });
      expect(signatures).toHaveLength(0);
    }
  });

  it('falls back to the plain mail when the recipient key stopped working, as such mail carries no details', async () => {
    await sender.send(mail({ encryptTo: expired.publicKey.armor(), signAs: { programId: 'prog-1' } }));
    expect(peer.received).toHaveLength(1);
    const got = peer.received[0];
    expect(got?.parsed.subject).toBe('[LH-2026-0001] Your vulnerability report was received');
    expect(got?.parsed.text).toContain(LINK);
    expect(got?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('refuses for good to send a mail that must be encrypted without a usable key', async () => {
    for (const encryptTo of [expired.publicKey.armor(), 'not a key', undefined]) {
      const err = await sender
        .send(mail({ requireEncryption: true, ...(encryptTo !== undefined ? { encryptTo } : {}) }))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(PermanentSendError);
      expect(err).toMatchObject({ code: 'EENCRYPTKEY' });
      expect(String((err as Error).message)).not.toContain('example.org');
    }
    expect(peer.received).toHaveLength(0);
  });

  it('sends mail without a key exactly as before', async () => {
    await sender.send(mail());
    expect(asked).toEqual([]);
    const got = peer.received[0];
    expect(got?.parsed.subject).toBe('[LH-2026-0001] Your vulnerability report was received');
    expect(got?.parsed.text).toContain(LINK);
    expect(got?.parsed.headers.get('content-type')).toMatchObject({ value: 'text/plain' });
  });
});
