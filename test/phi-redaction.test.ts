import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealer, loadKeyring, type Sealer } from '../src/crypto/index.js';
import { attachmentPart, boundary, message, multipart, sendRaw, textPart } from './helpers/mail-builders.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Redaction by two privacy officers destroys the original: an email report (text with PHI and a
 * FHIR Patient attachment, so also a stored `original-message.eml`) and a reporter follow-up are
 * redacted by spans and whole; afterwards neither the plaintext canary nor the original sealed
 * ciphertext nor the original blob bytes remain — checked row by row in every table on both
 * dialects, and byte by byte in the SQLite files (database and write-ahead log) and the blob
 * directory. PostgreSQL keeps dead row versions until VACUUM; that is documented, not tested.
 */
describe.each(dialects)('PHI redaction (%s)', (dialect) => {
  const tag = randomBytes(6).toString('hex');
  const canary = `QREDACT${tag}`;
  const fileCanary = `QREDFILE${tag}`;
  const followCanary = `QREDFOLLOW${tag}`;
  const ADDRESS = 'psirt@northwind-medical.example';
  // Long enough that the sealed text spills into overflow pages, which SQLite frees (and only
  // zeroes with secure_delete) when the row is rewritten.
  const padding = Array.from(
    { length: 400 },
    (_, i) => `Step ${i}: GET /api/v2/devices/${i} returned 200.`,
  ).join('\n');
  let v: TestVigil;
  let sealer: Sealer;
  let caseNumber: string;
  const tokens: Record<'officer' | 'officer2' | 'handler', string> = {
    officer: '',
    officer2: '',
    handler: '',
  };
  const call = (method: 'GET' | 'POST', url: string, who: keyof typeof tokens, payload?: object) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  const base = () => `/api/v1/reports/${caseNumber}`;

  /** Every row of every table, values as text (binary as hex and base64), for searching. */
  async function everyRow(): Promise<string[]> {
    const tables =
      dialect === 'sqlite'
        ? (
            await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
              v.db.kysely,
            )
          ).rows
        : (
            await sql<{ name: string }>`select table_name as name from information_schema.tables
              where table_schema = current_schema()`.execute(v.db.kysely)
          ).rows;
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['reports', 'attachments', 'phi_redactions']),
    );
    const out: string[] = [];
    for (const { name } of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(v.db.kysely))
        .rows;
      for (const row of rows)
        for (const value of Object.values(row))
          out.push(
            Buffer.isBuffer(value) || value instanceof Uint8Array
              ? `${Buffer.from(value).toString('hex')} ${Buffer.from(value).toString('base64')}`
              : String(value),
          );
    }
    return out;
  }

  async function filesUnder(dir: string): Promise<string[]> {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) out.push(...(await filesUnder(p)));
      else out.push(p);
    }
    return out;
  }

  /** 32 bytes from the middle of a ciphertext: found anywhere, a copy of the original survives. */
  const sample = (b: Buffer) => b.subarray(Math.floor(b.length / 2) - 16, Math.floor(b.length / 2) + 16);

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    sealer = createSealer(await loadKeyring({ masterKey: v.config.masterKey, dataDir: v.config.dataDir }));
    const grants = [
      ['officer@pr.test', 'handler', ['privacy']],
      ['officer2@pr.test', 'lead', ['privacy']],
      ['handler@pr.test', 'handler', []],
    ] as const;
    for (const [email, role, duties] of grants)
      await v.services.accounts.createUser(
        { email, role, program: 'northwind-medical', duties: [...duties] },
        'test',
      );
    for (const who of Object.keys(tokens) as (keyof typeof tokens)[])
      tokens[who] = (
        await v.services.accounts.createToken({ userEmail: `${who}@pr.test`, scope: 'read-write' }, 'test')
      ).token;

    const b = boundary('mix');
    const raw = message(
      {
        from: 'Mail Finder <mailfinder@example.org>',
        to: ADDRESS,
        subject: 'Records exposed by the gateway',
      },
      { 'Content-Type': `multipart/mixed; boundary="${b}"` },
      multipart(b, [
        textPart(
          `Hello,\n\nThe gateway export showed patient Jane Roe, DOB 03/14/1961, MRN: 00482913 (${canary}).\n\n${padding}\n\nMail Finder`,
        ),
        attachmentPart(
          'patient.json',
          'application/fhir+json',
          Buffer.from(
            JSON.stringify({
              resourceType: 'Patient',
              id: fileCanary,
              name: [{ family: 'Roe', given: ['Jane'] }],
              birthDate: '1961-03-14',
            }),
          ),
        ),
      ]),
    );
    caseNumber = (await sendRaw(await v.smtp.start(0), { from: 'mailfinder@example.org', to: ADDRESS }, raw))
      .caseNumber;
    // The reporter's private link is only in the receipt; add the follow-up through the service.
    const row = await v.db.kysely
      .selectFrom('reports')
      .select('case_number')
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    await v.services.reporter.addReporterMessageFromEmail(row.case_number, {
      body: `One more: patient Maria Gonzales, date of birth 1958-07-02, SSN 219-09-9999 (${followCanary}).`,
      files: [],
      intakeMeta: {},
    });
  });

  afterAll(async () => {
    await v?.destroy();
  });

  let originals: { content: Buffer; names: Buffer[]; body: Buffer; blobs: Buffer[]; blobPaths: string[] };
  let messageId: string;
  let fileId: string;

  it('holds the parts on arrival', async () => {
    const d = (await call('GET', base(), 'officer')).json();
    expect(d.phi).toMatchObject({ flagged: true, quarantined: 4, canReview: true });
    messageId = d.messages[0].id;
    fileId = d.attachments.find((a: { name: string }) => a.name === 'patient.json').id;
    const report = await v.db.kysely
      .selectFrom('reports')
      .selectAll()
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    const files = await v.db.kysely
      .selectFrom('attachments')
      .selectAll()
      .where('report_id', '=', report.id)
      .execute();
    expect(files).toHaveLength(2);
    const m = await v.db.kysely
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    // Move the originals into the main database file first, so the redaction must overwrite
    // them there (secure_delete), not only drop them from the log.
    if (dialect === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(v.db.kysely);
    const blobPaths = files.map((f) =>
      path.join(v.config.dataDir, 'blobs', f.blob_key.slice(0, 2), f.blob_key),
    );
    originals = {
      content: Buffer.from(report.content_sealed),
      names: files.map((f) => Buffer.from(f.name_sealed)),
      body: Buffer.from(m.body_sealed),
      blobs: await Promise.all(blobPaths.map((p) => fs.readFile(p))),
      blobPaths,
    };
  });

  const spansOf = (text: string, needles: string[]) =>
    needles
      .map((n) => {
        const start = text.indexOf(n);
        expect(start, n).toBeGreaterThanOrEqual(0);
        return { start, end: start + n.length };
      })
      .sort((a, b) => a.start - b.start);

  it('refuses bad spans with 400 naming the span, and writes nothing', async () => {
    const bad = await call('POST', `${base()}/redactions`, 'officer', {
      reason: 'remove the patient',
      parts: [
        {
          kind: 'field',
          ref: 'message',
          spans: [
            { start: 10, end: 20 },
            { start: 15, end: 30 },
          ],
        },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual([expect.objectContaining({ path: 'parts[0].spans[1]' })]);
    const past = await call('POST', `${base()}/redactions`, 'officer', {
      reason: 'remove the patient',
      parts: [
        { kind: 'attachment', ref: fileId, whole: true },
        { kind: 'message', ref: messageId, spans: [{ start: 0, end: 100000 }] },
      ],
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().fields).toEqual([expect.objectContaining({ path: 'parts[1].spans[0]' })]);
    const unknown = await call('POST', `${base()}/redactions`, 'officer', {
      reason: 'x',
      parts: [{ kind: 'field', ref: 'nonsense', spans: [{ start: 0, end: 1 }] }],
    });
    expect(unknown.json().fields).toEqual([expect.objectContaining({ path: 'parts[0].ref' })]);
    expect(await v.db.kysely.selectFrom('phi_redactions').selectAll().execute()).toEqual([]);
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'redaction.%')
      .execute();
    expect(audit).toEqual([]);
  });

  let redactionId: string;

  it('takes a proposal (offsets only), refuses a second one and the proposer as approver', async () => {
    const d = (await call('GET', base(), 'officer')).json();
    const text = d.content.message as string;
    const body = d.messages[0].body as string;
    expect(
      (await call('POST', `${base()}/redactions`, 'handler', { reason: 'x', parts: [] })).statusCode,
    ).toBe(400);
    const refused = await call('POST', `${base()}/redactions`, 'handler', {
      reason: 'x',
      parts: [{ kind: 'attachment', ref: fileId, whole: true }],
    });
    expect(refused.statusCode).toBe(403);
    const res = await call('POST', `${base()}/redactions`, 'officer', {
      reason: 'Patient identifiers the reporter should not have sent',
      parts: [
        {
          kind: 'field',
          ref: 'message',
          spans: spansOf(text, ['Jane Roe, DOB 03/14/1961', '00482913', canary]),
        },
        {
          kind: 'message',
          ref: messageId,
          spans: spansOf(body, ['Maria Gonzales', '1958-07-02', '219-09-9999', followCanary]),
        },
        { kind: 'attachment', ref: fileId, whole: true },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({
      state: 'proposed',
      parts: [
        { kind: 'field', ref: 'message', spans: 3 },
        { kind: 'message', ref: messageId, spans: 4 },
        { kind: 'attachment', ref: fileId, whole: true },
      ],
      proposedBy: { email: 'officer@pr.test' },
      decidedBy: null,
    });
    redactionId = r.id;
    const stored = await v.db.kysely.selectFrom('phi_redactions').select('parts').executeTakeFirstOrThrow();
    for (const secret of [canary, followCanary, 'Jane Roe', '00482913'])
      expect(stored.parts).not.toContain(secret);

    const second = await call('POST', `${base()}/redactions`, 'officer2', {
      reason: 'another',
      parts: [{ kind: 'attachment', ref: fileId, whole: true }],
    });
    expect(second.statusCode).toBe(409);

    const self = await call('POST', `${base()}/redactions/${redactionId}/approve`, 'officer');
    expect(self.statusCode).toBe(409);
    expect(self.json().message).toContain('other than the one who proposed it');
    const report = await v.db.kysely
      .selectFrom('reports')
      .select('content_sealed')
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(report.content_sealed).equals(originals.content)).toBe(true);
    for (const p of originals.blobPaths) await expect(fs.stat(p)).resolves.toBeTruthy();
  });

  it('applies on approval by a second officer and leaves no trace of the original', async () => {
    const res = await call('POST', `${base()}/redactions/${redactionId}/approve`, 'officer2');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'applied', decidedBy: { email: 'officer2@pr.test' } });

    // What the case team reads now.
    const d = (await call('GET', base(), 'handler')).json();
    expect(d.content.message).toContain('[redacted]');
    expect(d.messages[0].body).toContain('[redacted]');
    expect(d.attachments).toEqual([
      expect.objectContaining({ name: '', redacted: true, quarantined: false }),
      expect.objectContaining({ name: '', redacted: true, quarantined: false }),
    ]);
    expect(d.phi).toMatchObject({ flagged: false, quarantined: 0, redacted: 4 });
    for (const a of d.attachments)
      expect((await call('GET', `${base()}/attachments/${a.id}`, 'officer')).statusCode).toBe(404);
    const q = (await call('GET', `${base()}/quarantine`, 'officer')).json();
    expect(
      q.parts.every(
        (p: { state: string; findings: unknown[] }) => p.state === 'redacted' && p.findings.length === 0,
      ),
    ).toBe(true);

    // SQL level, both dialects: no row of any table holds the text or the original ciphertext.
    const rows = (await everyRow()).join('\n');
    for (const secret of [canary, fileCanary, followCanary, 'Jane Roe', 'Maria Gonzales', '219-09-9999'])
      expect(rows).not.toContain(secret);
    for (const original of [originals.content, originals.body, ...originals.names]) {
      expect(rows).not.toContain(sample(original).toString('hex'));
      expect(rows).not.toContain(original.toString('base64').slice(8, 48));
    }

    // Blob store: the files are gone and no file holds their bytes.
    for (const p of originals.blobPaths) await expect(fs.stat(p)).rejects.toMatchObject({ code: 'ENOENT' });
    for (const file of await filesUnder(path.join(v.config.dataDir, 'blobs'))) {
      const bytes = await fs.readFile(file);
      for (const blob of originals.blobs) expect(bytes.includes(sample(blob)), file).toBe(false);
    }

    // SQLite file level: the database and its write-ahead log hold neither the plaintext nor the
    // original sealed bytes (freed pages zeroed by secure_delete, the log truncated).
    if (dialect === 'sqlite') {
      expect(v.db.files.length).toBeGreaterThan(0);
      for (const file of v.db.files) {
        const bytes = await fs.readFile(file).catch(() => Buffer.alloc(0));
        for (const secret of [canary, fileCanary, followCanary])
          expect(bytes.includes(secret), file).toBe(false);
        for (const original of [originals.content, originals.body, ...originals.names])
          expect(bytes.includes(sample(original)), `${file} keeps original ciphertext`).toBe(false);
      }
    }

    // The audit keeps who, when and what kind — counts, never text.
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor', 'detail'])
      .where('action', 'like', 'redaction.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['redaction.propose', 'redaction.apply']);
    expect(JSON.parse(audit[1]?.detail ?? '{}')).toMatchObject({
      redactionId,
      parts: [
        { kind: 'field', spans: 3, chars: expect.any(Number) },
        { kind: 'message', spans: 4, chars: expect.any(Number) },
        { kind: 'attachment', whole: true, bytes: expect.any(Number) },
      ],
      rawMessagesDestroyed: 1,
    });
    const report = await v.db.kysely
      .selectFrom('reports')
      .select(['id', 'content_sealed', 'phi_flag'])
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    expect(Number(report.phi_flag)).toBe(0);
    const content = JSON.stringify(sealer.openJson(report.content_sealed, `report:${report.id}:content`));
    expect(content).toContain('[redacted]');
    expect(content).not.toContain(canary);
  });

  it('rejects a proposal without changing anything', async () => {
    const d = (await call('GET', base(), 'officer')).json();
    const res = await call('POST', `${base()}/redactions`, 'officer', {
      reason: 'the subject names the gateway',
      parts: [{ kind: 'field', ref: 'subject', spans: [{ start: 0, end: 7 }] }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const rejected = await call('POST', `${base()}/redactions/${res.json().id}/reject`, 'officer2', {
      reason: 'not personal data',
    });
    expect(rejected.json()).toMatchObject({ state: 'rejected', decidedBy: { email: 'officer2@pr.test' } });
    expect((await call('GET', base(), 'officer')).json().content.subject).toBe(d.content.subject);
    expect((await call('POST', `${base()}/redactions/${res.json().id}/approve`, 'officer2')).statusCode).toBe(
      409,
    );
  });
});
