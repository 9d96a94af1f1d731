import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse as Response } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { multipartBody } from '../helpers/reports.js';
import { dialects, type TestVigil } from '../helpers/test-vigil.js';
import {
  announceSeed,
  controlChar,
  expectRefusal,
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
 * The portal's forms, which work without JavaScript: the report form (`/p/:slug/report`,
 * urlencoded, multipart and the browser-encrypted variant), and the reporter's private page
 * (`/r/:token`) with its message and credit forms. A form either does what it is for (303 to the
 * next page, everything stored) or comes back as a page with the problem, storing nothing.
 */

announceSeed('portal-forms');
watchProcess();

/** Lone surrogates as U+FFFD, as a browser sends them (encodeURIComponent throws on them). */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const uri = (s: string) => encodeURIComponent(wellFormed(s));

/** `name=value&…` with each piece percent-encoded as a browser would. */
const urlencoded = (pairs: [string, string][]) => pairs.map(([k, val]) => `${uri(k)}=${uri(val)}`).join('&');

describe.each(dialects)('fuzz: the portal forms (%s)', (dialect) => {
  let v: TestVigil;
  let program: Program;
  let answers: Record<string, string>;
  let token: string;
  let form: string;

  beforeAll(async () => {
    let baseline: Response;
    ({ v, program, answers, baseline } = await startFuzzVigil(dialect));
    form = `/p/${program.slug}/report`;
    token = new URL(baseline.json().reporterUrl).pathname.split('/')[2] as string;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const send = (opts: InjectOptions, what: string) => within(15_000, what, v.app.inject(opts));
  const post = (url: string, type: string, payload: string | Buffer) =>
    send({ method: 'POST', url, headers: { 'content-type': type }, payload }, url);
  const refused = (request: () => Promise<Response>, what: string) =>
    expectRefusedWithoutTrace(v, request, what);
  /** Files: how many a whole submission stores (undefined when a mutation leaves that open). */
  const filesGrow = (files: number | undefined): Record<string, number> =>
    files === undefined ? {} : { attachments: files, blobs: files };
  const report = (request: () => Promise<Response>, what: string, files?: number) =>
    expectWholeOrNothing(v, request, what, { status: 303, grows: { reports: 1, ...filesGrow(files) } });
  const message = (request: () => Promise<Response>, what: string, files: number | undefined) =>
    expectWholeOrNothing(v, request, what, {
      status: 303,
      grows: { messages: 1, reports: 0, ...filesGrow(files) },
    });

  describe('the report form', () => {
    it('urlencoded, with hostile names and values, duplicates and invalid escapes: a report or the form again', async () => {
      const pairs = fc.oneof(
        fc
          .tuple(
            fc.constantFrom(...Object.keys(answers)),
            fc.oneof(hostileValue, fc.array(hostileText(), { maxLength: 3 })),
          )
          .map(([id, value]) => ({
            text: urlencoded(
              Object.entries(answers).flatMap(([k, val]): [string, string][] =>
                k === id
                  ? Array.isArray(value)
                    ? value.map((x): [string, string] => [k, x])
                    : [[k, value]]
                  : [[k, val]],
              ),
            ),
          })),
        fc
          .array(fc.tuple(hostileText(4), hostileText()), { maxLength: 6 })
          .map((extra) => ({ text: `${urlencoded(Object.entries(answers))}&${urlencoded(extra)}` })),
        fc
          .tuple(
            fc.constantFrom(
              '%',
              '%zz',
              '%ff%fe',
              '%00',
              '&&&',
              '=&=',
              '%u0041',
              '+',
              '%E0%80%80',
              '&a[]=1&a[b]=2',
            ),
            fc.double({ min: 0, max: 1, noNaN: true }),
          )
          .map(([junk, at]) => {
            const text = urlencoded(Object.entries(answers));
            const i = Math.floor(at * text.length);
            return { text: `${text.slice(0, i)}${junk}${text.slice(i)}` };
          }),
      );
      await fc.assert(
        fc.asyncProperty(pairs, async ({ text }) => {
          await report(() => post(form, 'application/x-www-form-urlencoded', text), 'urlencoded form', 0);
        }),
        fuzz(100, dialect),
      );
    });

    it('urlencoded bodies of raw bytes (invalid UTF-8, NUL, control characters): a report or the form again', async () => {
      const good = Buffer.from(urlencoded(Object.entries(answers)));
      await fc.assert(
        fc.asyncProperty(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.oneof(
            invalidUtf8,
            fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => Buffer.from(b)),
          ),
          async (at, bytes) => {
            await report(
              () => post(form, 'application/x-www-form-urlencoded', spliceBytes(good, at, bytes)),
              'raw form',
              0,
            );
          },
        ),
        fuzz(80, dialect),
      );
    });

    it('multipart with hostile parts and files, or broken framing: a report or the form again', async () => {
      const built = multipartBody(answers, [
        { name: 'poc.txt', type: 'text/plain', data: Buffer.from('poc\n') },
      ]);
      const body = fc.oneof(
        fc
          .tuple(
            fc.dictionary(
              hostileText(4).map((s) => s.replace(/[\r\n"]/g, '_')),
              hostileText(),
              { maxKeys: 4 },
            ),
            fc.array(
              fc.record({
                name: hostileText(5).map((s) => s.replace(/[\r\n"]/g, '_')),
                data: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
              }),
              { maxLength: 2 },
            ),
          )
          .map(([extra, files]) => ({
            ...multipartBody({ ...answers, ...extra }, files),
            files: files.filter((f) => f.name !== '').length as number | undefined,
          })),
        fc
          .tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.integer({ min: 0, max: 30 }),
            fc.uint8Array({ maxLength: 30 }),
          )
          .map(([at, cut, bytes]) => ({
            body: spliceBytes(built.body, at, Buffer.from(bytes), cut),
            contentType: built.contentType,
            files: undefined,
          })),
        fc.double({ min: 0, max: 0.999, noNaN: true }).map((at) => ({
          body: built.body.subarray(0, Math.floor(at * built.body.length)),
          contentType: built.contentType,
          files: undefined,
        })),
        oddContentType.map((contentType) => ({ body: built.body, contentType, files: undefined })),
      );
      await fc.assert(
        fc.asyncProperty(body, async ({ body: b, contentType, files }) => {
          const res = await report(
            () =>
              send(
                { method: 'POST', url: form, headers: { 'content-type': contentType }, payload: b },
                'form',
              ),
            `multipart form (${contentType.slice(0, 60)})`,
            files,
          );
          // An HTML form answers HTML, whatever went wrong (never the API's JSON).
          if (res.statusCode >= 400) expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
        }),
        fuzz(80, dialect),
      );
    });

    it('the encrypted variant with parts that are not what they claim: 4xx, nothing stored', async () => {
      const published = await v.services.keys.publishedKey(program.id);
      const part = fc.record({
        name: fc.constantFrom(
          'vigil_encrypted',
          'vigil_key',
          'encrypted_files',
          'encrypted_fields',
          'encrypted_file',
          'description',
        ),
        value: fc.oneof(
          hostileText(),
          fc.constantFrom(
            '1',
            '2',
            published?.fingerprint ?? 'ABCD',
            '-----BEGIN PGP MESSAGE-----\n\nxx\n-----END PGP MESSAGE-----',
          ),
        ),
        file: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(part, { maxLength: 6 }), async (parts) => {
          const clean = (s: string) => s.replace(/[\r\n"]/g, '_');
          const fields: Record<string, string[]> = {};
          const files: { field: string; name: string; data: Buffer }[] = [];
          for (const p of parts) {
            if (p.file) files.push({ field: p.name, name: 'x.pgp', data: Buffer.from(p.value) });
            else fields[p.name] = [...(fields[p.name] ?? []), clean(p.value)];
          }
          const { body, contentType } = multipartBody(fields, files);
          await refused(() => post(`${form}?encrypted=1`, contentType, body), 'encrypted form');
        }),
        fuzz(60, dialect),
      );
    });

    it('hostile slugs and query strings: 4xx page', async () => {
      await fc.assert(
        fc.asyncProperty(
          pathTrick,
          fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
          async (slug, method) => {
            const url = `/p/${slug}/report`;
            const res = await expectRefusedUnder(
              v,
              '/p/',
              url,
              () =>
                send(
                  method === 'GET'
                    ? { method, url: `/p/${slug}/report` }
                    : {
                        method,
                        url: `/p/${slug}/report`,
                        headers: { 'content-type': 'application/x-www-form-urlencoded' },
                        payload: 'a=b',
                      },
                  slug,
                ),
              `form at ${slug.slice(0, 80)}`,
            );
            if (res.statusCode >= 400) expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
          },
        ),
        fuzz(50, dialect),
      );
      await fc.assert(
        fc.asyncProperty(hostileText(), async (q) => {
          const res = await send(
            {
              method: 'GET',
              url: `${form}?${uri(q)}=${uri(q)}&encrypted=${q.length}`,
            },
            'query',
          );
          // A NUL (%00) anywhere in an address is refused at the door; anything else shows the form.
          if (uri(q).includes('%00')) expectRefusal(res, 'query with %00');
          else expect(res.statusCode).toBe(200);
        }),
        fuzz(40, dialect),
      );
    });
  });

  describe("the reporter's private page", () => {
    it('a token that is not one (hostile, long, near-miss): 404 page on every route', async () => {
      const badToken = fc.oneof(
        pathTrick,
        fc.integer({ min: 0, max: 42 }).map((i) => `${token.slice(0, i)}${token.slice(i + 1)}`),
        fc
          .integer({ min: 0, max: 42 })
          .map((i) => `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`),
        fc.constantFrom(
          `${token}%00`,
          `${token}/`,
          `${token}.`,
          `${token}%2f..`,
          token.toUpperCase(),
          ` ${token}`,
          `${token}\u0000`,
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          badToken,
          fc.constantFrom('', '/messages', '/credit', '/attachments/x'),
          async (t, route) => {
            const url = `/r/${t.includes('\u0000') ? uri(t) : t}${route}`;
            const method = route === '/messages' || route === '/credit' ? 'POST' : 'GET';
            await expectRefusedUnder(
              v,
              '/r/',
              url,
              () =>
                send(
                  method === 'POST'
                    ? {
                        method,
                        url,
                        headers: { 'content-type': 'application/x-www-form-urlencoded' },
                        payload: 'message=hello&choice=given',
                      }
                    : { method, url },
                  url,
                ),
              `${method} ${url.slice(0, 100)}`,
            );
          },
        ),
        fuzz(60, dialect),
      );
    });

    it('the page itself with hostile query strings and headers: the page, never a 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(hostileText(), hostileText(4), async (q, lang) => {
          const res = await send(
            {
              method: 'GET',
              url: `/r/${token}?received=${uri(q)}&sent=1&credit=${uri(q)}`,
              headers: { 'accept-language': lang.replace(/[\r\n]/g, ' ') },
            },
            'page',
          );
          if (uri(q).includes('%00')) expectRefusal(res, 'query with %00');
          else expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        }),
        fuzz(60, dialect),
      );
    });

    it('messages: hostile text, raw bytes, odd content types and broken multipart: one message or the page with the problem', async () => {
      const url = `/r/${token}/messages`;
      const built = multipartBody({ message: 'Follow-up' }, [
        { name: 'trace.txt', type: 'text/plain', data: Buffer.from('trace\n') },
      ]);
      const request = fc.oneof(
        hostileValue.map((m) => ({
          type: 'application/x-www-form-urlencoded',
          body: Buffer.from(urlencoded([['message', m]])),
          files: 0,
        })),
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), invalidUtf8).map(([at, bad]) => ({
          type: 'application/x-www-form-urlencoded',
          body: spliceBytes(Buffer.from('message=hello%20there'), at, bad),
          files: 0,
        })),
        fc
          .tuple(hostileText(), fc.array(fc.tuple(hostileText(3), hostileText()), { maxLength: 6 }))
          .map(([m, extra]) => {
            const { body, contentType } = multipartBody({
              message: m.replace(/\r/g, ''),
              ...Object.fromEntries(extra.map(([k, x]) => [k.replace(/[\r\n"]/g, '_'), x])),
            });
            return { type: contentType, body, files: 0 };
          }),
        fc
          .tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.integer({ min: 0, max: 30 }),
            fc.uint8Array({ maxLength: 30 }),
          )
          .map(([at, cut, bytes]) => ({
            type: built.contentType,
            body: spliceBytes(built.body, at, Buffer.from(bytes), cut),
            files: undefined,
          })),
        oddContentType.map((type) => ({ type, body: built.body, files: undefined })),
      );
      await fc.assert(
        fc.asyncProperty(request, async ({ type, body, files }) => {
          await message(() => post(url, type, body), `message (${type.slice(0, 60)})`, files);
        }),
        fuzz(60, dialect),
      );
    });

    it('credit: a NUL or control character inside well-formed words: a recorded answer or the page with the problem', async () => {
      const url = `/r/${token}/credit`;
      await fc.assert(
        fc.asyncProperty(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.oneof(fc.constant('\0'), controlChar),
          async (at, ch) => {
            const words = 'Ada Researcher, Example Labs';
            const i = Math.floor(at * (words.length + 1));
            await expectWholeOrNothing(
              v,
              () =>
                post(
                  url,
                  'application/x-www-form-urlencoded',
                  urlencoded([
                    ['choice', 'given'],
                    ['text', `${words.slice(0, i)}${ch}${words.slice(i)}`],
                  ]),
                ),
              `credit words with ${JSON.stringify(ch)}`,
              { status: 303, grows: { consents: 1, reports: 0, messages: 0 } },
            );
          },
        ),
        fuzz(40, dialect),
      );
    });

    it('credit: hostile choices and words, duplicates, wrong types: a recorded answer or the page with the problem', async () => {
      const url = `/r/${token}/credit`;
      const body = fc.oneof(
        fc
          .tuple(
            fc.oneof(fc.constantFrom('given', 'declined', 'GIVEN', 'given ', ''), hostileText(3)),
            hostileValue,
          )
          .map(([choice, text]) =>
            urlencoded([
              ['choice', choice],
              ['text', text],
            ]),
          ),
        fc
          .array(
            fc.tuple(fc.constantFrom('choice', 'text', 'choice[]', 'text[0]', '__proto__'), hostileText()),
            { maxLength: 6 },
          )
          .map((pairs) => urlencoded(pairs)),
      );
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.constantFrom(
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json',
          ),
          async (text, type) => {
            await expectWholeOrNothing(v, () => post(url, type, text), `credit (${type})`, {
              status: 303,
              grows: { consents: 1, reports: 0, messages: 0 },
            });
          },
        ),
        fuzz(80, dialect),
      );
    });

    it('attachment ids that are not one: 4xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            pathTrick,
            hostileText().map((s) => uri(s)),
          ),
          async (id) => {
            const url = `/r/${token}/attachments/${id}`;
            await expectRefusedUnder(
              v,
              `/r/${token}/attachments/`,
              url,
              () => send({ method: 'GET', url }, id),
              `attachment ${id.slice(0, 80)}`,
            );
          },
        ),
        fuzz(60, dialect),
      );
    });
  });
});
