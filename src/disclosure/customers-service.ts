import type { Kysely } from 'kysely';
import * as openpgp from 'openpgp';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { programAuditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, type FieldProblem, NotFoundError, newId, ValidationError } from '../core/index.js';
import type { CustomerContactRow, Database, Db } from '../db/index.js';
import { readRecipientKey } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import { type ManagerAccess, managedProgram } from './customers-access.js';
import { readCustomerCsv } from './customers-csv.js';
import * as store from './customers-store.js';

/**
 * Customers of a program: organisations subscribed to its products, with the contacts who
 * receive its advisories. Managed by the program's admins and leads; every change commits with
 * an audit entry that names what changed (ids and field names — never the contact details, which
 * the append-only log could then never forget). Checks run before the transaction, so a refusal
 * writes nothing; the CSV import is all-or-nothing.
 */

export interface ContactInput {
  name: string;
  email: string;
  /** Armored OpenPGP public key; `null` on update removes it. */
  publicKey?: string | null;
}

export interface ContactView {
  id: string;
  name: string;
  email: string;
  /** Fingerprint of the contact's key (upper-case hex), or null: mail goes out unencrypted. */
  keyFingerprint: string | null;
}

export interface OrganisationView {
  id: string;
  name: string;
  products: string[];
  contacts: ContactView[];
}

export interface ImportResult {
  organisationsCreated: number;
  contactsCreated: number;
  contactsUpdated: number;
  rows: number;
}

const fingerprintOf = async (armored: string | null) =>
  armored ? (await openpgp.readKey({ armoredKey: armored })).getFingerprint().toUpperCase() : null;

export function createCustomerService(deps: { db: Db; clock: Clock; access: ManagerAccess }) {
  const { db, clock, access } = deps;
  const k = db.kysely;
  const audit = programAuditor(clock);

  function checkProducts(program: Program, products: string[], path = 'products'): FieldProblem[] {
    const known = program.definition.scope.products.map((p) => p.id);
    return products.flatMap((p, i) =>
      known.includes(p)
        ? []
        : [{ path: `${path}.${i}`, message: `"${p}" is not a product of ${program.slug}` }],
    );
  }

  /** The usable armored key of an input, or a problem naming the field. */
  async function keyOf(value: string | null | undefined, path: string, problems: FieldProblem[]) {
    if (value === undefined || value === null) return value;
    const key = await readRecipientKey(value, clock.now());
    if (!key)
      problems.push({
        path,
        message: 'not a usable OpenPGP public key (armored, able to encrypt, not expired or revoked)',
      });
    return key;
  }

  async function view(program: Program, orgId?: string): Promise<OrganisationView[]> {
    const orgs = (await store.listOrgs(k, program.id)).filter((o) => orgId === undefined || o.id === orgId);
    const ids = orgs.map((o) => o.id);
    const contacts = await store.contactsOf(k, ids);
    const subs = await store.subscriptionsOf(k, ids);
    return Promise.all(
      orgs.map(async (o) => ({
        id: o.id,
        name: o.name,
        products: subs.get(o.id) ?? [],
        contacts: await Promise.all(
          contacts
            .filter((c) => c.org_id === o.id)
            .map(async (c) => ({
              id: c.id,
              name: c.name,
              email: c.email,
              keyFingerprint: await fingerprintOf(c.public_key),
            })),
        ),
      })),
    );
  }

  async function orgIn(program: Program, orgId: string) {
    const org = await store.findOrg(k, program.id, orgId);
    if (!org) throw new NotFoundError(`${program.slug} has no customer organisation ${orgId}.`);
    return org;
  }

  const one = async (program: Program, orgId: string) => (await view(program, orgId))[0] as OrganisationView;

  async function sameName(program: Program, name: string, except?: string) {
    const taken = (await store.listOrgs(k, program.id)).find(
      (o) => o.name.toLowerCase() === name.toLowerCase() && o.id !== except,
    );
    if (taken)
      throw new ConflictError(`${program.slug} already has a customer organisation named "${name}".`);
  }

  async function sameEmail(orgId: string, email: string, except?: string) {
    if ((await store.contactsOf(k, [orgId])).some((c) => c.email === email && c.id !== except))
      throw new ConflictError('This organisation already has a contact with that email address.');
  }

  return {
    async list(caller: StaffCaller, slug: string): Promise<OrganisationView[]> {
      return view(await managedProgram(access, caller, slug, 'read'));
    },

    async createOrganisation(
      caller: StaffCaller,
      slug: string,
      input: { name: string; products: string[]; contacts: ContactInput[] },
    ): Promise<OrganisationView> {
      const program = await managedProgram(access, caller, slug, 'change');
      const problems = checkProducts(program, input.products);
      const keys: (string | null | undefined)[] = [];
      for (const [i, c] of input.contacts.entries())
        keys.push(await keyOf(c.publicKey, `contacts.${i}.publicKey`, problems));
      const emails = input.contacts.map((c) => c.email.toLowerCase());
      emails.forEach((e, i) => {
        if (emails.indexOf(e) !== i) problems.push({ path: `contacts.${i}.email`, message: 'listed twice' });
      });
      if (problems.length > 0) throw new ValidationError(problems);
      await sameName(program, input.name);
      const at = clock.now().toISOString();
      const id = newId();
      await k.transaction().execute(async (trx) => {
        await store.insertOrg(trx, {
          id,
          program_id: program.id,
          name: input.name,
          created_at: at,
          updated_at: at,
        });
        await store.setSubscriptions(trx, id, input.products, at);
        const contactIds: string[] = [];
        for (const [i, c] of input.contacts.entries()) {
          const contactId = newId();
          contactIds.push(contactId);
          await store.insertContact(trx, contactRow(contactId, id, c, keys[i] ?? null, at));
        }
        await audit(trx, actorOf(caller), 'customer.organisation_created', program, {
          organisation: id,
          name: input.name,
          products: [...new Set(input.products)],
          contacts: contactIds,
        });
      });
      return one(program, id);
    },

    async updateOrganisation(
      caller: StaffCaller,
      slug: string,
      orgId: string,
      input: { name?: string; products?: string[] },
    ): Promise<OrganisationView> {
      const program = await managedProgram(access, caller, slug, 'change');
      await orgIn(program, orgId);
      const problems = input.products ? checkProducts(program, input.products) : [];
      if (problems.length > 0) throw new ValidationError(problems);
      if (input.name !== undefined) await sameName(program, input.name, orgId);
      const at = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        if (input.name !== undefined) await store.renameOrg(trx, orgId, input.name, at);
        if (input.products) await store.setSubscriptions(trx, orgId, input.products, at);
        await audit(trx, actorOf(caller), 'customer.organisation_updated', program, {
          organisation: orgId,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.products ? { products: [...new Set(input.products)] } : {}),
        });
      });
      return one(program, orgId);
    },

    async deleteOrganisation(caller: StaffCaller, slug: string, orgId: string): Promise<void> {
      const program = await managedProgram(access, caller, slug, 'change');
      const org = await orgIn(program, orgId);
      await k.transaction().execute(async (trx) => {
        await store.deleteOrg(trx, orgId);
        await audit(trx, actorOf(caller), 'customer.organisation_deleted', program, {
          organisation: orgId,
          name: org.name,
        });
      });
    },

    async addContact(
      caller: StaffCaller,
      slug: string,
      orgId: string,
      input: ContactInput,
    ): Promise<OrganisationView> {
      const program = await managedProgram(access, caller, slug, 'change');
      await orgIn(program, orgId);
      const problems: FieldProblem[] = [];
      const key = await keyOf(input.publicKey, 'publicKey', problems);
      if (problems.length > 0) throw new ValidationError(problems);
      await sameEmail(orgId, input.email.toLowerCase());
      const at = clock.now().toISOString();
      const id = newId();
      await k.transaction().execute(async (trx) => {
        await store.insertContact(trx, contactRow(id, orgId, input, key ?? null, at));
        await audit(trx, actorOf(caller), 'customer.contact_added', program, {
          organisation: orgId,
          contact: id,
        });
      });
      return one(program, orgId);
    },

    async updateContact(
      caller: StaffCaller,
      slug: string,
      orgId: string,
      contactId: string,
      input: Partial<ContactInput>,
    ): Promise<OrganisationView> {
      const program = await managedProgram(access, caller, slug, 'change');
      await orgIn(program, orgId);
      const contact = (await store.contactsOf(k, [orgId])).find((c) => c.id === contactId);
      if (!contact) throw new NotFoundError(`This organisation has no contact ${contactId}.`);
      const problems: FieldProblem[] = [];
      const key = await keyOf(input.publicKey, 'publicKey', problems);
      if (problems.length > 0) throw new ValidationError(problems);
      if (input.email !== undefined) await sameEmail(orgId, input.email.toLowerCase(), contactId);
      const at = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        await store.updateContact(trx, contactId, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.email !== undefined ? { email: input.email.toLowerCase() } : {}),
          ...(input.publicKey !== undefined ? { public_key: key ?? null } : {}),
          updated_at: at,
        });
        await audit(trx, actorOf(caller), 'customer.contact_updated', program, {
          organisation: orgId,
          contact: contactId,
          fields: Object.keys(input).filter((f) => input[f as keyof ContactInput] !== undefined),
        });
      });
      return one(program, orgId);
    },

    async deleteContact(caller: StaffCaller, slug: string, orgId: string, contactId: string): Promise<void> {
      const program = await managedProgram(access, caller, slug, 'change');
      await orgIn(program, orgId);
      if (!(await store.contactsOf(k, [orgId])).some((c) => c.id === contactId))
        throw new NotFoundError(`This organisation has no contact ${contactId}.`);
      await k.transaction().execute(async (trx) => {
        await store.deleteContact(trx, contactId);
        await audit(trx, actorOf(caller), 'customer.contact_deleted', program, {
          organisation: orgId,
          contact: contactId,
        });
      });
    },

    /**
     * Import the CSV described in customers-csv.ts: all rows or none. A bad row, or several,
     * answer 400 with one problem per bad line (`line <n>`), and nothing is written.
     */
    async importCsv(caller: StaffCaller, slug: string, text: string): Promise<ImportResult> {
      const program = await managedProgram(access, caller, slug, 'change');
      const { rows, problems } = readCustomerCsv(
        text,
        program.definition.scope.products.map((p) => p.id),
      );
      const keys = new Map<number, string>();
      for (const r of rows) {
        if (r.pgpKey === undefined) continue;
        const key = await readRecipientKey(r.pgpKey, clock.now());
        if (key) keys.set(r.line, key);
        else problems.push({ path: `line ${r.line}`, message: 'pgp_key: not a usable OpenPGP public key' });
      }
      if (problems.length > 0) {
        problems.sort((a, b) => lineOf(a.path) - lineOf(b.path));
        throw new ValidationError(problems);
      }
      const at = clock.now().toISOString();
      const result: ImportResult = {
        organisationsCreated: 0,
        contactsCreated: 0,
        contactsUpdated: 0,
        rows: rows.length,
      };
      await k.transaction().execute(async (trx) => {
        const orgs = new Map(
          (await store.listOrgs(trx, program.id)).map((o) => [o.name.toLowerCase(), o.id]),
        );
        const created: string[] = [];
        for (const r of rows) {
          let orgId = orgs.get(r.organisation.toLowerCase());
          if (!orgId) {
            orgId = newId();
            orgs.set(r.organisation.toLowerCase(), orgId);
            await store.insertOrg(trx, {
              id: orgId,
              program_id: program.id,
              name: r.organisation,
              created_at: at,
              updated_at: at,
            });
            created.push(orgId);
            result.organisationsCreated++;
          }
          await store.addSubscriptions(trx, orgId, r.products, at);
          const existing = (await store.contactsOf(trx, [orgId])).find((c) => c.email === r.email);
          const key = keys.get(r.line);
          if (existing) {
            await store.updateContact(trx, existing.id, {
              name: r.name,
              ...(key ? { public_key: key } : {}),
              updated_at: at,
            });
            result.contactsUpdated++;
          } else {
            await store.insertContact(trx, contactRow(newId(), orgId, r, key ?? null, at));
            result.contactsCreated++;
          }
        }
        await audit(trx, actorOf(caller), 'customer.imported', program, {
          ...result,
          organisations: created,
        });
      });
      return result;
    },
  };
}

const lineOf = (path: string) => Number(/^line (\d+)$/.exec(path)?.[1] ?? 0);

function contactRow(
  id: string,
  orgId: string,
  c: { name: string; email: string },
  key: string | null,
  at: string,
): CustomerContactRow {
  return {
    id,
    org_id: orgId,
    name: c.name,
    email: c.email.toLowerCase(),
    public_key: key,
    created_at: at,
    updated_at: at,
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
