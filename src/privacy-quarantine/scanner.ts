import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/index.js';
import type { PhiDetectOptions, PhiKind, PhiResult, ReporterContact } from '../privacy/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { attachmentAad } from '../reports/index.js';
import type { PartKind } from './quarantine-store.js';
import { DEFAULT_SCAN_BUDGET_MS, type ScanPool } from './scan-pool.js';

/**
 * The PHI guard on arrival: every part of what a reporter sends is run through the detector
 * before the transaction that stores it (detection is CPU work, and reading an attachment back
 * is I/O; neither belongs inside a transaction). What comes out is only where and what kind —
 * the transaction records that, never content. Detection itself runs on the worker pool
 * (scan-pool.ts) within a budget per submission.
 */

/** Attachments are scanned up to this many decrypted bytes; the part records whether it stopped short. */
export const SCAN_CAP_BYTES = 16 * 1024 * 1024;

/**
 * What is read of a stored attachment first: enough for the detector to tell text and DICOM (its
 * marker sits at byte 128) from binary content it cannot read, which is then not read further.
 */
export const SNIFF_BYTES = 64 * 1024;

const scanInput = (bytes: Buffer, f: { name: string; contentType: string }) => ({
  bytes: ownedBytes(bytes),
  fileName: f.name,
  contentType: f.contentType,
});

/** A part the guard flagged. */
export interface FlaggedPart {
  kind: PartKind;
  ref: string;
  kinds: PhiKind[];
  scannedBytes?: number;
  /** The guard stopped short: an attachment at its cap, or any part at the submission's budget. */
  truncated?: boolean;
  /** Not checked within the budget: held with no kinds found yet (see `scanArrival`). */
  unfinished?: boolean;
}

/** What arrives together: one report (fields and files) or one reporter message (text and files). */
export interface Arrival {
  fields?: Answers;
  message?: { id: string; text: string };
  /**
   * With `plain`, a small file's whole plaintext kept from its upload: scanned from there (and
   * handed to the worker, which leaves `plain` empty) instead of read back from the blob store.
   */
  files: {
    id: string;
    blobKey: string;
    name: string;
    contentType: string;
    /** Plaintext bytes, when known: the read-back then takes one buffer of the right size. */
    size?: number;
    plain?: Buffer;
  }[];
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

/**
 * Read a stored attachment back (decrypting) up to `cap` bytes. With the file's `size` known, the
 * bytes go straight into one buffer of the size needed, instead of being gathered in chunks and
 * joined (which held the prefix twice at the join: 32 MiB for a 16 MiB scan).
 */
export async function readStoredPrefix(
  blobs: Pick<BlobStore, 'get'>,
  file: { id: string; blobKey: string; size?: number },
  cap = SCAN_CAP_BYTES,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const stream: Readable = blobs.get(file.blobKey, attachmentAad(file.id));
  // Its own memory (not Node's shared pool), so the worker can take it without a copy.
  let out = Buffer.allocUnsafeSlow(Math.min(cap, Math.max(0, file.size ?? 0)));
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      const room = cap - size;
      if (size + b.length > out.length && out.length < cap) {
        // The size was not given (or was wrong): grow, doubling, up to the cap.
        const grown = Buffer.allocUnsafeSlow(Math.min(cap, Math.max(size + b.length, out.length * 2)));
        out.copy(grown, 0, 0, size);
        out = grown;
      }
      if (b.length > room) {
        b.copy(out, size, 0, room);
        size = cap;
        truncated = true;
        break;
      }
      b.copy(out, size);
      size += b.length;
    }
  } finally {
    stream.destroy();
  }
  return { bytes: size === out.length ? out : out.subarray(0, size), truncated };
}

/** How the guard scans on arrival: the worker pool and the budget of one submission. */
export interface ArrivalScanDeps {
  blobs: Pick<BlobStore, 'get'>;
  pool: Pick<ScanPool, 'scan'>;
  /** Time for the whole submission, in ms (default 10 s); what is not checked by then is held. */
  budgetMs?: number;
}

const kindsOf = (r: PhiResult): PhiKind[] => r.findings.map((f) => f.kind);

/** The bytes as a view the pool can hand to its worker without a copy when they own their buffer. */
const ownedBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

/**
 * Everything the guard flags in one arrival, within the submission's budget. Text parts are
 * every content field (for an email, its subject is one), a message body and each attachment's
 * file name; attachments are scanned by their decrypted bytes (DICOM walked by tag, text as text).
 * Small files kept in memory from the upload go in the same job as the text parts; the others
 * are read back from the blob store one at a time, so that at most one is held in memory for
 * the guard.
 *
 * A part not checked by the deadline (the budget spent, or its worker failed) is flagged like a
 * DICOM walk that could not finish: held for privacy review with no kinds found yet, `truncated`
 * and `unfinished` set. A flagged file name holds its file, with the union of both kinds.
 *
 * The raw original of an email is not scanned on its own (its MIME encoding hides text from the
 * detector) but carries the same content, so it is held whenever any other part of the same
 * message is, with the union of their kinds.
 */
export async function scanArrival(deps: ArrivalScanDeps, arrival: Arrival): Promise<FlaggedPart[]> {
  const deadline = Date.now() + (deps.budgetMs ?? DEFAULT_SCAN_BUDGET_MS);
  const options: PhiDetectOptions = { reporter: arrival.reporter };
  const files = arrival.files.filter((f) => f.id !== arrival.rawMessageId);
  const texts: { part: Omit<FlaggedPart, 'kinds'>; text: string }[] = [];
  for (const [id, value] of Object.entries(arrival.fields ?? {})) {
    const text = answerText(value);
    if (text) texts.push({ part: { kind: 'field', ref: id }, text });
  }
  if (arrival.message && arrival.message.text !== '')
    texts.push({ part: { kind: 'message', ref: arrival.message.id }, text: arrival.message.text });
  for (const f of files)
    if (f.name !== '') texts.push({ part: { kind: 'attachment', ref: f.id }, text: f.name });

  const found = new Map<string, FlaggedPart>();
  const flag = (part: Omit<FlaggedPart, 'kinds'>, result: PhiResult | undefined) => {
    const key = `${part.kind}:${part.ref}`;
    const kinds = result ? kindsOf(result) : [];
    if (result && kinds.length === 0) return;
    const had = found.get(key);
    const unfinished = !result || had?.unfinished;
    found.set(key, {
      ...had,
      ...part,
      kinds: uniqueKinds([...(had?.kinds ?? []), ...kinds]),
      ...(unfinished ? { truncated: true, unfinished: true } : {}),
    });
  };

  const kept = files.filter((f) => f.plain !== undefined && f.plain.length <= SCAN_CAP_BYTES);
  const keptParts = kept.map((f) => ({
    part: { kind: 'attachment' as const, ref: f.id, scannedBytes: f.plain?.length ?? 0, truncated: false },
    input: { bytes: ownedBytes(f.plain as Buffer), fileName: f.name, contentType: f.contentType },
  }));
  const results = await deps.pool.scan(
    [...texts.map((t) => ({ text: t.text })), ...keptParts.map((k) => k.input)],
    options,
    deadline,
  );
  for (const [i, t] of texts.entries()) flag(t.part, results[i]);
  for (const [i, k] of keptParts.entries()) flag(k.part, results[texts.length + i]);

  for (const f of files) {
    if (kept.includes(f)) continue;
    const part = { kind: 'attachment' as const, ref: f.id };
    if (Date.now() >= deadline) {
      flag(part, undefined);
      continue;
    }
    // The head says what the file is: binary content the guard cannot read (an image, an archive)
    // needs no more than that; text and DICOM are read up to the cap.
    let { bytes, truncated } = await readStoredPrefix(deps.blobs, f, SNIFF_BYTES);
    let [result] = await deps.pool.scan([scanInput(bytes, f)], options, deadline);
    if (truncated && result && result.scanned !== 'skipped' && Date.now() < deadline) {
      ({ bytes, truncated } = await readStoredPrefix(deps.blobs, f));
      [result] = await deps.pool.scan([scanInput(bytes, f)], options, deadline);
    }
    const scannedBytes = bytes.length;
    flag({ ...part, scannedBytes, truncated }, result);
    // Text past the cap was never read: the file is held as unchecked, whatever its start held. (A
    // DICOM walk that could not finish says so itself; a finished one has read the header.)
    if (truncated && (!result || result.scanned === 'text'))
      flag({ ...part, scannedBytes, truncated }, undefined);
  }

  const flagged = [...found.values()];
  if (arrival.rawMessageId && flagged.length > 0) {
    flagged.push({
      kind: 'attachment',
      ref: arrival.rawMessageId,
      kinds: uniqueKinds(flagged.flatMap((p) => p.kinds)),
      ...(flagged.some((p) => p.unfinished) ? { truncated: true, unfinished: true } : {}),
    });
  }
  return flagged;
}
