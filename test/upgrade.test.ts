import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/index.js';
import { createFileBlobStore } from '../src/blobs/index.js';
import { loadConfig } from '../src/config/index.js';
import { createSealer, hashToken, loadKeyring } from '../src/crypto/index.js';
import {
  type Database,
  type Db,
  knownMigrations,
  migrationStates,
  openDatabase,
  pendingMigrations,
  runMigrations,
} from '../src/db/index.js';
import { migrationProvider } from '../src/db/migrations/index.js';
import type { Program } from '../src/programs/index.js';
import { createVigil, type Vigil } from '../src/server.js';
import { createTempDatabase, runVigil } from './helpers/cli.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, dropSchema } from './helpers/test-vigil.js';

/**
 * Upgrading from the first release: a database built with that release's migrations only and
 * filled with rows in that release's shapes (program definitions, sealed report text and
 * contact, an attachment file, clocks, a message, an advisory draft, a user and an API token —
 * the JSON parts written by that release's own code, test/fixtures/upgrade) is migrated to
 * the latest schema by starting Vigil, and everything reads back through the API. Beside it:
 * migrations never half-apply (a failing one leaves nothing behind and is named), and
 * `vigil migrate --dry-run` lists without running.
 */

const FIRST_RELEASE = '2026-12-02T2300-advisory-artefacts';
const fixture = JSON.parse(
  await fs.readFile(path.join(import.meta.dirname, 'fixtures', 'upgrade', 'first-release.json'), 'utf8'),
) as {
  programs: Record<string, unknown>;
  advisory: { assessment: string; content: unknown };
};

interface Storage {
  dataDir: string;
  schema?: string;
  db: Db;
  cleanup(): Promise<void>;
}

async function openStorage(dialect: 'sqlite' | 'postgres'): Promise<Storage> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-upgrade-'));
  const schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const db = await openDatabase({
    dataDir,
    databaseUrl: dialect === 'postgres' ? process.env.VIGIL_TEST_DATABASE_URL : undefined,
    schema,
  });
  let closed = false;
  return {
    dataDir,
    schema,
    db,
    async cleanup() {
      if (!closed) await db.close().catch(() => {});
      closed = true;
      await fs.rm(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const TOKEN = `vgl_${randomBytes(32).toString('base64url')}`;
const ATTACHMENT = randomBytes(70_000);
const T0 = '2026-12-03T09:00:00.000Z';

/** What the first release stored for a confirmed case with a file, a message and an advisory draft. */
async function fillFirstReleaseRows(s: Storage): Promise<void> {
  const keyring = await loadKeyring({ dataDir: s.dataDir });
  const sealer = createSealer(keyring);
  const blobs = createFileBlobStore({ root: path.join(s.dataDir, 'blobs'), keyring });
  const k = s.db.kysely as Kysely<Database>;
  // Ids are UUIDs, as every release has written them (routes refuse anything else).
  const ids = {
    nwm: randomUUID(),
    lhd: randomUUID(),
    user: randomUUID(),
    report: randomUUID(),
    att: randomUUID(),
    msg: randomUUID(),
    adv: randomUUID(),
  };
  for (const [id, slug, prefix] of [
    [ids.nwm, 'northwind-medical', 'NWM'],
    [ids.lhd, 'lakeside-health', 'LHD'],
  ] as const) {
    const def = fixture.programs[slug] as { name: string };
    await sql`insert into programs (id, slug, name, case_prefix, definition, revision, created_at, updated_at)
      values (${id}, ${slug}, ${def.name}, ${prefix}, ${JSON.stringify(def)}, 1, ${T0}, ${T0})`.execute(k);
  }
  await sql`insert into users (id, email, name, role, disabled, created_at)
    values (${ids.user}, 'lead@vendor.example', 'Lead', 'admin', 0, ${T0})`.execute(k);
  await sql`insert into api_tokens (id, user_id, name, token_hash, scope, created_at)
    values (${randomUUID()}, ${ids.user}, 'upgrade', ${hashToken(TOKEN)}, 'read-write', ${T0})`.execute(k);
  const deadlines = { acknowledge: '2026-12-10T05:59:59.999Z', verify: '2026-12-17T05:59:59.999Z' };
  const content = { details: 'Unsigned drug-library update accepted over Wi-Fi', product: 'aurora-ip400' };
  const contact = { name: 'Ada Researcher', email: 'ada@example.org' };
  await sql`insert into reports (id, program_id, case_number, state, channel, language, received_at, deadlines,
      acknowledge_by, content_sealed, contact_sealed, reporter_token_hash, created_at, updated_at, intake_meta,
      contact_person, acknowledged_at, state_changed_at, severity, product_id, assessment)
    values (${ids.report}, ${ids.nwm}, 'NWM-2026-0001', 'confirmed', 'web', 'en', ${T0}, ${JSON.stringify(deadlines)},
      ${deadlines.acknowledge}, ${sealer.sealJson(content, `report:${ids.report}:content`)},
      ${sealer.sealJson(contact, `report:${ids.report}:contact`)}, ${'a'.repeat(64)}, ${T0}, ${T0}, '{}',
      'Lead', '2026-12-04T09:00:00.000Z', '2026-12-05T09:00:00.000Z', 'high', 'aurora-ip400',
      ${fixture.advisory.assessment})`.execute(k);
  await sql`insert into case_counters (program_id, year, last_number) values (${ids.nwm}, 2026, 1)`.execute(
    k,
  );
  await sql`insert into messages (id, report_id, author_kind, author_id, visibility, body_sealed, created_at)
    values (${ids.msg}, ${ids.report}, 'reporter', null, 'shared',
      ${sealer.seal('Here is the packet capture.', `message:${ids.msg}`)}, ${T0})`.execute(k);
  const stored = await blobs.put(Readable.from([ATTACHMENT]), {
    maxBytes: 1e6,
    aad: `attachment:${ids.att}`,
  });
  await sql`insert into attachments (id, report_id, message_id, blob_key, name_sealed, content_type, size, sha256, created_at)
    values (${ids.att}, ${ids.report}, ${ids.msg}, ${stored.key}, ${sealer.seal('capture.pcap', `attachment:${ids.att}:name`)},
      'application/octet-stream', ${stored.size}, ${stored.sha256}, ${T0})`.execute(k);
  await sql`insert into advisory_counters (program_id, year, last_number) values (${ids.nwm}, 2026, 1)`.execute(
    k,
  );
  await sql`insert into advisories (id, program_id, public_id, state, created_at, created_by, updated_at)
    values (${ids.adv}, ${ids.nwm}, 'NWM-SA-2026-0001', 'draft', ${T0}, ${ids.user}, ${T0})`.execute(k);
  await sql`insert into advisory_revisions (id, advisory_id, number, state, content, summary, author_id, editors,
      created_at, updated_at)
    values (${randomUUID()}, ${ids.adv}, 1, 'draft', ${JSON.stringify(fixture.advisory.content)}, 'Initial release.', ${ids.user},
      '[]', ${T0}, ${T0})`.execute(k);
  await sql`insert into advisory_cases (advisory_id, report_id, added_at) values (${ids.adv}, ${ids.report}, ${T0})`.execute(
    k,
  );
}

describe.each(dialects)('upgrade from the first release (%s)', (dialect) => {
  it('migrates a first-release database and every case, file, clock and advisory reads back', async () => {
    const s = await openStorage(dialect);
    cleanups.push(s.cleanup);
    await runMigrations(s.db, { target: FIRST_RELEASE });
    const all = await knownMigrations();
    const later = all.slice(all.indexOf(FIRST_RELEASE) + 1);
    expect(later.length).toBeGreaterThan(0);
    expect(await pendingMigrations(s.db)).toEqual(later);
    await fillFirstReleaseRows(s);
    await s.db.close();

    const config = loadConfig({
      VIGIL_DATA_DIR: s.dataDir,
      VIGIL_PUBLIC_URL: 'https://vigil.test',
      VIGIL_SEED_EXAMPLES: 'false',
      ...(dialect === 'postgres' ? { DATABASE_URL: process.env.VIGIL_TEST_DATABASE_URL as string } : {}),
    });
    const v: Vigil = await createVigil(
      { ...config, databaseSchema: s.schema },
      { logger: false, worker: false },
    );
    try {
      expect(await pendingMigrations(v.db)).toEqual([]);
      const auth = { authorization: `Bearer ${TOKEN}` };
      const detail = await v.app.inject({
        method: 'GET',
        url: '/api/v1/reports/NWM-2026-0001',
        headers: auth,
      });
      expect(detail.statusCode, detail.body).toBe(200);
      const d = detail.json();
      expect(d.state).toBe('confirmed');
      expect(d.content.details).toBe('Unsigned drug-library update accepted over Wi-Fi');
      expect(d.contact.email).toBe('ada@example.org');
      expect(d.severity).toBe('high');
      expect(Object.keys(d.deadlines).sort()).toEqual(['acknowledge', 'verify']);
      const clocks = Object.fromEntries(
        (d.clocks as { name: string; state: string }[]).map((c) => [c.name, c.state]),
      );
      expect(clocks.acknowledge).not.toBe('running');
      expect(clocks.verify).toBeDefined();
      // Columns added after the first release read as their defaults.
      expect(d.phi.flagged).toBe(false);
      expect(d.signals).toBeNull();
      expect(d.messages.map((m: { body?: string; text?: string }) => m.body ?? m.text)).toContain(
        'Here is the packet capture.',
      );
      const file = (d.attachments as { id: string; name: string }[]).find((a) => a.name === 'capture.pcap');
      expect(file).toBeDefined();
      const dl = await v.app.inject({
        method: 'GET',
        url: `/api/v1/reports/NWM-2026-0001/attachments/${file?.id}`,
        headers: auth,
      });
      expect(dl.statusCode).toBe(200);
      expect(createHash('sha256').update(dl.rawPayload).digest('hex')).toBe(
        createHash('sha256').update(ATTACHMENT).digest('hex'),
      );

      const queue = await v.app.inject({ method: 'GET', url: '/api/v1/reports', headers: auth });
      expect(queue.statusCode).toBe(200);
      expect(queue.json().items.map((i: { caseNumber: string }) => i.caseNumber)).toEqual(['NWM-2026-0001']);
      const advisories = await v.app.inject({ method: 'GET', url: '/api/v1/advisories', headers: auth });
      expect(advisories.statusCode).toBe(200);
      const adv = advisories.json().advisories[0];
      expect(adv.publicId ?? adv.id).toBe('NWM-SA-2026-0001');
      const one = await v.app.inject({
        method: 'GET',
        url: '/api/v1/advisories/NWM-SA-2026-0001',
        headers: auth,
      });
      expect(one.statusCode, one.body).toBe(200);
      expect(JSON.stringify(one.json())).toContain('Aurora IP-400 Infusion Pump');
      const portal = await v.app.inject({ method: 'GET', url: '/p/northwind-medical' });
      expect(portal.statusCode).toBe(200);

      expect(portal.body).toContain('Aurora IP-400 Infusion Pump');

      // A new report in the upgraded database takes the next number of the first release's counter.
      const program = (await v.services.programs.list()).find((p) => p.slug === 'northwind-medical');
      const created = await v.app.inject({
        method: 'POST',
        url: '/api/v1/programs/northwind-medical/reports',
        payload: { fields: validAnswers(program as Program, 'after the upgrade') },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().caseNumber).toMatch(/^NWM-\d{4}-\d{4}$/);
      expect(created.json().caseNumber).not.toBe('NWM-2026-0001');
      expect((await verifyAuditChain(v.db.kysely, 5000)).ok).toBe(true);
    } finally {
      await v.close();
    }
  });

  it('rolls a failing migration back whole and names it; the next run applies it once fixed', async () => {
    const s = await openStorage(dialect);
    cleanups.push(s.cleanup);
    const shipped = await migrationProvider({ dialect }).getMigrations();
    let broken = true;
    const halfway: Migration = {
      async up(db) {
        await db.schema
          .createTable('upgrade_probe')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .execute();
        await sql`insert into upgrade_probe (id) values ('first')`.execute(db);
        if (broken) await sql`select no_such_column from upgrade_probe`.execute(db);
      },
    };
    const provider: MigrationProvider = {
      getMigrations: async () => ({ ...shipped, '2099-01-01T0000-halfway': halfway }),
    };
    const error = await runMigrations(s.db, { provider }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^database migration "2099-01-01T0000-halfway" failed and nothing of this run was applied: /,
    );
    // Nothing of the run stayed: neither the shipped migrations run alongside nor the half-made table.
    const states = await migrationStates(s.db, provider);
    expect(states.filter((m) => m.executedAt)).toEqual([]);
    const probe = await sql`select 1 from upgrade_probe`.execute(s.db.kysely).catch((e: unknown) => e);
    expect(probe).toBeInstanceOf(Error);

    broken = false;
    const applied = await runMigrations(s.db, { provider });
    expect(applied[applied.length - 1]).toBe('2099-01-01T0000-halfway');
    expect(await pendingMigrations(s.db, provider)).toEqual([]);
    // A migration that ran is never run again.
    expect(await runMigrations(s.db, { provider })).toEqual([]);
    const rows = await sql<{ id: string }>`select id from upgrade_probe`.execute(s.db.kysely);
    expect(rows.rows).toEqual([{ id: 'first' }]);
  });

  it('vigil migrate --dry-run lists the pending migrations in order and runs none', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-dry-run-'));
    const pg = dialect === 'postgres' ? await createTempDatabase('vigil_dry_run') : undefined;
    cleanups.push(async () => {
      await fs.rm(dataDir, { recursive: true, force: true });
      await pg?.drop();
    });
    const env = { VIGIL_DATA_DIR: dataDir, ...(pg ? { DATABASE_URL: pg.url } : {}) };
    const db = await openDatabase({ dataDir, databaseUrl: pg?.url });
    await runMigrations(db, { target: FIRST_RELEASE });
    const all = await knownMigrations();
    const later = all.slice(all.indexOf(FIRST_RELEASE) + 1);
    await db.close();

    const dry = await runVigil(['migrate', '--dry-run'], env);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      `${later.length} migration(s) would run, in this order (none was run):\n${later.map((m) => `  ${m}\n`).join('')}`,
    );
    const again = await runVigil(['migrate', '--dry-run'], env);
    expect(again.stdout).toBe(dry.stdout);

    const real = await runVigil(['migrate'], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toBe(`Applied ${later.length} migration(s): ${later.join(', ')}\n`);
    const after = await runVigil(['migrate', '--dry-run'], env);
    expect(after.stdout).toBe('The database is up to date; no migration would run.\n');

    // A database a newer Vigil migrated: this version neither pretends it is current nor touches it.
    const newer = await openDatabase({ dataDir, databaseUrl: pg?.url });
    await sql`insert into kysely_migration (name, timestamp) values ('2099-01-01T0000-from-the-future', '2099-01-01T00:00:00.000Z')`.execute(
      newer.kysely,
    );
    await newer.close();
    const dryNewer = await runVigil(['migrate', '--dry-run'], env);
    expect(dryNewer.code).toBe(1);
    expect(dryNewer.stderr).toBe(
      'vigil: the database was migrated by a newer Vigil: its migration "2099-01-01T0000-from-the-future" is unknown to this version\n',
    );
    const realNewer = await runVigil(['migrate'], env);
    expect(realNewer.code).toBe(1);
    expect(realNewer.stderr).toMatch(
      /^vigil: database migrations could not run: .*2099-01-01T0000-from-the-future/,
    );
  });
});
