import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpListener } from '../src/mail-intake/index.js';
import type { Program } from '../src/programs/index.js';
import {
  attachmentPart,
  boundary,
  createGpgHome,
  entity,
  type GpgHome,
  multipart,
  pgpMimeEncrypted,
  sendRaw,
  textPart,
} from './helpers/mail-builders.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

/**
 * Large PGP/MIME mails over SMTP are spooled to disk as they arrive and opened from there in one
 * pass (src/mail-intake/mail-spool.ts, stream-extract.ts): what is stored must be exactly what was
 * sent, a payload whose MDC fails must leave nothing of its plaintext, and no spool file may
 * outlive its mail — nor a process that died holding one.
 */

const MiB = 1024 * 1024;
const ADDRESS = 'psirt@northwind-medical.example';
const hex = () => randomBytes(6).toString('hex');

describe.skipIf(toolMissing('gpg')).each(dialects)(
  'large PGP/MIME mail streamed from SMTP (%s)',
  (dialect) => {
    let v: TestVigil;
    let port: number;
    let gpg: GpgHome;
    let fingerprint: string;
    let token: string;
    const spoolDir = () => join(v.config.dataDir, 'mail-spool');

    beforeAll(async () => {
      v = await startTestVigil(dialect, { env: { VIGIL_SMTP_PER_SENDER_PER_HOUR: '0' } });
      port = await v.smtp.start(0);
      const program = (await v.services.programs.list()).find(
        (p) => p.slug === 'northwind-medical',
      ) as Program;
      const published = await v.services.keys.publishedKey(program.id);
      if (!published) throw new Error('the seeded program has no key');
      fingerprint = published.fingerprint;
      gpg = await createGpgHome();
      await gpg.importKey(published.armored);
      await v.services.accounts.createUser({ email: 'lead@vendor.example', role: 'admin' }, 'test');
      token = (
        await v.services.accounts.createToken({ userEmail: 'lead@vendor.example', scope: 'read' }, 'test')
      ).token;
    });
    afterAll(async () => {
      await v?.destroy();
      await gpg?.close();
    });

    async function getCase(caseNumber: string) {
      const res = await v.app.inject({
        method: 'GET',
        url: `/api/v1/reports/${caseNumber}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
      return res.json() as {
        content: Record<string, string>;
        attachments: { id: string; name: string; size: number }[];
      };
    }

    async function file(caseNumber: string, attachments: { id: string; name: string }[], name: string) {
      const a = attachments.find((x) => x.name === name);
      expect(a, `${name} among ${attachments.map((x) => x.name).join(', ')}`).toBeDefined();
      const res = await v.app.inject({
        method: 'GET',
        url: `/api/v1/reports/${caseNumber}/attachments/${a?.id}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
      return res.rawPayload;
    }

    async function meta(caseNumber: string): Promise<Record<string, unknown>> {
      const row = await v.db.kysely
        .selectFrom('reports')
        .select('intake_meta')
        .where('case_number', '=', caseNumber)
        .executeTakeFirstOrThrow();
      return JSON.parse(row.intake_meta) as Record<string, unknown>;
    }

    async function largeMail(canary: string, data: Buffer): Promise<string> {
      const b = boundary('inner');
      const inner = entity(
        {
          'Content-Type': `multipart/mixed; boundary="${b}"; protected-headers="v1"`,
          Subject: `Large ${canary}`,
        },
        multipart(b, [
          textPart(`The dump shows it ${canary}.`),
          attachmentPart('dump.bin', 'application/octet-stream', data),
        ]),
      );
      return (await gpg.gpg(['--armor', '--encrypt', '--recipient', fingerprint], inner)).toString();
    }

    it('stores the original byte for byte and the attachment decoded, and leaves no spool file', async () => {
      const canary = `CANARY${hex()}`;
      const data = randomBytes(6 * MiB);
      const raw = pgpMimeEncrypted(
        { from: 'finder@researcher.example', to: ADDRESS, subject: '...' },
        await largeMail(canary, data),
      );
      expect(Buffer.byteLength(raw)).toBeGreaterThan(8 * MiB);
      const sent = await sendRaw(port, { from: 'finder@researcher.example', to: ADDRESS }, raw);
      expect(sent.response).toMatch(/^250 /);
      const c = await getCase(sent.caseNumber);
      expect(c.content.subject).toBe(`Large ${canary}`);
      expect(c.content.message).toContain(`The dump shows it ${canary}.`);
      expect((await file(sent.caseNumber, c.attachments, 'dump.bin')).equals(data)).toBe(true);
      const original = await file(sent.caseNumber, c.attachments, 'original-message.eml');
      expect(original.toString('utf8')).toBe(raw.endsWith('\r\n') ? raw : `${raw}\r\n`);
      expect(await meta(sent.caseNumber)).toMatchObject({ decryption: 'ok' });
      expect(await readdir(spoolDir())).toEqual([]);

      // The same mail again is answered with its case, nothing stored twice.
      const again = await sendRaw(port, { from: 'finder@researcher.example', to: ADDRESS }, raw);
      expect(again.caseNumber).toBe(sent.caseNumber);
      expect(await readdir(spoolDir())).toEqual([]);
    });

    it('a changed byte at the end of a large payload fails its MDC: the case holds the original only, none of the plaintext, and no spool file is left', async () => {
      const canary = `TAMPERED${hex()}`;
      const lines = (await largeMail(canary, randomBytes(4 * MiB))).split('\n');
      const at = lines.length - 5;
      const line = lines[at] as string;
      lines[at] = `${line.slice(0, 20)}${line[20] === 'A' ? 'B' : 'A'}${line.slice(21)}`;
      const raw = pgpMimeEncrypted(
        { from: 'finder@researcher.example', to: ADDRESS, subject: '...' },
        lines.join('\n'),
      );
      const sent = await sendRaw(port, { from: 'finder@researcher.example', to: ADDRESS }, raw);
      expect(sent.response).toMatch(/^250 /);
      const c = await getCase(sent.caseNumber);
      expect(c.attachments.map((a) => a.name)).toEqual(['original-message.eml']);
      expect(JSON.stringify(c.content)).not.toContain(canary);
      expect(c.content.message).toMatch(/could not be decrypted \(corrupt\)/);
      expect(await meta(sent.caseNumber)).toMatchObject({ decryption: 'failed', failure: 'corrupt' });
      expect(await readdir(spoolDir())).toEqual([]);
    });

    it('a client that goes away in the middle of DATA leaves no spool file and no case', async () => {
      const before = await v.db.kysely
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const socket = net.connect(port, '127.0.0.1');
      const replies: string[] = [];
      socket.on('data', (d) => replies.push(d.toString()));
      const waitFor = async (code: string) => {
        for (let i = 0; i < 200 && !replies.join('').includes(code); i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(replies.join('')).toContain(code);
        replies.length = 0;
      };
      await waitFor('220');
      socket.write('EHLO client.example\r\n');
      await waitFor('250 ');
      socket.write('MAIL FROM:<finder@researcher.example>\r\n');
      await waitFor('250');
      socket.write(`RCPT TO:<${ADDRESS}>\r\n`);
      await waitFor('250');
      socket.write('DATA\r\n');
      await waitFor('354');
      socket.write(`Subject: cut short\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(1));
      for (let i = 0; i < 40; i++) socket.write(`${randomBytes(38_000).toString('base64')}\r\n`);
      // Some of it reached the spool before the client went away.
      for (let i = 0; i < 200 && (await readdir(spoolDir())).length === 0; i++)
        await new Promise((r) => setTimeout(r, 5));
      socket.destroy();
      for (let i = 0; i < 200 && (await readdir(spoolDir())).length > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(await readdir(spoolDir())).toEqual([]);
      const after = await v.db.kysely
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('a listener starting sweeps the spool files of a process that died, and keeps a living one’s', async () => {
      const dead = Number(
        spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout,
      );
      const stale = `${dead}-${randomBytes(16).toString('hex')}.spool`;
      const living = `${process.ppid}-${randomBytes(16).toString('hex')}.spool`;
      await writeFile(join(spoolDir(), stale), randomBytes(1000));
      await writeFile(join(spoolDir(), living), randomBytes(1000));
      const infos: string[] = [];
      const restarted = createSmtpListener({
        processor: v.inbound,
        programs: v.services.programs,
        db: v.db.kysely,
        config: v.config,
        logger: { info: (_o, msg) => infos.push(String(msg)), warn() {}, error() {} },
      });
      await restarted.start(0);
      try {
        expect(await readdir(spoolDir())).toEqual([living]);
        expect(infos).toContain('smtp: removed mails spooled by a stopped process');
      } finally {
        await restarted.stop();
      }
    });
  },
);
