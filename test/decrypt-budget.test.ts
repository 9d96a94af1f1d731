import { randomBytes } from 'node:crypto';
import http from 'node:http';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDecryptBudget,
  type DecryptBudget,
  DecryptBudgetBusyError,
  useDecryptBudget,
} from '../src/openpgp/index.js';
import type { Program } from '../src/programs/index.js';
import { encryptTo, pgpMimeEncrypted, sendRaw } from './helpers/mail-builders.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { storageSnapshot } from './helpers/snapshot.js';
import { dialects, listenOnLoopback, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The decryption memory budget seen from outside: with a tiny budget, a large encrypted form or
 * mail that arrives while another holds the budget is refused for a retry (503 / SMTP 451) and
 * leaves nothing behind, and the one holding it is accepted.
 */

const KiB = 1024;
const ADDRESS = 'psirt@northwind-medical.example';

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** A wait until `check` holds, by yielding to the event loop (no clock involved). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 100_000) throw new Error('the condition never held');
    await new Promise((r) => setImmediate(r));
  }
}

describe.each(dialects)('decryption memory budget (%s)', (dialect) => {
  let v: TestVigil;
  let program: Program;
  let key: openpgp.PublicKey;
  let fingerprint: string;
  let budget: DecryptBudget;
  let baseUrl: string;

  beforeAll(async () => {
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_PER_SENDER_PER_HOUR: '0' } });
    // A tiny budget with a short wait: one large decryption fills it, the next is refused.
    budget = createDecryptBudget({ totalBytes: 256 * KiB, smallBytes: 64 * KiB, maxWaitMs: 200 });
    useDecryptBudget(v.config.limits, budget);
    program = (await v.services.programs.list()).find((p) => p.slug === 'northwind-medical') as Program;
    const published = await v.services.keys.publishedKey(program.id);
    if (!published) throw new Error('the seeded program has no key');
    fingerprint = published.fingerprint;
    key = await openpgp.readKey({ armoredKey: published.armored });
    baseUrl = await listenOnLoopback(v);
  });
  afterAll(async () => {
    await v?.destroy();
  });

  /** A browser-style encrypted submission large enough (a 200 KiB file) to reserve the budget. */
  async function largeSubmission(text: string) {
    return multipartBody(
      {
        vigil_encrypted: '1',
        vigil_key: fingerprint,
        encrypted_files: (
          await encryptTo(key, json([{ name: 'trace.bin', type: 'application/octet-stream' }]), true)
        ).toString('utf8'),
      },
      [
        {
          field: 'encrypted_fields',
          name: 'fields.asc',
          data: await encryptTo(key, json(validAnswers(program, text)), true),
        },
        {
          field: 'encrypted_file',
          name: 'file-1.pgp',
          data: await encryptTo(key, randomBytes(200 * KiB), false),
        },
      ],
    );
  }

  it('two concurrent large encrypted forms: the one holding the budget is stored, the other gets a 503 and leaves nothing', async () => {
    const first = await largeSubmission('first submission');
    const second = await largeSubmission('second submission');
    const before = await storageSnapshot(v);

    // The first is sent over a real connection and held open inside its encrypted answers, so it
    // keeps its reservation while the second arrives.
    const cut = first.body.indexOf('name="encrypted_fields"') + 200;
    const req = http.request(`${baseUrl}/p/${program.slug}/report?encrypted=1`, {
      method: 'POST',
      headers: { 'content-type': first.contentType, 'content-length': String(first.body.length) },
    });
    const firstResponse = new Promise<{ status: number; location?: string }>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      });
      req.on('error', reject);
    });
    req.write(first.body.subarray(0, cut));
    await until(() => budget.state.reservedBytes > 0);

    const refused = await v.app.inject({
      method: 'POST',
      url: `/p/${program.slug}/report?encrypted=1`,
      headers: { 'content-type': second.contentType, accept: 'application/json' },
      payload: second.body,
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.body).toMatch(/decrypting other large encrypted reports/);
    expect(refused.body).toMatch(/nothing was stored/i);
    expect(await storageSnapshot(v)).toEqual(before);

    req.end(first.body.subarray(cut));
    const accepted = await firstResponse;
    expect(accepted.status).toBe(303);
    expect(accepted.location).toMatch(/^\/r\/.+\?received=1$/);
    const after = (await storageSnapshot(v)) as { reports: number; attachments: number };
    expect(after.reports).toBe((before as { reports: number }).reports + 1);
    expect(after.attachments).toBe((before as { attachments: number }).attachments + 1);
    expect(budget.state).toMatchObject({ reservedBytes: 0, waiting: 0 });
  });

  it('an encrypted form whose files find no room in the budget gets a 503 and leaves nothing, the answers decrypted or not', async () => {
    const form = await largeSubmission('files refused');
    const before = await storageSnapshot(v);
    // The answers get their reservation; the streamed files are refused theirs.
    const streamedRefused: DecryptBudget = {
      ...budget,
      smallBytes: budget.smallBytes,
      state: budget.state,
      acquire: (bytes, how) =>
        how?.streamed ? Promise.reject(new DecryptBudgetBusyError()) : budget.acquire(bytes),
    };
    useDecryptBudget(v.config.limits, streamedRefused);
    try {
      const refused = await v.app.inject({
        method: 'POST',
        url: `/p/${program.slug}/report?encrypted=1`,
        headers: { 'content-type': form.contentType, accept: 'application/json' },
        payload: form.body,
      });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('30');
      expect(refused.body).toMatch(/nothing was stored/i);
    } finally {
      useDecryptBudget(v.config.limits, budget);
    }
    expect(await storageSnapshot(v)).toEqual(before);
    expect(budget.state).toMatchObject({ reservedBytes: 0, waiting: 0 });
  });

  it('a large PGP/MIME mail that finds the budget spent is answered 451 4.3.1, then accepted on retry', async () => {
    const port = await v.smtp.start(0);
    try {
      const armored = (await encryptTo(key, randomBytes(120 * KiB), true)).toString('utf8');
      const raw = pgpMimeEncrypted(
        { from: 'finder@researcher.example', to: ADDRESS, subject: 'Encrypted' },
        armored,
      );
      const envelope = { from: 'finder@researcher.example', to: ADDRESS };
      // Another large decryption holds the whole budget.
      const held = await budget.acquire(1024 * KiB);
      const before = await storageSnapshot(v);
      const err = (await sendRaw(port, envelope, raw).catch((e: unknown) => e)) as {
        responseCode?: number;
        response?: string;
      };
      expect(err.responseCode).toBe(451);
      expect(err.response).toMatch(/4\.3\.1 .*try again later/);
      expect(await storageSnapshot(v)).toEqual(before);

      held();
      const sent = await sendRaw(port, envelope, raw);
      expect(sent.response).toMatch(/^250 2\.0\.0 Accepted as /);
      expect(((await storageSnapshot(v)) as { reports: number }).reports).toBe(
        (before as { reports: number }).reports + 1,
      );
    } finally {
      await v.smtp.stop();
    }
  });

  it('a mail whose announced SIZE cannot be budgeted is refused 451 4.3.1 at MAIL FROM, before any data, and nothing is stored', async () => {
    const port = await v.smtp.start(0);
    try {
      const armored = (await encryptTo(key, randomBytes(120 * KiB), true)).toString('utf8');
      const raw = pgpMimeEncrypted(
        { from: 'finder@researcher.example', to: ADDRESS, subject: 'Encrypted, size announced' },
        armored,
      );
      // nodemailer announces SIZE at MAIL FROM when the envelope carries it, as mail servers do.
      const envelope = { from: 'finder@researcher.example', to: ADDRESS, size: Buffer.byteLength(raw) };
      const held = await budget.acquire(1024 * KiB);
      const before = await storageSnapshot(v);
      const err = (await sendRaw(port, envelope, raw).catch((e: unknown) => e)) as {
        responseCode?: number;
        response?: string;
        command?: string;
      };
      held();
      expect(err.responseCode).toBe(451);
      expect(err.command).toBe('MAIL FROM');
      expect(err.response).toMatch(/4\.3\.1 .*nothing was kept, try again later/);
      expect(await storageSnapshot(v)).toEqual(before);
      expect(budget.state).toMatchObject({ reservedBytes: 0, waiting: 0 });

      const sent = await sendRaw(port, envelope, raw);
      expect(sent.response).toMatch(/^250 2\.0\.0 Accepted as /);
      expect(budget.state).toMatchObject({ reservedBytes: 0, waiting: 0 });
    } finally {
      await v.smtp.stop();
    }
  });

  it('a mail far larger than the SIZE it announced is refused 552 and nothing is stored', async () => {
    const port = await v.smtp.start(0);
    try {
      const armored = (await encryptTo(key, randomBytes(200 * KiB), true)).toString('utf8');
      const raw = pgpMimeEncrypted(
        { from: 'finder@researcher.example', to: ADDRESS, subject: 'Encrypted, size understated' },
        armored,
      );
      // Large enough to reserve (over 64 KiB), far below what is sent.
      const envelope = { from: 'finder@researcher.example', to: ADDRESS, size: 80 * KiB };
      const before = await storageSnapshot(v);
      const err = (await sendRaw(port, envelope, raw).catch((e: unknown) => e)) as {
        responseCode?: number;
        response?: string;
      };
      expect(err.responseCode).toBe(552);
      expect(err.response).toMatch(/larger than the SIZE announced/);
      expect(await storageSnapshot(v)).toEqual(before);
      expect(budget.state).toMatchObject({ reservedBytes: 0, waiting: 0 });
    } finally {
      await v.smtp.stop();
    }
  });
});
