import { Readable } from 'node:stream';
import * as openpgp from 'openpgp';

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

/**
 * The binary message inside an armored one, decoded here in one pass: openpgp's own unarmouring
 * goes through its stream machinery and holds about three times the message while doing so
 * (measured: 50-60 MiB of RSS for a 19 MB armored mail, against 10-20 MiB decrypting the binary).
 * Undefined for anything but one plain armored message (then openpgp reads it as before). The
 * armour checksum is not checked: the message's own integrity protection is, when it decrypts.
 */
function dearmor(text: string): Buffer | undefined {
  const begin = text.indexOf(BEGIN_MESSAGE);
  if (begin < 0 || text.slice(0, begin).trim() !== '') return undefined;
  const end = text.indexOf(END_MESSAGE, begin);
  if (end < 0) return undefined;
  const lines = /\r?\n/y;
  let at = begin + BEGIN_MESSAGE.length;
  lines.lastIndex = at;
  if (!lines.test(text)) return undefined;
  at = lines.lastIndex;
  // Armour headers (`Version: …`, `Comment: …`) end at the first empty line.
  const header = /([A-Za-z][A-Za-z0-9-]*: [^\r\n]*)?\r?\n/y;
  for (;;) {
    header.lastIndex = at;
    const m = header.exec(text);
    if (!m) return undefined;
    at = header.lastIndex;
    if (m[1] === undefined) break;
  }
  let bodyEnd = end;
  // The optional checksum line (`=abcd`) just before the end line.
  const tail = text.slice(Math.max(at, end - 16), end);
  const checksum = /\r?\n=[A-Za-z0-9+/]{4}\s*$/.exec(tail);
  if (checksum) bodyEnd = end - tail.length + checksum.index;
  const body = text.slice(at, bodyEnd);
  if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) return undefined;
  const binary = Buffer.from(body, 'base64');
  return binary.length > 0 ? binary : undefined;
}

async function readAnyMessage(input: Uint8Array | string): Promise<openpgp.Message<Uint8Array>> {
  const text = typeof input === 'string' ? input : viewOf(input.subarray(0, 64)).toString('latin1');
  if (text.includes(BEGIN_MESSAGE)) {
    const binary = dearmor(typeof input === 'string' ? input : viewOf(input).toString('latin1'));
    if (binary) return openpgp.readMessage({ binaryMessage: binary });
    const armored = typeof input === 'string' ? input : viewOf(input).toString('utf8');
    return (await openpgp.readMessage({ armoredMessage: armored })) as openpgp.Message<Uint8Array>;
  }
  return openpgp.readMessage({
    binaryMessage: typeof input === 'string' ? Buffer.from(input, 'latin1') : input,
  });
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
  try {
    const message = await readAnyMessage(input);
    const result = await openpgp.decrypt({
      message,
      decryptionKeys,
      verificationKeys: opts.verificationKeys ?? [],
      format: 'binary',
      config: { maxDecompressedMessageSize: opts.maxBytes },
    });
    // The plaintext is handed over as it is: a copy would hold the whole message twice.
    const data = viewOf(result.data as Uint8Array);
    if (data.length > opts.maxBytes)
      throw new OpenPgpDecryptError('too-large', `the decrypted message would exceed ${opts.maxBytes} bytes`);
    return {
      data,
      signature: await signatureOf(result.signatures, opts.verificationKeys ?? []),
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
