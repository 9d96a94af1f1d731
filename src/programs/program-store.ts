import type { Kysely } from 'kysely';
import type { Database, ProgramRow } from '../db/index.js';

/** SQL for programs. Functions take `db` or a transaction first. */

export async function findProgramBySlug(db: Kysely<Database>, slug: string): Promise<ProgramRow | undefined> {
  return db.selectFrom('programs').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** What tells whether a kept parse of a program's definition is current: no definition text. */
export interface ProgramHead {
  id: string;
  slug: string;
  revision: number;
}

const headColumns = ['id', 'slug', 'revision'] as const;

export async function findProgramHeadBySlug(
  db: Kysely<Database>,
  slug: string,
): Promise<ProgramHead | undefined> {
  return db.selectFrom('programs').select(headColumns).where('slug', '=', slug).executeTakeFirst();
}

/** Every program's head, by name. */
export async function listProgramHeads(db: Kysely<Database>): Promise<ProgramHead[]> {
  return db.selectFrom('programs').select(headColumns).orderBy('name').execute();
}

/** The whole rows of some programs, by id. */
export async function programRowsById(db: Kysely<Database>, ids: string[]): Promise<ProgramRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('programs').selectAll().where('id', 'in', ids).execute();
}

export async function findProgramById(db: Kysely<Database>, id: string): Promise<ProgramRow | undefined> {
  return db.selectFrom('programs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProgramByPrefix(
  db: Kysely<Database>,
  prefix: string,
): Promise<ProgramRow | undefined> {
  return db.selectFrom('programs').selectAll().where('case_prefix', '=', prefix).executeTakeFirst();
}

export async function countPrograms(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('programs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertProgram(db: Kysely<Database>, row: ProgramRow): Promise<void> {
  await db.insertInto('programs').values(row).execute();
}

export async function updateProgram(
  db: Kysely<Database>,
  id: string,
  changes: Pick<ProgramRow, 'name' | 'case_prefix' | 'definition' | 'revision' | 'updated_at'>,
): Promise<void> {
  await db.updateTable('programs').set(changes).where('id', '=', id).execute();
}

export async function countReportsOfProgram(db: Kysely<Database>, programId: string): Promise<number> {
  const r = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('program_id', '=', programId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
