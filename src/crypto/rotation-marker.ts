import { open, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorCode, fsyncDir } from '../core/index.js';

/**
 * A note beside `master.key` that a rotation added a key and has not finished re-wrapping under
 * it, so that running `vigil keys rotate-master` again after an interruption resumes that
 * rotation instead of adding yet another key. It holds only the new key's public id.
 */
const MARKER_FILE = 'master.key.rotating';

/** The id of the key an unfinished rotation moves to, if one is under way. */
export async function unfinishedRotation(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dataDir, MARKER_FILE), 'utf8')).trim() || undefined;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** Record that a rotation to `keyId` has started (flushed to disk before any re-wrapping). */
export async function startRotation(dataDir: string, keyId: string): Promise<void> {
  const path = join(dataDir, MARKER_FILE);
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(`${keyId}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(dirname(path));
}

/** Record that the rotation finished: everything is under its key. */
export async function finishRotation(dataDir: string): Promise<void> {
  await rm(join(dataDir, MARKER_FILE), { force: true });
}
