import { Readable } from 'node:stream';
import * as openpgp from 'openpgp';
import { chunksOf, decodeBase64Lines } from '../core/index.js';
import { decryptSeipdV1 } from './seipd.js';

/**
 * Decryption of what reporters send (web form with JavaScript, email): one place that applies the
 * limits — a message may not expand past `maxBytes` (a compressed "bomb" stops there) — and that
 * turns signatures into a recorded status.
 */

export type SignatureStatus =
  | { status: 'none' }
  | { status: 'valid'; keyId: string; fingerprint: string }
  | { status: 'invalid'; keyId: string }
  | { status: 'unknown-key'; keyId: string };

/** Why a message could not be read; recorded on the case, never thrown past intake. */
export class OpenPgpDecryptError extends Error {
  readonly reason: 'no-key' | 'corrupt' | 'unsupported' | 'too-large';
  constructor(reason: OpenPgpDecryptError['reason'], message: string) {
    super(message);
    this.name = 'OpenPgpDecryptError';
    this.reason = reason;
  }
}

function classify(err: unknown, maxBytes: number): OpenPgpDecryptError {
  if (err instanceof OpenPgpDecryptError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/decompress|exceed|too large/i.test(msg)) {
    return new OpenPgpDecryptError('too-large', `the decrypted message would exceed ${maxBytes} bytes`);
  }
  if (/Session key decryption failed|No decryption key|decryption key/i.test(msg)) {
    return new OpenPgpDecryptError('no-key', 'the message is not encrypted to a key of this program');
  }
  if (/Unsupported|not supported|Unknown/i.test(msg))
    return new OpenPgpDecryptError('unsupported', 'the message uses an unsupported OpenPGP feature');
  return new OpenPgpDecryptError('corrupt', 'the message is damaged or not OpenPGP');
}

/** A Buffer over the same memory as `u8`: `Buffer.from(u8)` would copy a whole message. */
const viewOf = (u8: Uint8Array): Buffer => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

const BEGIN_MESSAGE = '-----BEGIN PGP MESSAGE-----';
const END_MESSAGE = '-----END PGP MESSAGE-----';

/** How far into a message its armour headers may reach. */
const ARMOR_HEADER_WINDOW = 8 * 1024;
/**
 * Messages that openpgp decrypts (not SEIPD v1, which `seipd.ts` opens with node:crypto) are read
 * as a stream of chunks from this size on: openpgp's in-memory path
 * concatenates the whole message again at each layer (measured: about 55 MiB of RSS for a 15 MB
 * payload), the stream holds its chunks once. Smaller ones take the in-memory path, which costs
 * less CPU per message.
 */
const STREAM_FROM_BYTES = 256 * 1024;

/** The binary message's chunks, as a web stream openpgp reads one chunk at a time. */
function chunkStream(chunks: Iterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

/**
 * Where the base64 of one plain armored message lies, found without making the armour one
 * string; undefined for anything else (then openpgp reads it as before). openpgp's own
 * unarmouring goes through its stream machinery and holds about three times the message while
 * doing so (measured: 50-60 MiB of RSS for a 19 MB armored mail, against 10-20 MiB decrypting the
 * binary), and Node decodes a large base64 string slowly (`base64LineSegments`). The armour
 * checksum is not checked: the message's own integrity protection is, when it decrypts.
 */
function armoredBody(input: Buffer): Buffer | undefined {
  const begin = input.indexOf(BEGIN_MESSAGE, 0, 'latin1');
  if (begin < 0 || begin > ARMOR_HEADER_WINDOW || input.toString('latin1', 0, begin).trim() !== '')
    return undefined;
  const end = input.indexOf(END_MESSAGE, begin, 'latin1');
  if (end < 0) return undefined;
  // The armour header lines (`Version: …`, `Comment: …`) end at the first empty line.
  const head = input.toString('latin1', begin, Math.min(end, begin + ARMOR_HEADER_WINDOW));
  const lines = /\r?\n/y;
  let at = BEGIN_MESSAGE.length;
  lines.lastIndex = at;
  if (!lines.test(head)) return undefined;
  at = lines.lastIndex;
  const header = /([A-Za-z][A-Za-z0-9-]*: [^\r\n]*)?\r?\n/y;
  for (;;) {
    header.lastIndex = at;
    const m = header.exec(head);
    if (!m) return undefined;
    at = header.lastIndex;
    if (m[1] === undefined) break;
  }
  const bodyStart = begin + at;
  let bodyEnd = end;
  // The optional checksum line (`=abcd`) just before the end line.
  const tail = input.toString('latin1', Math.max(bodyStart, end - 16), end);
  const checksum = /\r?\n=[A-Za-z0-9+/]{4}\s*$/.exec(tail);
  if (checksum) bodyEnd = end - tail.length + checksum.index;
  return bodyEnd > bodyStart ? input.subarray(bodyStart, bodyEnd) : undefined;
}

/**
 * The binary message in `input`: a plain armour decoded here (see `armoredBody`), binary bytes as
 * they are; undefined for armour that openpgp must read itself. `owned` when the bytes are a new
 * buffer rather than the caller's, so they may be overwritten.
 */
function binaryOf(input: Uint8Array | string): { bytes: Buffer; owned: boolean } | undefined {
  const owned = typeof input === 'string';
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : viewOf(input);
  if (!bytes.subarray(0, ARMOR_HEADER_WINDOW + BEGIN_MESSAGE.length).includes(BEGIN_MESSAGE, 0, 'latin1'))
    return { bytes, owned };
  const body = armoredBody(bytes);
  return body ? { bytes: decodeBase64Lines(body), owned: true } : undefined;
}

/**
 * The message for openpgp's own path: `binary` when the armour was decoded, else `input` as
 * armour; `streamed` when it is read chunk by chunk.
 */
async function readAnyMessage(
  input: Uint8Array | string,
  binary: Buffer | undefined,
): Promise<{
  message: openpgp.Message<Uint8Array | ReadableStream<Uint8Array>>;
  streamed: boolean;
  /** The binary message's size, or near it. */
  binaryBytes: number;
}> {
  if (!binary) {
    const armored = typeof input === 'string' ? input : viewOf(input).toString('utf8');
    const message = await openpgp.readMessage({ armoredMessage: armored });
    return { message: message as openpgp.Message<Uint8Array>, streamed: false, binaryBytes: armored.length };
  }
  const large = binary.length >= STREAM_FROM_BYTES;
  const message = large
    ? await openpgp.readMessage({ binaryMessage: chunkStream(chunksOf(binary)) })
    : await openpgp.readMessage({ binaryMessage: binary });
  return { message, streamed: large, binaryBytes: binary.length };
}

/**
 * A streamed plaintext gathered into one buffer, refused past `maxBytes`. It is copied into a
 * buffer of the size the message suggests (`expected`: an uncompressed plaintext is a little
 * smaller than its ciphertext) as it comes, so the chunks are not held beside their join; pages
 * never written are never taken from the system. A plaintext that outgrows it (a compressed
 * message) is joined from its chunks after all.
 */
async function gather(data: ReadableStream<Uint8Array>, maxBytes: number, expected: number): Promise<Buffer> {
  let into: Buffer | undefined = Buffer.allocUnsafe(Math.min(maxBytes, expected));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = data.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.length > maxBytes)
        throw new OpenPgpDecryptError('too-large', `the decrypted message would exceed ${maxBytes} bytes`);
      if (into && size + value.length <= into.length) into.set(value, size);
      else {
        if (into) chunks.push(into.subarray(0, size));
        into = undefined;
        chunks.push(value);
      }
      size += value.length;
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  }
  return into ? into.subarray(0, size) : Buffer.concat(chunks, size);
}

async function signatureOf(
  signatures: Awaited<ReturnType<typeof openpgp.decrypt>>['signatures'],
  verificationKeys: openpgp.PublicKey[],
): Promise<SignatureStatus> {
  const first = signatures[0];
  if (!first) return { status: 'none' };
  const keyId = first.keyID.toHex().toUpperCase();
  try {
    await first.verified;
    const key = verificationKeys.find((k) => k.getKeys(first.keyID).length > 0);
    return { status: 'valid', keyId, fingerprint: key ? key.getFingerprint().toUpperCase() : keyId };
  } catch (err) {
    const msg = err instanceof Error ? err.message : '';
    if (/Could not find signing key/i.test(msg)) return { status: 'unknown-key', keyId };
    return { status: 'invalid', keyId };
  }
}

/**
 * Decrypt a whole message held in memory (armored or binary), e.g. a form's fields or a mail body.
 * Throws OpenPgpDecryptError with a reason.
 */
export async function decryptMessage(
  input: Uint8Array | string,
  decryptionKeys: openpgp.PrivateKey[],
  opts: { maxBytes: number; verificationKeys?: openpgp.PublicKey[] },
): Promise<{ data: Buffer; signature: SignatureStatus; filename?: string }> {
  if (decryptionKeys.length === 0) throw new OpenPgpDecryptError('no-key', 'this program has no OpenPGP key');
  const verificationKeys = opts.verificationKeys ?? [];
  const tooLarge = () =>
    new OpenPgpDecryptError('too-large', `the decrypted message would exceed ${opts.maxBytes} bytes`);
  try {
    const read = binaryOf(input);
    const binary = read?.bytes;
    const config = { ...openpgp.config, maxDecompressedMessageSize: opts.maxBytes };
    // Decoded from armour, the binary is this function's own, and it is decrypted in place.
    const fast = read ? await decryptSeipdV1(read.bytes, decryptionKeys, config, read.owned) : undefined;
    if (fast?.inner) {
      const signatures = await fast.inner.verify(verificationKeys, undefined, config);
      const literal = fast.inner.getLiteralData();
      if (!(literal instanceof Uint8Array)) throw new Error('No literal data packet');
      if (literal.length > opts.maxBytes) throw tooLarge();
      return {
        data: viewOf(literal),
        signature: await signatureOf(signatures, verificationKeys),
        filename: fast.inner.getFilename() || undefined,
      };
    }
    if (fast) {
      if (fast.data.length > opts.maxBytes) throw tooLarge();
      return { data: fast.data, signature: { status: 'none' }, filename: fast.filename };
    }
    const { message, streamed, binaryBytes } = await readAnyMessage(input, binary);
    const result = await openpgp.decrypt({
      message,
      decryptionKeys,
      verificationKeys,
      format: 'binary',
      // A streamed message is gathered whole before anything is returned, and a stream that
      // fails its integrity check ends in an error, so no unauthenticated byte gets out.
      config: { maxDecompressedMessageSize: opts.maxBytes, allowUnauthenticatedStream: streamed },
    });
    // The in-memory plaintext is handed over as it is: a copy would hold the whole message twice.
    const data = streamed
      ? await gather(result.data as unknown as ReadableStream<Uint8Array>, opts.maxBytes, binaryBytes)
      : viewOf(result.data as Uint8Array);
    if (data.length > opts.maxBytes) throw tooLarge();
    return {
      data,
      signature: await signatureOf(result.signatures, verificationKeys),
      filename: result.filename || undefined,
    };
  } catch (err) {
    throw classify(err, opts.maxBytes);
  }
}

/**
 * Decrypt a stream (a large encrypted attachment) into a plaintext stream without holding it in
 * memory. The plaintext is released before the final integrity check, so the consumer must treat
 * a stream that ends in an error as worthless — the blob store does: a failed write is deleted
 * and the submission aborted, so unauthenticated bytes never become part of a case.
 */
export async function decryptStream(
  input: Readable,
  decryptionKeys: openpgp.PrivateKey[],
  opts: { maxBytes: number },
): Promise<Readable> {
  if (decryptionKeys.length === 0) throw new OpenPgpDecryptError('no-key', 'this program has no OpenPGP key');
  try {
    const web = Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>;
    const message = await openpgp.readMessage({ binaryMessage: web });
    const result = await openpgp.decrypt({
      message,
      decryptionKeys,
      format: 'binary',
      config: { allowUnauthenticatedStream: true, maxDecompressedMessageSize: opts.maxBytes },
    });
    const out = Readable.fromWeb(
      result.data as unknown as import('node:stream/web').ReadableStream<Uint8Array>,
    );
    out.on('error', () => {});
    return out;
  } catch (err) {
    throw classify(err, opts.maxBytes);
  }
}
