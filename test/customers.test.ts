import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Customers and coordinators through the staff API: admins and leads only, unknown products and
 * unusable keys refused naming the field with nothing written, contacts edited and removed only
 * through their own organisation and program, the CSV import all-or-nothing with every bad line
 * named, and every change audited without the contact details.
 */

const SLUG = 'lakeside-health';
const base = `/api/v1/programs/${SLUG}`;

describe.each(dialects)('customers and coordinators (%s)', (dialect) => {
  const clock = createManualClock(new Date('2027-03-01T15:00:00.000Z'));
  let v: TestVigil;
  const tokens: Record<string, string> = {};
  let key: string;

  const call = (
    who: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    type?: string,
  ) =>
    v.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(type ? { 'content-type': type } : {}) },
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
  const count = async (
    table: 'customer_orgs' | 'customer_contacts' | 'customer_subscriptions' | 'coordinators' | 'audit_log',
  ) =>
    Number(
      (
        await v.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    orgs: await count('customer_orgs'),
    contacts: await count('customer_contacts'),
    subs: await count('customer_subscriptions'),
    coordinators: await count('coordinators'),
    audit: await count('audit_log'),
  });
  const paths = (res: { json(): { fields?: { path: string }[] } }) => res.json().fields?.map((f) => f.path);

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    for (const [who, role, program] of [
      ['lead', 'lead', SLUG],
      ['handler', 'handler', SLUG],
      ['outsider', 'lead', 'northwind-medical'],
    ] as const) {
      const email = `${who}@customers.test`;
      await v.services.accounts.createUser({ email, name: who, role, program }, 'test');
      tokens[who] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
    tokens.leadRead = (
      await v.services.accounts.createToken({ userEmail: 'lead@customers.test', scope: 'read' }, 'test')
    ).token;
    key = (
      await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ name: 'IT', email: 'it@elsewhere.example' }],
        format: 'armored',
      })
    ).publicKey;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('creates an organisation with contacts and subscriptions; refusals name the field and write nothing', async () => {
    const before = await counts();
    const good = {
      name: 'St Elsewhere Hospital',
      products: ['lakeside-health-server'],
      contacts: [
        { name: 'Ines IT', email: 'IT@Elsewhere.example', publicKey: key },
        { name: 'Cleo CISO', email: 'ciso@elsewhere.example' },
      ],
    };
    let res = await call('lead', 'POST', `${base}/customers`, {
      ...good,
      products: ['lakeside-health-server', 'toaster'],
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['products.1']);
    res = await call('lead', 'POST', `${base}/customers`, {
      ...good,
      contacts: [
        { ...good.contacts[0], publicKey: 'not a key' },
        { ...good.contacts[1], email: 'nope' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['contacts.1.email']);
    res = await call('lead', 'POST', `${base}/customers`, {
      ...good,
      contacts: [{ ...good.contacts[0], publicKey: 'not a key' }],
    });
    expect(paths(res)).toEqual(['contacts.0.publicKey']);
    expect((await call('handler', 'POST', `${base}/customers`, good)).statusCode).toBe(403);
    expect((await call('leadRead', 'POST', `${base}/customers`, good)).statusCode).toBe(403);
    expect((await call('outsider', 'POST', `${base}/customers`, good)).statusCode).toBe(404);
    expect(await counts()).toEqual(before);

    res = await call('lead', 'POST', `${base}/customers`, good);
    expect(res.statusCode, res.body).toBe(201);
    const org = res.json();
    const fingerprint = (await openpgp.readKey({ armoredKey: key })).getFingerprint().toUpperCase();
    expect(org).toMatchObject({
      name: 'St Elsewhere Hospital',
      products: ['lakeside-health-server'],
      contacts: [
        { name: 'Cleo CISO', email: 'ciso@elsewhere.example', keyFingerprint: null },
        { name: 'Ines IT', email: 'it@elsewhere.example', keyFingerprint: fingerprint },
      ],
    });
    expect(res.body).not.toContain('BEGIN PGP');
    expect((await call('lead', 'POST', `${base}/customers`, good)).statusCode).toBe(409);

    // Read-only tokens of a lead may list; handlers may not; other programs' leads see nothing.
    expect((await call('leadRead', 'GET', `${base}/customers`)).json().organisations).toHaveLength(1);
    expect((await call('handler', 'GET', `${base}/customers`)).statusCode).toBe(403);
    expect((await call('outsider', 'GET', `${base}/customers`)).statusCode).toBe(404);

    // Changes: subscriptions replaced, a contact renamed and its key removed, one deleted.
    res = await call('lead', 'PATCH', `${base}/customers/${org.id}`, { products: ['toaster'] });
    expect(paths(res)).toEqual(['products.0']);
    res = await call('lead', 'PATCH', `${base}/customers/${org.id}`, {
      products: ['lakeside-platform', 'lakeside-health-server'],
    });
    expect(res.json().products).toEqual(['lakeside-health-server', 'lakeside-platform']);
    const ines = org.contacts[1].id;
    res = await call('lead', 'PATCH', `${base}/customers/${org.id}/contacts/${ines}`, {
      name: 'Ines Admin',
      publicKey: null,
    });
    expect(res.json().contacts[1]).toMatchObject({ name: 'Ines Admin', keyFingerprint: null });
    res = await call('lead', 'POST', `${base}/customers/${org.id}/contacts`, {
      name: 'Dup',
      email: 'ciso@elsewhere.example',
    });
    expect(res.statusCode).toBe(409);
    expect((await call('lead', 'DELETE', `${base}/customers/${org.id}/contacts/${ines}`)).statusCode).toBe(
      204,
    );

    // Every change audited, with ids and field names but never the addresses.
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', 'like', 'customer.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'customer.organisation_created',
      'customer.organisation_updated',
      'customer.contact_updated',
      'customer.contact_deleted',
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/elsewhere\.example/);
    expect((await call('lead', 'DELETE', `${base}/customers/${org.id}`)).statusCode).toBe(204);
    expect(await count('customer_orgs')).toBe(before.orgs);
  });

  it('edits and removes a contact: bad input named with nothing kept, another program answered 404', async () => {
    type Org = { id: string; contacts: { id: string; name: string; email: string }[] };
    const create = async (name: string, contacts: { name: string; email: string }[]) => {
      const res = await call('lead', 'POST', `${base}/customers`, {
        name,
        products: ['lakeside-platform'],
        contacts,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Org;
    };
    const org = await create('Riverside Clinic', [
      { name: 'Rae Ops', email: 'rae@riverside.example' },
      { name: 'Taken', email: 'taken@riverside.example' },
    ]);
    const other = await create('Hilltop Care', [{ name: 'Hal', email: 'hal@hilltop.example' }]);
    const [rae] = org.contacts;
    const url = `${base}/customers/${org.id}/contacts/${rae?.id}`;
    const stored = async () =>
      (await call('lead', 'GET', `${base}/customers`)).json().organisations.find((o: Org) => o.id === org.id);
    const before = { counts: await counts(), org: await stored() };

    // Each refusal names its field and keeps nothing, not even the fields that were fine.
    const bad: [object, string[]][] = [
      [{ name: 'Rae Renamed', email: 'not an address' }, ['email']],
      [{ name: ' ' }, ['name']],
      [{ name: 'Rae Renamed', publicKey: 'not a key' }, ['publicKey']],
      [{ name: 'Rae Renamed', phone: '555' }, ['phone']],
    ];
    for (const [body, expected] of bad) {
      const res = await call('lead', 'PATCH', url, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(paths(res)).toEqual(expected);
    }
    let res = await call('lead', 'PATCH', url, { name: 'Rae Renamed', email: 'TAKEN@riverside.example' });
    expect(res.statusCode).toBe(409);
    expect((await call('handler', 'PATCH', url, { name: 'Rae Renamed' })).statusCode).toBe(403);
    expect((await call('leadRead', 'PATCH', url, { name: 'Rae Renamed' })).statusCode).toBe(403);
    // Another program's lead: not through this program, nor by naming the ids under their own.
    expect((await call('outsider', 'PATCH', url, { name: 'Rae Renamed' })).statusCode).toBe(404);
    expect(
      (
        await call(
          'outsider',
          'PATCH',
          `/api/v1/programs/northwind-medical/customers/${org.id}/contacts/${rae?.id}`,
          { name: 'Rae Renamed' },
        )
      ).statusCode,
    ).toBe(404);
    expect((await call('outsider', 'DELETE', url)).statusCode).toBe(404);
    // A contact is reached only through its own organisation.
    expect(
      (
        await call('lead', 'PATCH', `${base}/customers/${other.id}/contacts/${rae?.id}`, {
          name: 'Rae Renamed',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await call('lead', 'DELETE', `${base}/customers/${other.id}/contacts/${rae?.id}`)).statusCode,
    ).toBe(404);
    expect(await counts()).toEqual(before.counts);
    expect(await stored()).toEqual(before.org);

    // A good edit: name, address (kept in lower case) and a key, audited by field name only.
    res = await call('lead', 'PATCH', url, {
      name: 'Rae Operations',
      email: 'Rae.Ops@Riverside.example',
      publicKey: key,
    });
    expect(res.statusCode, res.body).toBe(200);
    const fingerprint = (await openpgp.readKey({ armoredKey: key })).getFingerprint().toUpperCase();
    expect(res.json().contacts.find((c: { id: string }) => c.id === rae?.id)).toEqual({
      id: rae?.id,
      name: 'Rae Operations',
      email: 'rae.ops@riverside.example',
      keyFingerprint: fingerprint,
    });
    expect(res.body).not.toContain('BEGIN PGP');
    const lastAudit = async () =>
      v.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
    let entry = await lastAudit();
    expect(entry.action).toBe('customer.contact_updated');
    expect(JSON.parse(entry.detail)).toEqual({
      organisation: org.id,
      contact: rae?.id,
      fields: ['name', 'email', 'publicKey'],
    });
    expect(entry.detail).not.toMatch(/riverside\.example|Rae/);

    // Removal: the handler may not, the lead may, and a second try finds nothing.
    expect((await call('handler', 'DELETE', url)).statusCode).toBe(403);
    expect((await call('lead', 'DELETE', url)).statusCode).toBe(204);
    expect((await call('lead', 'DELETE', url)).statusCode).toBe(404);
    expect((await call('lead', 'PATCH', url, { name: 'Back' })).statusCode).toBe(404);
    entry = await lastAudit();
    expect(entry.action).toBe('customer.contact_deleted');
    expect(JSON.parse(entry.detail)).toEqual({ organisation: org.id, contact: rae?.id });
    expect((await stored()).contacts.map((c: { name: string }) => c.name)).toEqual(['Taken']);

    for (const o of [org, other])
      expect((await call('lead', 'DELETE', `${base}/customers/${o.id}`)).statusCode).toBe(204);
  });

  it('imports CSV all-or-nothing, naming every bad line', async () => {
    const before = await counts();
    const bad = [
      'organisation,name,email,products,pgp_key',
      'Mercy Clinics,Ola Ops,ops@mercy.example,lakeside-health-server;lakeside-platform,',
      'Mercy Clinics,Sam Shared,shared@it-services.example,toaster,',
      'County Health,Sam Shared,not-an-address,lakeside-health-server,',
      `County Health,"Quoted, Name",q@county.example,lakeside-health-server,"${key}"`,
      'Broken Key Ltd,Bo,bo@broken.example,lakeside-platform,"-----BEGIN PGP PUBLIC KEY BLOCK-----\nnonsense\n-----END PGP PUBLIC KEY BLOCK-----"',
      ',No Org,no@org.example,lakeside-platform,',
    ].join('\r\n');
    const keyLines = key.split('\n').length - 1;
    let res = await call('lead', 'POST', `${base}/customers/import`, bad, 'text/csv');
    expect(res.statusCode, res.body).toBe(400);
    // The quoted key spans lines, so the rows after it start further down.
    expect(paths(res)).toEqual(['line 3', 'line 4', `line ${6 + keyLines}`, `line ${9 + keyLines}`]);
    expect(res.json().fields[0].message).toMatch(/"toaster" is not a product/);
    expect(res.json().fields[2].message).toMatch(/pgp_key/);
    expect(await counts()).toEqual(before);

    res = await call(
      'lead',
      'POST',
      `${base}/customers/import`,
      'organisation,name,mail,products\nA,B,c@d.example,x',
      'text/csv',
    );
    expect(paths(res)).toEqual(['header', 'header']);
    res = await call('lead', 'POST', `${base}/customers/import`, { organisation: 'x' });
    expect(res.statusCode).toBe(415);
    expect(
      (
        await call(
          'handler',
          'POST',
          `${base}/customers/import`,
          'organisation,name,email,products\n',
          'text/csv',
        )
      ).statusCode,
    ).toBe(403);
    expect(await counts()).toEqual(before);

    const good = [
      'organisation,name,email,products,pgp_key',
      'Mercy Clinics,Ola Ops,ops@mercy.example,lakeside-health-server;lakeside-platform,',
      'County Health,Sam Shared,shared@it-services.example,lakeside-health-server,',
      `County Health,"Quoted, Name",q@county.example,lakeside-health-server,"${key}"`,
      '',
    ].join('\n');
    res = await call('lead', 'POST', `${base}/customers/import`, good, 'text/csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ organisationsCreated: 2, contactsCreated: 3, contactsUpdated: 0, rows: 3 });
    // Importing again updates the same contacts rather than doubling them.
    res = await call(
      'lead',
      'POST',
      `${base}/customers/import`,
      good.replace('Ola Ops', 'Ola Operations'),
      'text/csv',
    );
    expect(res.json()).toEqual({ organisationsCreated: 0, contactsCreated: 0, contactsUpdated: 3, rows: 3 });
    const orgs = (await call('lead', 'GET', `${base}/customers`)).json().organisations;
    expect(orgs.map((o: { name: string; products: string[] }) => [o.name, o.products])).toEqual([
      ['County Health', ['lakeside-health-server']],
      ['Mercy Clinics', ['lakeside-health-server', 'lakeside-platform']],
    ]);
    expect(orgs[0].contacts.find((c: { email: string }) => c.email === 'q@county.example').name).toBe(
      'Quoted, Name',
    );
    expect(orgs[1].contacts[0].name).toBe('Ola Operations');
  });

  it('keeps coordinators with a required, usable key and AMBER by default', async () => {
    const before = await counts();
    const input = { name: 'Health-ISAC', email: 'share@h-isac.example', publicKey: key };
    let res = await call('lead', 'POST', `${base}/coordinators`, { ...input, publicKey: undefined });
    expect(paths(res)).toEqual(['publicKey']);
    res = await call('lead', 'POST', `${base}/coordinators`, { ...input, publicKey: 'garbage' });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['publicKey']);
    expect((await call('handler', 'POST', `${base}/coordinators`, input)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
    res = await call('lead', 'POST', `${base}/coordinators`, input);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Health-ISAC', defaultTlp: 'AMBER' });
    expect(res.body).not.toContain('BEGIN PGP');
    const id = res.json().id;
    res = await call('lead', 'PATCH', `${base}/coordinators/${id}`, { defaultTlp: 'GREEN' });
    expect(res.json().defaultTlp).toBe('GREEN');
    expect((await call('lead', 'GET', `${base}/coordinators`)).json().coordinators).toHaveLength(1);
    expect((await call('lead', 'DELETE', `${base}/coordinators/${id}`)).statusCode).toBe(204);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await v.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>)
      .flatMap((p) => Object.values(p))
      .map((o) => o.operationId);
    expect(ops).toEqual(
      expect.arrayContaining([
        'listCustomers',
        'createCustomer',
        'importCustomers',
        'updateCustomer',
        'deleteCustomer',
        'addCustomerContact',
        'updateCustomerContact',
        'deleteCustomerContact',
        'listCoordinators',
        'createCoordinator',
        'updateCoordinator',
        'deleteCoordinator',
        'shareAdvisory',
        'listAdvisoryDeliveries',
      ]),
    );
  });
});
