import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse as Response } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { multipartBody } from '../helpers/reports.js';
import { dialects, type TestVigil } from '../helpers/test-vigil.js';
import {
  announceSeed,
  controlChar,
  deepJson,
  expectRefusedUnder,
  expectRefusedWithoutTrace,
  expectWholeOrNothing,
  fuzz,
  hostileText,
  hostileValue,
  invalidUtf8,
  oddContentType,
  pathTrick,
  spliceBytes,
  startFuzzVigil,
  watchProcess,
  within,
} from './fuzz-kit.js';

/**
 * `POST /api/v1/programs/:slug/reports` under hostile input. Whatever is sent, the answer is a
 * 201 with the whole report stored, or a 4xx with a clear message and no trace; never a 5xx or a
 * hang, and nothing escapes to the process.
 */

announceSeed('report-api');
watchProcess();

describe.each(dialects)('fuzz: the report API (%s)', (dialect) => {
  let v: TestVigil;
  let program: Program;
  let url: string;
  let answers: Record<string, string>;

  beforeAll(async () => {
    ({ v, program, answers } = await startFuzzVigil(dialect));
    url = `/api/v1/programs/${program.slug}/reports`;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const send = (opts: InjectOptions, what: string) => within(15_000, what, v.app.inject(opts));
  const json = (payload: string | Buffer, headers: Record<string, string> = {}) =>
    send(
      { method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload },
      'json',
    );

  const refused = (request: () => Promise<Response>, what: string) =>
    expectRefusedWithoutTrace(v, request, what);
  /** Accepted whole (one report, its files and their blobs), or refused with no trace. */
  const wholeOrNothing = (request: () => Promise<Response>, what: string, files = 0) =>
    expectWholeOrNothing(v, request, what, {
      status: 201,
      grows: { reports: 1, attachments: files, blobs: files },
    });

  it('arbitrary bytes as a JSON body: 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        await refused(() => json(Buffer.from(bytes)), 'random bytes');
      }),
      fuzz(150, dialect),
    );
  });

  it('a valid report broken: cut short, invalid UTF-8 spliced in, trailing garbage, a BOM: 4xx', async () => {
    const good = Buffer.from(JSON.stringify({ fields: answers }));
    const broken = fc.oneof(
      fc
        .double({ min: 0, max: 0.999, noNaN: true })
        .map((at) => good.subarray(0, Math.floor(at * good.length))),
      fc
        .tuple(fc.double({ min: 0, max: 1, noNaN: true }), invalidUtf8)
        .map(([at, bad]) => spliceBytes(good, at, bad)),
      hostileText(4)
        .filter((s) => s.trim() !== '')
        .map((s) => Buffer.concat([good, Buffer.from(`,${s}`)])),
      fc.constant(Buffer.concat([good, Buffer.from([0])])),
      fc.constant(Buffer.concat([Buffer.from([0xfe, 0xff]), good])),
    );
    await fc.assert(
      fc.asyncProperty(broken, async (body) => {
        await refused(() => json(body), 'broken JSON');
      }),
      fuzz(150, dialect),
    );
  });

  it('a JSON body behind a UTF-8 byte order mark is read as the same report', async () => {
    // RFC 8259 lets a parser ignore the mark; the UTF-8 decoder does, so this is one whole report.
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify({ fields: answers })),
    ]);
    await wholeOrNothing(() => json(bom), 'BOM');
  });

  it('wrong types at the top, in `fields` and in each answer: 4xx with a message', async () => {
    const notAnAnswer = fc.oneof(
      fc.constant(null),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 0, maxKeys: 3 }),
      fc.array(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())), {
        minLength: 1,
        maxLength: 3,
      }),
    );
    const body = fc.oneof(
      fc.constant(null),
      fc.jsonValue({ maxDepth: 3 }).filter((x) => typeof x !== 'object' || x === null || Array.isArray(x)),
      fc
        .jsonValue({ maxDepth: 2 })
        .map((fields) => ({ fields }))
        .filter((b) => typeof b.fields !== 'object' || b.fields === null || Array.isArray(b.fields)),
      fc
        .tuple(fc.constantFrom(...Object.keys(answers)), notAnAnswer)
        .map(([id, value]) => ({ fields: { ...answers, [id]: value } })),
      fc
        .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }))
        .map(([key, value]) => ({
          fields: answers,
          [key === 'fields' || key === 'language' ? `${key}_` : key]: value,
        })),
      fc
        .jsonValue({ maxDepth: 1 })
        .filter((l) => typeof l !== 'string')
        .map((language) => ({ fields: answers, language })),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await refused(() => json(JSON.stringify(b)), `body ${JSON.stringify(b).slice(0, 200)}`);
      }),
      fuzz(150, dialect),
    );
  });

  it('hostile text in any answer, and in a field name: the whole report or a 4xx with no trace', async () => {
    const body = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...Object.keys(answers)),
          fc.oneof(hostileValue, fc.array(hostileText(), { maxLength: 4 })),
        )
        .map(([id, value]) => ({ fields: { ...answers, [id]: value } })),
      fc.tuple(hostileText(), hostileText()).map(([k, value]) => ({ fields: { ...answers, [k]: value } })),
      hostileText(3).map((language) => ({ fields: answers, language })),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await wholeOrNothing(() => json(JSON.stringify(b)), 'hostile answer');
      }),
      fuzz(120, dialect),
    );
  });

  it('a NUL or control character inside each well-formed answer: the whole report or a 4xx with no trace', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(answers)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.oneof(fc.constant('\0'), controlChar),
        async (id, at, ch) => {
          const value = answers[id] as string;
          const i = Math.floor(at * (value.length + 1));
          const fields = { ...answers, [id]: `${value.slice(0, i)}${ch}${value.slice(i)}` };
          await wholeOrNothing(() => json(JSON.stringify({ fields })), `${id} with ${JSON.stringify(ch)}`);
        },
      ),
      fuzz(80, dialect),
    );
  });

  it('duplicate keys in the JSON: one report or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(answers)),
        hostileText(),
        fc.boolean(),
        async (id, value, outer) => {
          const inner = JSON.stringify(answers).slice(0, -1);
          const text = outer
            ? `{"fields":${JSON.stringify(answers)},"fields":{${JSON.stringify(id)}:${JSON.stringify(value)}}}`
            : `{"fields":${inner},${JSON.stringify(id)}:${JSON.stringify(value)}}}`;
          await wholeOrNothing(() => json(text), 'duplicate keys');
        },
      ),
      fuzz(60, dialect),
    );
  });

  it('deeply nested bodies (up to 100 000 levels): 4xx, quickly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1_000, 10_000, 100_000),
        fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
        fc.constantFrom('top', 'fields', 'answer', 'language'),
        async (depth, shape, where) => {
          const deep = deepJson(depth, shape);
          const [id] = Object.keys(answers);
          const text =
            where === 'top'
              ? deep
              : where === 'fields'
                ? `{"fields":${deep}}`
                : where === 'answer'
                  ? `{"fields":{${JSON.stringify(id)}:${deep}}}`
                  : `{"fields":${JSON.stringify(answers)},"language":${deep}}`;
          await refused(() => json(text), `${depth} nested ${shape}s at ${where}`);
        },
      ),
      fuzz(24, dialect),
    );
  });

  it('huge bodies: 413', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1_100_000, max: 3_000_000 }), fc.boolean(), async (size, asJson) => {
        const filler = 'A'.repeat(size);
        const payload = asJson ? JSON.stringify({ fields: { ...answers, description: filler } }) : filler;
        const res = await refused(() => json(payload), `a ${size}-byte body`);
        expect(res.statusCode).toBe(413);
      }),
      fuzz(6, dialect),
    );
  });

  it('odd content types: JSON only as application/json, else 4xx', async () => {
    const good = JSON.stringify({ fields: answers });
    await fc.assert(
      fc.asyncProperty(oddContentType, async (type) => {
        // Header values are trimmed of surrounding white space (RFC 9110), so " application/json" is JSON.
        const essence = type.split(';')[0]?.trim().toLowerCase();
        const res = () =>
          send(
            { method: 'POST', url, headers: { 'content-type': type }, payload: good },
            `content type ${type}`,
          );
        if (essence === 'application/json') await wholeOrNothing(res, type);
        else await refused(res, `content type ${JSON.stringify(type)}`);
      }),
      fuzz(80, dialect),
    );
  });

  it('hostile headers (language, forwarding, cookies, user agent): the report or a 4xx, never a 5xx', async () => {
    const headerValue = hostileText(6).map((s) => s.replace(/[\r\n]/g, ' '));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'accept-language',
          'x-forwarded-for',
          'cookie',
          'user-agent',
          'x-request-id',
          'host',
          'origin',
        ),
        headerValue,
        async (name, value) => {
          await wholeOrNothing(
            () => json(JSON.stringify({ fields: answers }), { [name]: value }),
            `header ${name}: ${JSON.stringify(value)}`,
          );
        },
      ),
      fuzz(80, dialect),
    );
  });

  it('a hostile program slug: 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(pathTrick, fc.boolean(), async (slug, asMultipart) => {
        const target = `/api/v1/programs/${slug}/reports`;
        const { body, contentType } = multipartBody(answers);
        await expectRefusedUnder(
          v,
          '/api/v1/programs/',
          target,
          () =>
            send(
              asMultipart
                ? { method: 'POST', url: target, headers: { 'content-type': contentType }, payload: body }
                : { method: 'POST', url: target, payload: { fields: answers } },
              target,
            ),
          `slug ${slug.slice(0, 80)}`,
        );
      }),
      fuzz(80, dialect),
    );
  });

  it('multipart: hostile names and values, hostile file names and types, duplicates: whole or nothing', async () => {
    const file = fc.record({
      name: fc.oneof(
        hostileText(6),
        fc.constantFrom('../../etc/passwd', 'a/b.txt', 'C:\\x.txt', '', '.', '..'),
      ),
      type: fc.oneof(fc.constant('application/octet-stream'), hostileText(3)),
      data: fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(hostileText(4), fc.oneof(hostileText(), fc.array(hostileText(), { maxLength: 3 })), {
          maxKeys: 4,
        }),
        fc.array(file, { maxLength: 2 }),
        async (extra, files) => {
          const fields = { ...answers, ...extra };
          const sane = (s: string) => s.replace(/[\r\n"]/g, '_');
          const { body, contentType } = multipartBody(
            Object.fromEntries(Object.entries(fields).map(([k, val]) => [sane(k), val])),
            files.map((f) => ({
              name: sane(f.name),
              type: sane(f.type).replace(/[;]/g, '_') || 'x/y',
              data: f.data,
            })),
          );
          const named = files.filter((f) => sane(f.name) !== '').length;
          await wholeOrNothing(
            () =>
              send(
                { method: 'POST', url, headers: { 'content-type': contentType }, payload: body },
                'multipart',
              ),
            'hostile multipart',
            named,
          );
        },
      ),
      fuzz(100, dialect),
    );
  });

  it('multipart with broken framing (boundaries, headers, cut short): whole or nothing, never a 5xx', async () => {
    const { body, contentType } = multipartBody(answers, [
      { name: 'poc.txt', type: 'text/plain', data: Buffer.from('proof of concept\n') },
    ]);
    const boundary = contentType.split('boundary=')[1] as string;
    const mutation = fc.oneof(
      fc.double({ min: 0, max: 0.999, noNaN: true }).map((at) => ({
        body: body.subarray(0, Math.floor(at * body.length)),
        type: contentType,
      })),
      fc
        .tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 1, max: 40 }),
          fc.uint8Array({ maxLength: 40 }),
        )
        .map(([at, cut, bytes]) => ({
          body: spliceBytes(body, at, Buffer.from(bytes), cut),
          type: contentType,
        })),
      fc.constantFrom(
        { body, type: 'multipart/form-data' },
        { body, type: 'multipart/form-data; boundary=' },
        { body, type: 'multipart/form-data; boundary=wrong' },
        { body, type: `multipart/form-data; boundary=${boundary.slice(0, -1)}` },
        { body, type: `multipart/form-data; boundary="${boundary}` },
        { body, type: `multipart/form-data; boundary=${'-'.repeat(200)}` },
        { body: Buffer.from(body.toString('latin1').replaceAll('\r\n', '\n'), 'latin1'), type: contentType },
        { body: Buffer.from(body.toString('latin1').replace(/--\r\n$/, ''), 'latin1'), type: contentType },
        {
          body: Buffer.from(body.toString('latin1').replaceAll('Content-Disposition', 'X'), 'latin1'),
          type: contentType,
        },
        {
          body: Buffer.from(body.toString('latin1').replace(/name="/g, 'name='), 'latin1'),
          type: contentType,
        },
        {
          body: Buffer.from(
            body.toString('latin1').replace(/filename="poc.txt"/, `filename="${'a'.repeat(100_000)}"`),
            'latin1',
          ),
          type: contentType,
        },
        {
          body: Buffer.from(
            body.toString('latin1').replace(/name="/, `name="${'n'.repeat(10_000)}`),
            'latin1',
          ),
          type: contentType,
        },
        {
          body: Buffer.from(
            `--${boundary}\r\n${'X-Header: y\r\n'.repeat(5_000)}\r\nv\r\n--${boundary}--\r\n`,
          ),
          type: contentType,
        },
        { body: Buffer.alloc(0), type: contentType },
        { body: Buffer.from(`--${boundary}--\r\n`), type: contentType },
        { body: Buffer.from(`--${boundary}\r\n\r\n\r\n--${boundary}--\r\n`), type: contentType },
      ),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ({ body: b, type }) => {
        // A mutation may leave a valid form (with or without the file) behind: then one report.
        await expectWholeOrNothing(
          v,
          () =>
            send({ method: 'POST', url, headers: { 'content-type': type }, payload: b }, 'broken multipart'),
          `broken multipart (${type.slice(0, 80)})`,
          { status: 201, grows: { reports: 1 } },
        );
      }),
      fuzz(100, dialect),
    );
  });
});
