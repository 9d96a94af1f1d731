import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpSender, type MailSender } from '../src/mail/transport.js';
import { armoredMessageOf } from './helpers/outreach.js';
import { type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';

/**
 * Text attachments on outgoing mail, through a real SMTP peer: attached as given on a plain
 * mail, and on an encrypted one only inside the encryption, where the recipient finds them.
 */
describe('mail attachments', () => {
  let peer: SmtpPeer;
  let sender: MailSender;
  let key: openpgp.PrivateKey;
  const attachments = [
    {
      filename: 'advisory.md',
      contentType: 'text/markdown; charset=utf-8',
      content: 'TLP:AMBER\n\n# Größe matters\n',
    },
    {
      filename: 'doc.json',
      contentType: 'application/json',
      content: '{"secretMarker":"ATTACHMENT-7f3a"}\n',
    },
  ];

  beforeAll(async () => {
    peer = await startSmtpPeer();
    sender = createSmtpSender({ smtpUrl: peer.url, from: 'PSIRT <psirt@vigil.test>' });
    key = (
      await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ email: 'isac@example.org' }],
        format: 'object',
      })
    ).privateKey;
  });
  afterAll(async () => {
    sender?.close();
    await peer?.close();
  });

  it('attaches files to a plain mail', async () => {
    await sender.send({
      to: 'a@example.org',
      subject: 'Plain',
      text: 'Body',
      messageId: '<p1@vigil.test>',
      attachments,
    });
    const [mail] = peer.received.slice(-1);
    expect(mail?.parsed.text?.trim()).toBe('Body');
    expect(
      mail?.parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString('utf8')]),
    ).toEqual([
      ['advisory.md', 'text/markdown', attachments[0]?.content],
      ['doc.json', 'application/json', attachments[1]?.content],
    ]);
  });

  it('keeps the files of an encrypted mail inside the encryption', async () => {
    await sender.send({
      to: 'isac@example.org',
      subject: 'TLP:AMBER sealed',
      text: 'TLP:AMBER\n\nBody',
      messageId: '<p2@vigil.test>',
      encryptTo: key.toPublic().armor(),
      requireEncryption: true,
      attachments,
    });
    const [mail] = peer.received.slice(-1);
    const raw = mail?.raw.toString('utf8') ?? '';
    expect(raw).not.toContain('ATTACHMENT-7f3a');
    expect(raw).not.toContain('doc.json');
    expect(raw).not.toContain('TLP:AMBER');
    const { data } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armoredMessageOf(mail?.raw ?? Buffer.alloc(0)) }),
      decryptionKeys: key,
      format: 'binary',
    });
    const inner = await simpleParser(Buffer.from(data as Uint8Array));
    expect(inner.subject).toBe('TLP:AMBER sealed');
    expect(inner.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual(
      attachments.map((a) => [a.filename, a.content]),
    );
  });
});
