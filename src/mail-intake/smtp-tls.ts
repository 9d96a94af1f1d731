import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import tls from 'node:tls';
import { ConfigError } from '../config/index.js';

/**
 * The SMTP listener's STARTTLS certificate: read from the PEM files `VIGIL_SMTP_TLS_CERT` and
 * `VIGIL_SMTP_TLS_KEY` when the listener starts, each problem named by its variable, and read
 * again when the files change (a certbot renewal replaces them in place), so a renewed certificate
 * is served without a restart. A renewal that leaves the files unreadable or mismatched keeps the
 * certificate already loaded and is logged; the next change is tried again.
 */

export interface TlsFiles {
  certPath: string;
  keyPath: string;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  /** When the files were last changed, to notice a renewal. */
  stamp: string;
}

const CERT_VAR = 'VIGIL_SMTP_TLS_CERT';
const KEY_VAR = 'VIGIL_SMTP_TLS_KEY';

async function readPem(file: string, variable: string, problems: string[]): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push(`${variable}: cannot read ${file} (${code})`);
    return undefined;
  }
}

async function stampOf(files: TlsFiles): Promise<string> {
  const [c, k] = await Promise.all([fs.stat(files.certPath), fs.stat(files.keyPath)]);
  return `${c.mtimeMs}:${c.size}:${k.mtimeMs}:${k.size}`;
}

/**
 * Read and check the certificate chain and key; throws `ConfigError` naming each variable whose
 * file cannot be read or parsed, or both when the key does not belong to the certificate.
 */
export async function loadTlsMaterial(files: TlsFiles): Promise<TlsMaterial> {
  const problems: string[] = [];
  const stamp = await stampOf(files).catch(() => '');
  const cert = await readPem(files.certPath, CERT_VAR, problems);
  const key = await readPem(files.keyPath, KEY_VAR, problems);
  if (cert) {
    try {
      new X509Certificate(cert);
    } catch {
      problems.push(`${CERT_VAR}: ${files.certPath} holds no PEM certificate`);
    }
  }
  if (key) {
    try {
      createPrivateKey(key);
    } catch {
      problems.push(`${KEY_VAR}: ${files.keyPath} holds no PEM private key (or it is encrypted)`);
    }
  }
  if (problems.length === 0 && cert && key) {
    try {
      tls.createSecureContext({ cert, key });
    } catch {
      problems.push(
        `${KEY_VAR}: the key in ${files.keyPath} does not belong to the certificate in ${files.certPath} (${CERT_VAR})`,
      );
    }
  }
  if (problems.length > 0 || !cert || !key) throw new ConfigError(problems);
  return { cert, key, stamp };
}

/**
 * Watches the files for a renewal, looking at most once per `everyMs` (when asked, on a new
 * connection: no timer runs). `check` resolves with new material when the files changed and read
 * well, else undefined.
 */
export function createTlsRenewalCheck(files: TlsFiles, loaded: TlsMaterial, everyMs = 60_000) {
  let current = loaded.stamp;
  let lastLook = Date.now();
  let looking = false;
  return async (): Promise<TlsMaterial | undefined> => {
    const at = Date.now();
    if (looking || at - lastLook < everyMs) return undefined;
    looking = true;
    lastLook = at;
    try {
      const stamp = await stampOf(files).catch(() => current);
      if (stamp === current) return undefined;
      // Remembered before reading, so a broken renewal is reported once, not at every connection.
      current = stamp;
      return await loadTlsMaterial(files);
    } finally {
      looking = false;
    }
  };
}
