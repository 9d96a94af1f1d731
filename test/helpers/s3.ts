import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The part of s3rver (a CommonJS package without type declarations) this helper uses. */
interface S3rverInstance {
  middleware: unknown[];
  httpServer?: Server;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/**
 * A real S3-compatible service for tests: s3rver on a loopback port of its own, keeping its
 * objects in a temporary folder, with one bucket created. Every test (or test file) starts its
 * own, so tests never see each other's objects.
 *
 * s3rver answers the object, bucket and multipart-upload calls Vigil makes, except three it leaves
 * unimplemented: ListMultipartUploads, ListParts and AbortMultipartUpload. Those are exactly what
 * a crash mid-upload is cleaned up with, so this helper answers them itself, from s3rver's own folder of
 * pending uploads, the way S3 answers them (same XML, prefix and paging). It also answers
 * ListObjectsV2 itself: s3rver's continuation tokens use DES, which Node 20's OpenSSL refuses, so
 * its answer to any listing longer than one page is a 500.
 *
 * s3rver accepts the access key `S3RVER` (any secret: it does not check V4 signatures) and
 * refuses any other access key with 403 InvalidAccessKeyId.
 */

export interface TestS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  /** The folder s3rver keeps buckets, objects and pending uploads in. */
  directory: string;
  /**
   * The VIGIL_S3_* variables that point Vigil at this service (path-style, s3rver's
   * credentials, no prefix); spread them into a test Vigil's or child process's environment.
   */
  env: Record<string, string>;
  /** Keys of the multipart uploads started and neither completed nor aborted. */
  openUploads(): Promise<string[]>;
  /**
   * From now on, answer requests that `match` with an S3 error (403 AccessDenied unless given:
   * the SDK does not retry it) instead of serving them, to see how Vigil copes with a service
   * that fails part-way. Returns a function that stops it.
   */
  refuse(match: (request: S3Request) => boolean, error?: { status: number; code: string }): () => void;
  /** Stops the service and deletes its folder. */
  close(): Promise<void>;
}

/** What `refuse` may look at: `path` is `/<bucket>/<object name>`. */
export interface S3Request {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
}

/** s3rver's fixed credentials. */
export const S3RVER_ACCESS_KEY = 'S3RVER';
export const S3RVER_SECRET_KEY = 'S3RVER';

/** Starts s3rver with one bucket (`vigil-test` unless named). */
export async function startS3(opts: { bucket?: string } = {}): Promise<TestS3> {
  const bucket = opts.bucket ?? 'vigil-test';
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // Path-style only: a virtual host name would need DNS for <bucket>.127.0.0.1.
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  // Koa composes its middleware when the server starts, so this answers before s3rver's router.
  const refusals: { match: (r: S3Request) => boolean; error: { status: number; code: string } }[] = [];
  server.middleware.unshift(multipartHousekeeping(directory));
  server.middleware.unshift(async (ctx: KoaLikeContext, next: () => Promise<void>) => {
    const refusal = refusals.find((r) => r.match({ method: ctx.method, path: ctx.path, query: ctx.query }));
    if (!refusal) return next();
    return s3Error(ctx, refusal.error.status, refusal.error.code, 'Refused by the test.');
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    await fs.rm(directory, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  let closed = false;
  return {
    endpoint,
    bucket,
    directory,
    env: {
      VIGIL_S3_BUCKET: bucket,
      VIGIL_S3_ENDPOINT: endpoint,
      VIGIL_S3_REGION: 'us-east-1',
      VIGIL_S3_ACCESS_KEY_ID: S3RVER_ACCESS_KEY,
      VIGIL_S3_SECRET_ACCESS_KEY: S3RVER_SECRET_KEY,
      VIGIL_S3_FORCE_PATH_STYLE: 'true',
    },
    openUploads: async () => (await pendingUploads(directory, bucket)).map((u) => u.key),
    refuse(match, error = { status: 403, code: 'AccessDenied' }) {
      const refusal = { match, error };
      refusals.push(refusal);
      return () => {
        const i = refusals.indexOf(refusal);
        if (i >= 0) refusals.splice(i, 1);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      // Keep-alive sockets from SDK clients would hold close() open; end them first.
      server.httpServer?.closeAllConnections();
      await server.close().catch(() => {});
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

/** One multipart upload s3rver holds: `<dir>/<bucket>/._S3rver_uploads/<uploadId>/key`. */
interface PendingUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

const uploadsFolder = (directory: string, bucket: string) => path.join(directory, bucket, '._S3rver_uploads');

async function pendingUploads(directory: string, bucket: string): Promise<PendingUpload[]> {
  const folder = uploadsFolder(directory, bucket);
  const ids = await fs.readdir(folder).catch(() => [] as string[]);
  const out: PendingUpload[] = [];
  for (const uploadId of ids) {
    const keyFile = path.join(folder, uploadId, 'key');
    try {
      const [key, st] = await Promise.all([fs.readFile(keyFile, 'utf8'), fs.stat(keyFile)]);
      out.push({ key, uploadId, initiated: st.mtime });
    } catch {
      // Being created or completed right now.
    }
  }
  return out.sort((a, b) => (a.key === b.key ? cmp(a.uploadId, b.uploadId) : cmp(a.key, b.key)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What s3rver's own file-system store answers to a listing. */
interface S3rverListing {
  objects: { key: string; size: number; lastModifiedDate: Date; metadata: Record<string, string> }[];
  commonPrefixes: string[];
  isTruncated: boolean;
}

interface KoaLikeContext {
  store: {
    listObjects(
      bucket: string,
      o: { prefix: string; delimiter: string; maxKeys: number; startAfter: string },
    ): Promise<S3rverListing>;
  };
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
}

/**
 * ListMultipartUploads (`GET /<bucket>?uploads`), ListParts (`GET /<bucket>/<key>?uploadId=`),
 * AbortMultipartUpload (`DELETE /<bucket>/<key>?uploadId=`) and ListObjectsV2 (`GET /<bucket>?list-type=2`).
 */
function multipartHousekeeping(directory: string) {
  return async (ctx: KoaLikeContext, next: () => Promise<void>) => {
    const [, bucket, ...keyParts] = ctx.path.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    const listing = ctx.method === 'GET' && bucket && key === '' && 'uploads' in ctx.query;
    const aborting =
      ctx.method === 'DELETE' && bucket && key !== '' && typeof ctx.query.uploadId === 'string';
    const listingObjects = ctx.method === 'GET' && bucket && key === '' && ctx.query['list-type'] === '2';
    const listingParts =
      ctx.method === 'GET' && bucket && key !== '' && typeof ctx.query.uploadId === 'string';
    if (!listing && !aborting && !listingObjects && !listingParts) return next();
    if (!String(ctx.headers.authorization ?? '').includes(`Credential=${S3RVER_ACCESS_KEY}/`)) {
      return s3Error(ctx, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist.');
    }
    if (!(await fs.stat(path.join(directory, bucket as string)).catch(() => undefined))) {
      return s3Error(ctx, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
    const q = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : '');
    if (listingObjects) return listObjectsV2(ctx, bucket as string, q);
    if (aborting || listingParts) {
      const uploadId = ctx.query.uploadId as string;
      const folder = path.join(uploadsFolder(directory, bucket as string), uploadId);
      const recorded = await fs.readFile(path.join(folder, 'key'), 'utf8').catch(() => undefined);
      if (recorded !== key || !/^[0-9a-f]+$/.test(uploadId)) {
        return s3Error(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      }
      if (listingParts) return listParts(ctx, bucket as string, key, uploadId, folder);
      await fs.rm(folder, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    const prefix = q('prefix');
    const keyMarker = q('key-marker');
    const idMarker = q('upload-id-marker');
    const max = Math.min(1000, Math.max(1, Number(q('max-uploads') || 1000)));
    const all = (await pendingUploads(directory, bucket as string)).filter(
      (u) =>
        u.key.startsWith(prefix) &&
        (keyMarker === '' ||
          u.key > keyMarker ||
          (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker)),
    );
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    const last = page[page.length - 1];
    const uploads = page
      .map(
        (u) =>
          `<Upload><Key>${xmlEscape(u.key)}</Key><UploadId>${u.uploadId}</UploadId>` +
          `<Initiated>${u.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
      )
      .join('');
    ctx.status = 200;
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Bucket>${xmlEscape(bucket as string)}</Bucket><KeyMarker>${xmlEscape(keyMarker)}</KeyMarker>` +
      `<UploadIdMarker>${xmlEscape(idMarker)}</UploadIdMarker><Prefix>${xmlEscape(prefix)}</Prefix>` +
      (truncated && last
        ? `<NextKeyMarker>${xmlEscape(last.key)}</NextKeyMarker><NextUploadIdMarker>${last.uploadId}</NextUploadIdMarker>`
        : '') +
      `<MaxUploads>${max}</MaxUploads><IsTruncated>${truncated}</IsTruncated>${uploads}` +
      '</ListMultipartUploadsResult>';
  };
}

/** ListParts (`GET /<bucket>/<key>?uploadId=`): s3rver keeps part N as the file `N` (and `N.md5`). */
async function listParts(ctx: KoaLikeContext, bucket: string, key: string, uploadId: string, folder: string) {
  const parts: { n: number; size: number; at: Date; md5: string }[] = [];
  for (const name of await fs.readdir(folder)) {
    if (!/^\d+$/.test(name)) continue;
    const st = await fs.stat(path.join(folder, name)).catch(() => undefined);
    const md5 = await fs.readFile(path.join(folder, `${name}.md5`), 'utf8').catch(() => '');
    if (st) parts.push({ n: Number(name), size: st.size, at: st.mtime, md5 });
  }
  parts.sort((a, b) => a.n - b.n);
  ctx.status = 200;
  ctx.type = 'application/xml';
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId>` +
    `<PartNumberMarker>0</PartNumberMarker><MaxParts>10000</MaxParts><IsTruncated>false</IsTruncated>` +
    parts
      .map(
        (p) =>
          `<Part><PartNumber>${p.n}</PartNumber><LastModified>${p.at.toISOString()}</LastModified>` +
          `<ETag>"${p.md5}"</ETag><Size>${p.size}</Size></Part>`,
      )
      .join('') +
    '</ListPartsResult>';
}

/** ListObjectsV2 over s3rver's store; the continuation token is the last key, base64url-encoded. */
async function listObjectsV2(
  ctx: KoaLikeContext,
  bucket: string,
  q: (name: string) => string,
): Promise<void> {
  const token = q('continuation-token');
  const prefix = q('prefix');
  const max = Math.min(1000, Math.max(1, Number(q('max-keys') || 1000)));
  const startAfter = token ? Buffer.from(token, 'base64url').toString('utf8') : q('start-after');
  const result = await ctx.store.listObjects(bucket, {
    prefix,
    delimiter: q('delimiter'),
    maxKeys: max,
    startAfter,
  });
  const last = result.objects[result.objects.length - 1];
  const contents = result.objects
    .map(
      (o) =>
        `<Contents><Key>${xmlEscape(o.key)}</Key><LastModified>${o.lastModifiedDate.toISOString()}</LastModified>` +
        `<ETag>${xmlEscape(o.metadata.etag ?? '')}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  ctx.status = 200;
  ctx.type = 'application/xml';
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${result.objects.length}</KeyCount>` +
    `<MaxKeys>${max}</MaxKeys><IsTruncated>${result.isTruncated}</IsTruncated>` +
    (token ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : '') +
    (result.isTruncated && last
      ? `<NextContinuationToken>${Buffer.from(last.key).toString('base64url')}</NextContinuationToken>`
      : '') +
    contents +
    result.commonPrefixes
      .map((p) => `<CommonPrefixes><Prefix>${xmlEscape(p)}</Prefix></CommonPrefixes>`)
      .join('') +
    '</ListBucketResult>';
}

function s3Error(ctx: KoaLikeContext, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>` +
    `<RequestId>${randomBytes(8).toString('hex')}</RequestId></Error>`;
}
