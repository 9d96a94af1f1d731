import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { fieldFor } from '../src/reports/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { startTestVigil, type TestVigil } from './helpers/test-vigil.js';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  }
  return out;
}

describe('confidentiality at rest and in logs (SQLite files, WAL and blobs)', () => {
  let v: TestVigil;
  let p: Program;
  const canary = `CANARY${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    v = await startTestVigil('sqlite');
    p = (await v.services.programs.list())[0] as Program;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('never writes report content, contact details or attachment bytes in clear', async () => {
    const answers = validAnswers(p, `description with ${canary}`, `${canary.toLowerCase()}@example.org`);
    const name = fieldFor(p.definition, 'contact.name');
    if (name) answers[name.id] = `Dr ${canary} Researcher`;
    const { body, contentType } = multipartBody(answers, [
      { name: `${canary}.txt`, data: Buffer.from(`attachment bytes ${canary} `.repeat(5000)) },
    ]);
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode).toBe(201);
    const { caseNumber, reporterUrl } = res.json();

    // The reporter and staff read it back decrypted (which also writes audit entries).
    const page = await v.app.inject({ method: 'GET', url: new URL(reporterUrl).pathname });
    expect(page.body).toContain(canary);
    await v.services.accounts.createUser({ email: 'a@vendor.example', role: 'admin' }, 'test');
    const { token } = await v.services.accounts.createToken(
      { userEmail: 'a@vendor.example', scope: 'read' },
      'test',
    );
    const detail = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(detail.body).toContain(canary);
    expect(detail.body).toContain(canary.toLowerCase());

    const files = await filesUnder(v.dataDir);
    expect(files.some((f) => f.endsWith('vigil.sqlite-wal'))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}blobs${path.sep}`))).toBe(true);
    const needles = [canary, canary.toLowerCase(), Buffer.from(canary, 'utf16le').toString('latin1')].map(
      (s) => Buffer.from(s, 'latin1'),
    );
    for (const f of files) {
      const bytes = await fs.readFile(f);
      for (const n of needles)
        expect(bytes.includes(n), `${path.relative(v.dataDir, f)} contains the canary`).toBe(false);
    }
    // The private link's token is stored only as a hash.
    const tokenPart = new URL(reporterUrl).pathname.split('/')[2] as string;
    for (const f of files) expect((await fs.readFile(f)).includes(Buffer.from(tokenPart))).toBe(false);
  });

  it('keeps content, contact details and private links out of the logs', () => {
    const logs = v.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('/r/[redacted]');
    expect(logs).not.toContain(canary);
    expect(logs).not.toContain(canary.toLowerCase());
    expect(logs).not.toMatch(/\/r\/[A-Za-z0-9_-]{43}/);
  });

  it('keeps the master key file private (mode 0600)', async () => {
    const st = await fs.stat(path.join(v.dataDir, 'master.key'));
    expect(st.mode & 0o077).toBe(0);
  });
});
