import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/index.js';
import { detectPhi, type PhiDetectOptions, type PhiKind, type ReporterContact } from '../privacy/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { attachmentAad } from '../reports/index.js';
import type { PartKind } from './quarantine-store.js';

/**
 * The PHI guard on arrival: every part of what a reporter sends is run through the detector
 * before the transaction that stores it (detection is CPU work, and reading an attachment back
 * is I/O; neither belongs inside a transaction). What comes out is only where and what kind —
 * the transaction records that, never content.
 */

/** Attachments are scanned up to this many decrypted bytes; the part records whether it stopped short. */
export const SCAN_CAP_BYTES = 16 * 1024 * 1024;

/** A part the guard flagged. */
export interface FlaggedPart {
  kind: PartKind;
  ref: string;
  kinds: PhiKind[];
  scannedBytes?: number;
  truncated?: boolean;
}

/** What arrives together: one report (fields and files) or one reporter message (text and files). */
export interface Arrival {
  fields?: Answers;
  message?: { id: string; text: string };
  files: { id: string; blobKey: string; name: string; contentType: string }[];
  /** The stored original of the email, if any: held whenever anything else in it is. */
  rawMessageId?: string;
  reporter: ReporterContact;
}

const uniqueKinds = (kinds: PhiKind[]): PhiKind[] => [...new Set(kinds)].sort();

/** Text of an answer as scanned: lists line by line, yes/no answers not at all. */
export const answerText = (v: Answers[string] | undefined): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.join('\n') : undefined;

/**
 * The reporter's own contact details, so that their signature is not taken for a patient's
 * phone number or address: e-mail addresses, phone numbers and names by field purpose (a
 * message report's contact has `email` and `name`).
 */
export function reporterContact(program: Program | undefined, contact: Answers): ReporterContact {
  const emails: string[] = [];
  const phones: string[] = [];
  const names: string[] = [];
  const purposes = new Map((program?.definition.form.fields ?? []).map((f) => [f.id, f.purpose]));
  for (const [id, value] of Object.entries(contact)) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    const purpose = purposes.get(id) ?? `contact.${id}`;
    if (purpose === 'contact.email') emails.push(value);
    else if (purpose === 'contact.phone') phones.push(value);
    else if (purpose === 'contact.name') names.push(value);
  }
  return { emails, phones, names };
}

/** Text parts: each content field (by id) and a message body. */
export function scanTexts(
  arrival: Pick<Arrival, 'fields' | 'message'>,
  options: PhiDetectOptions,
): FlaggedPart[] {
  const out: FlaggedPart[] = [];
  for (const [id, value] of Object.entries(arrival.fields ?? {})) {
    const text = answerText(value);
    if (!text) continue;
    const { findings } = detectPhi({ text }, options);
    if (findings.length > 0)
      out.push({ kind: 'field', ref: id, kinds: uniqueKinds(findings.map((f) => f.kind)) });
  }
  if (arrival.message && arrival.message.text !== '') {
    const { findings } = detectPhi({ text: arrival.message.text }, options);
    if (findings.length > 0)
      out.push({ kind: 'message', ref: arrival.message.id, kinds: uniqueKinds(findings.map((f) => f.kind)) });
  }
  return out;
}

/** Read a stored attachment back (decrypting) up to `cap` bytes. */
export async function readStoredPrefix(
  blobs: Pick<BlobStore, 'get'>,
  file: { id: string; blobKey: string },
  cap = SCAN_CAP_BYTES,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const stream: Readable = blobs.get(file.blobKey, attachmentAad(file.id));
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      if (size + b.length > cap) {
        chunks.push(b.subarray(0, cap - size));
        size = cap;
        truncated = true;
        break;
      }
      chunks.push(b);
      size += b.length;
    }
  } finally {
    stream.destroy();
  }
  return { bytes: Buffer.concat(chunks, size), truncated };
}

/** Scan one stored attachment by its decrypted bytes (DICOM walked by tag, text as text). */
export async function scanStoredFile(
  blobs: Pick<BlobStore, 'get'>,
  file: Arrival['files'][number],
  options: PhiDetectOptions,
  cap = SCAN_CAP_BYTES,
): Promise<FlaggedPart | undefined> {
  const { bytes, truncated } = await readStoredPrefix(blobs, file, cap);
  const { findings } = detectPhi(
    {
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      fileName: file.name,
      contentType: file.contentType,
    },
    options,
  );
  if (findings.length === 0) return undefined;
  return {
    kind: 'attachment',
    ref: file.id,
    kinds: uniqueKinds(findings.map((f) => f.kind)),
    scannedBytes: bytes.length,
    truncated,
  };
}

/**
 * Everything the guard flags in one arrival. The raw original of an email is not scanned on its
 * own (its MIME encoding hides text from the detector) but carries the same content, so it is
 * held whenever any other part of the same message is, with the union of their kinds.
 */
export async function scanArrival(blobs: Pick<BlobStore, 'get'>, arrival: Arrival): Promise<FlaggedPart[]> {
  const options: PhiDetectOptions = { reporter: arrival.reporter };
  const flagged = scanTexts(arrival, options);
  for (const f of arrival.files) {
    if (f.id === arrival.rawMessageId) continue;
    const part = await scanStoredFile(blobs, f, options);
    if (part) flagged.push(part);
  }
  if (arrival.rawMessageId && flagged.length > 0) {
    flagged.push({
      kind: 'attachment',
      ref: arrival.rawMessageId,
      kinds: uniqueKinds(flagged.flatMap((p) => p.kinds)),
    });
  }
  return flagged;
}
