import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { mainTextField, multipartBody, validAnswers } from './helpers/reports.js';
import { storageSnapshot } from './helpers/snapshot.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

const MiB = 1024 * 1024;

interface PlainFile {
  name: string;
  type?: string;
  data: Buffer;
}

/** Encrypt bytes to a key as report-form.js does (binary literal data, no compression by default). */
async function encryptTo(
  key: openpgp.PublicKey,
  data: Uint8Array,
  opts: { armor?: boolean; compress?: boolean } = {},
): Promise<Buffer> {
  const message = await openpgp.createMessage({ binary: data, format: 'binary' });
  const config = opts.compress ? { preferredCompressionAlgorithm: openpgp.enums.compression.zlib } : {};
  if (opts.armor ?? true) {
    return Buffer.from(await openpgp.encrypt({ message, encryptionKeys: key, config }));
  }
  return Buffer.from(await openpgp.encrypt({ message, encryptionKeys: key, format: 'binary', config }));
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/**
 * The multipart body report-form.js sends (see src/intake/encrypted-submission.ts), built from
 * ready ciphertexts so tests can swap one part for a bad one.
 */
function encryptedBody(parts: {
  fingerprint: string;
  fields: Buffer;
  manifest: Buffer;
  files?: Buffer[];
  extra?: Record<string, string>;
}) {
  return multipartBody(
    {
      vigil_encrypted: '1',
      vigil_key: parts.fingerprint,
      encrypted_files: parts.manifest.toString('utf8'),
      ...parts.extra,
    },
    [
      {
        field: 'encrypted_fields',
        name: 'fields.asc',
        type: 'application/pgp-encrypted',
        data: parts.fields,
      },
      ...(parts.files ?? []).map((data, i) => ({ field: 'encrypted_file', name: `file-${i + 1}.pgp`, data })),
    ],
  );
}

describe.each(dialects)('encrypted report form (%s)', (dialect) => {
  let v: TestVigil;
  let program: Program;
  let key: openpgp.PublicKey;
  let fingerprint: string;
  let otherKey: openpgp.PublicKey;

  /** Encrypt answers and files to the program key exactly as the browser would. */
  async function build(answers: Record<string, unknown>, files: PlainFile[] = []) {
    return encryptedBody({
      fingerprint,
      fields: await encryptTo(key, json(answers)),
      manifest: await encryptTo(
        key,
        json(files.map((f) => ({ name: f.name, type: f.type ?? 'application/octet-stream' }))),
      ),
      files: await Promise.all(files.map((f) => encryptTo(key, f.data, { armor: false }))),
    });
  }

  const post = (body: { body: Buffer; contentType: string }) =>
    v.app.inject({
      method: 'POST',
      url: `/p/${program.slug}/report?encrypted=1`,
      headers: { 'content-type': body.contentType },
      payload: body.body,
    });

  /** Post a submission that must be refused, and prove it left nothing behind. */
  async function refused(body: { body: Buffer; contentType: string }) {
    const before = await storageSnapshot(v);
    const res = await post(body);
    expect(await storageSnapshot(v)).toEqual(before);
    return res;
  }

  beforeAll(async () => {
    // Small limits so a decompression bomb is cheap to build: 1 MiB per file, 320 KiB of answers.
    v = await startTestVigil(dialect, {
      env: { VIGIL_MAX_FILE_BYTES: String(MiB), VIGIL_MAX_FIELD_BYTES: '8192', VIGIL_MAX_FIELDS: '40' },
    });
    program = (await v.services.programs.list()).find((p) => p.slug === 'northwind-medical') as Program;
    // The key as the browser gets it: embedded in the form page, with the fingerprint it must have.
    const page = await v.app.inject({ method: 'GET', url: `/p/${program.slug}/report` });
    const template =
      /<template id="program-key" data-fingerprint="([0-9A-F]+)"[^>]*>([^<]+)<\/template>/.exec(page.body);
    expect(template).not.toBeNull();
    fingerprint = template?.[1] as string;
    key = await openpgp.readKey({ armoredKey: template?.[2] as string });
    expect(key.getFingerprint().toUpperCase()).toBe(fingerprint);
    expect((await v.services.keys.publishedKey(program.id))?.fingerprint).toBe(fingerprint);
    const other = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Someone else' }],
      format: 'object',
    });
    otherKey = other.publicKey;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('serves the form with a module script, the key and the OpenPGP.js build under a strict CSP', async () => {
    const page = await v.app.inject({ method: 'GET', url: `/p/${program.slug}/report` });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.body).toContain('<script type="module" src="/assets/report-form.js"></script>');
    // No inline script anywhere: every <script> has a src.
    expect(page.body.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    const lib = /data-openpgp="([^"]+)"/.exec(page.body)?.[1] as string;
    expect(lib).toMatch(/^\/assets\/vendor\/openpgp-\d+\.\d+\.\d+\.min\.mjs$/);
    const served = await v.app.inject({ method: 'GET', url: lib });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toContain('text/javascript');
    expect(served.headers['cache-control']).toContain('immutable');
    expect(served.body).toContain('readKey');
    const script = await v.app.inject({ method: 'GET', url: '/assets/report-form.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
  });

  it('decrypts the answers and files into a case; only ciphertext was sent', async () => {
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    const answers: Record<string, unknown> = validAnswers(program, canary);
    const fileText = `proof of concept ${canary}\n`;
    const files = [
      { name: `poc-${canary}.py`, type: 'text/x-python', data: Buffer.from(fileText) },
      { name: 'trace with spaces ü.pcap', data: randomBytes(300 * 1024) },
    ];
    const body = await build(answers, files);
    expect(body.body.includes(canary)).toBe(false);

    const res = await post(body);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/r\/[A-Za-z0-9_-]{43}\?received=1$/);

    const page = await v.app.inject({ method: 'GET', url: location });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      `${program.definition.form.fields.find((f) => f.id === mainTextField(program))?.label}: ${canary}`,
    );
    expect(page.body).toContain(`poc-${canary}.py`);
    const links = [...page.body.matchAll(/href="(\/r\/[^"]+\/attachments\/[^"]+)"[^>]*>([^<]+)</g)];
    expect(links.map((l) => l[2]).sort()).toEqual(files.map((f) => f.name).sort());
    for (const [, url, name] of links) {
      const file = files.find((f) => f.name === name) as PlainFile;
      const download = await v.app.inject({ method: 'GET', url: url as string });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(file.data)).toBe(true);
      expect(String(download.headers['content-disposition'])).toContain(encodeURIComponent(file.name));
    }
    expect(v.logs()).not.toContain(canary);
  });

  it('refuses answers encrypted to another key: 400, nothing stored', async () => {
    const res = await refused(
      encryptedBody({
        fingerprint,
        fields: await encryptTo(otherKey, json(validAnswers(program, 'x'))),
        manifest: await encryptTo(key, json([])),
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('encrypted_fields');
    expect(res.body).toContain('not encrypted to a key of this program');
  });

  it('refuses a file encrypted to another key after a good one: 400, the staged file is deleted', async () => {
    const res = await refused(
      encryptedBody({
        fingerprint,
        fields: await encryptTo(key, json(validAnswers(program, 'x'))),
        manifest: await encryptTo(key, json([{ name: 'a.txt' }, { name: 'b.txt' }])),
        files: [
          await encryptTo(key, randomBytes(200 * 1024), { armor: false }),
          await encryptTo(otherKey, Buffer.from('second'), { armor: false }),
        ],
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('attachments');
  });

  it('refuses a damaged file (its integrity check fails at the end of the stream): 400, nothing stored', async () => {
    const good = await encryptTo(key, randomBytes(400 * 1024), { armor: false });
    const damaged = Buffer.from(good);
    const at = damaged.length - 100;
    damaged[at] = (damaged[at] as number) ^ 0xff;
    const res = await refused(
      encryptedBody({
        fingerprint,
        fields: await encryptTo(key, json(validAnswers(program, 'x'))),
        manifest: await encryptTo(key, json([{ name: 'poc.bin' }])),
        files: [damaged],
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('could not be decrypted');
  });

  it('refuses a compressed file that expands past the limit: 413, nothing stored', async () => {
    const bomb = await encryptTo(key, new Uint8Array(16 * MiB), { armor: false, compress: true });
    expect(bomb.length).toBeLessThan(MiB / 4);
    const res = await refused(
      encryptedBody({
        fingerprint,
        fields: await encryptTo(key, json(validAnswers(program, 'x'))),
        manifest: await encryptTo(key, json([{ name: 'zeros.bin' }])),
        files: [bomb],
      }),
    );
    expect(res.statusCode).toBe(413);
  });

  it('refuses answers that expand past the limit: 413, nothing stored', async () => {
    const res = await refused(
      encryptedBody({
        fingerprint,
        fields: await encryptTo(key, new Uint8Array(8 * MiB), { compress: true }),
        manifest: await encryptTo(key, json([])),
      }),
    );
    expect(res.statusCode).toBe(413);
  });

  it.each([
    ['malformed JSON', new TextEncoder().encode('{"description": "unterminated')],
    ['a JSON list', json(['a', 'b'])],
    ['a number as an answer', json({ description: 42 })],
    ['an object as an answer', json({ description: { nested: true } })],
    ['a list with a number', json({ description: ['a', 1] })],
  ])('refuses %s inside the encrypted answers: 400 naming encrypted_fields', async (_name, plaintext) => {
    const res = await refused(
      encryptedBody({
        fingerprint,
        fields: await encryptTo(key, plaintext),
        manifest: await encryptTo(key, json([])),
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('encrypted_fields');
  });

  it('refuses any clear-text part, an unknown key fingerprint and files beyond the list', async () => {
    const fields = await encryptTo(key, json(validAnswers(program, 'x')));
    const manifest = await encryptTo(key, json([]));
    const clear = await refused(
      encryptedBody({ fingerprint, fields, manifest, extra: { description: 'clear' } }),
    );
    expect(clear.statusCode).toBe(400);
    expect(clear.body).toContain('only encrypted parts may be sent');

    const unknown = await refused(
      encryptedBody({ fingerprint: otherKey.getFingerprint().toUpperCase(), fields, manifest }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('reload the form');

    const extraFile = await refused(
      encryptedBody({
        fingerprint,
        fields,
        manifest,
        files: [await encryptTo(key, Buffer.from('x'), { armor: false })],
      }),
    );
    expect(extraFile.statusCode).toBe(400);
    expect(extraFile.body).toContain('encrypted_files');
  });

  it('shows a refused encrypted form filled in from the decrypted answers', async () => {
    const canary = `kept-${randomBytes(6).toString('hex')}`;
    const answers: Record<string, unknown> = validAnswers(program, canary);
    const email = program.definition.form.fields.find((f) => f.purpose === 'contact.email')?.id as string;
    answers[email] = 'not an address';
    const res = await refused(await build(answers));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain(canary);
    expect(res.body).toContain('value="not an address"');
    // The refused form can be encrypted again: it still carries the key.
    expect(res.body).toContain('id="program-key"');
  });

  it('still takes the plain form without JavaScript', async () => {
    const body = multipartBody(validAnswers(program, 'plain'), [
      { name: 'plain.txt', type: 'text/plain', data: Buffer.from('plain') },
    ]);
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${program.slug}/report`,
      headers: { 'content-type': body.contentType },
      payload: body.body,
    });
    expect(res.statusCode).toBe(303);
  });
});
