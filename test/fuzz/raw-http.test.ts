import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { validAnswers } from '../helpers/reports.js';
import { listenOnLoopback, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import {
  announceSeed,
  fuzz,
  hostileText,
  rawExchange,
  statusCodes,
  trace,
  watchProcess,
} from './fuzz-kit.js';

/**
 * What `inject()` cannot send, over a real socket: oversized headers, invalid bytes and control
 * characters in the request line and header values, dot segments no client would resolve first,
 * and broken framing (Content-Length against Transfer-Encoding, bad chunk sizes, a body cut
 * short). Each gets an HTTP 4xx (or a closed connection for a body that never finishes), within
 * seconds; nothing is stored; and the server still answers afterwards.
 */

announceSeed('raw-http');
watchProcess();

/** What a file from outside the published set would show. */
const OUTSIDE = /root:x?:0:0|"devDependencies"|compilerOptions|BEGIN (?:RSA |OPENSSH |EC )?PRIVATE KEY/;

describe('fuzz: raw HTTP on a real socket (sqlite)', () => {
  let v: TestVigil;
  let port: number;
  let program: Program;

  beforeAll(async () => {
    v = await startTestVigil('sqlite');
    port = Number(new URL(await listenOnLoopback(v)).port);
    program = (await v.services.programs.list())[0] as Program;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const bytes = (...parts: (string | Buffer | Uint8Array)[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

  /** One exchange must answer a 4xx first (never 5xx, never silence), store nothing, and leave the server up. */
  async function refusedOnTheWire(
    request: Buffer,
    what: string,
    opts: { mayJustClose?: boolean; halfClose?: boolean } = {},
  ) {
    const before = await trace(v);
    const { text, closed } = await rawExchange(port, request, { halfClose: opts.halfClose });
    const codes = statusCodes(text);
    if (codes.length === 0 && opts.mayJustClose)
      expect(closed, `${what}: neither answered nor closed`).toBe(true);
    else {
      expect(
        codes.length,
        `${what}: no HTTP answer (got ${JSON.stringify(text.slice(0, 200))})`,
      ).toBeGreaterThan(0);
      expect(codes[0], `${what}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(codes[0], `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
      for (const c of codes) expect(c, `${what}: a later answer on the connection`).toBeLessThan(500);
    }
    expect(text, what).not.toMatch(OUTSIDE);
    expect(await trace(v), `${what}: left a trace`).toEqual(before);
    const alive = await rawExchange(
      port,
      bytes('GET /healthz HTTP/1.1\r\nHost: vigil.test\r\nConnection: close\r\n\r\n'),
    );
    expect(statusCodes(alive.text), `${what}: the server stopped answering`).toEqual([200]);
  }

  // Node refuses a header block past 16 KiB, but counts many small headers so that up to about
  // twice that may pass (it keeps the first 2000 and answers); past 32 KiB every shape is a 431.
  it('oversized headers (one huge, or very many): 431', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 17_000, max: 300_000 }).map((n) => `X-Big: ${'a'.repeat(n)}\r\n`),
          fc
            .integer({ min: 3_000, max: 20_000 })
            .map((n) => Array.from({ length: n }, (_, i) => `X-H${i}: v\r\n`).join('')),
          fc.integer({ min: 17_000, max: 100_000 }).map((n) => `Cookie: ${'c=1; '.repeat(n / 5)}\r\n`),
        ),
        fc.constantFrom(
          'GET /.well-known/security.txt',
          `POST /api/v1/programs/${'x'}/reports`,
          'GET /r/abc',
        ),
        async (headers, line) => {
          await refusedOnTheWire(
            bytes(`${line} HTTP/1.1\r\nHost: vigil.test\r\n`, headers, '\r\n'),
            `${headers.length}-byte headers`,
          );
        },
      ),
      fuzz(20),
    );
  });

  it('invalid bytes and control characters in the request line and header names and values: 400', async () => {
    const bad = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 8 }).filter((b) => b.some((x) => x < 0x21 || x > 0x7e)),
      fc.constantFrom(
        Buffer.from([0]),
        Buffer.from([0x7f]),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('\r'),
        Buffer.from('\n'),
        Buffer.from('\t\t'),
      ),
    );
    const request = fc.oneof(
      // In the target.
      fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), bad).map(([at, b]) => {
        const path = `/p/${program.slug}/report`;
        const i = 1 + Math.floor(at * (path.length - 1));
        return bytes('GET ', path.slice(0, i), b, path.slice(i), ' HTTP/1.1\r\nHost: vigil.test\r\n\r\n');
      }),
      // In the method or the version.
      bad.map((b) => bytes('G', b, 'ET / HTTP/1.1\r\nHost: vigil.test\r\n\r\n')),
      bad.map((b) => bytes('GET / HTTP/1', b, '1\r\nHost: vigil.test\r\n\r\n')),
      // In a header name, or a control character in a header value.
      bad.map((b) => bytes('GET / HTTP/1.1\r\nHost: vigil.test\r\nX-', b, 'Name: v\r\n\r\n')),
      fc
        .constantFrom(0, 1, 8, 0x0b, 0x0c, 0x0d, 0x1b, 0x7f)
        .map((c) =>
          bytes('GET / HTTP/1.1\r\nHost: vigil.test\r\nAccept-Language: en', Buffer.from([c]), 'x\r\n\r\n'),
        ),
      // Random bytes where a request should be.
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => bytes(b, '\r\n\r\n')),
      hostileText(6).map((s) => bytes(Buffer.from(s, 'utf8'), ' / HTTP/1.1\r\n\r\n')),
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        await refusedOnTheWire(req, `request ${JSON.stringify(req.toString('latin1').slice(0, 80))}`);
      }),
      fuzz(120),
    );
  });

  it('dot segments and encoded tricks sent as they are, under every public prefix: 4xx, never a file from outside', async () => {
    const prefix = fc.constantFrom(
      '/.well-known/',
      '/.well-known/csaf/white/',
      '/.well-known/openpgpkey/hu/',
      '/assets/',
      '/assets/vendor/',
      `/p/${program.slug}/`,
      '/r/',
    );
    const trick = fc
      .array(
        fc.constantFrom(
          '..',
          '%2e%2e',
          '.%2e',
          '%2e.',
          '..%2f',
          '%2e%2e%2f',
          '..%5c',
          '%252e%252e',
          '%00',
          '..%00',
          '.',
          '',
          'etc',
          'passwd',
          'package.json',
          'src',
          'tsconfig.json',
          '%c0%ae%c0%ae',
        ),
        { minLength: 1, maxLength: 10 },
      )
      .map((parts) => parts.join('/'));
    await fc.assert(
      fc.asyncProperty(prefix, trick, async (p, t) => {
        const target = `${p}${t}`;
        const { text } = await rawExchange(
          port,
          bytes(`GET ${target} HTTP/1.1\r\nHost: vigil.test\r\nConnection: close\r\n\r\n`),
        );
        const codes = statusCodes(text);
        expect(codes.length, target).toBe(1);
        // A target whose dots only lead back under the prefix (or to another public page) may answer 200.
        expect(codes[0], `${target}: ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(text, target).not.toMatch(OUTSIDE);
      }),
      fuzz(120),
    );
  });

  it('broken framing (Content-Length against chunked, bad chunk sizes, duplicate lengths, obs-fold): 4xx', async () => {
    const url = `/api/v1/programs/${program.slug}/reports`;
    const json = JSON.stringify({ fields: validAnswers(program, 'framing') });
    const head = `POST ${url} HTTP/1.1\r\nHost: vigil.test\r\nContent-Type: application/json\r\n`;
    // Fixed lists, each case sent once: sampling them would only skip some.
    const cases = [
      `${head}Content-Length: ${json.length}\r\nTransfer-Encoding: chunked\r\n\r\n${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`,
      `${head}Content-Length: ${json.length}\r\nContent-Length: ${json.length + 1}\r\n\r\n${json}`,
      `${head}Content-Length: -1\r\n\r\n${json}`,
      `${head}Content-Length: 1e3\r\n\r\n${json}`,
      `${head}Content-Length: 99999999999999999999\r\n\r\n${json}`,
      `${head}Transfer-Encoding: chunked\r\n\r\nzz\r\n${json}\r\n0\r\n\r\n`,
      `${head}Transfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n`,
      `${head}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n`,
      `${head}Transfer-Encoding: gzip, chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
      `${head}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
      `${head}Transfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
      `${head}X-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\n{}`,
      `${head}Content-Length: 2\r\n\r\n{}GARBAGE / HTTP/1.1\r\n\r\n`,
      `POST ${url} HTTP/1.0\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      `GET / HTTP/1.1\r\n\r\n`,
      `CONNECT vigil.test:443 HTTP/1.1\r\nHost: vigil.test\r\n\r\n`,
    ];
    // Odd but readable: Node takes these as ordinary requests, so they may be answered; never 5xx.
    const odd = [
      'GET / HTTP/2.0\r\nHost: vigil.test\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
      'GET * HTTP/1.1\r\nHost: vigil.test\r\n\r\n',
      'GET http://evil.example/../../etc/passwd HTTP/1.1\r\nHost: vigil.test\r\n\r\n',
      'OPTIONS * HTTP/1.1\r\nHost: vigil.test\r\n\r\n',
      'TRACE / HTTP/1.1\r\nHost: vigil.test\r\n\r\n',
      'BREW /.well-known/security.txt HTTP/1.1\r\nHost: vigil.test\r\n\r\n',
    ];
    for (const req of cases) {
      // Node closes a CONNECT at once when no proxy listens for it: closed, not answered, is right.
      await refusedOnTheWire(bytes(req), `framing ${JSON.stringify(req.slice(0, 120))}`, {
        mayJustClose: req.startsWith('CONNECT'),
      });
    }
    for (const req of odd) {
      const before = await trace(v);
      const { text } = await rawExchange(port, bytes(req));
      const codes = statusCodes(text);
      expect(codes.length, req).toBeGreaterThan(0);
      for (const c of codes) expect(c, `${req}: ${text.slice(0, 200)}`).toBeLessThan(500);
      expect(text, req).not.toMatch(OUTSIDE);
      expect(await trace(v)).toEqual(before);
    }
  });

  it('a body cut short, then the sending side closed: no 5xx, nothing stored, no hang', async () => {
    const url = `/api/v1/programs/${program.slug}/reports`;
    const json = JSON.stringify({ fields: validAnswers(program, 'cut') });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: json.length - 1 }),
        fc.integer({ min: 1, max: 100_000 }),
        async (sent, extra) => {
          await refusedOnTheWire(
            bytes(
              `POST ${url} HTTP/1.1\r\nHost: vigil.test\r\nContent-Type: application/json\r\nContent-Length: ${json.length + extra}\r\n\r\n`,
              json.slice(0, sent),
            ),
            `cut at ${sent}`,
            { mayJustClose: true, halfClose: true },
          );
        },
      ),
      fuzz(10),
    );
  });
});
