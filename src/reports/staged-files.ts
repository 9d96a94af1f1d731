import { pipeline, Transform, type TransformCallback } from 'node:stream';
import type { BlobStore } from '../blobs/index.js';
import { BlobTooLargeError } from '../blobs/index.js';
import type { Limits } from '../config/index.js';
import type { IncomingFile } from '../core/index.js';
import { newId, PayloadTooLargeError, ValidationError } from '../core/index.js';
import { sanitizeFilename } from './filenames.js';

/** A file streamed into the blob store, waiting for the transaction that will reference it. */
export interface StagedFile {
  id: string;
  blobKey: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  /**
   * The whole plaintext of a small file (within the submission's `keepSmallFiles` allowance): the
   * PHI guard scans it from here rather than reading the blob back. Never stored; dropped with
   * the submission.
   */
  plain?: Buffer;
}

export type { IncomingFile } from '../core/incoming-file.js';

const MiB = 1024 * 1024;
const mb = (n: number) => (n >= MiB ? `${Math.round((n / MiB) * 10) / 10} MB` : `${n} bytes`);

/** The associated data binding an attachment's blob to its attachment row. */
export const attachmentAad = (attachmentId: string) => `attachment:${attachmentId}`;

/**
 * Files of one submission: streamed to the blob store as they arrive (never held in memory),
 * counted against the per-file, per-report and file-count limits, and deleted again unless the
 * submission commits. A crash between staging and commit leaves only unreferenced blobs, which
 * the orphan sweep removes; never a row without its file.
 */
export function createStagedFiles(
  blobs: BlobStore,
  limits: Limits,
  opts: {
    /**
     * Keep the plaintext of the submission's files in memory while they fit in this many bytes
     * together (default 0: none); a file that does not fit is not kept.
     */
    keepSmallFiles?: number;
  } = {},
) {
  let keepAllowance = opts.keepSmallFiles ?? 0;
  const files: StagedFile[] = [];
  let total = 0;
  return {
    files,
    async add(file: IncomingFile): Promise<StagedFile> {
      if (files.length >= limits.maxFiles) {
        file.stream.resume();
        throw new PayloadTooLargeError(
          `Too many attachments: at most ${limits.maxFiles} files per submission.`,
        );
      }
      if (file.filename !== undefined && !isPlainFileName(file.filename)) {
        file.stream.resume();
        throw new ValidationError([
          {
            path: 'attachments',
            message: 'a file name must be a plain name without folders, ".." or control characters',
          },
        ]);
      }
      const remaining = limits.maxReportBytes - total;
      const maxBytes = Math.min(limits.maxFileBytes, remaining);
      const id = newId();
      const keeper = keepAllowance > 0 ? keepSmall(keepAllowance) : undefined;
      if (keeper) {
        // A pipeline, so that an upload cut short or failing (a decryption's integrity check)
        // ends the copy with its error, which `put` reports.
        pipeline(file.stream, keeper.stream, () => {});
      }
      try {
        const stored = await blobs.put(keeper?.stream ?? file.stream, { maxBytes, aad: attachmentAad(id) });
        const plain = keeper?.plain();
        if (plain) keepAllowance -= plain.length;
        const staged: StagedFile = {
          id,
          blobKey: stored.key,
          name: sanitizeFilename(file.filename),
          contentType: sanitizeContentType(file.contentType),
          size: stored.size,
          sha256: stored.sha256,
          ...(plain ? { plain } : {}),
        };
        files.push(staged);
        total += stored.size;
        return staged;
      } catch (err) {
        file.stream.resume();
        if (err instanceof BlobTooLargeError) {
          throw new PayloadTooLargeError(
            maxBytes < limits.maxFileBytes
              ? `The attachments together exceed the limit of ${mb(limits.maxReportBytes)} per submission.`
              : `The file "${sanitizeFilename(file.filename)}" exceeds the limit of ${mb(limits.maxFileBytes)} per file.`,
          );
        }
        throw err;
      }
    },
    /** Delete every staged blob; safe to call more than once. */
    async discard(): Promise<void> {
      await Promise.allSettled(files.map((f) => blobs.delete(f.blobKey)));
      files.length = 0;
    },
  };
}

export type StagedFiles = ReturnType<typeof createStagedFiles>;

/**
 * Passes a file through unchanged, keeping a copy of its chunks while it stays within `max`
 * bytes; past that the copy is dropped at once, so a large file costs no memory here.
 */
function keepSmall(max: number) {
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.length;
      if (size > max) chunks = undefined;
      else chunks?.push(chunk);
      callback(null, chunk);
    },
  });
  return { stream, plain: () => (chunks ? Buffer.concat(chunks, size) : undefined) };
}

/** Content types are kept only as a hint; anything odd becomes application/octet-stream. */
function sanitizeContentType(ct: string | undefined): string {
  const v = (ct ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(v)
    ? v
    : 'application/octet-stream';
}

/**
 * Browsers send only a file's own name; a name with folders or `..` comes from a crafted
 * client, and is refused rather than guessed at.
 */
function isPlainFileName(name: string): boolean {
  return !/[\\/\u0000-\u001f\u007f]/.test(name) && name !== '.' && name !== '..';
}
