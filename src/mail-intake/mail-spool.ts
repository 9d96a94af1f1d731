import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorCode } from '../core/index.js';
import { createDecryptStream, createEncryptStream, type Keyring, loadKeyring } from '../crypto/index.js';

/**
 * Files a mail is held in while it is received and opened, instead of memory: the SMTP DATA as it
 * arrives, and the parts taken out of it on the way to the blob store. Nothing here is the durable
 * copy — the blob store and the database are — so a spool file is written without fsync and
 * removed once its mail is settled, whatever the outcome.
 *
 * Every file is encrypted with the stream cipher the blob store uses (`src/crypto/stream.ts`:
 * AES-256-GCM in 64 KiB chunks, truncation and reordering detected), under a key made when the
 * spool is opened and held only in this process's memory. A copy of the disk alone never reveals a
 * mail, and a file left by a process that died can be read by nobody: opening a spool sweeps such
 * files (their names carry the process id that wrote them), as does a second open in the same
 * process.
 */

/** One spooled file: its size and SHA-256 as written, and its plaintext to read back. */
export interface SpooledFile {
  readonly size: number;
  /** Hex SHA-256 of the plaintext. */
  readonly sha256: string;
  /** The first bytes (up to `HEAD_BYTES`), kept in memory for a look without reading the file. */
  readonly head: Buffer;
  /** The plaintext, verified chunk by chunk; a file changed on disk ends the stream in an error. */
  stream(): Readable;
  /** The whole plaintext in one buffer (for mails that must be held whole after all). */
  read(): Promise<Buffer>;
  /** Delete the file; again or after a sweep is no error. */
  remove(): Promise<void>;
}

/** A file being written: chunks in order, then `finish` (or `discard` on any refusal). */
export interface SpoolWriter {
  /** Queue a chunk; false when the caller should wait for `drained` before the next. */
  write(chunk: Buffer): boolean;
  /** Resolves once queued chunks are taken up. */
  drained(): Promise<void>;
  finish(): Promise<SpooledFile>;
  discard(): Promise<void>;
  /** Plaintext bytes written so far. */
  readonly size: number;
}

export interface MailSpool {
  readonly dir: string;
  create(): SpoolWriter;
  /** Spool a whole stream (an attachment decoded on the way); rejects past `maxBytes`. */
  fromStream(source: AsyncIterable<Buffer> | Iterable<Buffer>, maxBytes?: number): Promise<SpooledFile>;
  /** Files currently in the directory (for tests and the bench). */
  files(): Promise<string[]>;
}

/** Bytes of a spooled file kept in memory as its head. */
export const HEAD_BYTES = 64 * 1024;

const NAME = /^(\d+)-[0-9a-f]{32}\.spool$/;

/** The spool was given more than `maxBytes`. */
export class SpoolLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
    this.name = 'SpoolLimitError';
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists under another user.
    return errorCode(err) === 'EPERM';
  }
}

/**
 * Remove the spool files in `dir` that no living process can read: written by a process that is
 * gone, or by this one in an earlier life (same process id after a restart in a container) —
 * opening a spool happens before any of its own files exist. Answers how many went.
 */
export async function sweepMailSpool(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

/** Open (create) the spool directory, sweeping what earlier processes left there. */
export async function openMailSpool(dir: string): Promise<MailSpool & { swept: number }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const swept = await sweepMailSpool(dir);
  // A key of this process only: files outlive it only as unreadable bytes.
  const keyring: Keyring = await loadKeyring({ masterKey: randomBytes(32).toString('hex'), dataDir: dir });

  function create(): SpoolWriter {
    const id = randomBytes(16).toString('hex');
    const name = `${process.pid}-${id}.spool`;
    const path = join(dir, name);
    const aad = `vigil-mail-spool:${name}`;
    const hash = createHash('sha256');
    const input = new PassThrough();
    const head = Buffer.allocUnsafe(HEAD_BYTES);
    let headBytes = 0;
    let size = 0;
    let failure: unknown;
    const done = pipeline([
      input,
      createEncryptStream(keyring, aad),
      createWriteStream(path, { flags: 'wx', mode: 0o600 }),
    ]);
    done.catch((err: unknown) => {
      failure ??= err;
    });
    const removeFile = () => rm(path, { force: true });
    const spooled = (): SpooledFile => {
      const digest = hash.digest('hex');
      const headCopy = Buffer.from(head.subarray(0, headBytes));
      const total = size;
      const stream = (): Readable => {
        const out = createDecryptStream(keyring, aad);
        const file = createReadStream(path);
        file.on('error', (err) => out.destroy(err));
        out.on('close', () => file.destroy());
        file.pipe(out);
        return out;
      };
      return {
        size: total,
        sha256: digest,
        head: headCopy,
        stream,
        async read() {
          const whole = Buffer.allocUnsafe(total);
          let at = 0;
          for await (const chunk of stream() as AsyncIterable<Buffer>) {
            if (at + chunk.length > total) throw new Error('a spooled file grew on disk');
            at += chunk.copy(whole, at);
          }
          if (at !== total) throw new Error('a spooled file shrank on disk');
          return whole;
        },
        remove: removeFile,
      };
    };
    return {
      get size() {
        return size;
      },
      write(chunk) {
        // A file that failed (disk full, removed) takes no more; `finish` answers the failure.
        if (failure !== undefined || input.destroyed) return true;
        if (headBytes < HEAD_BYTES) headBytes += chunk.copy(head, headBytes, 0, HEAD_BYTES - headBytes);
        size += chunk.length;
        hash.update(chunk);
        return input.write(chunk);
      },
      drained() {
        if (!input.writableNeedDrain || failure !== undefined) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const settle = () => {
            input.off('drain', settle);
            input.off('close', settle);
            resolve();
          };
          input.on('drain', settle);
          input.on('close', settle);
        });
      },
      async finish() {
        input.end();
        try {
          await done;
        } catch (err) {
          await removeFile();
          throw err;
        }
        return spooled();
      },
      async discard() {
        input.destroy();
        await done.catch(() => {});
        await removeFile();
      },
    };
  }

  return {
    dir,
    swept,
    create,
    async fromStream(source, maxBytes = Number.POSITIVE_INFINITY) {
      const w = create();
      try {
        for await (const chunk of source) {
          if (w.size + chunk.length > maxBytes) throw new SpoolLimitError(maxBytes);
          if (!w.write(chunk)) await w.drained();
        }
      } catch (err) {
        await w.discard();
        throw err;
      }
      return w.finish();
    },
    async files() {
      try {
        return (await readdir(dir)).filter((n) => NAME.test(n));
      } catch (err) {
        if (errorCode(err) === 'ENOENT') return [];
        throw err;
      }
    },
  };
}
