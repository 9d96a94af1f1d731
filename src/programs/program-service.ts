import fs from 'node:fs/promises';
import path from 'node:path';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, NotFoundError, newId, ValidationError } from '../core/index.js';
import type { Db } from '../db/index.js';
import type { ProgramDefinition } from './program-schema.js';
import {
  countPrograms,
  countReportsOfProgram,
  findProgramByPrefix,
  findProgramBySlug,
  findProgramHeadBySlug,
  insertProgram,
  listProgramHeads,
  type ProgramHead,
  programRowsById,
  updateProgram,
} from './program-store.js';
import { parseProgramYaml, programToYaml } from './program-yaml.js';

/** A program as the rest of Vigil sees it: its row identity plus the parsed definition. */
export interface Program {
  id: string;
  slug: string;
  revision: number;
  definition: ProgramDefinition;
}

export interface ImportResult {
  program: Program;
  created: boolean;
}

export interface ProgramService {
  list(): Promise<Program[]>;
  get(slug: string): Promise<Program>;
  find(slug: string): Promise<Program | undefined>;
  /** Create or replace a program from YAML text, all or nothing. */
  importYaml(text: string, actor: string): Promise<ImportResult>;
  exportYaml(slug: string): Promise<string>;
  /** Load every `*.yaml` of a folder when no program exists yet; returns the slugs loaded. */
  seedFromDirectory(dir: string): Promise<string[]>;
}

/** Freeze a parsed definition all the way down, so that sharing it cannot leak a change. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function createProgramService(deps: { db: Db; clock: Clock }): ProgramService {
  const { db, clock } = deps;
  const k = db.kysely;

  /**
   * Definitions once parsed, by program and revision: every request and mail lists the programs,
   * and parsing each definition again was most of that (0.2 ms per program per call). A revision
   * is never rewritten, so an entry never goes stale; an instance that saves a new revision (or
   * another instance that did) is read afresh. Lookups therefore read each program's head (id,
   * slug, revision) and fetch the definition text only for a revision not parsed yet, so that a
   * request does not carry every program's definition over the database connection.
   * Definitions are shared, so nothing may change them.
   */
  const parsed = new Map<string, { revision: number; definition: ProgramDefinition }>();

  const toProgram = (row: { id: string; slug: string; revision: number; definition: string }): Program => {
    let known = parsed.get(row.id);
    if (!known || known.revision !== row.revision) {
      known = {
        revision: row.revision,
        definition: deepFreeze(JSON.parse(row.definition) as ProgramDefinition),
      };
      parsed.set(row.id, known);
    }
    return { id: row.id, slug: row.slug, revision: row.revision, definition: known.definition };
  };

  /** The program a head names, from the parse kept for its revision; undefined when none is. */
  const fromHead = (head: ProgramHead): Program | undefined => {
    const known = parsed.get(head.id);
    if (!known || known.revision !== head.revision) return undefined;
    return { id: head.id, slug: head.slug, revision: head.revision, definition: known.definition };
  };

  async function find(slug: string) {
    const head = await findProgramHeadBySlug(k, slug);
    if (!head) return undefined;
    const kept = fromHead(head);
    if (kept) return kept;
    const row = await findProgramBySlug(k, slug);
    return row ? toProgram(row) : undefined;
  }

  async function list(): Promise<Program[]> {
    const heads = await listProgramHeads(k);
    const stale = heads.filter((h) => !fromHead(h)).map((h) => h.id);
    // A program saved again between the two reads comes back at its newer revision: still whole.
    const fetched = new Map((await programRowsById(k, stale)).map((r) => [r.id, toProgram(r)]));
    return heads.flatMap((h) => {
      const p = fromHead(h) ?? fetched.get(h.id);
      return p ? [p] : [];
    });
  }

  async function save(def: ProgramDefinition, actor: string): Promise<ImportResult> {
    const now = clock.now().toISOString();
    return k.transaction().execute(async (trx) => {
      const existing = await findProgramBySlug(trx, def.slug);
      const prefixOwner = await findProgramByPrefix(trx, def.casePrefix);
      if (prefixOwner && prefixOwner.slug !== def.slug) {
        throw new ValidationError([
          {
            path: 'casePrefix',
            message: `case prefix "${def.casePrefix}" is already used by program "${prefixOwner.slug}"`,
          },
        ]);
      }
      if (existing) {
        if (existing.case_prefix !== def.casePrefix && (await countReportsOfProgram(trx, existing.id)) > 0) {
          throw new ConflictError(
            `the case prefix of "${def.slug}" cannot change from ${existing.case_prefix} to ${def.casePrefix}: cases already carry it`,
          );
        }
        const revision = existing.revision + 1;
        await updateProgram(trx, existing.id, {
          name: def.name,
          case_prefix: def.casePrefix,
          definition: JSON.stringify(def),
          revision,
          updated_at: now,
        });
        await appendAudit(
          trx,
          { actor, action: 'program.updated', programId: existing.id, detail: { slug: def.slug, revision } },
          clock.now(),
        );
        return { program: { id: existing.id, slug: def.slug, revision, definition: def }, created: false };
      }
      const id = newId();
      await insertProgram(trx, {
        id,
        slug: def.slug,
        name: def.name,
        case_prefix: def.casePrefix,
        definition: JSON.stringify(def),
        revision: 1,
        created_at: now,
        updated_at: now,
      });
      await appendAudit(
        trx,
        { actor, action: 'program.created', programId: id, detail: { slug: def.slug } },
        clock.now(),
      );
      return { program: { id, slug: def.slug, revision: 1, definition: def }, created: true };
    });
  }

  return {
    list,
    find,
    async get(slug) {
      const p = await find(slug);
      if (!p) throw new NotFoundError(`There is no program "${slug}".`);
      return p;
    },
    async importYaml(text, actor) {
      return save(parseProgramYaml(text, { now: clock.now() }), actor);
    },
    async exportYaml(slug) {
      const p = await find(slug);
      if (!p) throw new NotFoundError(`There is no program "${slug}".`);
      return programToYaml(p.definition);
    },
    async seedFromDirectory(dir) {
      if ((await countPrograms(k)) > 0) return [];
      let files: string[];
      try {
        files = (await fs.readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
      } catch {
        return [];
      }
      // Validate all before saving any, so a broken example leaves an empty instance, not half of one.
      const defs = await Promise.all(
        files.map(async (f) => {
          try {
            return parseProgramYaml(await fs.readFile(path.join(dir, f), 'utf8'), { now: clock.now() });
          } catch (err) {
            if (err instanceof ValidationError) {
              throw new ValidationError(
                err.fields.map((p) => ({ ...p, path: `${f}${p.path ? `: ${p.path}` : ''}` })),
              );
            }
            throw err;
          }
        }),
      );
      const slugs: string[] = [];
      for (const def of defs) slugs.push((await save(def, 'system:seed')).program.slug);
      return slugs;
    },
  };
}
