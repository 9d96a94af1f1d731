import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import { loadCsafTests, validateCsafDocument } from '../src/disclosure/index.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';
import { WARM_TIMEOUT, warmValidators } from './helpers/validators.js';

/**
 * Vigil as a CSAF provider, with a case of each reference program taken from confirmation to
 * publication through the API: Northwind (medical devices) under an embargo the job ends,
 * Lakeside (the CNA) at once with VEX enabled. The served documents pass the validator's schema
 * and mandatory tests; provider-metadata.json, index.txt, changes.csv and the ROLIE feed agree
 * with what is served; hashes are recomputed and signatures verified by gpg against each
 * program's published key; nothing appears before the embargo's instant; TLP:AMBER documents are
 * never served; a revision whose document fails a mandatory test is refused with the validator's
 * message; the reporter's contact canary is in no artefact.
 */

const BASE = 'https://vigil.test';
const WELL_KNOWN = '/.well-known/csaf';
const DAY = 86_400_000;

/** `gpg --verify sig file` on a private, temporary home holding only `publicKey`. */
async function gpgVerifyDetached(data: string, signature: string, publicKey: string) {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-gpg-'));
  const gpg = (args: string[], input?: string) => {
    const r = spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--status-fd', '1', ...args], {
      input,
    });
    return { code: r.status, out: `${r.stdout.toString('utf8')}${r.stderr.toString('utf8')}` };
  };
  try {
    expect(gpg(['--import'], publicKey).code).toBe(0);
    await fs.writeFile(path.join(home, 'doc.json'), data);
    await fs.writeFile(path.join(home, 'doc.json.asc'), signature);
    const r = gpg(['--verify', path.join(home, 'doc.json.asc'), path.join(home, 'doc.json')]);
    const valid = /^\[GNUPG:\] VALIDSIG ([0-9A-F]{40,64}) .* ([0-9A-F]{40,64})$/m.exec(r.out);
    return { ok: r.code === 0 && valid !== null, fingerprint: valid?.[2], out: r.out };
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    await fs.rm(home, { recursive: true, force: true });
  }
}

describe.skipIf(toolMissing('gpg')).each(dialects)('CSAF provider (%s)', (dialect) => {
  const clock = createManualClock(new Date('2027-06-01T09:00:00.000Z'));
  const tag = randomBytes(4).toString('hex');
  const canary: Record<string, string> = {
    'contact.name': `Canary Person ${tag}`,
    'contact.email': `canary-${tag}@reporter.example`,
    'contact.organization': `Canary Labs ${tag}`,
  };
  /** The canary in each contact field of a program's form, whatever the field is called there. */
  const contactFields = (program: Program) =>
    Object.fromEntries(
      program.definition.form.fields.flatMap((f) =>
        f.purpose && canary[f.purpose] ? [[f.id, canary[f.purpose] as string]] : [],
      ),
    );
  let v: TestVigil;
  const programs: Record<string, Program> = {};
  const tokens: Record<string, string> = {};
  const fetched: string[] = [];

  const get = async (url: string) => {
    const res = await v.app.inject({ method: 'GET', url });
    fetched.push(res.body);
    return res;
  };
  const call = async (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await v.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload !== undefined ? { payload } : {}),
    });
    fetched.push(res.body);
    return res;
  };
  const ok = async (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await call(who, method, url, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };

  async function confirmedCase(slug: string, productId: string, versions: string, fixedIn: string) {
    const program = programs[slug] as Program;
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${slug}/reports`,
      payload: { fields: { ...validAnswers(program, 'csaf test'), ...contactFields(program) } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().caseNumber as string;
    const lead = `${slug}:lead`;
    await ok(lead, 'POST', `/api/v1/reports/${n}/acknowledge`, { contactPerson: 'Lee Lead' });
    await ok(lead, 'POST', `/api/v1/reports/${n}/start-verification`, {});
    await ok(lead, 'POST', `/api/v1/reports/${n}/confirm`, {});
    await ok(lead, 'PUT', `/api/v1/reports/${n}/assessment`, {
      cvss31: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      cwe: 'CWE-347',
      affected: [{ productId, versions, fixedIn }],
    });
    return n;
  }

  /** Draft from a case, change the content, submit and approve; the revision URL. */
  async function approved(slug: string, caseNumber: string, change: (c: Record<string, unknown>) => object) {
    const draft = await ok(`${slug}:lead`, 'POST', '/api/v1/advisories', { cases: [caseNumber] });
    const url = `/api/v1/advisories/${draft.id}/revisions/1`;
    await ok(`${slug}:lead`, 'PUT', url, change(draft.revisions[0].content));
    await ok(`${slug}:lead`, 'POST', `${url}/submit`);
    await ok(`${slug}:approver`, 'POST', `${url}/approve`);
    return { id: draft.id as string, url };
  }

  const docPath = (id: string, at: Date, suffix = '') =>
    `${WELL_KNOWN}/white/${at.getUTCFullYear()}/${id.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json${suffix}`;
  const lines = (text: string) => text.split('\n').filter((l) => l !== '');

  beforeAll(async () => {
    await warmValidators();
    // The CSAF validator compiles its schemas once per process (seconds of CPU): not inside a test.
    await loadCsafTests();
    v = await startTestVigil(dialect, { clock });
    // Lakeside asks for VEX beside its advisories (the example file leaves it off).
    const lakeside = parse(await v.services.programs.exportYaml('lakeside-health'));
    lakeside.disclosure.csaf = { vex: true };
    await v.services.programs.importYaml(stringify(lakeside), 'test');
    for (const slug of ['northwind-medical', 'lakeside-health']) {
      programs[slug] = await v.services.programs.get(slug);
      for (const [key, role, duties] of [
        ['lead', 'lead', []],
        ['approver', 'viewer', ['approver']],
      ] as const) {
        const email = `${key}.${slug}@csaf.test`;
        await v.services.accounts.createUser({ email, role, program: slug, duties: [...duties] }, 'test');
        tokens[`${slug}:${key}`] = (
          await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
        ).token;
      }
    }
    expect(programs['lakeside-health']?.definition.disclosure.csaf.vex).toBe(true);
  }, WARM_TIMEOUT);
  afterAll(async () => {
    await v?.destroy();
  });

  let northwind: { id: string; at: Date };
  let lakeside: { id: string; at: Date };

  it('holds an embargoed Northwind advisory out of every CSAF file until the job runs past its instant', async () => {
    const n = await confirmedCase('northwind-medical', 'aurora-ip400', '>= 3.0, < 3.4.2', '3.4.2');
    const embargo = new Date(clock.now().getTime() + 2 * DAY);
    const { id, url } = await approved('northwind-medical', n, (c) => ({
      ...c,
      publishNotBefore: embargo.toISOString(),
      references: [{ url: 'https://northwind.example/security', summary: 'Northwind product security' }],
    }));
    const scheduled = await ok('northwind-medical:lead', 'POST', `${url}/publish`);
    expect(scheduled.openRevision.state).toBe('scheduled');

    const nothing = async () => {
      expect((await get(docPath(id, embargo))).statusCode).toBe(404);
      expect((await get(docPath(id, embargo, '.asc'))).statusCode).toBe(404);
      expect((await get(`${WELL_KNOWN}/white/index.txt`)).body).toBe('');
      expect((await get(`${WELL_KNOWN}/white/changes.csv`)).body).toBe('');
      expect((await get(`${WELL_KNOWN}/feed-tlp-white.json`)).json().feed.entry).toEqual([]);
      const stored = await v.db.kysely.selectFrom('advisory_artefacts').select('id').execute();
      expect(stored).toEqual([]);
    };
    await nothing();
    clock.set(new Date(embargo.getTime() - 1));
    expect(await v.embargo.runOnce()).toEqual([]);
    await nothing();

    clock.set(embargo);
    expect(await v.embargo.runOnce()).toEqual([id]);
    const doc = await get(docPath(id, embargo));
    expect(doc.statusCode).toBe(200);
    expect(doc.json().document.tracking).toMatchObject({
      id,
      status: 'final',
      version: '1',
      initial_release_date: embargo.toISOString(),
    });
    expect(lines((await get(`${WELL_KNOWN}/white/index.txt`)).body)).toEqual([
      `${embargo.getUTCFullYear()}/${id.toLowerCase()}.json`,
    ]);
    northwind = { id, at: embargo };
  });

  it('publishes a Lakeside advisory at once with its VEX document; the author saw the checks first', async () => {
    clock.advance(DAY);
    const n = await confirmedCase('lakeside-health', 'lakeside-health-server', '>= 4.0, < 4.2.1', '4.2.1');
    const draft = await ok('lakeside-health:lead', 'POST', '/api/v1/advisories', { cases: [n] });
    const checks = await ok(
      'lakeside-health:lead',
      'GET',
      `/api/v1/advisories/${draft.id}/revisions/1/checks`,
    );
    expect(checks.errors).toEqual([]);
    expect(checks.artefacts.map((a: { kind: string }) => a.kind)).toEqual([
      'csaf_security_advisory',
      'csaf_vex',
    ]);
    const url = `/api/v1/advisories/${draft.id}/revisions/1`;
    await ok('lakeside-health:lead', 'POST', `${url}/submit`);
    await ok('lakeside-health:approver', 'POST', `${url}/approve`);
    await ok('lakeside-health:lead', 'POST', `${url}/publish`);
    lakeside = { id: draft.id, at: clock.now() };
    expect((await get(docPath(draft.id, clock.now()))).json().document.category).toBe(
      'csaf_security_advisory',
    );
    expect((await get(docPath(`${draft.id}-VEX`, clock.now()))).json().document.category).toBe('csaf_vex');
  });

  it('never serves a TLP:AMBER document, though it is stored for sharing', async () => {
    clock.advance(DAY);
    const n = await confirmedCase('northwind-medical', 'aurora-ip400', '>= 3.0, < 3.4.2', '3.4.2');
    const { id, url } = await approved('northwind-medical', n, (c) => ({ ...c, tlp: 'AMBER' }));
    await ok('northwind-medical:lead', 'POST', `${url}/publish`);
    const stored = await v.db.kysely
      .selectFrom('advisory_artefacts')
      .innerJoin('advisories', 'advisories.id', 'advisory_artefacts.advisory_id')
      .select(['advisory_artefacts.tlp', 'advisory_artefacts.name'])
      .where('advisories.public_id', '=', id)
      .execute();
    expect(stored).toEqual([{ tlp: 'AMBER', name: `${id.toLowerCase()}.json` }]);
    expect((await get(docPath(id, clock.now()))).statusCode).toBe(404);
    expect((await get(`${WELL_KNOWN}/white/index.txt`)).body).not.toContain(id.toLowerCase());
    expect(JSON.stringify((await get(`${WELL_KNOWN}/feed-tlp-white.json`)).json())).not.toContain(id);
  });

  it('serves a correction as the next revision of the same file; the first revision stays stored unchanged', async () => {
    clock.advance(DAY);
    const first = await v.db.kysely
      .selectFrom('advisory_artefacts')
      .selectAll()
      .where('name', '=', `${lakeside.id.toLowerCase()}.json`)
      .execute();
    await ok('lakeside-health:lead', 'POST', `/api/v1/advisories/${lakeside.id}/revisions`, {
      summary: 'Named the fixed release.',
    });
    const url = `/api/v1/advisories/${lakeside.id}/revisions/2`;
    await ok('lakeside-health:lead', 'POST', `${url}/submit`);
    await ok('lakeside-health:approver', 'POST', `${url}/approve`);
    await ok('lakeside-health:lead', 'POST', `${url}/publish`);
    const doc = (await get(docPath(lakeside.id, lakeside.at))).json();
    expect(doc.document.tracking).toMatchObject({
      version: '2',
      initial_release_date: lakeside.at.toISOString(),
      current_release_date: clock.now().toISOString(),
      revision_history: [
        { number: '1', date: lakeside.at.toISOString(), summary: 'Initial release.' },
        { number: '2', date: clock.now().toISOString(), summary: 'Named the fixed release.' },
      ],
    });
    const again = await v.db.kysely
      .selectFrom('advisory_artefacts')
      .selectAll()
      .where('name', '=', `${lakeside.id.toLowerCase()}.json`)
      .where('revision_number', '=', 1)
      .execute();
    expect(again).toEqual(first);
    const changes = lines((await get(`${WELL_KNOWN}/white/changes.csv`)).body);
    expect(changes[0]).toMatch(new RegExp(`^"\\d{4}/${lakeside.id.toLowerCase()}(-vex)?\\.json","`));
  });

  it('serves provider metadata, index.txt, changes.csv and ROLIE that agree with the documents, hashes and signatures', async () => {
    const meta = await get(`${WELL_KNOWN}/provider-metadata.json`);
    expect(meta.statusCode).toBe(200);
    expect(meta.headers['content-type']).toBe('application/json; charset=utf-8');
    const m = meta.json();
    expect(m).toMatchObject({
      canonical_url: `${BASE}${WELL_KNOWN}/provider-metadata.json`,
      metadata_version: '2.0',
      list_on_CSAF_aggregators: true,
      mirror_on_CSAF_aggregators: true,
      role: 'csaf_trusted_provider',
      // Two vendors share this instance: the instance publishes the provider metadata.
      publisher: { category: 'other', name: 'vigil.test', namespace: BASE },
      distributions: [
        {
          directory_url: `${BASE}${WELL_KNOWN}/white/`,
          rolie: { feeds: [{ tlp_label: 'WHITE', url: `${BASE}${WELL_KNOWN}/feed-tlp-white.json` }] },
        },
      ],
    });
    /** Each program's key as the public downloads it, by vendor name (the documents' publisher). */
    const keys = new Map<string, { fingerprint: string; armored: string }>();
    for (const slug of ['northwind-medical', 'lakeside-health']) {
      const armored = (await get(`/p/${slug}/key.asc`)).body;
      const { fingerprint } = await v.services.keys.publishedKeyOf(slug);
      keys.set(programs[slug]?.definition.vendor.name as string, {
        fingerprint: fingerprint.toUpperCase(),
        armored,
      });
    }
    expect(m.public_openpgp_keys.map((k: { fingerprint: string }) => k.fingerprint).sort()).toEqual(
      [...keys.values()].map((k) => k.fingerprint).sort(),
    );
    expect(m.public_openpgp_keys.map((k: { url: string }) => k.url).sort()).toEqual([
      `${BASE}/p/lakeside-health/key.asc`,
      `${BASE}/p/northwind-medical/key.asc`,
    ]);

    const index = lines((await get(`${WELL_KNOWN}/white/index.txt`)).body);
    const expected = [
      `${northwind.at.getUTCFullYear()}/${northwind.id.toLowerCase()}.json`,
      `${lakeside.at.getUTCFullYear()}/${lakeside.id.toLowerCase()}.json`,
      `${lakeside.at.getUTCFullYear()}/${lakeside.id.toLowerCase()}-vex.json`,
    ];
    expect([...index].sort()).toEqual([...expected].sort());
    const changes = lines((await get(`${WELL_KNOWN}/white/changes.csv`)).body).map((l) => {
      const cells = /^"([^"]+)","([^"]+)"$/.exec(l);
      expect(cells, l).not.toBeNull();
      return { path: cells?.[1] as string, time: cells?.[2] as string };
    });
    expect(changes.map((c) => c.path).sort()).toEqual([...index].sort());
    const times = changes.map((c) => Date.parse(c.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(changes.at(-1)?.path).toBe(expected[0]);
    expect(m.last_updated).toBe(changes[0]?.time);

    const feed = (await get(`${WELL_KNOWN}/feed-tlp-white.json`)).json().feed;
    expect(feed.link).toEqual([{ rel: 'self', href: `${BASE}${WELL_KNOWN}/feed-tlp-white.json` }]);
    expect(feed.entry.map((e: { content: { src: string } }) => e.content.src).sort()).toEqual(
      index.map((p) => `${BASE}${WELL_KNOWN}/white/${p}`).sort(),
    );

    for (const p of index) {
      const url = `${WELL_KNOWN}/white/${p}`;
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const body = res.body;
      const doc = JSON.parse(body);
      const check = await validateCsafDocument(doc);
      expect(check.errors).toEqual([]);
      expect(check.valid).toBe(true);
      expect(doc.document.distribution.tlp.label).toBe('WHITE');
      expect(doc.document.references[0]).toMatchObject({ category: 'self', url: `${BASE}${url}` });
      const change = changes.find((c) => c.path === p);
      expect(Date.parse(change?.time as string)).toBe(Date.parse(doc.document.tracking.current_release_date));
      const entry = feed.entry.find((e: { content: { src: string } }) => e.content.src === `${BASE}${url}`);
      expect(entry.id).toBe(doc.document.tracking.id);

      const name = p.split('/')[1] as string;
      const sha256 = (await get(`${url}.sha256`)).body;
      const sha512 = (await get(`${url}.sha512`)).body;
      expect(sha256).toBe(`${createHash('sha256').update(body).digest('hex')}  ${name}\n`);
      expect(sha512).toBe(`${createHash('sha512').update(body).digest('hex')}  ${name}\n`);
      const sig = await get(`${url}.asc`);
      expect(sig.body).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
      const key = keys.get(doc.document.publisher.name);
      expect(key).toBeDefined();
      const verified = await gpgVerifyDetached(body, sig.body, key?.armored as string);
      expect(verified.ok, verified.out).toBe(true);
      expect(verified.fingerprint).toBe(key?.fingerprint);
      // One changed byte and gpg refuses.
      const tampered = await gpgVerifyDetached(
        body.replace('"final"', '"draft"'),
        sig.body,
        key?.armored as string,
      );
      expect(tampered.ok).toBe(false);
    }
    expect((await get(`${WELL_KNOWN}/white/2027/nothing-here.json`)).statusCode).toBe(404);
    expect((await get(`${WELL_KNOWN}/white/2027/..%2Fprovider-metadata.json`)).statusCode).toBe(404);
  });

  it('names the provider metadata in security.txt as its first CSAF line', async () => {
    const txt = (await get('/.well-known/security.txt')).body;
    const csaf = txt.split('\n').filter((l) => l.startsWith('CSAF: '));
    expect(csaf[0]).toBe(`CSAF: ${BASE}${WELL_KNOWN}/provider-metadata.json`);
  });

  it('refuses to approve a revision whose CSAF document fails a mandatory test, with the validator message, changing nothing', async () => {
    const n = await confirmedCase('lakeside-health', 'lakeside-health-server', '>= 4.0, < 4.2.1', '4.2.1');
    const draft = await ok('lakeside-health:lead', 'POST', '/api/v1/advisories', { cases: [n] });
    const url = `/api/v1/advisories/${draft.id}/revisions/1`;
    const content = draft.revisions[0].content;
    const v0 = content.vulnerabilities[0];
    // 4.1 stated both affected and not affected: contradicting product status (CSAF 6.1.6).
    await ok('lakeside-health:lead', 'PUT', url, {
      ...content,
      vulnerabilities: [
        {
          ...v0,
          affected: [
            {
              ...v0.affected[0],
              versions: [
                { version: '4.1', status: 'affected' },
                { version: '4.1', status: 'unaffected' },
              ],
              fixedIn: '4.2.1',
            },
          ],
        },
      ],
    });
    const checks = await ok('lakeside-health:lead', 'GET', `${url}/checks`);
    expect(checks.errors.map((e: { test: string }) => e.test)).toContain('mandatoryTest_6_1_6');
    await ok('lakeside-health:lead', 'POST', `${url}/submit`);
    const before = await ok('lakeside-health:lead', 'GET', `/api/v1/advisories/${draft.id}`);
    const audits = await v.db.kysely.selectFrom('audit_log').select('seq').execute();
    const refused = await call('lakeside-health:approver', 'POST', `${url}/approve`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('mandatoryTest_6_1_6');
    expect(refused.json().fields).toContainEqual({
      path: 'csaf_security_advisory/vulnerabilities/0/product_status',
      message: expect.stringMatching(/contradicting product status groups \(mandatoryTest_6_1_6\)$/),
    });
    expect(await ok('lakeside-health:lead', 'GET', `/api/v1/advisories/${draft.id}`)).toEqual(before);
    expect(await v.db.kysely.selectFrom('audit_log').select('seq').execute()).toEqual(audits);
  });

  it('carries the reporter contact canary in no artefact, file or answer', async () => {
    const rows = await v.db.kysely.selectFrom('advisory_artefacts').select(['body', 'signature']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const texts = [...fetched, ...rows.map((r) => `${r.body}${r.signature ?? ''}`)];
    for (const value of Object.values(canary)) for (const t of texts) expect(t).not.toContain(value);
  });
});
