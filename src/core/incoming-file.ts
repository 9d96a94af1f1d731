import { Readable } from 'node:stream';

/**
 * A file arriving in a request or a mail: its bytes as a stream (read once) and what the sender
 * says it is called and is. The name and type are the sender's words, to be sanitised.
 */
export interface IncomingFile {
  stream: Readable;
  filename?: string;
  contentType?: string;
}

const CHUNK_BYTES = 64 * 1024;

/** Views of `data` in 64 KiB chunks, in order (no copies). */
export function* chunksOf(data: Buffer): Generator<Buffer, void, undefined> {
  for (let at = 0; at < data.length; at += CHUNK_BYTES) yield data.subarray(at, at + CHUNK_BYTES);
}

/**
 * Bytes already in memory as a stream of 64 KiB chunks. `Readable.from([buffer])` hands the whole
 * buffer on as one chunk, and the blob store's cipher then makes a second buffer as large (a
 * stored 20 MB mail original cost 20 MiB more while it was written).
 */
export function streamOf(data: Buffer): Readable {
  return Readable.from(chunksOf(data), { objectMode: false });
}
