import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { dialects, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import {
  announceSeed,
  expectNoFailure,
  expectRefusedUnder,
  fuzz,
  hostileText,
  pathTrick,
  trace,
  watchProcess,
  within,
} from './fuzz-kit.js';

/**
 * The public documents other software fetches: security.txt, the Web Key Directory, the CSAF
 * provider's files, program keys and the static assets. A hostile address (dot segments, encoded
 * NULs, double encoding, very long paths) is a 4xx with a message, never a 5xx, never a file from
 * outside what is published; hostile query strings and Host headers change nothing. On both
 * databases: a slug or a key lookup reaches PostgreSQL, which refuses text SQLite takes (a NUL).
 */

announceSeed('well-known');
watchProcess();

/** What a file from outside the published set would show (the system, the app's sources or config). */
const OUTSIDE =
  /root:x?:0:0|"devDependencies"|compilerOptions|VIGIL_|BEGIN (?:RSA |OPENSSH |EC )?PRIVATE KEY/;

describe.each(dialects)('fuzz: well-known and public documents (%s)', (dialect) => {
  let v: TestVigil;
  let program: Program;

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    program = (await v.services.programs.list())[0] as Program;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  /** Each public prefix, and the route shape a trick is appended to. */
  const prefixes = () => [
    { under: '/.well-known/', url: (t: string) => `/.well-known/${t}` },
    { under: '/.well-known/security.txt', url: (t: string) => `/.well-known/security.txt/${t}` },
    { under: '/p/', url: (t: string) => `/p/${t}/security.txt` },
    { under: '/p/', url: (t: string) => `/p/${t}/key.asc` },
    { under: '/.well-known/openpgpkey/', url: (t: string) => `/.well-known/openpgpkey/hu/${t}` },
    { under: '/.well-known/openpgpkey/', url: (t: string) => `/.well-known/openpgpkey/${t}/hu/abc` },
    { under: '/.well-known/openpgpkey/', url: (t: string) => `/.well-known/openpgpkey/${t}/policy` },
    { under: '/.well-known/csaf/', url: (t: string) => `/.well-known/csaf/${t}` },
    { under: '/.well-known/csaf/white/', url: (t: string) => `/.well-known/csaf/white/${t}` },
    { under: '/.well-known/csaf/white/', url: (t: string) => `/.well-known/csaf/white/2026/${t}` },
    { under: '/.well-known/csaf/white/', url: (t: string) => `/.well-known/csaf/white/${t}/x.json` },
    { under: '/assets/', url: (t: string) => `/assets/${t}` },
    { under: '/assets/', url: (t: string) => `/assets/vendor/${t}` },
    { under: '/p/', url: (t: string) => `/p/${program.slug}/advisories/${t}` },
    { under: '/p/', url: (t: string) => `/p/${program.slug}/policy/v/${t}` },
  ];

  it('hostile addresses under every public prefix: 4xx, and never a file from outside', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), pathTrick, async (which, trick) => {
        const route = prefixes()[which % prefixes().length] as ReturnType<typeof prefixes>[number];
        const url = route.url(trick);
        const res = await expectRefusedUnder(
          v,
          route.under,
          url,
          () => within(10_000, url, v.app.inject({ method: 'GET', url })),
          `GET ${url.slice(0, 120)}`,
        );
        expect(res.body, url).not.toMatch(OUTSIDE);
      }),
      fuzz(200, dialect),
    );
  });

  it('hostile query strings and Host headers on the documents that answer: the document or a 4xx', async () => {
    const documents = [
      '/.well-known/security.txt',
      `/p/${program.slug}/security.txt`,
      '/.well-known/openpgpkey/policy',
      '/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q',
      '/.well-known/openpgpkey/vigil.test/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q',
      '/.well-known/csaf/provider-metadata.json',
      '/.well-known/csaf/feed-tlp-white.json',
      '/.well-known/csaf/white/index.txt',
      '/.well-known/csaf/white/changes.csv',
      `/p/${program.slug}/key.asc`,
      '/key.asc',
    ];
    // The first read of a document may create what it publishes (a program's key, with its audit
    // entry); that is not the hostile request's doing, so each is read once before.
    for (const url of documents) await v.app.inject({ method: 'GET', url });
    const header = (s: string) => s.replace(/[\r\n]/g, ' ');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...documents),
        hostileText(),
        fc.oneof(
          fc.constant('vigil.test'),
          hostileText(4).map(header),
          fc.constantFrom('', ':', '[::1', 'a'.repeat(5000), 'vigil.test:99999'),
        ),
        async (url, q, host) => {
          const wellFormed = q.replace(/[\ud800-\udfff]/g, '?');
          const target = `${url}?l=${encodeURIComponent(wellFormed)}&${encodeURIComponent(wellFormed)}=1`;
          const before = await trace(v);
          const res = await within(
            10_000,
            target,
            v.app.inject({ method: 'GET', url: target, headers: { host } }),
          );
          expectNoFailure(res, `GET ${target.slice(0, 100)} (Host ${host.slice(0, 40)})`);
          expect(res.body).not.toMatch(OUTSIDE);
          expect(await trace(v)).toEqual(before);
        },
      ),
      fuzz(150, dialect),
    );
  });
});
