import fs from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../../src/db/index.js';
import type { TestVigil } from './test-vigil.js';

/** How many rows `table` holds. */
export async function countRows(v: TestVigil, table: keyof Database): Promise<number> {
  const row = await v.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everything a refused request must leave untouched: row counts, counters and blob files. */
export async function storageSnapshot(v: TestVigil): Promise<Record<string, unknown>> {
  const count = (t: 'reports' | 'attachments' | 'messages' | 'outbox' | 'audit_log') => countRows(v, t);
  const counters = await v.db.kysely
    .selectFrom('case_counters')
    .selectAll()
    .orderBy('program_id')
    .orderBy('year')
    .execute();
  return {
    reports: await count('reports'),
    attachments: await count('attachments'),
    messages: await count('messages'),
    outbox: await count('outbox'),
    audit: await count('audit_log'),
    counters: counters.map((c) => `${c.program_id}:${c.year}:${c.last_number}`),
    blobs: await listFiles(path.join(v.dataDir, 'blobs')),
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}
