import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BlobStoreConfig } from '../config/index.js';
import type { Keyring } from '../crypto/index.js';
import type { MigratableBlobStore } from './blob-store.js';
import { BlobNotFoundError, BlobStoreUnavailableError } from './errors.js';
import { describeS3Failure, type S3Settings } from './s3-errors.js';
import { checkBlobKey, checkLimit, newBlobKey, openingStream, sealingStages } from './sealing.js';

/**
 * The blob store on an S3-compatible service (AWS S3, MinIO, Garage ...). This module loads the
 * AWS SDK, so it is itself loaded only when a bucket is configured (see open-blob-store.ts).
 *
 * The guarantees are the file store's: bytes are sealed in-process (sealing.ts) before they leave,
 * so the service only ever holds ciphertext; `put` streams a multipart upload in parts of
 * `partSize` with at most `queueSize` parts in flight, so memory stays bounded whatever the blob's
 * size, and resolves only once the object is complete; on any failure the multipart upload is
 * aborted, so nothing is left. A crash mid-upload leaves an incomplete multipart upload, which
 * `sweepPartials` aborts once neither it nor its newest part is younger than the given age (the
 * file store's test is the same: the partial file's last write). An upload streams at the pace of
 * the reporter's request, so a slow one may be older than the age and still alive; it is spared
 * as long as parts keep arriving.
 */

/** S3 rejects parts under 5 MiB (all but the last), so this is also the least memory per part. */
export const S3_PART_BYTES = 5 * 1024 * 1024;

/** Parts of one upload in flight at once: two keeps the link busy while the next part fills. */
export const S3_QUEUE_SIZE = 2;

export type S3BlobStoreConfig = Extract<BlobStoreConfig, { kind: 's3' }>;

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every object name; empty or ending in `/`. */
  prefix: string;
  keyring: Keyring;
  /** Objects per listing page (S3's maximum, 1000, unless a test wants to see paging). */
  pageSize?: number;
}

/** Object names: `<prefix><first two key chars>/<key>`, as the file store shards its folders. */
const OBJECT_NAME = /^([0-9a-f]{2})\/([0-9a-f]{32})$/;

/** Where start-up writes (and at once deletes) its probe; never a blob name. */
const PROBE_FOLDER = '.vigil-probe/';

/** How long one ping, or the whole start-up probe, may take before the service counts as unreachable. */
const PING_TIMEOUT_MS = 5_000;
const PROBE_TIMEOUT_MS = 20_000;

/**
 * An S3 client for the configured service. Timeouts are bounded so a dead endpoint fails a
 * request in seconds rather than hanging it; SDK checksums are sent only where S3 requires them
 * (the stream cipher already authenticates every 64 KiB chunk, and several S3-compatible
 * services do not accept the SDK's newer default checksum trailers).
 */
export function createS3Client(config: S3BlobStoreConfig): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * The configured S3 store, after checking that it works: the bucket exists, the credentials are
 * accepted, and a small object can be written and deleted. Any failure is one sentence naming the
 * VIGIL_S3_* variable to fix (thrown as a ConfigError by the caller).
 */
export async function openS3BlobStore(
  config: S3BlobStoreConfig,
  keyring: Keyring,
  opts: { probeTimeoutMs?: number } = {},
): Promise<MigratableBlobStore> {
  const client = createS3Client(config);
  const settings: S3Settings = config;
  try {
    await probe(client, config, opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS);
  } catch (err) {
    client.destroy();
    throw new S3ProbeError(describeS3Failure(err, settings));
  }
  return createS3BlobStore({ client, bucket: config.bucket, prefix: config.prefix, keyring });
}

/** A start-up probe's failure, already phrased for the operator. */
export class S3ProbeError extends Error {
  override name = 'S3ProbeError';
}

async function probe(client: S3Client, config: S3BlobStoreConfig, timeoutMs: number): Promise<void> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  const Bucket = config.bucket;
  const Key = `${config.prefix}${PROBE_FOLDER}${randomBytes(8).toString('hex')}`;
  await step('HeadBucket', () => client.send(new HeadBucketCommand({ Bucket }), { abortSignal }));
  await step('PutObject', () =>
    client.send(new PutObjectCommand({ Bucket, Key, Body: 'vigil start-up probe' }), { abortSignal }),
  );
  await step('DeleteObject', () => client.send(new DeleteObjectCommand({ Bucket, Key }), { abortSignal }));
}

/** Runs one probe call, remembering which one failed (the operator's fix depends on it). */
async function step(name: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (err && typeof err === 'object') Object.assign(err, { vigilProbeStep: name });
    throw err;
  }
}

/** The S3 store over a ready client (no probe; `openS3BlobStore` is the checked way in). */
export function createS3BlobStore(options: S3BlobStoreOptions): MigratableBlobStore {
  const { client, bucket: Bucket, prefix, keyring } = options;
  const pageSize = options.pageSize ?? 1000;

  const objectName = (key: string): string => `${prefix}${checkBlobKey(key).slice(0, 2)}/${key}`;
  /** The blob key an object name stands for, or undefined for anything else under the prefix. */
  const blobKeyOf = (name: string | undefined): string | undefined => {
    if (name === undefined || !name.startsWith(prefix)) return undefined;
    const m = OBJECT_NAME.exec(name.slice(prefix.length));
    return m?.[2]?.startsWith(m[1] as string) ? m[2] : undefined;
  };

  /**
   * Streams `source` through `stages` into a multipart upload of `key`. Resolves once the object
   * is complete; on any failure (the source, a stage such as the size limit, or the service)
   * the upload is aborted before this rejects, with the first cause.
   */
  const upload = async (key: string, source: Readable, stages: Transform[]): Promise<void> => {
    const body = new PassThrough();
    const transfer = new Upload({
      client,
      params: { Bucket, Key: objectName(key), Body: body },
      partSize: S3_PART_BYTES,
      queueSize: S3_QUEUE_SIZE,
      // Abort (delete every uploaded part) when anything fails: nothing half-written is kept.
      leavePartsOnError: false,
    });
    // The source's own failure (the caller's request, or a stage such as the size limit), if it
    // came first: then the service's error is only its echo.
    let sourceFailure: unknown;
    const feeding = pipeline([source, ...stages, body]).then(
      () => undefined,
      (err: unknown) => {
        sourceFailure ??= err;
        return err;
      },
    );
    try {
      await transfer.done();
    } catch (err) {
      const sourceFirst = sourceFailure;
      // The service failed first: stop reading the source (the caller's request) too.
      body.destroy(toError(err));
      await feeding;
      await abortLeftover(transfer.uploadId, key);
      if (sourceFirst !== undefined) throw sourceFirst;
      // The service failed: not the request's fault, so 503 and the client retries.
      throw new BlobStoreUnavailableError(err);
    }
    const cause = await feeding;
    if (cause !== undefined) {
      // Cannot happen once the upload read the body to its end; kept so a surprise leaves nothing.
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectName(key) }));
      throw cause;
    }
  };

  /** Aborts a multipart upload the SDK could not abort itself (its abort failed); best effort. */
  const abortLeftover = async (uploadId: string | undefined, key: string): Promise<void> => {
    if (uploadId === undefined) return;
    await client
      .send(new AbortMultipartUploadCommand({ Bucket, Key: objectName(key), UploadId: uploadId }))
      .catch(() => {
        // Already aborted (the usual case: NoSuchUpload), or unreachable: sweepPartials retries.
      });
  };

  /** The stored bytes of `key` piped into `out`; a missing object surfaces as BlobNotFoundError. */
  const download = (key: string, out: Transform): Transform => {
    const Key = objectName(key);
    const cancel = new AbortController();
    // If the consumer stops early (or the stream ends), the request or its body is released.
    out.once('close', () => cancel.abort());
    client.send(new GetObjectCommand({ Bucket, Key }), { abortSignal: cancel.signal }).then(
      (res) => {
        const stored = res.Body as Readable | undefined;
        if (stored === undefined) return out.destroy(new Error(`S3 returned no body for blob ${key}`));
        pipeline(stored, out).catch(() => {
          // pipeline has destroyed `out` with the error, which is where the consumer sees it.
        });
      },
      (err: unknown) => {
        if (out.destroyed) return;
        out.destroy(isMissingObject(err) ? new BlobNotFoundError(key) : toError(err));
      },
    );
    return out;
  };

  /** HeadObject, or undefined when there is no such object. */
  const head = async (key: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket, Key: objectName(key) }));
    } catch (err) {
      if (isMissingObject(err)) return undefined;
      throw err;
    }
  };

  /** When the newest part of a multipart upload arrived (undefined: no part yet). */
  const newestPartTime = async (Key: string, UploadId: string): Promise<number | undefined> => {
    let newest: number | undefined;
    let PartNumberMarker: string | undefined;
    do {
      const page = await client.send(new ListPartsCommand({ Bucket, Key, UploadId, PartNumberMarker }));
      for (const part of page.Parts ?? []) {
        const at = part.LastModified?.getTime();
        if (at !== undefined && (newest === undefined || at > newest)) newest = at;
      }
      PartNumberMarker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (PartNumberMarker !== undefined);
    return newest;
  };

  return {
    async put(source, { maxBytes, aad }) {
      checkLimit(maxBytes);
      const key = newBlobKey();
      const sealing = sealingStages(keyring, key, aad, maxBytes);
      await upload(key, source, sealing.stages);
      return { key, size: sealing.size(), sha256: sealing.sha256() };
    },

    get(key, aad) {
      return download(key, openingStream(keyring, checkBlobKey(key), aad));
    },

    readCiphertextForMigration(key) {
      checkBlobKey(key);
      return download(key, new PassThrough());
    },

    async writeCiphertextForMigration(key, source) {
      checkBlobKey(key);
      await upload(key, source, []);
    },

    async delete(key) {
      // S3 answers a delete of a missing object with success, as this interface wants.
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectName(key) }));
    },

    async exists(key) {
      return (await head(key)) !== undefined;
    },

    async storedAt(key) {
      return (await head(key))?.LastModified;
    },

    async *list() {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: pageSize, ContinuationToken }),
        );
        for (const object of page.Contents ?? []) {
          const key = blobKeyOf(object.Key);
          if (key !== undefined) yield key;
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken !== undefined);
    },

    async sweepPartials(minAgeMs, now = Date.now()) {
      let aborted = 0;
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      do {
        const page = await client.send(
          new ListMultipartUploadsCommand({
            Bucket,
            Prefix: prefix,
            MaxUploads: pageSize,
            KeyMarker,
            UploadIdMarker,
          }),
        );
        for (const pending of page.Uploads ?? []) {
          const ours =
            blobKeyOf(pending.Key) !== undefined || pending.Key?.startsWith(`${prefix}${PROBE_FOLDER}`);
          const started = pending.Initiated?.getTime();
          // Younger uploads may be in flight on this or another instance.
          if (!ours || started === undefined || now - started < minAgeMs) continue;
          try {
            // An old upload still receiving parts is a slow reporter's, not a crash's: spare it.
            const lastPart = await newestPartTime(pending.Key as string, pending.UploadId as string);
            if (lastPart !== undefined && now - lastPart < minAgeMs) continue;
            await client.send(
              new AbortMultipartUploadCommand({ Bucket, Key: pending.Key, UploadId: pending.UploadId }),
            );
            aborted++;
          } catch (err) {
            // Completed or aborted meanwhile (by its own instance, or another sweeping one).
            if (!isMissingUpload(err)) throw err;
          }
        }
        const more = page.IsTruncated === true;
        KeyMarker = more ? page.NextKeyMarker : undefined;
        UploadIdMarker = more ? page.NextUploadIdMarker : undefined;
      } while (KeyMarker !== undefined);
      return aborted;
    },

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }), {
        abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS),
      });
    },
  };
}

/** Whether an SDK error means "no such object" (HEAD answers carry no error code, only 404). */
function isMissingObject(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (e?.name === 'NoSuchBucket') return false;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

function isMissingUpload(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NoSuchUpload' || e?.$metadata?.httpStatusCode === 404;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
