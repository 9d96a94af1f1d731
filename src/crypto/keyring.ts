import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorCode, fsyncDir } from '../core/index.js';
import { DecryptionError, KeyringError } from './errors.js';

/**
 * Master keys (KEKs) that wrap the per-item data keys (DEKs).
 *
 * Key file `<dataDir>/master.key` (mode 0600), UTF-8 text:
 *
 *   # comments and blank lines are ignored
 *   v1:<base64 of 32 bytes>
 *   v2:<base64 of 32 bytes>      <- last line = active key
 *
 * Versions must increase line by line. Old keys stay in the file so that data wrapped under
 * them still opens; `rotateKeyFile` appends a new line.
 *
 * Wrapped DEK (output of `wrap`, self-describing so `unwrap` needs no side channel):
 *
 *   offset  size  field
 *   0       1     format version, 0x01
 *   1       1     L = byte length of the KEK id
 *   2       L     KEK id, ASCII, e.g. "v2-1a2b3c4d"
 *   2+L     12    IV (random)
 *   14+L    32    DEK encrypted with AES-256-GCM under the KEK
 *   46+L    16    GCM tag; AAD = "vigil/kek-wrap\0" || bytes [0, 2+L)
 */
export type Keyring = {
  /** Id of the key used by `wrap`; the last configured key. */
  activeKeyId: string;
  /** Encrypts a 32-byte DEK under the active KEK. */
  wrap(dek: Buffer): Buffer;
  /** Recovers a DEK; throws DecryptionError on tampering or an unknown KEK. */
  unwrap(wrapped: Buffer): Buffer;
  /** All loaded key ids, oldest first, active last. */
  keyIds(): string[];
};

/** Options for `loadKeyring`; `masterKey` is normally `process.env.VIGIL_MASTER_KEY`. */
export type LoadKeyringOptions = {
  masterKey?: string | undefined;
  dataDir: string;
};

/** Name of the key file inside the data directory. */
export const KEY_FILE_NAME = 'master.key';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_VERSION = 0x01;
const WRAP_AAD_PREFIX = Buffer.from('vigil/kek-wrap\0', 'utf8');
const KEY_ID_PATTERN = /^v([1-9][0-9]{0,8})-([0-9a-f]{8})$/;
const VERSION_PREFIX = /^v([1-9][0-9]{0,8}):(.*)$/s;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// Accepts standard and URL-safe alphabets, padded or not; length is checked after decoding.
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

const ENV_FORMAT_HINT =
  'VIGIL_MASTER_KEY must be exactly 32 random bytes encoded as base64 (44 characters) or hex ' +
  '(64 characters), e.g. the output of `openssl rand -base64 32`; to rotate, give a comma-separated ' +
  'list with the active key last';

type KeyEntry = { version: number; key: Buffer };
type LoadedKey = { id: string; key: KeyObject };

/** Loads the KEKs from `masterKey` if given, else from (or into, on first start) `<dataDir>/master.key`. */
export async function loadKeyring(options: LoadKeyringOptions): Promise<Keyring> {
  if (options.masterKey !== undefined) {
    return buildKeyring(parseMasterKeyEnv(options.masterKey));
  }
  return buildKeyring(await readOrCreateKeyFile(options.dataDir));
}

/**
 * Appends a fresh key to `<dataDir>/master.key`, making it the active one, and returns its id.
 * Running servers keep using the old key until restarted; run one rotation at a time.
 */
export async function rotateKeyFile(dataDir: string): Promise<string> {
  const path = join(dataDir, KEY_FILE_NAME);
  const { text, entries } = await readKeyFile(path).catch((err: unknown) => {
    if (errorCode(err) !== 'ENOENT') throw err;
    // Creating a key here would silently diverge from a VIGIL_MASTER_KEY deployment.
    throw new KeyringError(
      `${path} does not exist; nothing to rotate (keys given via VIGIL_MASTER_KEY are rotated there)`,
    );
  });
  const last = entries[entries.length - 1];
  if (!last) throw new KeyringError(`${path} holds no keys`);
  const entry = { version: last.version + 1, key: randomBytes(KEY_BYTES) };
  const line = `v${entry.version}:${entry.key.toString('base64')}\n`;
  const id = keyIdFor(entry);
  entry.key.fill(0);
  for (const e of entries) e.key.fill(0);
  // Keep the operator's text (including comments) and only append, so nothing is ever lost.
  const prefix = text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
  await writeFileAtomic(path, prefix + line, { replace: true });
  return id;
}

function parseMasterKeyEnv(value: string): KeyEntry[] {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.every((p) => p === '')) {
    throw new KeyringError(`${ENV_FORMAT_HINT}; it is set but empty`);
  }
  return checkVersions(
    parts.map((part, index) => {
      const where = parts.length > 1 ? ` (entry ${index + 1} of ${parts.length} is invalid)` : '';
      const prefixed = VERSION_PREFIX.exec(part);
      const version = prefixed ? Number(prefixed[1]) : index + 1;
      const key = decodeKey(prefixed ? (prefixed[2] ?? '') : part);
      if (!key) throw new KeyringError(`${ENV_FORMAT_HINT}${where}`);
      return { version, key };
    }),
    'VIGIL_MASTER_KEY',
  );
}

function decodeKey(text: string): Buffer | undefined {
  let key: Buffer | undefined;
  if (HEX_KEY.test(text)) key = Buffer.from(text, 'hex');
  else if (BASE64_KEY.test(text)) key = Buffer.from(text, 'base64');
  return key && key.length === KEY_BYTES ? key : undefined;
}

function checkVersions(entries: KeyEntry[], source: string): KeyEntry[] {
  const seen = new Set<string>();
  let previous = 0;
  for (const entry of entries) {
    if (entry.version <= previous) {
      throw new KeyringError(
        `${source}: key versions must increase from one key to the next (v${entry.version})`,
      );
    }
    previous = entry.version;
    const fingerprint = fingerprintOf(entry.key);
    if (seen.has(fingerprint)) throw new KeyringError(`${source}: the same key is listed twice`);
    seen.add(fingerprint);
  }
  return entries;
}

async function readOrCreateKeyFile(dataDir: string): Promise<KeyEntry[]> {
  const path = join(dataDir, KEY_FILE_NAME);
  try {
    return (await readKeyFile(path)).entries;
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const text =
    '# Vigil master keys. Keep secret and back up separately from the database:\n' +
    '# without this file, encrypted reports and attachments cannot be recovered.\n' +
    '# One key per line, "v<N>:<base64 of 32 bytes>"; the last line is the active key.\n' +
    `v1:${key.toString('base64')}\n`;
  key.fill(0);
  // No-clobber: if another process created the file meanwhile, its key wins and we read it.
  await writeFileAtomic(path, text, { replace: false });
  return (await readKeyFile(path)).entries;
}

async function readKeyFile(path: string): Promise<{ text: string; entries: KeyEntry[] }> {
  const handle = await open(path, 'r');
  let text: string;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new KeyringError(`${path} is not a regular file`);
    // Windows has no POSIX mode bits worth checking.
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      throw new KeyringError(
        `${path} is accessible by group or others (mode ${mode}); restrict it with \`chmod 600 ${path}\``,
      );
    }
    text = await handle.readFile({ encoding: 'utf8' });
  } finally {
    await handle.close();
  }
  const entries: KeyEntry[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = VERSION_PREFIX.exec(line);
    const key = match ? decodeKey(match[2] ?? '') : undefined;
    if (!match || !key) {
      // Never echo the line: it may be a (slightly damaged) secret.
      throw new KeyringError(
        `${path} line ${index + 1} is not a valid key line; expected "v<N>:<base64 of exactly 32 bytes>"`,
      );
    }
    entries.push({ version: Number(match[1]), key });
  }
  if (entries.length === 0) throw new KeyringError(`${path} holds no keys`);
  return { text, entries: checkVersions(entries, path) };
}

function buildKeyring(entries: KeyEntry[]): Keyring {
  const byFingerprint = new Map<string, LoadedKey>();
  const ids: string[] = [];
  for (const entry of entries) {
    const id = keyIdFor(entry);
    // KeyObject copies the material; zero our copy so it does not linger in a heap dump.
    byFingerprint.set(fingerprintOf(entry.key), { id, key: createSecretKey(entry.key) });
    entry.key.fill(0);
    ids.push(id);
  }
  const activeId = ids[ids.length - 1];
  const active = activeId && byFingerprint.get(idFingerprint(activeId) ?? '');
  if (!active) throw new KeyringError('no master key configured');

  return {
    activeKeyId: active.id,
    keyIds: () => [...ids],
    wrap(dek) {
      if (dek.length !== KEY_BYTES) throw new RangeError(`data keys must be ${KEY_BYTES} bytes`);
      const idBytes = Buffer.from(active.id, 'ascii');
      const header = Buffer.from([WRAP_VERSION, idBytes.length]);
      const prefix = Buffer.concat([header, idBytes]);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.concat([WRAP_AAD_PREFIX, prefix]));
      const encrypted = Buffer.concat([cipher.update(dek), cipher.final()]);
      return Buffer.concat([prefix, iv, encrypted, cipher.getAuthTag()]);
    },
    unwrap(wrapped) {
      if (wrapped.length < 2 || wrapped[0] !== WRAP_VERSION) throw new DecryptionError();
      const idLength = wrapped[1] ?? 0;
      if (wrapped.length !== 2 + idLength + IV_BYTES + KEY_BYTES + TAG_BYTES) throw new DecryptionError();
      const id = wrapped.subarray(2, 2 + idLength).toString('ascii');
      const fingerprint = idFingerprint(id);
      if (!fingerprint) throw new DecryptionError();
      // Look up by fingerprint, not the full id: the version number depends on how the key was
      // listed (file line vs. position in VIGIL_MASTER_KEY), the key material does not.
      const kek = byFingerprint.get(fingerprint);
      if (!kek) throw new DecryptionError(`decryption failed: master key ${id} is not loaded`);
      const ivStart = 2 + idLength;
      const iv = wrapped.subarray(ivStart, ivStart + IV_BYTES);
      const encrypted = wrapped.subarray(ivStart + IV_BYTES, ivStart + IV_BYTES + KEY_BYTES);
      const tag = wrapped.subarray(ivStart + IV_BYTES + KEY_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', kek.key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.concat([WRAP_AAD_PREFIX, wrapped.subarray(0, 2 + idLength)]));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(encrypted), decipher.final()]);
      } catch {
        throw new DecryptionError();
      }
    },
  };
}

function keyIdFor(entry: KeyEntry): string {
  return `v${entry.version}-${fingerprintOf(entry.key)}`;
}

// Domain-separated so the public id is not a plain hash of the secret that could be matched elsewhere.
function fingerprintOf(key: Buffer): string {
  return createHash('sha256').update('vigil/kek-id\0').update(key).digest('hex').slice(0, 8);
}

function idFingerprint(id: string): string | undefined {
  return KEY_ID_PATTERN.exec(id)?.[2];
}

/**
 * Writes `text` to `path` so that readers see either nothing/the old file or the complete new one:
 * temp file (0600) + fsync, then link (no-clobber) or rename (replace), then fsync of the directory.
 */
async function writeFileAtomic(path: string, text: string, opts: { replace: boolean }): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const dir = dirname(path);
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      // Explicit chmod: the open mode is filtered through the umask.
      await handle.chmod(0o600);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (opts.replace) {
      await rename(tmp, path);
    } else {
      try {
        await link(tmp, path);
      } catch (err) {
        const code = errorCode(err);
        if (code === 'EEXIST') return;
        // Some network/FUSE file systems lack hard links; fall back to a (racy) rename there.
        if (code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EPERM') throw err;
        await rename(tmp, path);
      }
    }
    await fsyncDir(dir);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Upper bound on the length of a wrapped DEK; lets the envelope and stream parsers reject junk early. */
export const MAX_WRAPPED_KEY_BYTES = 2 + 255 + IV_BYTES + KEY_BYTES + TAG_BYTES;
