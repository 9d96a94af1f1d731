import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { createSmtpListener } from '../src/mail-intake/index.js';
import { plainMessage, run, sendRaw } from './helpers/mail-builders.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * STARTTLS on the SMTP listener, with a throw-away self-signed certificate made by openssl for
 * 127.0.0.1: offered only when a certificate is configured, required when asked, a bad file named
 * at start, and a renewed certificate served without a restart.
 */

const ADDRESS = 'psirt@northwind-medical.example';
// Debian ships openssl with the base system; where it is missing the suite says so by skipping.
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

interface Cert {
  certPath: string;
  keyPath: string;
  cert: string;
}

/** A self-signed certificate and its key for 127.0.0.1, written under `dir` as `<name>.crt/.key`. */
async function makeCertificate(dir: string, name: string, cn = 'vigil-test'): Promise<Cert> {
  const certPath = path.join(dir, `${name}.crt`);
  const keyPath = path.join(dir, `${name}.key`);
  const r = await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${cn}`,
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { certPath, keyPath, cert: await fs.readFile(certPath, 'utf8') };
}

/** Send over STARTTLS (refusing to go on in clear), trusting only `ca`. */
async function sendOverTls(port: number, ca: string, raw: string, from = 'ada@lab.example') {
  const transport = createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    tls: { ca, servername: 'localhost' },
    logger: false,
  });
  try {
    const info = await transport.sendMail({ envelope: { from, to: ADDRESS }, raw });
    const response = String(info.response);
    return { response, caseNumber: /Accepted as (\S+)/.exec(response)?.[1] ?? '' };
  } finally {
    transport.close();
  }
}

/** The EHLO answer of the listener, as plain text. */
async function ehlo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let sent = false;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
      if (!sent && /^220 /m.test(text)) {
        sent = true;
        text = '';
        socket.write('EHLO client.example\r\n');
      } else if (sent && /^250 /m.test(text)) {
        socket.end('QUIT\r\n');
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

const report = (subject: string) =>
  plainMessage(
    { from: 'Ada <ada@lab.example>', to: ADDRESS, subject },
    'The pump accepts unsigned firmware.',
  );

async function caseCount(v: TestVigil): Promise<number> {
  const row = await v.db.kysely
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.skipIf(!haveOpenssl).each(dialects)('STARTTLS on the SMTP listener (%s)', (dialect) => {
  let dir: string;
  let cert: Cert;
  const vigils: TestVigil[] = [];

  const start = async (env: Record<string, string>) => {
    const v = await startTestVigil(dialect, { env });
    vigils.push(v);
    return v;
  };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-tls-'));
    cert = await makeCertificate(dir, 'mx');
  });
  afterAll(async () => {
    for (const v of vigils) await v.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('offers no STARTTLS without a certificate', async () => {
    const v = await start({});
    const port = await v.smtp.start(0);
    try {
      expect(await ehlo(port)).not.toMatch(/STARTTLS/);
      await expect(sendOverTls(port, cert.cert, report('no tls'))).rejects.toThrow();
    } finally {
      await v.smtp.stop();
    }
  });

  it('accepts a report over STARTTLS with the configured certificate, and logs the TLS version', async () => {
    const v = await start({ VIGIL_SMTP_TLS_CERT: cert.certPath, VIGIL_SMTP_TLS_KEY: cert.keyPath });
    const port = await v.smtp.start(0);
    try {
      expect(await ehlo(port)).toMatch(/^250[- ]STARTTLS/m);
      const sent = await sendOverTls(port, cert.cert, report('over tls'));
      expect(sent.caseNumber).toMatch(/^NWM-/);
      const line = v
        .logs()
        .split('\n')
        .find((l) => l.includes(sent.caseNumber) && l.includes('smtp: mail accepted'));
      expect(JSON.parse(line ?? '{}').tls).toMatch(/^TLSv1\.[23]$/);
      // Not required: a sender in clear is still taken, and logged as such.
      const clear = await sendRaw(port, { from: 'bob@lab.example', to: ADDRESS }, report('in clear'));
      const clearLine = v
        .logs()
        .split('\n')
        .find((l) => l.includes(clear.caseNumber) && l.includes('smtp: mail accepted'));
      expect(JSON.parse(clearLine ?? '{}').tls).toBe('none');
    } finally {
      await v.smtp.stop();
    }
  });

  it('with VIGIL_SMTP_REQUIRE_TLS refuses MAIL FROM in clear with 530 and stores nothing', async () => {
    const v = await start({
      VIGIL_SMTP_TLS_CERT: cert.certPath,
      VIGIL_SMTP_TLS_KEY: cert.keyPath,
      VIGIL_SMTP_REQUIRE_TLS: 'true',
    });
    const port = await v.smtp.start(0);
    try {
      const before = await caseCount(v);
      await expect(
        sendRaw(port, { from: 'carol@lab.example', to: ADDRESS }, report('refused in clear')),
      ).rejects.toMatchObject({
        responseCode: 530,
        response: expect.stringContaining('5.7.0 Must issue a STARTTLS command first'),
      });
      expect(await caseCount(v)).toBe(before);
      expect(await v.db.kysely.selectFrom('attachments').select('id').execute()).toHaveLength(0);
      const sent = await sendOverTls(port, cert.cert, report('required tls'), 'carol@lab.example');
      expect(sent.caseNumber).toMatch(/^NWM-/);
      expect(await caseCount(v)).toBe(before + 1);
    } finally {
      await v.smtp.stop();
    }
  });

  it('fails to start naming the variable whose file is missing or unusable', async () => {
    const garbage = path.join(dir, 'garbage.pem');
    await fs.writeFile(garbage, 'not a pem file\n');
    const other = await makeCertificate(dir, 'other');
    const cases: [Record<string, string>, RegExp][] = [
      [
        { VIGIL_SMTP_TLS_CERT: path.join(dir, 'missing.crt'), VIGIL_SMTP_TLS_KEY: cert.keyPath },
        /VIGIL_SMTP_TLS_CERT: cannot read .*missing\.crt \(ENOENT\)/,
      ],
      [
        { VIGIL_SMTP_TLS_CERT: cert.certPath, VIGIL_SMTP_TLS_KEY: garbage },
        /VIGIL_SMTP_TLS_KEY: .* no PEM private key/,
      ],
      [
        { VIGIL_SMTP_TLS_CERT: garbage, VIGIL_SMTP_TLS_KEY: cert.keyPath },
        /VIGIL_SMTP_TLS_CERT: .* no PEM certificate/,
      ],
      [
        { VIGIL_SMTP_TLS_CERT: cert.certPath, VIGIL_SMTP_TLS_KEY: other.keyPath },
        /VIGIL_SMTP_TLS_KEY: the key in .* does not belong to the certificate/,
      ],
    ];
    for (const [env, message] of cases) {
      const listener = createSmtpListener({
        processor: { process: async () => ({ kind: 'case', caseNumber: 'never' }) },
        programs: { list: async () => [] },
        config: loadConfig({
          ...env,
          VIGIL_SMTP_PER_SENDER_PER_HOUR: '0',
          VIGIL_SMTP_PER_PROGRAM_PER_HOUR: '0',
        }),
        logger: { info() {}, warn() {}, error() {} },
      });
      const failure = await listener.start(0).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).message).toMatch(message);
      // Nothing is listening after a failed start.
      expect(listener.port).toBeUndefined();
      await listener.stop();
    }
  });

  it('serves a renewed certificate without a restart, and keeps the old one when the new files are broken', async () => {
    const live = await makeCertificate(dir, 'live', 'first');
    const v = vigils[0] as TestVigil;
    const errors: string[] = [];
    const listener = createSmtpListener({
      processor: v.inbound,
      programs: v.services.programs,
      db: v.db.kysely,
      config: {
        ...v.config,
        smtpIn: {
          ...v.config.smtpIn,
          tls: { certPath: live.certPath, keyPath: live.keyPath, require: true },
        },
      },
      logger: { info() {}, warn() {}, error: (_o, msg) => errors.push(String(msg)) },
      tlsRecheckMs: 0,
    });
    const port = await listener.start(0);
    try {
      expect((await sendOverTls(port, live.cert, report('first cert'))).caseNumber).toMatch(/^NWM-/);
      // certbot replaces the files in place.
      const renewed = await makeCertificate(dir, 'renewed', 'second');
      await fs.copyFile(renewed.keyPath, live.keyPath);
      await fs.copyFile(renewed.certPath, live.certPath);
      // The connection that notices the change still gets the old certificate; a later one the new.
      await expect(sendOverTls(port, live.cert, report('noticed'))).resolves.toBeDefined();
      await waitFor(async () =>
        sendOverTls(port, renewed.cert, report('second cert')).then(
          () => true,
          () => false,
        ),
      );
      await expect(sendOverTls(port, live.cert, report('old cert gone'))).rejects.toThrow();
      // A broken renewal is logged and the renewed certificate stays in service.
      await fs.writeFile(live.certPath, 'truncated\n');
      await sendOverTls(port, renewed.cert, report('broken noticed'));
      await waitFor(async () => errors.some((e) => e.includes('could not be loaded')));
      expect((await sendOverTls(port, renewed.cert, report('still second'))).caseNumber).toMatch(/^NWM-/);
    } finally {
      await listener.stop();
    }
  });
});

async function waitFor(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
