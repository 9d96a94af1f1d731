import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorCode, fsyncDir } from '../core/index.js';
import {
  createDecryptStream,
  createEncryptStream,
  DecryptionError,
  type Keyring,
  keyringHolds,
  MAX_STREAM_HEADER_BYTES,
  parseStreamHeader,
} from '../crypto/index.js';

/**
 * The backup file: a short clear prefix, then one encrypted stream (crypto/stream.ts) under a
 * fresh data key wrapped by the master key's active KEK. Without that master key the file is
 * noise, by design; the master key itself is never written into it.
 *
 *   offset  size  field
 *   0       8     magic "VIGILBAK"
 *   8       1     format version, 0x01
 *   9       …     encrypted stream, AAD "vigil-backup:1"; its header names the KEK id
 *
 * The stream authenticates every 64 KiB chunk and marks the last one, so a flipped byte, a
 * dropped or reordered chunk and a truncated file are all detected. Its plaintext is a sequence
 * of records, each
 *
 *   1 byte   kind: 'M' manifest (JSON), 'D' SQLite database file, 'T' table rows (JSON lines),
 *            'B' attachment blob (stored bytes, still encrypted as the blob store holds them),
 *            'E' end (JSON counts, checked against what was read)
 *   u16      length of the name, then the name (UTF-8): a table name or a blob key
 *   body     frames of u32 length + bytes, ended by a frame of length 0
 *
 * Framed bodies let the writer stream a blob or a table without knowing its size first, and
 * the reader hold at most one frame in memory.
 */

const FILE_MAGIC = Buffer.from('VIGILBAK', 'ascii');
const FILE_VERSION = 0x01;
const PREFIX_BYTES = FILE_MAGIC.length + 1;
const ARCHIVE_AAD = 'vigil-backup:1';
/** Largest frame written; a reader refuses bigger ones as damage rather than allocating them. */
const MAX_FRAME_BYTES = 1024 * 1024;

export type RecordKind = 'manifest' | 'sqlite' | 'table' | 'blob' | 'end';
const KIND_BYTE: Record<RecordKind, number> = {
  manifest: 0x4d,
  sqlite: 0x44,
  table: 0x54,
  blob: 0x42,
  end: 0x45,
};
const KIND_OF = new Map(Object.entries(KIND_BYTE).map(([k, v]) => [v, k as RecordKind]));

/** The message for every sign of a damaged or shortened file: what the operator can act on. */
export const DAMAGED = 'the backup file is truncated or damaged';

/** A backup that cannot be read: damaged, truncated, not a backup, or under a key not held. */
export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

/** Writes records into the archive being built. */
export interface ArchiveWriter {
  record(kind: RecordKind, name: string, body: Buffer | AsyncIterable<Buffer>): Promise<void>;
}

/**
 * Build the archive at `file` from what `produce` writes. The bytes go to a temporary name in
 * the same folder, are flushed to disk, and only then renamed to `file`: an interrupted backup
 * leaves no file that looks complete. Refuses to replace an existing file. Answers the size.
 */
export async function writeArchive(
  file: string,
  keyring: Keyring,
  produce: (w: ArchiveWriter) => Promise<void>,
): Promise<number> {
  if (
    await stat(file).then(
      () => true,
      (err: unknown) => (errorCode(err) === 'ENOENT' ? false : Promise.reject(err)),
    )
  )
    throw new Error(`${file} already exists; choose a new file name for the backup`);
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  const handle = await open(tmp, 'wx', 0o600).catch((err: unknown) => {
    throw new Error(`cannot write the backup in ${dir}: ${errorCode(err) ?? String(err)}`);
  });
  const plain = new PassThrough();
  const out = handle.createWriteStream({ flush: true });
  out.write(Buffer.concat([FILE_MAGIC, Buffer.from([FILE_VERSION])]));
  const written = pipeline(plain, createEncryptStream(keyring, ARCHIVE_AAD), out);
  // Until the end, a failure of the file (disk full) is raised by the next write.
  let failure: unknown;
  written.catch((err: unknown) => {
    failure = err;
  });
  const write = async (buf: Buffer) => {
    if (failure) throw failure;
    if (!plain.write(buf)) await Promise.race([onceDrained(plain), written]);
  };
  try {
    await produce({
      async record(kind, name, body) {
        const nameBytes = Buffer.from(name, 'utf8');
        const head = Buffer.alloc(3);
        head.writeUInt8(KIND_BYTE[kind], 0);
        head.writeUInt16BE(nameBytes.length, 1);
        await write(Buffer.concat([head, nameBytes]));
        for await (const chunk of Buffer.isBuffer(body) ? [body] : body) {
          for (let at = 0; at < chunk.length; at += MAX_FRAME_BYTES) {
            const piece = chunk.subarray(at, at + MAX_FRAME_BYTES);
            await write(Buffer.concat([u32(piece.length), piece]));
          }
        }
        await write(u32(0));
      },
    });
    plain.end();
    await written;
    await rename(tmp, file);
    await fsyncDir(dir);
    return (await stat(file)).size;
  } catch (err) {
    plain.destroy();
    await written.catch(() => {});
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
}

/** One record as read: its body must be consumed (or `skip`ped) before the next record. */
export interface ArchiveRecord {
  kind: RecordKind;
  name: string;
  body: AsyncIterable<Buffer>;
}

/** An archive opened for reading: the KEK it needs, and its records in order. */
export interface ArchiveReader {
  keyId: string;
  records(): AsyncIterable<ArchiveRecord>;
  /** Reads to the end of the file, so the last chunk's authentication is checked; throws if damaged. */
  finish(): Promise<void>;
  close(): void;
}

/** The id of the master key a backup file was made under, read from its clear header. */
export async function archiveKeyId(file: string): Promise<string> {
  const handle = await open(file, 'r').catch((err: unknown) => {
    throw new BackupFileError(`cannot read ${file}: ${errorCode(err) ?? String(err)}`);
  });
  try {
    const head = Buffer.alloc(PREFIX_BYTES + MAX_STREAM_HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const got = head.subarray(0, bytesRead);
    if (got.length < PREFIX_BYTES || !got.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC))
      throw new BackupFileError(`${file} is not a Vigil backup file`);
    if (got[FILE_MAGIC.length] !== FILE_VERSION)
      throw new BackupFileError(
        `${file} is a Vigil backup of format ${got[FILE_MAGIC.length]}, which this version cannot read`,
      );
    try {
      return parseStreamHeader(got.subarray(PREFIX_BYTES)).keyId;
    } catch {
      throw new BackupFileError(DAMAGED);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Open a backup for reading. Refuses at once, before decrypting anything, a file that is not a
 * backup or that was made under a master key `keyring` does not hold.
 */
export async function openArchive(file: string, keyring: Keyring): Promise<ArchiveReader> {
  const keyId = await archiveKeyId(file);
  if (!keyringHolds(keyring, keyId))
    throw new BackupFileError(
      `the backup was made with master key ${keyId}, which this instance does not hold; set VIGIL_MASTER_KEY or put the master.key file that holds it into the data directory`,
    );
  const source: Readable = createReadStream(file, { start: PREFIX_BYTES });
  const plain = createDecryptStream(keyring, ARCHIVE_AAD);
  source.on('error', (err) => plain.destroy(err));
  source.pipe(plain);
  const bytes = createByteReader(plain);
  return {
    keyId,
    records: () => readRecords(bytes),
    finish: async () => {
      if (!(await bytes.atEnd())) throw new BackupFileError(DAMAGED);
    },
    close: () => {
      source.destroy();
      plain.destroy();
    },
  };
}

async function* readRecords(bytes: ByteReader): AsyncIterable<ArchiveRecord> {
  for (;;) {
    const head = await bytes.exact(3);
    const kind = KIND_OF.get(head.readUInt8(0));
    if (!kind) throw new BackupFileError(DAMAGED);
    const name = (await bytes.exact(head.readUInt16BE(1))).toString('utf8');
    let consumed = false;
    const body = async function* () {
      for (;;) {
        const length = (await bytes.exact(4)).readUInt32BE(0);
        if (length === 0) break;
        if (length > MAX_FRAME_BYTES) throw new BackupFileError(DAMAGED);
        yield await bytes.exact(length);
      }
      consumed = true;
    };
    const iterable = body();
    yield { kind, name, body: iterable };
    if (!consumed) for await (const _ of iterable);
    if (kind === 'end') return;
  }
}

interface ByteReader {
  exact(n: number): Promise<Buffer>;
  atEnd(): Promise<boolean>;
}

/** Exact reads from the decrypted stream; its errors and its early end become DAMAGED. */
function createByteReader(stream: Readable): ByteReader {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer[] = [];
  let length = 0;
  let ended = false;
  const pull = async (): Promise<boolean> => {
    if (ended) return false;
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (err) {
      if (err instanceof DecryptionError) throw new BackupFileError(DAMAGED);
      throw err;
    }
    if (next.done) {
      ended = true;
      return false;
    }
    pending.push(next.value);
    length += next.value.length;
    return true;
  };
  return {
    async exact(n) {
      while (length < n) if (!(await pull())) throw new BackupFileError(DAMAGED);
      const all = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
      const out = all.subarray(0, n);
      const rest = all.subarray(n);
      pending = rest.length > 0 ? [rest] : [];
      length = rest.length;
      return out;
    },
    async atEnd() {
      if (length > 0) return false;
      // Reading past the last record makes the stream check its final chunk.
      return !(await pull());
    },
  };
}

function onceDrained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
