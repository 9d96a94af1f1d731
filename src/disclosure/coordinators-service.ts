import * as openpgp from 'openpgp';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { programAuditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, type FieldProblem, NotFoundError, newId, ValidationError } from '../core/index.js';
import type { CoordinatorRow, Db } from '../db/index.js';
import { readRecipientKey } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import type { TlpLabel } from './advisory-model.js';
import { type ManagerAccess, managedProgram } from './customers-access.js';
import * as store from './customers-store.js';

/**
 * Coordinators of a program — a health ISAC, a national CERT — that receive sharing packages
 * of advisories, always encrypted: a coordinator without a usable OpenPGP key cannot be saved.
 * Managed, like customers, by the program's admins and leads, each change audited.
 */

export interface CoordinatorInput {
  name: string;
  email: string;
  publicKey: string;
  defaultTlp: TlpLabel;
}

export interface CoordinatorView {
  id: string;
  name: string;
  email: string;
  keyFingerprint: string;
  defaultTlp: TlpLabel;
}

export async function coordinatorView(c: CoordinatorRow): Promise<CoordinatorView> {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    keyFingerprint: (await openpgp.readKey({ armoredKey: c.public_key })).getFingerprint().toUpperCase(),
    defaultTlp: c.default_tlp as TlpLabel,
  };
}

export function createCoordinatorService(deps: { db: Db; clock: Clock; access: ManagerAccess }) {
  const { db, clock, access } = deps;
  const k = db.kysely;

  async function usableKey(value: string): Promise<string> {
    const key = await readRecipientKey(value, clock.now());
    if (!key)
      throw new ValidationError([
        {
          path: 'publicKey',
          message: 'not a usable OpenPGP public key (armored, able to encrypt, not expired or revoked)',
        },
      ]);
    return key;
  }

  async function coordinatorIn(program: Program, id: string) {
    const c = (await store.listCoordinators(k, program.id)).find((x) => x.id === id);
    if (!c) throw new NotFoundError(`${program.slug} has no coordinator ${id}.`);
    return c;
  }

  async function uniqueName(program: Program, name: string, except?: string) {
    if (
      (await store.listCoordinators(k, program.id)).some(
        (c) => c.name.toLowerCase() === name.toLowerCase() && c.id !== except,
      )
    )
      throw new ConflictError(`${program.slug} already has a coordinator named "${name}".`);
  }

  const audit = programAuditor(clock);

  return {
    async list(caller: StaffCaller, slug: string): Promise<CoordinatorView[]> {
      const program = await managedProgram(access, caller, slug, 'read');
      return Promise.all((await store.listCoordinators(k, program.id)).map(coordinatorView));
    },

    async create(caller: StaffCaller, slug: string, input: CoordinatorInput): Promise<CoordinatorView> {
      const program = await managedProgram(access, caller, slug, 'change');
      const key = await usableKey(input.publicKey);
      await uniqueName(program, input.name);
      const at = clock.now().toISOString();
      const row: CoordinatorRow = {
        id: newId(),
        program_id: program.id,
        name: input.name,
        email: input.email.toLowerCase(),
        public_key: key,
        default_tlp: input.defaultTlp,
        created_at: at,
        updated_at: at,
      };
      await k.transaction().execute(async (trx) => {
        await store.insertCoordinator(trx, row);
        await audit(trx, actorOf(caller), 'coordinator.created', program, {
          coordinator: row.id,
          name: row.name,
        });
      });
      return coordinatorView(row);
    },

    async update(
      caller: StaffCaller,
      slug: string,
      id: string,
      input: Partial<CoordinatorInput>,
    ): Promise<CoordinatorView> {
      const program = await managedProgram(access, caller, slug, 'change');
      await coordinatorIn(program, id);
      const key = input.publicKey !== undefined ? await usableKey(input.publicKey) : undefined;
      if (input.name !== undefined) await uniqueName(program, input.name, id);
      const at = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        await store.updateCoordinator(trx, id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.email !== undefined ? { email: input.email.toLowerCase() } : {}),
          ...(key !== undefined ? { public_key: key } : {}),
          ...(input.defaultTlp !== undefined ? { default_tlp: input.defaultTlp } : {}),
          updated_at: at,
        });
        await audit(trx, actorOf(caller), 'coordinator.updated', program, {
          coordinator: id,
          fields: Object.keys(input).filter((f) => input[f as keyof CoordinatorInput] !== undefined),
        });
      });
      return coordinatorView(await coordinatorIn(program, id));
    },

    async remove(caller: StaffCaller, slug: string, id: string): Promise<void> {
      const program = await managedProgram(access, caller, slug, 'change');
      const c = await coordinatorIn(program, id);
      await k.transaction().execute(async (trx) => {
        if (!(await store.deleteCoordinator(trx, id)))
          throw new ConflictError(
            `Advisories were shared with ${c.name}; the sharing log refers to it, so it stays.`,
          );
        await audit(trx, actorOf(caller), 'coordinator.deleted', program, { coordinator: id, name: c.name });
      });
    },

    /** Coordinators of a program by id, for sharing; every unknown id is a problem at `coordinatorIds.<i>`. */
    async resolve(program: Program, ids: string[]): Promise<CoordinatorRow[]> {
      const all = await store.listCoordinators(k, program.id);
      const problems: FieldProblem[] = [];
      const found: CoordinatorRow[] = [];
      ids.forEach((id, i) => {
        const c = all.find((x) => x.id === id);
        if (c) found.push(c);
        else
          problems.push({ path: `coordinatorIds.${i}`, message: `${program.slug} has no coordinator ${id}` });
      });
      if (problems.length > 0) throw new ValidationError(problems);
      return found;
    },
  };
}

export type CoordinatorService = ReturnType<typeof createCoordinatorService>;
