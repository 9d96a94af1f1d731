import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir } from '../core/index.js';
import { KeyringError } from './errors.js';
import { sameKey } from './key-ids.js';
import { KEY_FILE_NAME, loadKeyring } from './keyring.js';

/**
 * Remove the line of `keyId` from `<dataDir>/master.key`, after a rotation re-wrapped everything
 * under a newer key. The caller has checked that nothing stored still uses it. Refuses the active
 * (last) key and a key the file does not hold; keeps every other line, comments included. The
 * file is replaced atomically (temp file, fsync, rename), as `rotateKeyFile` writes it.
 */
export async function removeKeyFromFile(dataDir: string, keyId: string): Promise<void> {
  const path = join(dataDir, KEY_FILE_NAME);
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n');
  const keyLines: number[] = [];
  let match: number | undefined;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    keyLines.push(index);
    // The keyring's own parser names the line's key, so ids are computed in one place only.
    const id = (await loadKeyring({ masterKey: line, dataDir })).activeKeyId;
    if (sameKey(id, keyId)) match = index;
  }
  if (match === undefined) throw new KeyringError(`${path} holds no master key ${keyId}`);
  if (match === keyLines[keyLines.length - 1])
    throw new KeyringError(`${keyId} is the active master key; rotate to a new one before retiring it`);
  const kept = lines.filter((_, index) => index !== match).join('\n');
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(kept, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } finally {
    await rm(tmp, { force: true });
  }
}
