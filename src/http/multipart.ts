import type { FastifyRequest } from 'fastify';
import type { IncomingFile } from '../core/index.js';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../core/index.js';

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
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (!part.filename) {
        // An empty file input in a form without JavaScript: nothing was chosen.
        part.file.resume();
        continue;
      }
      await opts.onFile({ stream: part.file, filename: part.filename, contentType: part.mimetype });
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
