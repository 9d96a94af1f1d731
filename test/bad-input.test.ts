import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { storageSnapshot } from './helpers/snapshot.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

const KB = 1024;

describe.each(dialects)('bad input is refused with a specific 4xx and stores nothing (%s)', (dialect) => {
  let v: TestVigil;
  let p: Program;
  let url: string;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    v = await startTestVigil(dialect, {
      env: {
        VIGIL_MAX_FILE_BYTES: String(64 * KB),
        VIGIL_MAX_REPORT_BYTES: String(100 * KB),
        VIGIL_MAX_FILES: '3',
        VIGIL_MAX_FIELD_BYTES: String(8 * KB),
        VIGIL_MAX_FIELDS: '50',
      },
    });
    const programs = await v.services.programs.list();
    p = programs[0] as Program;
    url = `/api/v1/programs/${p.slug}/reports`;
    // One good report first, so "unchanged" is checked against a store that has content.
    const ok = await v.app.inject({ method: 'POST', url, payload: { fields: validAnswers(p, 'baseline') } });
    expect(ok.statusCode).toBe(201);
  });
  afterAll(async () => {
    await v?.destroy();
  });
  beforeEach(async () => {
    before = await storageSnapshot(v);
  });

  const unchanged = async () => expect(await storageSnapshot(v)).toEqual(before);
  const multipart = (
    fields: Record<string, string | string[]>,
    files: Parameters<typeof multipartBody>[1] = [],
  ) => {
    const { body, contentType } = multipartBody(fields, files);
    return v.app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload: body });
  };
  const fieldOfKind = (kind: string) => p.definition.form.fields.find((f) => f.kind === kind);

  it('wrong types: 400 naming the field', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url,
      payload: {
        fields: { ...validAnswers(p, 'x'), [p.definition.form.fields[0]?.id as string]: { nested: true } },
      },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('validation_failed');
    expect(body.fields[0].path).toBe(`fields.${p.definition.form.fields[0]?.id}`);
    expect(typeof body.requestId).toBe('string');
    const yesno = fieldOfKind('yesno');
    if (yesno) {
      const r2 = await v.app.inject({
        method: 'POST',
        url,
        payload: { fields: { ...validAnswers(p, 'x'), [yesno.id]: 'maybe' } },
      });
      expect(r2.statusCode).toBe(400);
      expect(r2.json().fields).toEqual([{ path: yesno.id, message: 'expected "yes", "no" or "unsure"' }]);
    }
    const email = fieldOfKind('email');
    if (email) {
      const r3 = await v.app.inject({
        method: 'POST',
        url,
        payload: { fields: { ...validAnswers(p, 'x'), [email.id]: 'not-an-email' } },
      });
      expect(r3.statusCode).toBe(400);
      expect(r3.json().fields[0].path).toBe(email.id);
    }
    await unchanged();
  });

  it('missing required fields: 400 with one entry per field', async () => {
    const required = p.definition.form.fields.filter((f) => f.required);
    expect(required.length).toBeGreaterThan(1);
    const res = await v.app.inject({ method: 'POST', url, payload: { fields: {} } });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(required.map((f) => f.id).sort());
    await unchanged();
  });

  it('unknown fields: 400 naming each', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url,
      payload: { fields: { ...validAnswers(p, 'x'), bogus: 'a', other: 'b' } },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['bogus', 'other']);
    const top = await v.app.inject({
      method: 'POST',
      url,
      payload: { fields: validAnswers(p, 'x'), extra: 1 },
    });
    expect(top.statusCode).toBe(400);
    await unchanged();
  });

  it('an oversized field: 413', async () => {
    const main = p.definition.form.fields.find((f) => f.kind === 'textarea') as { id: string };
    const res = await v.app.inject({
      method: 'POST',
      url,
      payload: { fields: { ...validAnswers(p, 'x'), [main.id]: 'A'.repeat(9 * KB) } },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toContain(main.id);
    const mp = await multipart({ ...validAnswers(p, 'x'), [main.id]: 'B'.repeat(9 * KB) });
    expect(mp.statusCode).toBe(413);
    await unchanged();
  });

  it('an oversized file, too much in total, too many files: 413, and the files already stored are removed', async () => {
    const fields = validAnswers(p, 'x');
    const big = await multipart(fields, [{ name: 'big.bin', data: Buffer.alloc(65 * KB, 1) }]);
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/big\.bin.*per file/);
    const total = await multipart(fields, [
      { name: 'a.bin', data: Buffer.alloc(60 * KB, 1) },
      { name: 'b.bin', data: Buffer.alloc(60 * KB, 2) },
    ]);
    expect(total.statusCode).toBe(413);
    expect(total.json().message).toContain('together');
    const many = await multipart(
      fields,
      [1, 2, 3, 4].map((i) => ({ name: `f${i}.txt`, data: Buffer.from(`file ${i}`) })),
    );
    expect(many.statusCode).toBe(413);
    expect(many.json().message).toContain('at most 3 files');
    await unchanged();
  });

  it('invalid UTF-8: 400', async () => {
    const json = Buffer.concat([
      Buffer.from('{"fields":{"x":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}}'),
    ]);
    const res = await v.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: json,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('UTF-8');
    const main = p.definition.form.fields.find((f) => f.kind === 'textarea') as { id: string };
    const boundary = 'xyz';
    const parts = Object.entries(validAnswers(p, 'x'))
      .filter(([k]) => k !== main.id)
      .map(([k, val]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${val}\r\n`)
      .join('');
    const body = Buffer.concat([
      Buffer.from(`${parts}--${boundary}\r\nContent-Disposition: form-data; name="${main.id}"\r\n\r\nbad `),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const mp = await v.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(mp.statusCode).toBe(400);
    expect(mp.json().fields).toEqual([{ path: main.id, message: 'is not valid UTF-8 text' }]);
    await unchanged();
  });

  it('a form with 10 000 fields: 413, as JSON, multipart and urlencoded', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) many[`f${i}`] = 'x';
    const json = await v.app.inject({ method: 'POST', url, payload: { fields: many } });
    expect(json.statusCode).toBe(413);
    expect(json.json().message).toContain('Too many form fields');
    const mp = await multipart(many);
    expect(mp.statusCode).toBe(413);
    const form = await v.app.inject({
      method: 'POST',
      url: `/p/${p.slug}/report`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(many).toString(),
    });
    expect(form.statusCode).toBe(413);
    expect(form.headers['content-type']).toContain('text/html');
    await unchanged();
  });

  it('path-traversal file names: 400', async () => {
    for (const name of ['../../etc/passwd', '..\\..\\boot.ini', '/abs/path.txt', '..']) {
      const res = await multipart(validAnswers(p, 'x'), [
        { name: 'ok.txt', data: Buffer.from('fine') },
        { name, data: Buffer.from('evil') },
      ]);
      expect(res.statusCode, name).toBe(400);
      expect(res.json().fields[0].path).toBe('attachments');
    }
    await unchanged();
  });

  it('an empty body: 400; a wrong content type: 415', async () => {
    const empty = await v.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('empty_body');
    const text = await v.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    const syntax = await v.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{"fields": ',
    });
    expect(syntax.statusCode).toBe(400);
    await unchanged();
  });

  it('an unknown program: 404, also for the form and with files', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: '/api/v1/programs/no-such-program/reports',
      payload: { fields: {} },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('no-such-program');
    const { body, contentType } = multipartBody({ a: 'b' }, [{ name: 'x.bin', data: Buffer.alloc(1000) }]);
    const form = await v.app.inject({
      method: 'POST',
      url: '/p/no-such-program/report',
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(form.statusCode).toBe(404);
    expect(form.headers['content-type']).toContain('text/html');
    await unchanged();
  });

  it('the HTML form comes back filled in with each problem next to its field', async () => {
    const answers = validAnswers(p, 'keep this text');
    const email = fieldOfKind('email');
    if (email) answers[email.id] = 'broken-address';
    const required = p.definition.form.fields.find((f) => f.required && f.kind === 'text');
    if (required) delete answers[required.id];
    const { body, contentType } = multipartBody(answers);
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${p.slug}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('keep this text');
    if (email) expect(res.body).toContain(`id="e-${email.id}"`);
    if (required) expect(res.body).toContain(`href="#f-${required.id}"`);
    await unchanged();
  });
});

describe('rate limiting on public submissions', () => {
  it('answers 429 past the limit per minute and stores nothing for it', async () => {
    const v = await startTestVigil('sqlite', { env: { VIGIL_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const p = (await v.services.programs.list())[0] as Program;
      const url = `/api/v1/programs/${p.slug}/reports`;
      const send = () => v.app.inject({ method: 'POST', url, payload: { fields: validAnswers(p, 'rate') } });
      expect((await send()).statusCode).toBe(201);
      expect((await send()).statusCode).toBe(201);
      const before = await storageSnapshot(v);
      const third = await send();
      expect(third.statusCode).toBe(429);
      expect(third.json().error).toBe('rate_limited');
      expect(third.json().message).toContain('at most 2');
      expect(await storageSnapshot(v)).toEqual(before);
    } finally {
      await v.destroy();
    }
  });
});
