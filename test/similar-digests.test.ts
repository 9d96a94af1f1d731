import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffCaller } from '../src/accounts/index.js';
import {
  type DigestKey,
  decodeDigest,
  extractFeatures,
  hashFeatures,
  openDigestKey,
} from '../src/case-features/index.js';
import { createFeatureDigestBackfill, createSimilarService } from '../src/cases/index.js';
import { createManualClock } from '../src/core/clock.js';
import { createSealer, loadKeyring, type Sealer } from '../src/crypto/index.js';
import { caseFeatureDigests } from '../src/db/migrations/2026-12-07T1100-case-feature-digests.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

const LIBRARY_BUG =
  'The drug library update service of the pump accepts unsigned library files, so a crafted library ' +
  'raises the bolus dose limit above the safe maximum. Reproduce: POST ' +
  'https://pump.northwind.example/api/v1/library/upload?format=raw with the crafted file.';
const LIBRARY_DUPLICATE =
  'Unsigned drug library files are accepted by the library update service; the bolus dose limit can be ' +
  'raised that way. Endpoint: /api/v1/library/upload';
const FILLERS = [
  'Battery drains in standby after the nightly self-test.',
  'Keypad beeps twice when the door of the pump is opened.',
  'Screen dims early on the monitor in the night mode.',
  'Telnet is left enabled on the service port with a default technician password.',
  'Alarm labels are shown unescaped in the monitor web console at /console/alarms.',
  'The gateway writes session tokens into its debug log at /var/log/gateway.',
];

/**
 * Feature digests through the real intake, redaction and backfill, on every dialect: written at
 * intake, recomputed when a redaction changes the text, filled in for cases from before the
 * migration, and what the case page scores by — without opening any candidate.
 */
describe.each(dialects)('similar cases from feature digests (%s)', (dialect) => {
  const clock = createManualClock(new Date('2026-03-02T15:00:00.000Z'));
  let v: TestVigil;
  let sealer: Sealer;
  let northwind: Program;
  let admin: StaffCaller;
  let key: DigestKey;
  const n: Record<string, string> = {};

  async function submit(text: string): Promise<string> {
    const fields = { ...validAnswers(northwind, 'x'), description: text, product: 'aurora-ip400' };
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${northwind.slug}/reports`,
      payload: { fields },
    });
    expect(res.statusCode, res.body).toBe(201);
    clock.advance(3_600_000);
    return res.json().caseNumber as string;
  }

  const rowOf = (caseNumber: string) =>
    v.db.kysely
      .selectFrom('reports')
      .select(['id', 'feature_digest'])
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();

  /** Whether a case's stored digest holds the word (its keyed hash, as the page would compute it). */
  async function digestHolds(caseNumber: string, word: string): Promise<boolean> {
    const { feature_digest } = await rowOf(caseNumber);
    const stored = decodeDigest(feature_digest as Buffer);
    const probe = hashFeatures(extractFeatures({ texts: [word], products: [], cwes: [] }), key);
    const [hashed] = [...probe.hashed.features.terms.keys()];
    return stored?.features.terms.has(hashed as string) ?? false;
  }

  async function user(email: string, role: string, duties: string[] = []): Promise<StaffCaller> {
    await v.services.accounts.createUser({ email, role, program: 'northwind-medical', duties }, 'test');
    const { token } = await v.services.accounts.createToken(
      { userEmail: email, scope: 'read-write' },
      'test',
    );
    return v.services.accounts.authenticate(token);
  }

  /** The similar service over a sealer that records what it opens. */
  function countingService() {
    const opened: string[] = [];
    const counting: Sealer = {
      ...sealer,
      open: (sealed, aad) => {
        opened.push(aad ?? '');
        return sealer.open(sealed, aad);
      },
      openJson: (sealed, aad) => {
        opened.push(aad ?? '');
        return sealer.openJson(sealed, aad);
      },
    };
    return {
      opened,
      service: createSimilarService({ db: v.db, sealer: counting, clock, access: v.services.access }),
    };
  }

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    sealer = createSealer(await loadKeyring({ masterKey: v.config.masterKey, dataDir: v.config.dataDir }));
    northwind = await v.services.programs.get('northwind-medical');
    await v.services.accounts.createUser({ email: 'admin@digest.test', role: 'admin' }, 'test');
    const { token } = await v.services.accounts.createToken(
      { userEmail: 'admin@digest.test', scope: 'read-write' },
      'test',
    );
    admin = await v.services.accounts.authenticate(token);
    n.target = await submit(LIBRARY_BUG);
    for (const [i, t] of FILLERS.entries()) n[`filler${i}`] = await submit(t);
    n.duplicate = await submit(LIBRARY_DUPLICATE);
    key = await openDigestKey(v.db.kysely, sealer, northwind.id, clock.now());
  });

  afterAll(async () => {
    await v?.destroy();
  });

  it('writes a digest at intake, under the program key, holding no word of the report', async () => {
    const { feature_digest } = await rowOf(n.target as string);
    expect(feature_digest).toBeInstanceOf(Buffer);
    const digest = feature_digest as Buffer;
    expect(decodeDigest(digest)?.keyId).toBe(key.id);
    const raw = digest.toString('latin1');
    for (const word of ['library', 'bolus', 'unsigned', 'upload', 'northwind', 'aurora'])
      expect(raw).not.toContain(word);
    expect(await digestHolds(n.target as string, 'bolus')).toBe(true);
    // One key per program, sealed: the row holds no key in clear.
    const keys = await v.db.kysely.selectFrom('case_digest_keys').selectAll().execute();
    expect(keys.map((k) => k.program_id)).toEqual([northwind.id]);
    expect(keys[0]?.key_sealed.includes(key.key)).toBe(false);
  });

  it('suggests the duplicate from digests, opening only the asked case and the suggestions', async () => {
    const { opened, service } = countingService();
    const { similar } = await service.similar(admin, n.target as string);
    expect(similar[0]?.caseNumber).toBe(n.duplicate);
    expect(similar[0]?.reasons).toContainEqual({
      kind: 'endpoint',
      detail: 'shared endpoint: /api/v1/library/upload',
    });
    expect(similar[0]?.reasons.find((r) => r.kind === 'text')?.detail).toMatch(/library/);
    expect(similar[0]?.title).toMatch(/^Unsigned drug library files/);
    const ids = new Map<string, string>();
    for (const [name, number] of Object.entries(n)) ids.set((await rowOf(number)).id, name);
    const contentOpened = opened
      .filter((aad) => aad.endsWith(':content'))
      .map((aad) => ids.get(aad.split(':')[1] as string));
    // Seven candidates were scored; the asked case and the one suggestion were opened, no other.
    expect(contentOpened.sort()).toEqual(['duplicate', 'target']);
    expect(opened.filter((aad) => !aad.endsWith(':content'))).toEqual([`case-digest-key:${northwind.id}`]);
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'report.similar')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail)).toEqual({ compared: 7, suggested: [n.duplicate] });
  });

  it('recomputes the digest when a redaction changes the text', async () => {
    const officer = await user('officer@digest.test', 'handler', ['privacy']);
    const officer2 = await user('officer2@digest.test', 'lead', ['privacy']);
    const before = (await rowOf(n.duplicate as string)).feature_digest as Buffer;
    expect(await digestHolds(n.duplicate as string, 'bolus')).toBe(true);
    // Everything from "library" on goes.
    const start = LIBRARY_DUPLICATE.indexOf('library');
    const proposal = await v.services.privacyQuarantine.propose(officer, n.duplicate as string, {
      reason: 'test',
      parts: [{ kind: 'field', ref: 'description', spans: [{ start, end: LIBRARY_DUPLICATE.length }] }],
    });
    await v.services.privacyQuarantine.approve(officer2, n.duplicate as string, proposal.id);
    const after = (await rowOf(n.duplicate as string)).feature_digest as Buffer;
    expect(after.equals(before)).toBe(false);
    expect(await digestHolds(n.duplicate as string, 'bolus')).toBe(false);
    expect(await digestHolds(n.duplicate as string, 'unsigned')).toBe(true);
    // What was redacted no longer makes it a duplicate: no shared endpoint, little shared text.
    const { similar } = await v.services.similar.similar(admin, n.target as string);
    expect(similar.map((s) => s.caseNumber)).not.toContain(n.duplicate);
  });

  it('backfills cases from before the migration, in bounded and resumable passes', async () => {
    const stored = new Map<string, Buffer>();
    for (const number of Object.values(n)) stored.set(number, (await rowOf(number)).feature_digest as Buffer);
    // Down and up again: the column comes back empty, as for cases received before digests.
    const migration = caseFeatureDigests({ dialect: dialect === 'postgres' ? 'postgres' : 'sqlite' });
    await migration.down(v.db.kysely as never);
    await migration.up(v.db.kysely as never);
    expect((await rowOf(n.target as string)).feature_digest).toBeNull();

    // Without digests the page compares nothing, opens no candidate, and says so in the audit.
    const { opened, service } = countingService();
    expect((await service.similar(admin, n.target as string)).similar).toEqual([]);
    expect(opened.filter((aad) => aad.endsWith(':content'))).toHaveLength(1);

    const backfill = createFeatureDigestBackfill({
      db: v.db,
      sealer,
      clock,
      programs: v.services.programs,
      batch: 2,
      perPass: 3,
    });
    expect(await backfill.runOnce()).toEqual({ written: 3, skipped: 0, remaining: true });
    expect(await backfill.runOnce()).toEqual({ written: 3, skipped: 0, remaining: true });
    expect(await backfill.runOnce()).toEqual({ written: 2, skipped: 0, remaining: false });
    expect(await backfill.runOnce()).toEqual({ written: 0, skipped: 0, remaining: false });
    // A new key was made for the program (the old one went with the table); the digests are new,
    // but hold the same features: the page suggests what it suggested before.
    for (const number of Object.values(n)) {
      const digest = (await rowOf(number)).feature_digest as Buffer;
      expect(digest.length).toBe(stored.get(number)?.length);
    }
    key = await openDigestKey(v.db.kysely, sealer, northwind.id, clock.now());
    expect(await digestHolds(n.target as string, 'bolus')).toBe(true);
    expect(await digestHolds(n.duplicate as string, 'bolus')).toBe(false);
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'report.similar')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail)).toMatchObject({ compared: 0, undigested: 7 });
  });

  it('makes the digest again with the words of a held field once it is released', async () => {
    const officer = await user('releaser@digest.test', 'lead', ['privacy']);
    const held = await submit(
      'The zephyrcorn service echoes patient records. Patient: Marguerite Okonkwo-Lind, DOB: 11/04/1957, seen on the ward.',
    );
    const {
      parts: [part],
    } = await v.services.privacyQuarantine.get(officer, held);
    expect(part?.state).toBe('quarantined');
    key = await openDigestKey(v.db.kysely, sealer, northwind.id, clock.now());
    expect(await digestHolds(held, 'zephyrcorn')).toBe(false);

    await v.services.privacyQuarantine.release(
      officer,
      held,
      part?.id as string,
      'synthetic sample, not a patient',
    );
    expect((await rowOf(held)).feature_digest).toBeNull();
    const backfill = createFeatureDigestBackfill({ db: v.db, sealer, clock, programs: v.services.programs });
    expect(await backfill.runOnce()).toMatchObject({ written: 1 });
    expect(await digestHolds(held, 'zephyrcorn')).toBe(true);
  });
});
