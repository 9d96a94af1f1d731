import { BackupFileError, DAMAGED } from './archive.js';

/**
 * A table's rows in the archive: JSON lines, the first one the column names, then one array of
 * values per row. Byte values (sealed columns) travel as `{"b64": "…"}`; every other value Vigil
 * stores is text, a number or null and travels as itself.
 */

/** Text gathered before it is handed to the archive as one body chunk. */
const CHUNK_BYTES = 64 * 1024;

/** The body of a table record; `counted` receives the number of rows once all were written. */
export async function* encodeRows(
  columns: string[],
  rows: AsyncIterable<unknown[]>,
  counted: (n: number) => void,
): AsyncIterable<Buffer> {
  let text = `${JSON.stringify(columns)}\n`;
  let n = 0;
  for await (const row of rows) {
    text += `${JSON.stringify(row.map(encodeValue))}\n`;
    n++;
    if (text.length >= CHUNK_BYTES) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text.length > 0) yield Buffer.from(text, 'utf8');
  counted(n);
}

function encodeValue(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return { b64: Buffer.from(value).toString('base64') };
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (typeof value === 'bigint') return Number(value);
  // A new column type would otherwise be written in a shape restore cannot give back.
  throw new Error(`a table holds a value of type ${typeof value} that backups cannot carry`);
}

function decodeValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    const b64 = (value as { b64?: unknown }).b64;
    if (typeof b64 !== 'string') throw new BackupFileError(DAMAGED);
    return Buffer.from(b64, 'base64');
  }
  return value;
}

/** Reads a table record's body: its column names, then its rows. */
export async function decodeRows(
  body: AsyncIterable<Buffer>,
): Promise<{ columns: string[]; rows: AsyncIterable<unknown[]> }> {
  const lines = splitLines(body)[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new BackupFileError(DAMAGED);
  const columns = parseLine(first.value);
  if (!columns.every((c) => typeof c === 'string')) throw new BackupFileError(DAMAGED);
  const rows = async function* () {
    for (;;) {
      const next = await lines.next();
      if (next.done) return;
      yield parseLine(next.value).map(decodeValue);
    }
  };
  return { columns: columns as string[], rows: rows() };
}

function parseLine(line: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(line);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Falls through to the damage report: the stream authenticated, so the writer was wrong.
  }
  throw new BackupFileError(DAMAGED);
}

async function* splitLines(body: AsyncIterable<Buffer>): AsyncIterable<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of body) {
    rest += decoder.decode(chunk, { stream: true });
    let at = rest.indexOf('\n');
    while (at >= 0) {
      yield rest.slice(0, at);
      rest = rest.slice(at + 1);
      at = rest.indexOf('\n');
    }
  }
  rest += decoder.decode();
  if (rest.length > 0) throw new BackupFileError(DAMAGED);
}
