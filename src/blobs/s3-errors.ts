/**
 * Start-up probe failures of the S3 store, turned into one sentence that names the VIGIL_S3_*
 * variable to fix. The AWS SDK reports a missing bucket, a refused key and an unreachable host in
 * quite different shapes (HEAD answers carry only a status code), so this reads all of them.
 */

/** The settings a message may name. */
export interface S3Settings {
  bucket: string;
  endpoint?: string;
  region: string;
  credentials?: unknown;
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  vigilProbeStep?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'AccessDenied',
  'Forbidden',
  'AllAccessDisabled',
]);

/** One sentence for the operator about why the S3 store cannot be used. */
export function describeS3Failure(err: unknown, s: S3Settings): string {
  const e = (err ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const step = e.vigilProbeStep ?? 'a request';
  const where = s.endpoint ?? `AWS S3 in region ${s.region}`;
  const credentialVars = 'VIGIL_S3_ACCESS_KEY_ID / VIGIL_S3_SECRET_ACCESS_KEY';

  const network = networkCode(e);
  if (network !== undefined) {
    return s.endpoint
      ? `VIGIL_S3_ENDPOINT: cannot connect to ${s.endpoint} (${network}); check the URL and that the service is running`
      : `VIGIL_S3_REGION: cannot connect to AWS S3 in region ${s.region} (${network})`;
  }
  if (e.name === 'CredentialsProviderError') {
    return `${credentialVars}: not set, and the AWS default credential chain (environment, shared profile, instance role) found no credentials`;
  }
  const redirectRegion = e.$response?.headers?.['x-amz-bucket-region'];
  if (status === 301 || e.name === 'PermanentRedirect' || e.name === 'AuthorizationHeaderMalformed') {
    return `VIGIL_S3_REGION: the bucket "${s.bucket}" is not in region ${s.region}${redirectRegion ? ` but in ${redirectRegion}` : ''}`;
  }
  if (e.name === 'NoSuchBucket' || (status === 404 && step === 'HeadBucket')) {
    return `VIGIL_S3_BUCKET: the bucket "${s.bucket}" does not exist at ${where}`;
  }
  if (status === 403 || (e.name !== undefined && CREDENTIAL_CODES.has(e.name))) {
    const which = s.credentials
      ? credentialVars
      : `${credentialVars} (not set, so the AWS default chain's credentials were used)`;
    const code = e.name && e.name !== 'Unknown' && e.name !== 'Forbidden' ? ` ${e.name}` : '';
    if (step === 'HeadBucket')
      return `${which}: the S3 service refused the credentials (403${code}) for the bucket "${s.bucket}"`;
    return `${which}: the credentials may not ${step === 'PutObject' ? 'write to' : 'delete from'} the bucket "${s.bucket}" (403${code} on ${step}); Vigil needs to put, get, delete and list objects and to list and abort multipart uploads`;
  }
  const detail = [status, e.name && e.name !== 'Unknown' ? e.name : undefined].filter(Boolean).join(' ');
  return `VIGIL_S3_BUCKET: the S3 service at ${where} failed ${step} for the bucket "${s.bucket}"${detail ? ` (${detail})` : ''}: ${e.message ?? String(err)}`;
}

/** The network-level reason a request never got an answer, if that is what happened. */
function networkCode(e: SdkErrorShape): string | undefined {
  for (
    let cur: SdkErrorShape | undefined = e, depth = 0;
    cur && depth < 4;
    cur = cur.cause as SdkErrorShape, depth++
  ) {
    if (cur.code && NETWORK_CODES.has(cur.code)) return cur.code;
    if (cur.name === 'TimeoutError' || cur.name === 'AbortError') return 'no answer in time';
  }
  return undefined;
}
