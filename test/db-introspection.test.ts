import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type Db, migrateToLatest, openDatabase } from '../src/db/index.js';
import { dropSchema } from './helpers/test-vigil.js';

/**
 * Vigil's PostgreSQL handle looks only at its own schema when Kysely asks what tables exist (the
 * migrator does, at every start): another schema in the same database, even one dropped while the
 * question runs, neither shows up nor fails the start.
 */
describe.skipIf(!process.env.VIGIL_TEST_DATABASE_URL)('introspection of one schema (postgres)', () => {
  const ours = `t_${randomBytes(6).toString('hex')}`;
  const other = `t_${randomBytes(6).toString('hex')}`;
  let db: Db | undefined;
  let dataDir = '';

  afterAll(async () => {
    await db?.close();
    await dropSchema(ours);
    await dropSchema(other);
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("lists its own schema's tables only, and migrates while other schemas come and go", async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-introspection-'));
    db = await openDatabase({ dataDir, databaseUrl: process.env.VIGIL_TEST_DATABASE_URL, schema: ours });
    await sql`create schema ${sql.id(other)}`.execute(db.kysely);
    await sql`create table ${sql.id(other, 'case_counters')} (id serial primary key)`.execute(db.kysely);
    // Schemas created and dropped all along the migration, as other test runs do.
    let churning = true;
    const churn = (async () => {
      for (let i = 0; churning && i < 200; i += 1) {
        const name = `t_${randomBytes(6).toString('hex')}`;
        await sql`create schema ${sql.id(name)}`.execute(db.kysely);
        await sql`create table ${sql.id(name, 't')} (id serial primary key)`.execute(db.kysely);
        await sql`drop schema ${sql.id(name)} cascade`.execute(db.kysely);
      }
    })();
    const applied = await migrateToLatest(db);
    churning = false;
    await churn;
    expect(applied.length).toBeGreaterThan(0);

    const tables = await db.kysely.introspection.getTables({ withInternalKyselyTables: true });
    expect(tables.length).toBeGreaterThan(5);
    expect(tables.every((t) => t.schema === ours)).toBe(true);
    expect(tables.map((t) => t.name)).toContain('case_counters');
    expect(tables.map((t) => t.name)).toContain('kysely_migration');
  });
});
