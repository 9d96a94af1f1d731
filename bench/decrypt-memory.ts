/**
 * Decryption memory benchmark: 8 concurrent large PGP/MIME mails over SMTP plus 8 concurrent
 * browser-style encrypted report forms over HTTP against one Vigil, with the server's RSS sampled
 * every 50 ms. Shows what the decryption memory budget (`src/openpgp/decrypt-budget.ts`) holds the
 * process to, and that every request is either accepted or refused with a clear, retryable answer.
 *
 *   npm run bench:decrypt-memory                 (20 MB each; several minutes on 2 cores)
 *   BENCH_MB=10 npm run bench:decrypt-memory     (smaller messages)
 *
 * The server runs in a child process (decrypt-memory-server.ts; the compiled build as `npm start`
 * runs it when `dist/` exists), so the prepared messages and the clients never count against its
 * RSS. Progress on stderr, one JSON document on stdout.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as openpgp from 'openpgp';
import { spawnServerChild } from './built-child.js';
import { childMessages } from './child-messages.js';
import { benchVigilEnv } from './vigil-env.js';

const MB = 1_000_000;
const MiB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_MB ?? 20);
const CONCURRENT_MAILS = Number(process.env.BENCH_MAILS ?? 8);
const CONCURRENT_FORMS = Number(process.env.BENCH_FORMS ?? 8);
const PROGRAM = 'northwind-medical';
const SENDER = 'finder@researcher.example';

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const toMiB = (n: number) => Math.round((n / MiB) * 10) / 10;

/** Defaults everywhere (budget 96 MiB, SMTP 50 MiB, file 100 MiB) except the rate limits. */
const vigilEnv = (dataDir: string): Record<string, string> => ({
  ...benchVigilEnv(dataDir),
  ...(process.env.VIGIL_DECRYPT_BUDGET_BYTES
    ? { VIGIL_DECRYPT_BUDGET_BYTES: process.env.VIGIL_DECRYPT_BUDGET_BYTES }
    : {}),
});

// ---------------------------------------------------------------------------------------------
// Client: prepare the messages, start the server, send everything at once.

interface Outcome {
  channel: 'smtp' | 'http';
  accepted: boolean;
  reply: string;
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

async function client(): Promise<void> {
  const { loadConfig } = await import('../src/config/index.js');
  const { createVigil } = await import('../src/server.js');
  const { attachmentPart, encryptTo, entity, multipart, pgpMimeEncrypted, textPart } = await import(
    '../test/helpers/mail-builders.js'
  );
  const { multipartBody, validAnswers } = await import('../test/helpers/reports.js');
  const { createTransport } = await import('nodemailer');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-decrypt-'));
  const env = vigilEnv(dataDir);
  try {
    // Seed the programs and keys once in this process; the server child opens the same directory.
    const seed = await createVigil(loadConfig(env), { logger: false, worker: false });
    const program = (await seed.services.programs.list()).find((p) => p.slug === PROGRAM);
    if (!program) throw new Error(`the example program ${PROGRAM} is missing`);
    const published = await seed.services.keys.publishedKey(program.id);
    if (!published) throw new Error('the program has no key');
    const address = program.definition.intake.emailAddresses[0] as string;
    await seed.close();
    const key = await openpgp.readKey({ armoredKey: published.armored });

    const target = SIZE_MB * MB;
    log(
      `preparing ${CONCURRENT_MAILS} PGP/MIME mails and ${CONCURRENT_FORMS} encrypted forms of ~${SIZE_MB} MB`,
    );
    const mails: Buffer[] = [];
    for (let i = 0; i < CONCURRENT_MAILS; i++) {
      // Inner MIME (base64 attachment ×1.37) armored again (×1.37): the attachment is sized so the
      // whole mail is about `target` bytes.
      const inner = entity(
        { 'Content-Type': `multipart/mixed; boundary="${(i + 1).toString(36)}x"` },
        multipart(`${(i + 1).toString(36)}x`, [
          textPart(`Large report ${i + 1}`),
          attachmentPart('capture.bin', 'application/octet-stream', randomBytes(Math.floor(target / 1.9))),
        ]),
      );
      const armored = (await encryptTo(key, Buffer.from(inner), true)).toString('utf8');
      mails.push(
        Buffer.from(pgpMimeEncrypted({ from: SENDER, to: address, subject: `Report ${i + 1}` }, armored)),
      );
    }
    const forms: { body: Buffer; contentType: string }[] = [];
    for (let i = 0; i < CONCURRENT_FORMS; i++) {
      forms.push(
        multipartBody(
          {
            vigil_encrypted: '1',
            vigil_key: published.fingerprint,
            encrypted_files: (
              await encryptTo(key, json([{ name: 'capture.bin', type: 'application/octet-stream' }]), true)
            ).toString('utf8'),
          },
          [
            {
              field: 'encrypted_fields',
              name: 'fields.asc',
              data: await encryptTo(key, json(validAnswers(program, `Form ${i + 1}`)), true),
            },
            {
              field: 'encrypted_file',
              name: 'file-1.pgp',
              data: await encryptTo(key, randomBytes(target), false),
            },
          ],
        ),
      );
    }
    const mailBytes = mails.reduce((n, m) => n + m.length, 0) / mails.length;
    const formBytes = forms.reduce((n, f) => n + f.body.length, 0) / forms.length;

    const { child, built } = await spawnServerChild('decrypt-memory-server.ts', {
      VIGIL_BENCH_ENV: JSON.stringify(env),
    });
    const { next } = childMessages(child, 'decrypt-memory-server');
    const ready = await next('ready');
    child.stdin?.write('begin\n');
    await next('begun');

    const sendMail = async (raw: Buffer): Promise<Outcome> => {
      const transport = createTransport({
        host: '127.0.0.1',
        port: ready.smtpPort as number,
        secure: false,
        ignoreTLS: true,
        logger: false,
        socketTimeout: 600_000,
      });
      try {
        // SIZE announced at MAIL FROM, as mail servers do (nodemailer sends it only when given).
        const envelope = { from: SENDER, to: address, size: raw.length };
        const info = await transport.sendMail({ envelope, raw });
        return { channel: 'smtp', accepted: true, reply: String(info.response) };
      } catch (err) {
        return {
          channel: 'smtp',
          accepted: false,
          reply: String((err as { response?: string }).response ?? err),
        };
      } finally {
        transport.close();
      }
    };
    const postForm = (form: { body: Buffer; contentType: string }) =>
      new Promise<Outcome>((resolve) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: ready.httpPort as number,
            path: `/p/${PROGRAM}/report?encrypted=1`,
            method: 'POST',
            headers: {
              'content-type': form.contentType,
              'content-length': String(form.body.length),
              accept: 'application/json',
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              const text = Buffer.concat(chunks).toString('utf8');
              const message = /<p[^>]*>([^<]{10,300})<\/p>/.exec(text)?.[1] ?? text.slice(0, 300);
              resolve({
                channel: 'http',
                accepted: status === 303,
                reply: status === 303 ? '303 See Other' : `${status} ${message.trim()}`,
              });
            });
          },
        );
        req.on('error', (err) =>
          resolve({ channel: 'http', accepted: false, reply: `error ${err.message}` }),
        );
        req.end(form.body);
      });

    log('sending everything at once');
    const t0 = performance.now();
    const outcomes = await Promise.all([...mails.map(sendMail), ...forms.map(postForm)]);
    const durationMs = performance.now() - t0;
    child.stdin?.write('end\n');
    const result = await next('result');

    const summary = (channel: Outcome['channel']) => {
      const mine = outcomes.filter((o) => o.channel === channel);
      const refusals = new Map<string, number>();
      for (const o of mine.filter((x) => !x.accepted))
        refusals.set(o.reply, (refusals.get(o.reply) ?? 0) + 1);
      return {
        sent: mine.length,
        accepted: mine.filter((o) => o.accepted).length,
        refused: [...refusals].map(([reply, count]) => ({ count, reply })),
      };
    };
    process.stdout.write(
      `${JSON.stringify(
        {
          sizeMB: SIZE_MB,
          server: built ? 'compiled build (dist/), as npm start runs it' : 'sources through tsx (no build)',
          mailBytes: Math.round(mailBytes),
          formBytes: Math.round(formBytes),
          decryptBudgetBytes: Number(env.VIGIL_DECRYPT_BUDGET_BYTES ?? 96 * MiB),
          baselineRssMiB: toMiB(result.baselineBytes as number),
          peakRssMiB: toMiB(result.peakBytes as number),
          kernelPeakRssMiB: result.kernelPeakBytes === null ? null : toMiB(result.kernelPeakBytes as number),
          samples: result.samples,
          durationSeconds: Math.round(durationMs / 100) / 10,
          smtp: summary('smtp'),
          http: summary('http'),
          reportsStored: result.reports,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

client().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
