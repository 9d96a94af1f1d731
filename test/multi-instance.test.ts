import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import type { Program } from '../src/programs/index.js';
import { createVigil } from '../src/server.js';
import { confirmCase } from './helpers/case-workflow.js';
import {
  type ChildServer,
  createTempDatabase,
  freePort,
  startChildServer,
  stopChildServer,
} from './helpers/child-server.js';
import { type Dovecot, startDovecot } from './helpers/dovecot.js';
import { plainMessage, sendRaw } from './helpers/mail-builders.js';
import { reportSubmission, validAnswers } from './helpers/reports.js';
import { startS3, type TestS3 } from './helpers/s3.js';
import { type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { toolMissing } from './helpers/tools.js';

/**
 * Several instances, proven: two `vigil serve` processes on one PostgreSQL database and one S3
 * bucket, each with its outbox worker, SMTP listener, IMAP poller and periodic jobs, take reports
 * through the web API, by SMTP and from one IMAP mailbox while one of them is killed with SIGKILL
 * and started again, and then the one polling the mailbox is killed too. Afterwards every
 * acknowledged report reads back, attachments included, through either instance; each mail made
 * one case; only the lease holder polled, and the other took over once the holder's lease ran out;
 * every mail in the outbox went out once; and an advisory whose embargo ended while both were
 * running was published once, its reporter told once.
 */

const SLUG = 'lakeside-health';
const WEB_SUBMISSIONS = 48;
const MAIL_SUBMISSIONS = 12;
/** Mails left in the IMAP mailbox before, and again after, the instance polling it is killed. */
const IMAP_BATCH = 5;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Acked {
  caseNumber: string;
  via: string;
  attachmentSha?: string;
}

const pgUrl = process.env.VIGIL_TEST_DATABASE_URL;

describe.skipIf(!pgUrl || toolMissing('dovecot'))(
  'two instances on one PostgreSQL database and one S3 bucket',
  () => {
    let s3: TestS3;
    let relay: SmtpPeer;
    let dovecot: Dovecot;
    let dropDatabase: () => Promise<void>;
    let databaseUrl: string;
    const dirs: string[] = [];
    const servers: ChildServer[] = [];
    const masterKey = randomBytes(32).toString('base64');

    beforeAll(async () => {
      const db = await createTempDatabase('vigil_multi');
      databaseUrl = db.url;
      dropDatabase = db.drop;
      s3 = await startS3();
      relay = await startSmtpPeer();
      dovecot = await startDovecot();
    });

    afterAll(async () => {
      for (const s of servers) await stopChildServer(s, 'SIGKILL').catch(() => {});
      await relay?.close();
      await dovecot?.destroy();
      await s3?.close();
      for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
      await dropDatabase?.();
    });

    /** What both instances share (database, bucket, master key, relay) and what each has alone. */
    async function instanceEnv(name: string): Promise<{ dataDir: string; env: Record<string, string> }> {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `vigil-multi-${name}-`));
      dirs.push(dataDir);
      return {
        dataDir,
        env: {
          ...s3.env,
          VIGIL_MASTER_KEY: masterKey,
          VIGIL_SMTP_URL: relay.url,
          VIGIL_WORKER: 'true',
          VIGIL_SMTP_LISTEN: 'true',
          VIGIL_SMTP_PORT: String(await freePort()),
          VIGIL_EMBARGO_CHECK_SECONDS: '1',
          // A mail the killed instance had claimed is sent by another after this.
          VIGIL_OUTBOX_LEASE_SECONDS: '10',
          VIGIL_IMAP_URL: dovecot.url(),
          VIGIL_IMAP_PROGRAM: SLUG,
          VIGIL_IMAP_POLL_SECONDS: '5',
        },
      };
    }

    async function startInstance(inst: { dataDir: string; env: Record<string, string> }) {
      const server = await startChildServer(
        { dataDir: inst.dataDir, databaseUrl },
        { env: inst.env, readyTimeoutMs: 60_000 },
      );
      servers.push(server);
      return server;
    }

    it('keeps every acknowledged report readable through either instance, sends each mail once and publishes once', {
      timeout: 300_000,
    }, async () => {
      const a = await instanceEnv('a');
      const b = await instanceEnv('b');

      // 1. Prepare the shared storage in-process: programs, staff, a confirmed case and an
      //    advisory whose embargo ends while both instances run.
      const prep = await createVigil(
        loadConfig({
          VIGIL_DATA_DIR: a.dataDir,
          DATABASE_URL: databaseUrl,
          VIGIL_PUBLIC_URL: 'https://vigil.test',
          ...s3.env,
          VIGIL_MASTER_KEY: masterKey,
        }),
        { logger: false, worker: false },
      );
      const tokens: Record<string, string> = {};
      let lakeside: Program;
      let advisoryId: string;
      let embargoEnds: Date;
      try {
        lakeside = await prep.services.programs.get(SLUG);
        for (const [key, role, duties] of [
          ['lead', 'lead', []],
          ['author', 'handler', ['approver']],
          ['approver', 'viewer', ['approver']],
        ] as const) {
          const email = `${key}@multi.test`;
          await prep.services.accounts.createUser(
            { email, name: `${key} person`, role, program: SLUG, duties: [...duties] },
            'test',
          );
          tokens[key] = (
            await prep.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
          ).token;
        }
        const ok = async (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
          const res = await prep.app.inject({
            method,
            url,
            headers: { authorization: `Bearer ${tokens[who]}` },
            ...(payload !== undefined ? { payload } : {}),
          });
          expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
          return res.json();
        };
        const received = await prep.app.inject({
          method: 'POST',
          url: `/api/v1/programs/${SLUG}/reports`,
          payload: { fields: validAnswers(lakeside, 'the advisory case', 'finder@multi.test') },
        });
        expect(received.statusCode, received.body).toBe(201);
        const advisoryCase = received.json().caseNumber as string;
        await confirmCase(ok, advisoryCase);
        const draft = await ok('author', 'POST', '/api/v1/advisories', { cases: [advisoryCase] });
        advisoryId = draft.id as string;
        const rev = `/api/v1/advisories/${advisoryId}/revisions/1`;
        embargoEnds = new Date(Date.now() + 45_000);
        await ok('author', 'PUT', rev, {
          ...draft.revisions[0].content,
          publishNotBefore: embargoEnds.toISOString(),
        });
        await ok('author', 'POST', `${rev}/submit`);
        await ok('approver', 'POST', `${rev}/approve`);
        const scheduled = await ok('author', 'POST', `${rev}/publish`);
        expect(scheduled.openRevision.state).toBe('scheduled');
      } finally {
        await prep.close();
      }
      const auth = { authorization: `Bearer ${tokens.lead}` };

      // 2. Both instances, one after the other so only the first seeds.
      const running = { a: await startInstance(a), b: await startInstance(b) };

      // 3. Reports through both: JSON and multipart on the web API, plain mail to each listener;
      //    instance a is killed once a third of the web submissions are answered, and restarted.
      const acked: Acked[] = [];
      let failed = 0;
      let killed = false;
      const submitWeb = async (i: number) => {
        const via = i % 2 === 1 ? 'b' : 'a';
        const server = running[via];
        const multipart = i % 3 === 0;
        const file = multipart ? { name: `dump-${i}.bin`, data: randomBytes(1024 + i * 97) } : undefined;
        try {
          const res = await fetch(`${server.url}/api/v1/programs/${SLUG}/reports`, {
            ...reportSubmission(validAnswers(lakeside, `multi-${i}.`), file),
            signal: AbortSignal.timeout(30_000),
          });
          if (res.status !== 201) {
            failed++;
            await res.arrayBuffer().catch(() => {});
            return;
          }
          const receipt = (await res.json()) as { caseNumber: string };
          acked.push({
            caseNumber: receipt.caseNumber,
            via,
            ...(file ? { attachmentSha: sha256(file.data) } : {}),
          });
          if (!killed && acked.length >= WEB_SUBMISSIONS / 3) {
            killed = true;
            running.a.child.kill('SIGKILL');
          }
        } catch {
          failed++;
        }
      };
      // The web submissions go in waves, so some reach instance a as it dies and later ones its restart.
      let restarts = 0;
      for (let wave = 0; wave < 4; wave++) {
        await Promise.all(
          Array.from({ length: WEB_SUBMISSIONS / 4 }, (_, j) => submitWeb(wave * (WEB_SUBMISSIONS / 4) + j)),
        );
        if (killed && restarts === 0) {
          await running.a.exited;
          running.a = await startInstance(a);
          restarts++;
        }
      }
      expect(killed).toBe(true);
      expect(restarts).toBe(1);

      const mailed: string[] = [];
      for (let i = 0; i < MAIL_SUBMISSIONS; i++) {
        const inst = i % 2 === 0 ? a : b;
        const subject = `Multi instance mail report ${i} ${randomBytes(3).toString('hex')}`;
        const raw = plainMessage(
          { from: `mailer${i}@researchers.example`, to: 'security@lakeside-health.example', subject },
          `Steps to reproduce for mail report ${i}: send a crafted HL7 message to port 2575.`,
        );
        const sent = await sendRaw(
          Number(inst.env.VIGIL_SMTP_PORT),
          { from: `mailer${i}@researchers.example`, to: 'security@lakeside-health.example' },
          raw,
        );
        expect(sent.caseNumber, sent.response).toMatch(/^[A-Z]+-\d{4}-\d+$/);
        mailed.push(subject);
      }

      // 4. Wait for the embargo and for the outbox to drain (the killed instance's claims expire);
      //    on the way, mail in the IMAP mailbox is taken by whichever instance holds its lease, and
      //    by the other once the holder is killed.
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const count = async (sql: string, params: unknown[] = []) =>
          Number((await client.query<{ n: string }>(sql, params)).rows[0]?.n);
        const emailReports = () => count("select count(*) as n from reports where channel = 'email'");
        const waitFor = async (what: string, done: () => Promise<boolean>) => {
          const until = Date.now() + 120_000;
          while (!(await done())) {
            if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
            await new Promise((r) => setTimeout(r, 500));
          }
        };
        const appendBatch = async (batch: number) => {
          for (let i = 0; i < IMAP_BATCH; i++) {
            await dovecot.append(
              plainMessage(
                {
                  from: `imap${batch}-${i}@researchers.example`,
                  to: 'security@lakeside-health.example',
                  subject: `IMAP report ${batch}-${i}`,
                },
                `Found by polling: the export endpoint of Lakeside Health Server returns other tenants' rows (${batch}-${i}).`,
              ),
            );
          }
        };
        const allProcessed = async () => {
          const flags = await dovecot.flags();
          return [...flags.values()].every((f) => f.has('$VigilProcessed'));
        };
        await appendBatch(1);
        await waitFor(
          'the first IMAP batch',
          async () => (await emailReports()) === MAIL_SUBMISSIONS + IMAP_BATCH,
        );
        await waitFor('the first batch marked processed', allProcessed);
        const leases = await client.query<{ holder: string }>('select holder from job_leases');
        expect(leases.rows).toHaveLength(1);
        const holderPid = Number(leases.rows[0]?.holder.split(':')[1]);
        const pollerName = (['a', 'b'] as const).find((k) => running[k].child.pid === holderPid);
        expect(pollerName, `lease holder ${leases.rows[0]?.holder}`).toBeDefined();
        const poller = pollerName as 'a' | 'b';
        running[poller].child.kill('SIGKILL');
        await running[poller].exited;
        await appendBatch(2);
        // The other instance takes the mailbox over once the dead holder's lease has run out.
        await waitFor(
          'the second IMAP batch',
          async () => (await emailReports()) === MAIL_SUBMISSIONS + 2 * IMAP_BATCH,
        );
        await waitFor('the second batch marked processed', allProcessed);
        const after = await client.query<{ holder: string }>('select holder from job_leases');
        expect(Number(after.rows[0]?.holder.split(':')[1])).toBe(
          running[poller === 'a' ? 'b' : 'a'].child.pid,
        );
        running[poller] = await startInstance(poller === 'a' ? a : b);
        restarts++;

        const settle = Date.now() + 120_000;
        for (;;) {
          const pending = await client.query<{ n: string }>(
            "select count(*) as n from outbox where state <> 'sent'",
          );
          const published = await client.query<{ state: string }>(
            'select state from advisories where public_id = $1',
            [advisoryId],
          );
          const done = Number(pending.rows[0]?.n) === 0 && published.rows[0]?.state === 'published';
          if (done && Date.now() > embargoEnds.getTime() + 3_000) break;
          if (Date.now() > settle) {
            throw new Error(
              `did not settle: ${pending.rows[0]?.n} mail(s) unsent, advisory ${published.rows[0]?.state}`,
            );
          }
          await new Promise((r) => setTimeout(r, 500));
        }

        // 5a. Every acknowledged web report, and every mailed one, is readable through both instances.
        for (const server of [running.a, running.b]) {
          for (const ack of acked) {
            const res = await fetch(`${server.url}/api/v1/reports/${ack.caseNumber}`, { headers: auth });
            expect(res.status, `${ack.caseNumber} via ${server.url}`).toBe(200);
            const d = (await res.json()) as { attachments: { id: string }[] };
            if (!ack.attachmentSha) {
              expect(d.attachments).toHaveLength(0);
              continue;
            }
            expect(d.attachments).toHaveLength(1);
            const dl = await fetch(
              `${server.url}/api/v1/reports/${ack.caseNumber}/attachments/${d.attachments[0]?.id}`,
              { headers: auth },
            );
            expect(dl.status).toBe(200);
            expect(sha256(new Uint8Array(await dl.arrayBuffer()))).toBe(ack.attachmentSha);
          }
        }
        // Each mail, by SMTP or IMAP, made one case, though a poller died between them.
        expect(await emailReports()).toBe(MAIL_SUBMISSIONS + 2 * IMAP_BATCH);
        expect(await count('select count(*) as n from inbound_messages')).toBe(
          MAIL_SUBMISSIONS + 2 * IMAP_BATCH,
        );

        // 5b. Every mail the outbox holds went out exactly once (one delivery per Message-ID), and
        //     every acknowledged report's receipt is among them.
        const ids = relay.received.map((m) => m.parsed.messageId as string);
        const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
        expect(duplicates).toEqual([]);
        const outboxRows = await client.query<{ n: string }>('select count(*) as n from outbox');
        expect(ids.length).toBe(Number(outboxRows.rows[0]?.n));
        const receiptsByCase = new Map<string, number>();
        for (const m of relay.received) {
          const c = m.parsed.headers.get('x-vigil-case');
          if (typeof c === 'string' && /\.receipt\./.test(m.parsed.messageId ?? '')) {
            receiptsByCase.set(c, (receiptsByCase.get(c) ?? 0) + 1);
          }
        }
        for (const ack of acked) expect(receiptsByCase.get(ack.caseNumber), ack.caseNumber).toBe(1);

        // 5c. The advisory was published once, by the embargo job of one instance, and the
        //     reporter of its case heard of it once.
        const publications = await client.query<{ actor: string }>(
          "select actor from audit_log where action = 'advisory.published' and detail like $1",
          [`%${advisoryId}%`],
        );
        expect(publications.rows).toEqual([{ actor: 'system:embargo' }]);
        const toFinder = relay.received.filter((m) => m.rcptTo.includes('finder@multi.test'));
        const notices = toFinder.filter((m) => `${m.parsed.subject} ${m.parsed.text}`.includes(advisoryId));
        expect(
          notices.map((m) => m.parsed.messageId),
          toFinder.map((m) => m.parsed.messageId).join(' '),
        ).toHaveLength(1);
      } finally {
        await client.end();
      }

      console.info(
        `[multi-instance] ${acked.length} web reports answered 201 (${acked.filter((x) => x.via === 'a').length} by the ` +
          `killed-and-restarted instance), ${failed} cut off by the kill, ${MAIL_SUBMISSIONS} by SMTP, ` +
          `${2 * IMAP_BATCH} by IMAP across a kill of the polling instance, ${restarts} restarts, ` +
          `${relay.received.length} mails delivered once each`,
      );
    });
  },
);
