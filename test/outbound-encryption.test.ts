import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import { createSealer, loadKeyring } from '../src/crypto/index.js';
import { enqueueMail, type OutboxWorker } from '../src/jobs/index.js';
import type { MailSender } from '../src/mail/transport.js';
import type { Program } from '../src/programs/index.js';
import { fieldFor } from '../src/reports/index.js';
import { startOutboxWorker } from './helpers/outbox.js';
import { validAnswers } from './helpers/reports.js';
import { type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

/** Runs gpg in `home`; resolves with its exit code, stdout (the status lines) and stderr. */
function gpg(
  home: string,
  args: string[],
  input?: string,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    // gpg may exit without reading its input (an export, a bad packet): its exit code and stderr
    // tell why, an EPIPE on our side would only hide that.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/**
 * A program whose form asks for the reporter's OpenPGP key: a seeded example once it has such a
 * field, otherwise a copy of the Lakeside program with the field added, given a key of its own.
 */
async function programWithKeyField(v: TestVigil): Promise<Program> {
  const seeded = (await v.services.programs.list()).find(
    (p) => p.definition.intake.web && fieldFor(p.definition, 'contact.publicKey'),
  );
  if (seeded) return seeded;
  const def = YAML.parse(await v.services.programs.exportYaml('lakeside-health'));
  def.slug = 'lakeside-openpgp';
  def.casePrefix = 'LHPGP';
  def.intake.emailAddresses = ['psirt-openpgp@lakeside-health.example'];
  def.form.fields.push({
    id: 'openpgpKey',
    kind: 'textarea',
    label: 'Your OpenPGP public key',
    contact: true,
    purpose: 'contact.publicKey',
  });
  await v.services.programs.importYaml(YAML.stringify(def), 'test');
  await v.services.keys.generate('lakeside-openpgp', { actor: 'test' });
  return v.services.programs.get('lakeside-openpgp');
}

describe.skipIf(toolMissing('gpg')).each(dialects)(
  'receipts to reporters who gave an OpenPGP key are PGP/MIME (%s)',
  (dialect) => {
    let peer: SmtpPeer;
    let v: TestVigil;
    let p: Program;
    let keyField: string;
    let home: string;
    let reporterKey: string;
    let programFingerprint: string;
    let sender: MailSender;
    let worker: OutboxWorker;
    const clock = createManualClock(new Date('2026-11-23T15:00:00Z'));
    const DETAIL = `DETAIL${Math.random().toString(16).slice(2)}`;

    beforeAll(async () => {
      peer = await startSmtpPeer();
      v = await startTestVigil(dialect, {
        clock,
        env: { VIGIL_MAIL_FROM: 'Lakeside PSIRT <psirt@vigil.test>' },
      });
      p = await programWithKeyField(v);
      keyField = (fieldFor(p.definition, 'contact.publicKey') as { id: string }).id;
      const published = await v.services.keys.publishedKey(p.id);
      if (!published) throw new Error(`program ${p.slug} has no key`);
      programFingerprint = published.fingerprint.toUpperCase();

      // The reporter's side is GnuPG, not openpgp.js: the mail must work with the common client.
      home = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-gpg-'));
      const gen = await gpg(home, [
        '--passphrase',
        '',
        '--pinentry-mode',
        'loopback',
        '--quick-gen-key',
        'Ada Reporter <ada@example.org>',
        'future-default',
        'default',
        'never',
      ]);
      expect(gen.code, gen.err).toBe(0);
      reporterKey = (await gpg(home, ['--armor', '--export', 'ada@example.org'])).out;
      expect(reporterKey).toContain('BEGIN PGP PUBLIC KEY BLOCK');
      const imported = await gpg(home, ['--import'], published.armored);
      expect(imported.code, imported.err).toBe(0);

      // Wired here as src/server.ts wires it, so the mail is signed by the program key whether or
      // not the composition root passes the key service to the sender yet.
      ({ sender, worker } = await startOutboxWorker(v, peer, clock));
    });
    afterAll(async () => {
      sender?.close();
      await v?.destroy();
      await peer?.close();
      if (home) {
        await new Promise<void>((resolve) => {
          const kill = spawn('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
          kill.on('close', () => resolve());
          kill.on('error', () => resolve());
        });
        await fs.rm(home, { recursive: true, force: true });
      }
    });

    async function submit(withKey: boolean, email: string) {
      const answers = validAnswers(p, DETAIL, email);
      if (withKey) answers[keyField] = reporterKey;
      else delete answers[keyField];
      const res = await v.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${p.slug}/reports`,
        payload: { fields: answers },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { caseNumber: string; reporterUrl: string };
    }

    it('encrypts the receipt to the reporter; GnuPG decrypts it and verifies the program signature', async () => {
      peer.received.length = 0;
      const { caseNumber, reporterUrl } = await submit(true, 'ada@example.org');
      expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0 });
      expect(peer.received).toHaveLength(1);
      const mail = peer.received[0];
      if (!mail) throw new Error('no mail');
      expect(mail.rcptTo).toEqual(['ada@example.org']);

      // In clear: addressing and the case number, nothing else.
      const raw = mail.raw.toString('latin1');
      expect(raw).not.toContain(reporterUrl);
      expect(raw).not.toContain(reporterUrl.split('/r/')[1]);
      expect(raw).not.toContain('was received');
      expect(mail.parsed.subject).toBe(`[${caseNumber}] Encrypted message`);
      const type = mail.parsed.headers.get('content-type') as {
        value: string;
        params: Record<string, string>;
      };
      expect(type.value).toBe('multipart/encrypted');
      expect(type.params.protocol).toBe('application/pgp-encrypted');
      expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');

      const armored = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(raw)?.[0];
      expect(armored).toBeDefined();
      const outFile = path.join(home, 'inner.eml');
      const dec = await gpg(home, ['--status-fd', '1', '--output', outFile, '--decrypt'], armored);
      expect(dec.code, dec.err).toBe(0);
      expect(dec.out).toMatch(/^\[GNUPG:\] DECRYPTION_OKAY/m);
      expect(dec.out).toMatch(/^\[GNUPG:\] GOODSIG /m);
      // VALIDSIG <signing key fpr> … <primary key fpr>: the signer is the program's published key.
      const validsig = /^\[GNUPG:\] VALIDSIG (.*)$/m.exec(dec.out)?.[1] ?? '';
      expect(validsig.split(' ')).toContain(programFingerprint);

      const inner = await simpleParser(await fs.readFile(outFile));
      expect(inner.subject).toBe(`[${caseNumber}] Your vulnerability report was received`);
      expect(inner.text).toContain(reporterUrl);
      expect(inner.text).toContain(caseNumber);
      // The receipt never carries the report itself, encrypted or not.
      expect(inner.text).not.toContain(DETAIL);
      expect(raw).not.toContain(DETAIL);
    });

    it('sends the plain receipt, as before, to a reporter without a key', async () => {
      peer.received.length = 0;
      const { caseNumber, reporterUrl } = await submit(false, 'bob@example.org');
      expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0 });
      const mail = peer.received[0];
      expect(mail?.rcptTo).toEqual(['bob@example.org']);
      expect(mail?.parsed.subject).toBe(`[${caseNumber}] Your vulnerability report was received`);
      expect(mail?.parsed.text).toContain(reporterUrl);
      expect(mail?.raw.includes('BEGIN PGP MESSAGE')).toBe(false);
    });

    it('gives up at once, without sending, on a mail that must be encrypted but has no usable key', async () => {
      peer.received.length = 0;
      const expired = await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ email: 'old@example.org' }],
        date: new Date(Date.now() - 10 * 86_400_000),
        keyExpirationTime: 86_400,
        format: 'object',
      });
      const sealer = createSealer(
        await loadKeyring({ masterKey: v.config.masterKey, dataDir: v.config.dataDir }),
      );
      const id = await v.db.kysely.transaction().execute((trx) =>
        enqueueMail(
          trx,
          sealer,
          {
            to: 'old@example.org',
            subject: 'details',
            text: 'report details',
            messageId: '<details.1@vigil.test>',
            encryptTo: expired.publicKey.armor(),
            signAs: { programId: p.id },
            requireEncryption: true,
          },
          { now: clock.now() },
        ),
      );
      expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1 });
      expect(peer.received).toHaveLength(0);
      const row = await v.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.state).toBe('failed');
      expect(row.last_error).toBe('EENCRYPTKEY');
      expect(row.attempts).toBe(1);
    });
  },
);
