import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const problemsOf = (env: Record<string, string>, cwd = os.tmpdir()): string[] => {
  try {
    loadConfig(env, cwd);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('VIGIL_CVE_SCHEMA', () => {
  it('is optional: without it, CVE records are checked with Vigil’s own rules alone', () => {
    expect(loadConfig({}, os.tmpdir()).cve.schemaPath).toBeUndefined();
  });

  it('resolves a relative path against the working folder when the file is the CVE record schema', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-config-'));
    const schema = {
      $id: 'https://cveproject.github.io/cve-schema/schema/docs/CVE_Record_Format_bundled.json',
    };
    await fs.writeFile(path.join(dir, 'cve.json'), JSON.stringify(schema));
    expect(loadConfig({ VIGIL_CVE_SCHEMA: 'cve.json' }, dir).cve.schemaPath).toBe(path.join(dir, 'cve.json'));
    await fs.rm(dir, { recursive: true });
  });

  it('reports a missing file or another document at start-up, with every other problem at once', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-config-'));
    await fs.writeFile(path.join(dir, 'other.json'), '{"$id":"https://example.org/other.json"}');
    expect(problemsOf({ VIGIL_CVE_SCHEMA: 'missing.json', PORT: 'eighty' }, dir)).toEqual([
      'PORT must be a whole number from 0 to 65535',
      `VIGIL_CVE_SCHEMA must name the CVE record schema file (${path.join(dir, 'missing.json')}): there is no such file`,
    ]);
    expect(problemsOf({ VIGIL_CVE_SCHEMA: 'other.json' }, dir)).toEqual([
      `VIGIL_CVE_SCHEMA must name CVE_Record_Format_bundled.json from the CVE Program; ${path.join(dir, 'other.json')} is another document`,
    ]);
    await fs.rm(dir, { recursive: true });
  });
});

describe('operations settings', () => {
  it('keeps blobs in the data directory unless a bucket is named, and reads every S3 setting with one', () => {
    expect(loadConfig({}, os.tmpdir()).blobStore).toEqual({ kind: 'file' });
    expect(
      loadConfig(
        {
          VIGIL_S3_BUCKET: 'vigil-blobs',
          VIGIL_S3_ENDPOINT: 'http://127.0.0.1:9000/',
          VIGIL_S3_ACCESS_KEY_ID: 'id',
          VIGIL_S3_SECRET_ACCESS_KEY: 'secret',
          VIGIL_S3_FORCE_PATH_STYLE: 'true',
          VIGIL_S3_PREFIX: 'vigil/prod/',
        },
        os.tmpdir(),
      ).blobStore,
    ).toEqual({
      kind: 's3',
      bucket: 'vigil-blobs',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      forcePathStyle: true,
      prefix: 'vigil/prod/',
    });
  });

  it('names each half-given or misplaced S3 setting', () => {
    expect(problemsOf({ VIGIL_S3_BUCKET: 'Bad_Bucket' })).toEqual([
      'VIGIL_S3_BUCKET must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)',
    ]);
    expect(problemsOf({ VIGIL_S3_BUCKET: 'vigil', VIGIL_S3_ACCESS_KEY_ID: 'id' })).toEqual([
      'VIGIL_S3_SECRET_ACCESS_KEY is required: give both S3 credentials, or neither to use the AWS default chain (environment, profile, instance role)',
    ]);
    expect(problemsOf({ VIGIL_S3_ENDPOINT: 'http://minio:9000' })).toEqual([
      'VIGIL_S3_BUCKET is required when VIGIL_S3_ENDPOINT is set (attachments go to S3 only when a bucket is named)',
    ]);
    expect(problemsOf({ VIGIL_S3_BUCKET: 'vigil', VIGIL_S3_PREFIX: '../up' })[0]).toMatch(
      /^VIGIL_S3_PREFIX must be/,
    );
  });

  it('binds metrics to loopback by default and asks for a token anywhere else', () => {
    expect(loadConfig({}, os.tmpdir()).metrics).toEqual({
      listen: true,
      host: '127.0.0.1',
      port: 9464,
      token: undefined,
    });
    expect(problemsOf({ VIGIL_METRICS_HOST: '0.0.0.0' })).toEqual([
      'VIGIL_METRICS_TOKEN is required when VIGIL_METRICS_HOST (0.0.0.0) is not a loopback address: metrics name programs and volumes',
    ]);
    expect(problemsOf({ VIGIL_METRICS_HOST: '0.0.0.0', VIGIL_METRICS_TOKEN: 'short' })[0]).toMatch(
      /^VIGIL_METRICS_TOKEN must be at least 32 characters/,
    );
    expect(problemsOf({ VIGIL_METRICS_HOST: '0.0.0.0', VIGIL_METRICS_TOKEN: 'x'.repeat(32) })).toEqual([]);
    expect(problemsOf({ VIGIL_METRICS_HOST: '0.0.0.0', VIGIL_METRICS_LISTEN: 'false' })).toEqual([]);
  });

  it('needs both STARTTLS files, and a certificate before TLS can be required', () => {
    expect(problemsOf({ VIGIL_SMTP_TLS_CERT: 'cert.pem' })).toEqual([
      'VIGIL_SMTP_TLS_KEY is required: STARTTLS needs both the certificate chain and its private key (PEM files)',
    ]);
    expect(problemsOf({ VIGIL_SMTP_REQUIRE_TLS: 'yes' })).toEqual([
      'VIGIL_SMTP_REQUIRE_TLS needs VIGIL_SMTP_TLS_CERT and VIGIL_SMTP_TLS_KEY (there is no TLS to require)',
    ]);
    const dir = os.tmpdir();
    expect(
      loadConfig(
        { VIGIL_SMTP_TLS_CERT: 'c.pem', VIGIL_SMTP_TLS_KEY: 'k.pem', VIGIL_SMTP_REQUIRE_TLS: '1' },
        dir,
      ).smtpIn.tls,
    ).toEqual({ certPath: path.join(dir, 'c.pem'), keyPath: path.join(dir, 'k.pem'), require: true });
  });
});
