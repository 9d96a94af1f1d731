import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { IncomingFile } from '../core/index.js';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
  VigilError,
} from '../core/index.js';

/** Text fields of a form; a name sent more than once becomes a list (checkbox groups). */
export type FormFields = Record<string, string | string[]>;

export function addField(fields: FormFields, name: string, value: string): void {
  const prev = fields[name];
  if (prev === undefined) fields[name] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else fields[name] = [prev, value];
}

export function isMultipart(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/**
 * What a failure to read the multipart body becomes. The parser's own refusals (limits, a
 * forbidden field name) carry a 4xx status and pass on as they are; anything else it raises
 * (no boundary, a boundary over 70 characters, a malformed part header, a body cut short) is the
 * sender's malformed body, so a 400 — not the 500 of an unexpected error.
 */
export function multipartRefusal(err: unknown): unknown {
  if (err instanceof VigilError) return err;
  const status = (err as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return err;
  return new ValidationError([
    {
      path: 'body',
      message:
        'is not a readable multipart/form-data body (check the boundary in Content-Type, each part’s headers and the closing boundary)',
    },
  ]);
}

/** The parts of a multipart body, with the parser's failures turned into refusals (see `multipartRefusal`). */
export async function* multipartParts(request: FastifyRequest): AsyncGenerator<Multipart> {
  const parts = request.parts()[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await parts.next();
    } catch (err) {
      throw multipartRefusal(err);
    }
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Walk a multipart body part by part: each file is handed to `onFile` as a stream as soon as it
 * arrives (so it goes straight to the blob store), text fields are collected. Limits on counts
 * and field sizes are enforced by the parser and answered as 413.
 */
export async function readMultipart(
  request: FastifyRequest,
  opts: { maxFieldBytes: number; maxFields: number; onFile: (file: IncomingFile) => Promise<void> },
): Promise<FormFields> {
  if (!isMultipart(request)) throw new UnsupportedMediaTypeError('Send the form as multipart/form-data.');
  const fields: FormFields = {};
  let count = 0;
  for await (const part of multipartParts(request)) {
    if (part.type === 'file') {
      if (!part.filename) {
        // An empty file input in a form without JavaScript: nothing was chosen.
        part.file.resume();
        continue;
      }
      // A body that breaks off inside a file fails the file's stream (perhaps before the part is
      // handed over), so the parser's error surfaces from `onFile`.
      let streamFailure: unknown;
      part.file.once('error', (err) => {
        streamFailure ??= err;
      });
      try {
        await opts.onFile({ stream: part.file, filename: part.filename, contentType: part.mimetype });
      } catch (err) {
        const failure = streamFailure ?? part.file.errored;
        throw failure && !(err instanceof VigilError) ? multipartRefusal(failure) : err;
      }
      continue;
    }
    count++;
    if (count > opts.maxFields)
      throw new PayloadTooLargeError(`Too many form fields: at most ${opts.maxFields} per submission.`);
    if (part.valueTruncated) {
      throw new PayloadTooLargeError(
        `The field "${part.fieldname.slice(0, 64)}" is larger than the limit of ${opts.maxFieldBytes} bytes.`,
      );
    }
    addField(fields, part.fieldname, typeof part.value === 'string' ? part.value : String(part.value));
  }
  return fields;
}
