import * as openpgp from 'openpgp';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { NotFoundError, newId, ValidationError, VigilError } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db, ProgramKeyRow } from '../db/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import {
  findKeyByFingerprint,
  insertProgramKey,
  listAllKeys,
  listKeysOf,
  listPublishedKeysOf,
  retireActiveKeys,
} from './key-store.js';
import { wkdHash } from './wkd.js';

/**
 * Program OpenPGP keys. The active key is published (download, WKD, security.txt) and signs;
 * retired keys keep decrypting until their overlap ends, so nothing encrypted to an old key
 * becomes unreadable during a rotation. Secret keys are stored without a passphrase but sealed
 * under the master key: a copy of the database alone does not reveal them.
 */

export interface KeySummary {
  fingerprint: string;
  program: string | null;
  algorithm: string;
  userIds: string[];
  state: 'active' | 'retired';
  createdAt: string;
  expiresAt: string | null;
  decryptUntil: string | null;
}

/**
 * One key a program has published, for its public key history: what a reader needs to check a
 * signature made before a rotation (never secret material). `state`: `current` (the active key),
 * `retired` (replaced), or `expired` (past its expiry date, whether current or replaced).
 */
export interface PublishedKeyRecord {
  fingerprint: string;
  algorithm: string;
  createdAt: string;
  activatedAt: string;
  retiredAt: string | null;
  expiresAt: string | null;
  state: 'current' | 'retired' | 'expired';
}

/** Where a published key of a program is served by fingerprint, current or retired, for good. */
export function publishedKeyPath(slug: string, fingerprint: string): string {
  return `/p/${encodeURIComponent(slug)}/keys/${fingerprint.toUpperCase()}.asc`;
}

function keyRecord(row: ProgramKeyRow, nowIso: string): PublishedKeyRecord {
  const expired = row.expires_at !== null && row.expires_at <= nowIso;
  return {
    fingerprint: row.fingerprint,
    algorithm: row.algorithm,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
    retiredAt: row.retired_at,
    expiresAt: row.expires_at,
    state: expired ? 'expired' : row.state === 'active' ? 'current' : 'retired',
  };
}

export interface KeyServiceOptions {
  /** How long a replaced key keeps decrypting, in days. */
  overlapDays: number;
}

const secretAad = (fingerprint: string) => `program-key:${fingerprint}:secret`;

function summarize(row: ProgramKeyRow, slug: string | null): KeySummary {
  return {
    fingerprint: row.fingerprint,
    program: slug,
    algorithm: row.algorithm,
    userIds: JSON.parse(row.user_ids) as string[],
    state: row.state as 'active' | 'retired',
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decryptUntil: row.decrypt_until,
  };
}

function describeAlgorithm(key: openpgp.Key): string {
  const info = key.getAlgorithmInfo();
  if ('bits' in info && info.bits) return `${info.algorithm}${info.bits}`;
  if ('curve' in info && info.curve) return `${info.algorithm}/${info.curve}`;
  return info.algorithm;
}

/** The address a program's key carries: its first intake address, else a security@ address of the vendor site. */
export function programKeyAddress(program: Program): string | undefined {
  return program.definition.intake.emailAddresses[0];
}

/** The mail addresses in a key's user IDs (`Name <a@b>` or a bare address), lower-cased domain. */
function addressesOf(userIds: string[]): { local: string; domain: string }[] {
  return userIds.flatMap((uid) => {
    const address =
      /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(uid)?.[1] ?? (/^[^<>\s]+@[^<>\s]+$/.test(uid) ? uid : '');
    const at = address.lastIndexOf('@');
    return at > 0 ? [{ local: address.slice(0, at), domain: address.slice(at + 1).toLowerCase() }] : [];
  });
}

export function createKeyService(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  programs: Pick<ProgramService, 'get' | 'list'>;
  options: KeyServiceOptions;
}) {
  const { db, sealer, clock } = deps;
  const k = db.kysely;

  async function programIdFor(slug: string | null): Promise<{ id: string | null; program?: Program }> {
    if (slug === null) return { id: null };
    const program = await deps.programs.get(slug);
    return { id: program.id, program };
  }

  /** Store a key as the new active key of a program (or the instance), retiring the previous one. */
  async function install(
    slug: string | null,
    privateKey: openpgp.PrivateKey,
    actor: string,
  ): Promise<KeySummary> {
    if (!privateKey.isDecrypted())
      throw new ValidationError([
        { path: 'key', message: 'the secret key is still locked with a passphrase' },
      ]);
    const encryptionKey = await privateKey.getEncryptionKey().catch(() => undefined);
    if (!encryptionKey)
      throw new ValidationError([{ path: 'key', message: 'the key has no usable encryption subkey' }]);
    const signingKey = await privateKey.getSigningKey().catch(() => undefined);
    if (!signingKey)
      throw new ValidationError([{ path: 'key', message: 'the key cannot sign (no usable signing key)' }]);
    const { id: programId } = await programIdFor(slug);
    const fingerprint = privateKey.getFingerprint().toUpperCase();
    const expiry = await privateKey.getExpirationTime();
    const now = clock.now();
    const nowIso = now.toISOString();
    const decryptUntil = new Date(now.getTime() + deps.options.overlapDays * 86_400_000).toISOString();
    await k.transaction().execute(async (trx) => {
      if (await findKeyByFingerprint(trx, fingerprint)) {
        throw new VigilError(409, 'conflict', `The key ${fingerprint} is already installed.`);
      }
      await retireActiveKeys(trx, programId, nowIso, decryptUntil);
      await insertProgramKey(trx, {
        id: newId(),
        program_id: programId,
        fingerprint,
        algorithm: describeAlgorithm(privateKey),
        user_ids: JSON.stringify(privateKey.getUserIDs()),
        public_armored: privateKey.toPublic().armor(),
        secret_sealed: sealer.seal(privateKey.armor(), secretAad(fingerprint)),
        state: 'active',
        created_at: privateKey.getCreationTime().toISOString(),
        expires_at: expiry instanceof Date ? expiry.toISOString() : null,
        activated_at: nowIso,
        retired_at: null,
        decrypt_until: null,
      });
      await appendAudit(
        trx,
        { actor, action: 'key.installed', programId, detail: { fingerprint, program: slug } },
        now,
      );
    });
    const row = (await findKeyByFingerprint(k, fingerprint)) as ProgramKeyRow;
    return summarize(row, slug);
  }

  /**
   * Secret keys once unsealed and parsed, by fingerprint: every mail and encrypted form needs them,
   * and unsealing and parsing took 1.6 ms of a 4 KB mail's few. A fingerprint names the key
   * material, so an entry never goes stale; a retired key simply stops being asked for. The
   * process holds the master key that opens them anyway.
   */
  const opened = new Map<string, Promise<openpgp.PrivateKey>>();
  const MAX_OPENED = 64;

  function openSecret(row: ProgramKeyRow): Promise<openpgp.PrivateKey> {
    const known = opened.get(row.fingerprint);
    if (known) return known;
    const armored = sealer.open(row.secret_sealed, secretAad(row.fingerprint)).toString('utf8');
    const key = openpgp.readPrivateKey({ armoredKey: armored });
    if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value as string);
    opened.set(row.fingerprint, key);
    // A key that does not parse is not kept: the next use tries (and fails) again.
    key.catch(() => opened.delete(row.fingerprint));
    return key;
  }

  async function activeRow(programId: string | null): Promise<ProgramKeyRow | undefined> {
    return (await listKeysOf(k, programId)).find((r) => r.state === 'active');
  }

  return {
    /** Generate a key (Curve25519 in the encoding GnuPG 2.2 and every current client read, or RSA). */
    async generate(
      slug: string | null,
      opts: { rsaBits?: number; validDays?: number; actor: string },
    ): Promise<KeySummary> {
      const { program } = await programIdFor(slug);
      const address = program ? programKeyAddress(program) : undefined;
      const name = program ? `${program.definition.vendor.name} security` : 'Vigil instance';
      const userIDs = [address ? { name, email: address } : { name }];
      const keyExpirationTime = opts.validDays ? opts.validDays * 86_400 : 0;
      const { privateKey } = opts.rsaBits
        ? await openpgp.generateKey({
            type: 'rsa',
            rsaBits: opts.rsaBits,
            userIDs,
            keyExpirationTime,
            format: 'object',
          })
        : await openpgp.generateKey({
            type: 'ecc',
            curve: 'curve25519Legacy',
            userIDs,
            keyExpirationTime,
            format: 'object',
          });
      return install(slug, privateKey, opts.actor);
    },

    /** Import an armored secret key, unlocking it with the passphrase when it has one. */
    async import(
      slug: string | null,
      armored: string,
      passphrase: string | undefined,
      actor: string,
    ): Promise<KeySummary> {
      let key: openpgp.PrivateKey;
      try {
        key = await openpgp.readPrivateKey({ armoredKey: armored });
      } catch {
        throw new ValidationError([
          {
            path: 'key',
            message: 'not an armored OpenPGP secret key (-----BEGIN PGP PRIVATE KEY BLOCK-----)',
          },
        ]);
      }
      if (!key.isDecrypted()) {
        if (!passphrase)
          throw new ValidationError([
            { path: 'passphrase', message: 'the key is protected: give its passphrase' },
          ]);
        try {
          key = await openpgp.decryptKey({ privateKey: key, passphrase });
        } catch {
          throw new ValidationError([
            { path: 'passphrase', message: 'the passphrase does not unlock this key' },
          ]);
        }
      }
      return install(slug, key, actor);
    },

    async list(): Promise<KeySummary[]> {
      const programs = await deps.programs.list();
      const slugOf = new Map(programs.map((p) => [p.id, p.slug]));
      return (await listAllKeys(k)).map((r) =>
        summarize(r, r.program_id ? (slugOf.get(r.program_id) ?? null) : null),
      );
    },

    /** The published key of a program (or the instance): armored public key and fingerprint. */
    async publishedKey(
      programId: string | null,
    ): Promise<{ fingerprint: string; armored: string; key: openpgp.PublicKey } | undefined> {
      const row = await activeRow(programId);
      if (!row) return undefined;
      return {
        fingerprint: row.fingerprint,
        armored: row.public_armored,
        key: await openpgp.readKey({ armoredKey: row.public_armored }),
      };
    },

    /** Every key that may decrypt for a program now: the active one and retired ones within their overlap. */
    async decryptionKeys(programId: string | null): Promise<openpgp.PrivateKey[]> {
      const now = clock.now().toISOString();
      const rows = (await listKeysOf(k, programId)).filter(
        (r) => r.state === 'active' || (r.decrypt_until !== null && r.decrypt_until > now),
      );
      return Promise.all(rows.map(openSecret));
    },

    /** The key that signs for a program (its active key), if it has one. */
    async signingKey(programId: string | null): Promise<openpgp.PrivateKey | undefined> {
      const row = await activeRow(programId);
      return row ? openSecret(row) : undefined;
    },

    /**
     * Keys for a Web Key Directory request: active keys with an address whose local part hashes
     * to `hash` (and equals `localPart` when the client sent `l`), in `domain` when given (the
     * advanced method names it). The direct method only implies the domain through the host that
     * was asked, which behind a proxy is often Vigil's own: `preferDomains` narrows the answer when
     * one of them matches, else every match is returned — WKD allows concatenated keys, and
     * clients keep the one whose user ID is the address they looked up.
     */
    async directoryKeys(query: {
      hash: string;
      localPart?: string;
      domain?: string;
      preferDomains?: string[];
    }): Promise<openpgp.PublicKey[]> {
      const domain = query.domain?.toLowerCase();
      const local = query.localPart?.toLowerCase();
      const matches = (await listAllKeys(k))
        .filter((r) => r.state === 'active')
        .map((r) => ({
          row: r,
          domains: addressesOf(JSON.parse(r.user_ids) as string[])
            .filter((a) => wkdHash(a.local) === query.hash)
            .filter((a) => local === undefined || a.local.toLowerCase() === local)
            .filter((a) => domain === undefined || a.domain === domain)
            .map((a) => a.domain),
        }))
        .filter((m) => m.domains.length > 0);
      const preferred = (query.preferDomains ?? []).map((d) => d.toLowerCase());
      const narrowed = matches.filter((m) => m.domains.some((d) => preferred.includes(d)));
      return Promise.all(
        (narrowed.length > 0 ? narrowed : matches).map((m) =>
          openpgp.readKey({ armoredKey: m.row.public_armored }),
        ),
      );
    },

    /** The mail domains the directory serves keys for (for the advanced method's policy file). */
    async directoryDomains(): Promise<Set<string>> {
      const rows = (await listAllKeys(k)).filter((r) => r.state === 'active');
      return new Set(
        rows.flatMap((r) => addressesOf(JSON.parse(r.user_ids) as string[]).map((a) => a.domain)),
      );
    },

    /**
     * Every key the program has published, newest first: the current one and those it replaced,
     * which stay published so signatures made with them (CSAF `.asc` files, signed mail) can
     * still be checked.
     */
    async keyHistory(programId: string | null): Promise<PublishedKeyRecord[]> {
      const nowIso = clock.now().toISOString();
      return (await listPublishedKeysOf(k, programId)).map((r) => keyRecord(r, nowIso));
    },

    /**
     * The armored public key of one key the program (by slug) has published, current or retired;
     * 404 for a fingerprint it never published (another program's key included).
     */
    async publishedKeyByFingerprint(
      slug: string,
      fingerprint: string,
    ): Promise<{ fingerprint: string; armored: string }> {
      const program = await deps.programs.get(slug);
      const wanted = fingerprint.toUpperCase();
      const row = (await listPublishedKeysOf(k, program.id)).find((r) => r.fingerprint === wanted);
      if (!row) throw new NotFoundError(`The program "${slug}" has published no OpenPGP key ${wanted}.`);
      return { fingerprint: row.fingerprint, armored: row.public_armored };
    },

    /** The published key for a program given by slug; 404 when it has none. */
    async publishedKeyOf(slug: string) {
      const program = await deps.programs.get(slug);
      const key = await this.publishedKey(program.id);
      if (!key) throw new NotFoundError(`The program "${slug}" has no OpenPGP key yet.`);
      return key;
    },
  };
}

export type KeyService = ReturnType<typeof createKeyService>;
