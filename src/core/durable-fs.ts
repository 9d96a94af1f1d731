import { open, readdir } from 'node:fs/promises';

/**
 * Make a create or rename inside `dir` durable by flushing the directory itself. Windows cannot
 * open directories for fsync; there the rename is as durable as the OS makes it.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The `code` of a Node system error (`ENOENT` …), if it has one. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** The names in `dir`, or none when it (or a folder above it) does not exist. */
export async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}
