import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Limits } from '../config/index.js';
import { PayloadTooLargeError, ValidationError, VigilError } from '../core/index.js';
import { multipartParts, multipartRefusal } from '../http/index.js';
import type { Submission } from '../intake/index.js';
import type { KeyService } from '../openpgp/index.js';
import { decryptBudgetFor, decryptMessage, decryptStream, OpenPgpDecryptError } from '../openpgp/index.js';
import type { Answers, AnswerValue } from '../reports/index.js';

/**
 * The report form as the browser sends it when it encrypts (`src/portal/assets/report-form.js`):
 * the server learns neither the answers nor the file names nor their types, only sizes.
 *
 * `POST /p/:slug/report?encrypted=1`, multipart/form-data, parts in this order:
 *
 * | part               | kind | content                                                                      |
 * | ------------------ | ---- | ---------------------------------------------------------------------------- |
 * | `vigil_encrypted`  | text | `1`, the format version; must be the first part                              |
 * | `vigil_key`        | text | fingerprint of the program key the browser encrypted to (hex, upper case)    |
 * | `encrypted_files`  | text | armored OpenPGP message → JSON `[{ "name": "poc.py", "type": "text/plain" }]` |
 * | `encrypted_fields` | file | armored OpenPGP message → JSON `{ fieldId: string \| string[] \| boolean }`   |
 * | `encrypted_file`   | file | one binary OpenPGP message per file, in the order of `encrypted_files`       |
 *
 * The fields travel as a file part because their ciphertext may well exceed the per-field limit
 * of the multipart parser. File names travel in `encrypted_files` rather than in the literal data
 * packet of each file: the name is needed before the file streams into the blob store, that
 * packet holds at most 255 bytes of name, and the multipart file names are placeholders
 * (`file-1.pgp`). Nothing else may be sent: a stray clear-text part refuses the submission, so a
 * broken client cannot get clear text stored by accident.
 *
 * Any part that does not decrypt to this program's keys refuses the whole submission (400, or
 * 413 when something expands past the limits); the route then aborts it, so nothing is kept.
 *
 * The answers are read and decrypted in memory, so a large `encrypted_fields` part first reserves
 * room in the instance's decryption memory budget (`src/openpgp/decrypt-budget.ts`), sized by the
 * request's Content-Length (or the part's limit when none is sent) before a byte of it is read.
 * When the budget stays spent past its wait, the submission is refused with
 * `DecryptBudgetBusyError` (503, "send it again") and aborted like any other refusal. Files are
 * decrypted as streams into the blob store, yet eight 20 MB files at once still held 275 MiB
 * (openpgp's stream buffers, the parts in flight): so the first file reserves too, for the request's
 * Content-Length at the budget's streamed rate, held until the last file is stored.
 */

export interface EncryptedSubmissionDeps {
  keys: Pick<KeyService, 'decryptionKeys'>;
  limits: Limits;
}

interface FileEntry {
  name: string;
  type?: string;
}

const FORMAT_VERSION = '1';

const fieldsProblem = (message: string) => new ValidationError([{ path: 'encrypted_fields', message }]);
const filesProblem = (message: string) => new ValidationError([{ path: 'encrypted_files', message }]);
const attachmentProblem = (message: string) => new ValidationError([{ path: 'attachments', message }]);

/**
 * Read an encrypted form: decrypt the answers (reported through `onAnswers` as soon as they are
 * known, so a refused submission can still be shown filled in) and stream each decrypted file
 * into the submission. Returns the answers for `submission.commit`.
 */
export async function readEncryptedSubmission(
  request: FastifyRequest,
  submission: Submission,
  deps: EncryptedSubmissionDeps,
  onAnswers: (answers: Answers) => void = () => {},
): Promise<Answers> {
  const { limits } = deps;
  const keys = await deps.keys.decryptionKeys(submission.program.id);
  if (keys.length === 0) {
    throw fieldsProblem('this program has no OpenPGP key; send the form without encryption');
  }
  const fingerprints = new Set(keys.map((k) => k.getFingerprint().toUpperCase()));
  const fieldsLimit = limits.maxFieldBytes * limits.maxFields;

  let first = true;
  let answers: Answers | undefined;
  let manifest: FileEntry[] | undefined;
  let keySeen = false;
  let received = 0;
  /** The reservation for the files, taken at the first and held until the last is stored. */
  let filesBudget: (() => void) | undefined;
  try {
    for await (const part of multipartParts(request)) {
      const isFirst = first;
      first = false;
      if (part.type === 'field') {
        if (part.valueTruncated) {
          throw new PayloadTooLargeError(
            `The part "${part.fieldname.slice(0, 64)}" is larger than the limit of ${limits.maxFieldBytes} bytes.`,
          );
        }
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        if (part.fieldname === 'vigil_encrypted' && isFirst) {
          if (value !== FORMAT_VERSION) {
            throw fieldsProblem(`format version "${value.slice(0, 16)}" is not supported; reload the form`);
          }
        } else if (isFirst) {
          throw fieldsProblem('an encrypted form must start with the part "vigil_encrypted"');
        } else if (part.fieldname === 'vigil_key' && !keySeen) {
          keySeen = true;
          const fingerprint = value.replace(/\s+/g, '').toUpperCase();
          if (!fingerprints.has(fingerprint)) {
            throw fieldsProblem(
              'the form was encrypted to a key this program does not use (any more); reload the form and send it again',
            );
          }
        } else if (part.fieldname === 'encrypted_files' && manifest === undefined) {
          manifest = await decryptManifest(value, keys, limits);
        } else {
          throw fieldsProblem(
            `the part "${part.fieldname.slice(0, 64)}" is not allowed in an encrypted form: only encrypted parts may be sent`,
          );
        }
        continue;
      }

      // A file part. Nothing after the marker may arrive out of order.
      if (isFirst) {
        part.file.resume();
        throw fieldsProblem('an encrypted form must start with the part "vigil_encrypted"');
      }
      if (!keySeen) {
        part.file.resume();
        throw fieldsProblem('the part "vigil_key" must come before the encrypted parts');
      }
      if (part.fieldname === 'encrypted_fields' && answers === undefined) {
        const maxCiphertext = Math.ceil(fieldsLimit * 1.4) + 64 * 1024;
        let release: () => void;
        try {
          release = await decryptBudgetFor(limits).acquire(
            Math.min(maxCiphertext, declaredBodyBytes(request)),
          );
        } catch (err) {
          part.file.resume();
          throw err;
        }
        try {
          answers = await decryptAnswers(
            await readLimited(part.file, maxCiphertext),
            keys,
            fieldsLimit,
            limits.maxFields,
          );
        } finally {
          release();
        }
        onAnswers(answers);
      } else if (part.fieldname === 'encrypted_file') {
        const entry = manifest?.[received];
        if (!entry) {
          part.file.resume();
          throw filesProblem(
            manifest
              ? `more files were sent than "encrypted_files" lists (${manifest.length})`
              : 'the part "encrypted_files" must come before the encrypted files',
          );
        }
        received++;
        if (!filesBudget) {
          try {
            filesBudget = await decryptBudgetFor(limits).acquire(declaredBodyBytes(request), {
              streamed: true,
            });
          } catch (err) {
            part.file.resume();
            throw err;
          }
        }
        await addDecryptedFile(submission, part.file, entry, keys, limits);
      } else {
        part.file.resume();
        throw fieldsProblem(
          `the part "${part.fieldname.slice(0, 64)}" is not allowed in an encrypted form: only encrypted parts may be sent`,
        );
      }
    }
  } finally {
    filesBudget?.();
  }

  if (first) throw fieldsProblem('the encrypted form is empty');
  if (!keySeen) throw fieldsProblem('the part "vigil_key" is missing');
  if (answers === undefined) throw fieldsProblem('the part "encrypted_fields" is missing');
  if (manifest && received !== manifest.length) {
    throw filesProblem(
      `${manifest.length} files were announced but ${received} arrived; send the form again`,
    );
  }
  return answers;
}

/** The body size the client announced; without one, as large as it may be. */
function declaredBodyBytes(request: FastifyRequest): number {
  const declared = Number(request.headers['content-length']);
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : Number.POSITIVE_INFINITY;
}

/** Decrypted answers as form values, to fill a refused form in again. */
export function answersAsFormValues(answers: Answers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(answers)) {
    if (v === true) out[k] = 'on';
    else if (v !== false) out[k] = v;
  }
  return out;
}

async function decryptAnswers(
  ciphertext: Buffer,
  keys: Awaited<ReturnType<KeyService['decryptionKeys']>>,
  maxBytes: number,
  maxFields: number,
): Promise<Answers> {
  let data: Buffer;
  try {
    ({ data } = await decryptMessage(ciphertext, keys, { maxBytes }));
  } catch (err) {
    throw decryptRefusal(err, 'encrypted_fields', `The encrypted form expands past ${maxBytes} bytes.`);
  }
  const parsed = parseJson(data, fieldsProblem);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw fieldsProblem('must decrypt to a JSON object of answers');
  }
  const entries = Object.entries(parsed);
  if (entries.length > maxFields) {
    throw new PayloadTooLargeError(`Too many form fields: at most ${maxFields} per submission.`);
  }
  const answers: Answers = {};
  for (const [key, value] of entries) {
    if (!isAnswerValue(value)) {
      throw fieldsProblem(
        `the answer "${key.slice(0, 64)}" must be text, a list of text or true/false once decrypted`,
      );
    }
    answers[key] = value;
  }
  return answers;
}

async function decryptManifest(
  armored: string,
  keys: Awaited<ReturnType<KeyService['decryptionKeys']>>,
  limits: Limits,
): Promise<FileEntry[]> {
  let data: Buffer;
  try {
    ({ data } = await decryptMessage(armored, keys, { maxBytes: (limits.maxFiles + 1) * 2048 }));
  } catch (err) {
    throw decryptRefusal(err, 'encrypted_files', 'The list of encrypted files is too large.');
  }
  const parsed = parseJson(data, filesProblem);
  if (!Array.isArray(parsed)) throw filesProblem('must decrypt to a JSON list of files');
  if (parsed.length > limits.maxFiles) {
    throw new PayloadTooLargeError(`Too many attachments: at most ${limits.maxFiles} files per submission.`);
  }
  return parsed.map((entry) => {
    const e = entry as Record<string, unknown> | null;
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.name !== 'string' ||
      e.name === '' ||
      (e.type !== undefined && typeof e.type !== 'string')
    ) {
      throw filesProblem('each file must be listed as { "name": text, "type": text }');
    }
    return { name: e.name, type: e.type as string | undefined };
  });
}

/**
 * Stream one encrypted file through decryption into the blob store. The plaintext may fail only
 * at its end (integrity check, decompression limit): the blob store then deletes what it wrote
 * and the error refuses the submission, so no unauthenticated byte becomes part of a case.
 */
async function addDecryptedFile(
  submission: Submission,
  ciphertext: Readable & { truncated?: boolean },
  entry: FileEntry,
  keys: Awaited<ReturnType<KeyService['decryptionKeys']>>,
  limits: Limits,
): Promise<void> {
  const tooLarge = () =>
    new PayloadTooLargeError(
      `An encrypted file is larger than the limit of ${limits.maxFileBytes} bytes per file once decrypted.`,
    );
  let plaintext: Readable;
  try {
    plaintext = await decryptStream(ciphertext, keys, { maxBytes: limits.maxFileBytes });
  } catch (err) {
    ciphertext.resume();
    throw decryptRefusal(err, 'attachments', tooLarge().message);
  }
  let decryptFailure: unknown;
  plaintext.on('error', (err) => {
    decryptFailure ??= err;
  });
  let cipherFailure: unknown;
  ciphertext.on('error', (err) => {
    cipherFailure ??= err;
  });
  try {
    await submission.addAttachment({ stream: plaintext, filename: entry.name, contentType: entry.type });
  } catch (err) {
    if (err instanceof VigilError) throw err;
    const code = (cipherFailure as { code?: string } | undefined)?.code;
    if (ciphertext.truncated || code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    const failure = decryptFailure ?? cipherFailure;
    if (failure === undefined) throw err;
    const message = failure instanceof Error ? failure.message : String(failure);
    if (/decompress|exceed|too large/i.test(message)) throw tooLarge();
    throw attachmentProblem(
      'an encrypted file could not be decrypted: it is damaged or was not encrypted to this program’s key',
    );
  }
}

function decryptRefusal(err: unknown, path: string, tooLargeMessage: string): VigilError {
  if (err instanceof VigilError) return err;
  if (err instanceof OpenPgpDecryptError) {
    if (err.reason === 'too-large') return new PayloadTooLargeError(tooLargeMessage);
    return new ValidationError([{ path, message: `could not be decrypted: ${err.message}` }]);
  }
  return new ValidationError([{ path, message: 'could not be decrypted' }]);
}

function parseJson(data: Buffer, problem: (message: string) => ValidationError): unknown {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    // `__proto__` keys are dropped, as for JSON bodies: they must not reach any object's prototype.
    return JSON.parse(text, (k, v) => (k === '__proto__' ? undefined : v));
  } catch {
    throw problem('does not decrypt to valid UTF-8 JSON');
  }
}

function isAnswerValue(v: unknown): v is AnswerValue {
  return (
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (Array.isArray(v) && v.every((x) => typeof x === 'string'))
  );
}

/** Read a (small) part into memory, refusing it past `max` bytes. */
async function readLimited(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > max) {
        throw new PayloadTooLargeError(`The encrypted form is larger than the limit of ${max} bytes.`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof VigilError) throw err;
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new PayloadTooLargeError(`The encrypted form is larger than the limit of ${max} bytes.`);
    }
    // The part's stream fails when the body breaks off or is malformed: the sender's problem.
    throw multipartRefusal(err);
  }
  return Buffer.concat(chunks);
}
