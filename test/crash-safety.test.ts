import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/index.js';
import { loadConfig } from '../src/config/index.js';
import { type Program, parseProgramYaml } from '../src/programs/index.js';
import { createVigil, sweepOrphanBlobs } from '../src/server.js';
import {
  type ChildServer,
  type ChildStorage,
  createStaffToken,
  createTempDatabase,
  runCli,
  startChildServer,
  stopChildServer,
} from './helpers/child-server.js';
import { reportSubmission, validAnswers } from './helpers/reports.js';
import { dialects } from './helpers/test-vigil.js';

/**
 * "Nothing accepted is ever lost": a real `vigil serve` process takes a burst of concurrent
 * submissions and is killed with SIGKILL part-way through. After a restart on the same storage,
 * every submission that was answered 201 must be there, whole, and nothing may be half there.
 */

const SUBMISSIONS = 200;
/** Kill once a third have been answered 201… */
const KILL_AFTER = Math.ceil(SUBMISSIONS / 3);
/**
 * …and at least this many of each kind: JSON submissions overtake the multipart ones (which
 * stream to the blob store first), and a kill before any file is acknowledged would prove little.
 */
const KILL_AFTER_EACH_KIND = 10;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function loadExamplePrograms(): Promise<Program[]> {
  const dir = path.resolve(import.meta.dirname, '..', 'examples', 'programs');
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  return Promise.all(
    files.map(async (f) => {
      const definition = parseProgramYaml(await fs.readFile(path.join(dir, f), 'utf8'));
      return { id: '', slug: definition.slug, revision: 1, definition };
    }),
  );
}

/** Run `fn` over `items`, at most `limit` at a time. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface Sent {
  index: number;
  program: string;
  /** SHA-256 of the attachment bytes sent (multipart submissions only). */
  attachmentSha?: string;
  attachmentSize?: number;
}

interface Acked extends Sent {
  caseNumber: string;
}

interface CaseDetail {
  caseNumber: string;
  program: string;
  content: Record<string, unknown>;
  contact: Record<string, unknown>;
  attachments: { id: string; name: string; size: number }[];
}

describe.each(dialects)('crash safety of intake under SIGKILL (%s)', (dialect) => {
  let storage: ChildStorage;
  let dropDatabase: (() => Promise<void>) | undefined;
  const servers: ChildServer[] = [];

  beforeAll(async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-crash-'));
    storage = { dataDir };
    if (dialect === 'postgres') {
      const db = await createTempDatabase('vigil_crash');
      storage.databaseUrl = db.url;
      dropDatabase = db.drop;
    }
  });

  afterAll(async () => {
    for (const s of servers) await stopChildServer(s, 'SIGKILL').catch(() => {});
    if (storage) await fs.rm(storage.dataDir, { recursive: true, force: true });
    await dropDatabase?.();
  });

  it('keeps every acknowledged submission whole after a SIGKILL mid-burst, and leaves nothing half-stored', {
    timeout: 120_000,
  }, async () => {
    const programs = await loadExamplePrograms();
    const withFiles = programs.find((p) => p.definition.form.attachments.allowed) as Program;
    expect(withFiles).toBeDefined();
    const runId = randomBytes(4).toString('hex');
    const markerOf = (i: number) => `crash-${runId}-${i}.`;
    const markerPattern = new RegExp(`crash-${runId}-(\\d+)\\.`);

    // 1. A burst of concurrent submissions; SIGKILL once a third of them have been answered.
    const first = await startChildServer(storage);
    servers.push(first);
    const sent: Sent[] = [];
    const acked: Acked[] = [];
    const otherStatuses: number[] = [];
    let failed = 0;
    let killed = false;

    const submit = async (i: number) => {
      const multipart = i % 2 === 0;
      const program = multipart ? withFiles : (programs[i % programs.length] as Program);
      const answers = validAnswers(program, markerOf(i));
      const s: Sent = { index: i, program: program.slug };
      let file: { name: string; data: Buffer } | undefined;
      if (multipart) {
        file = { name: `trace-${i}.bin`, data: randomBytes(2048 + Math.floor(Math.random() * 6144)) };
        s.attachmentSha = sha256(file.data);
        s.attachmentSize = file.data.length;
      }
      const init = reportSubmission(answers, file);
      sent[i] = s;
      try {
        const res = await fetch(`${first.url}/api/v1/programs/${program.slug}/reports`, {
          ...init,
          signal: AbortSignal.timeout(30_000),
        });
        if (res.status !== 201) {
          otherStatuses.push(res.status);
          await res.arrayBuffer().catch(() => {});
          return;
        }
        const receipt = (await res.json()) as { caseNumber: string };
        acked.push({ ...s, caseNumber: receipt.caseNumber });
        const files = acked.filter((a) => a.attachmentSha).length;
        if (
          !killed &&
          acked.length >= KILL_AFTER &&
          files >= KILL_AFTER_EACH_KIND &&
          acked.length - files >= KILL_AFTER_EACH_KIND
        ) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      } catch {
        failed++;
      }
    };

    await Promise.all(Array.from({ length: SUBMISSIONS }, (_, i) => submit(i)));
    const end = await first.exited;
    expect(killed, first.output()).toBe(true);
    expect(end.signal).toBe('SIGKILL');
    // Before the kill every answer was a 201: a refusal here would hide what the test checks.
    expect(otherStatuses).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    const ackedFiles = acked.filter((a) => a.attachmentSha).length;
    expect(ackedFiles).toBeGreaterThanOrEqual(KILL_AFTER_EACH_KIND);
    expect(acked.length + failed).toBe(SUBMISSIONS);
    expect(failed).toBeGreaterThan(0);

    // 2. The audit chain holds right after the crash; make a staff token (no server running).
    const verifyAfterCrash = await runCli(storage, ['audit', 'verify']);
    expect(verifyAfterCrash.code, verifyAfterCrash.stderr).toBe(0);
    expect(verifyAfterCrash.stdout).toMatch(/^Audit log intact: \d+ entries verified\.$/m);
    const token = await createStaffToken(storage);
    expect(token).toMatch(/^\S+$/);
    const auth = { authorization: `Bearer ${token}` };

    // 3. Restart on the same storage and read everything back through the API.
    const second = await startChildServer(storage);
    servers.push(second);
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await fetch(
        `${second.url}/api/v1/reports?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { headers: auth },
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { caseNumber: string }[]; nextCursor: string | null };
      listed.push(...page.items.map((x) => x.caseNumber));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(listed).size).toBe(listed.length);

    const details = new Map<string, CaseDetail>();
    /** SHA-256 of each attachment as downloaded (decrypted), by attachment id. */
    const downloaded = new Map<string, string>();
    await mapLimit(listed, 8, async (caseNumber) => {
      const res = await fetch(`${second.url}/api/v1/reports/${caseNumber}`, { headers: auth });
      expect(res.status, caseNumber).toBe(200);
      const d = (await res.json()) as CaseDetail;
      details.set(caseNumber, d);
      for (const a of d.attachments) {
        const dl = await fetch(`${second.url}/api/v1/reports/${caseNumber}/attachments/${a.id}`, {
          headers: auth,
        });
        expect(dl.status, `${caseNumber} ${a.id}`).toBe(200);
        const bytes = new Uint8Array(await dl.arrayBuffer());
        expect(bytes.length).toBe(a.size);
        downloaded.set(a.id, sha256(bytes));
      }
    });

    // Every acknowledged submission is there, readable, with the very bytes that were sent.
    for (const a of acked) {
      const d = details.get(a.caseNumber);
      expect(d, `acknowledged ${a.caseNumber} is missing`).toBeDefined();
      if (!d) continue;
      expect(d.program).toBe(a.program);
      expect(JSON.stringify(d.content)).toContain(markerOf(a.index));
      expect(Object.values(d.contact)).toContain('researcher@example.org');
      if (a.attachmentSha) {
        expect(d.attachments).toHaveLength(1);
        expect(d.attachments[0]?.name).toBe(`trace-${a.index}.bin`);
        expect(d.attachments[0]?.size).toBe(a.attachmentSize);
        expect(downloaded.get(d.attachments[0]?.id as string)).toBe(a.attachmentSha);
      } else {
        expect(d.attachments).toHaveLength(0);
      }
    }

    // Every stored report (acknowledged or not) is one whole submission that was sent, once.
    const seenIndexes = new Set<number>();
    for (const d of details.values()) {
      const m = markerPattern.exec(JSON.stringify(d.content));
      expect(m, `${d.caseNumber} has content from no known submission`).not.toBeNull();
      const s = sent[Number(m?.[1])] as Sent;
      expect(seenIndexes.has(s.index), `submission ${s.index} stored twice`).toBe(false);
      seenIndexes.add(s.index);
      expect(d.program).toBe(s.program);
      if (s.attachmentSha) {
        expect(d.attachments).toHaveLength(1);
        expect(downloaded.get(d.attachments[0]?.id as string)).toBe(s.attachmentSha);
      } else {
        expect(d.attachments).toHaveLength(0);
      }
    }
    expect(listed.length).toBeGreaterThanOrEqual(acked.length);

    const stopped = await stopChildServer(second);
    expect(stopped, second.output()).toEqual({ code: 0, signal: null });

    // 4. Look at the storage directly: no row without its parts, no part without its row.
    const config = loadConfig({
      VIGIL_DATA_DIR: storage.dataDir,
      ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
      VIGIL_SEED_EXAMPLES: 'false',
    });
    const v = await createVigil(config, { logger: false, worker: false });
    let orphanBlobs = 0;
    try {
      const k = v.db.kysely;
      const reports = await k.selectFrom('reports').select(['id', 'case_number', 'program_id']).execute();
      expect(reports.length).toBe(listed.length);
      expect(new Set(reports.map((r) => r.case_number))).toEqual(new Set(listed));
      const reportIds = new Set(reports.map((r) => r.id));

      const attachments = await k.selectFrom('attachments').selectAll().execute();
      for (const a of attachments) {
        expect(reportIds.has(a.report_id), `attachment ${a.id} has no report`).toBe(true);
        expect(await v.blobs.exists(a.blob_key), `attachment ${a.id} has no blob`).toBe(true);
        // Downloaded above: the blob decrypts to exactly the bytes whose hash was recorded.
        expect(downloaded.get(a.id), `attachment ${a.id} was not readable`).toBe(a.sha256);
      }
      expect(attachments.length).toBe(downloaded.size);

      const received = await k
        .selectFrom('audit_log')
        .select(['report_id'])
        .where('action', '=', 'report.received')
        .execute();
      const receivedIds = received.map((r) => r.report_id);
      expect(receivedIds.length).toBe(reports.length);
      expect(new Set(receivedIds)).toEqual(reportIds);

      // Case numbers come from the same transaction: no number handed out is missing.
      const counters = await k.selectFrom('case_counters').selectAll().execute();
      for (const c of counters) {
        const mine = reports.filter(
          (r) => r.program_id === c.program_id && r.case_number.split('-')[1] === String(c.year),
        );
        const numbers = mine.map((r) => Number(r.case_number.split('-')[2])).sort((a, b) => a - b);
        expect(numbers).toEqual(Array.from({ length: Number(c.last_number) }, (_, i) => i + 1));
      }

      const chain = await verifyAuditChain(k);
      expect(chain.ok).toBe(true);

      // Blobs of submissions the crash cut short are unreferenced; the sweep removes exactly them.
      const referenced = new Set(attachments.map((a) => a.blob_key));
      const before: string[] = [];
      for await (const key of v.blobs.list()) before.push(key);
      orphanBlobs = before.filter((key) => !referenced.has(key)).length;
      await sweepOrphanBlobs(v, 0);
      const after: string[] = [];
      for await (const key of v.blobs.list()) after.push(key);
      expect(new Set(after)).toEqual(referenced);
    } finally {
      await v.close();
    }

    // 5. The chain still verifies through the CLI after the restart and all the audited reads.
    const verify = await runCli(storage, ['audit', 'verify']);
    expect(verify.code, verify.stderr).toBe(0);

    console.info(
      `[crash-safety ${dialect}] ${acked.length} answered 201 before the kill (${ackedFiles} with a file), ` +
        `${failed} failed, ` +
        `${listed.length} reports stored (${listed.length - acked.length} committed unanswered), ` +
        `${downloaded.size} attachments verified, ${orphanBlobs} orphan blob(s) swept`,
    );
  });
});
