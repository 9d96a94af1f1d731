import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildOpenApiDocument,
  CONSOLE_SCHEMA,
  describeDrift,
  generateApiFiles,
  OPENAPI_DOCUMENT,
  operationIdProblems,
  readCommitted,
  renderOpenApiDocument,
  root,
} from '../scripts/openapi.js';

/**
 * The committed OpenAPI document and the console's types generated from it must be exactly what
 * the route schemas produce now: both are regenerated in memory and compared byte for byte. The
 * guards are shown to fail, and the generation to depend on nothing but the code.
 */

type Generated = Awaited<ReturnType<typeof generateApiFiles>>;

/**
 * Operations whose operationId in src/ breaks the convention, each with the reason it is tolerated.
 * The list can only shrink: an entry whose operation is renamed or gone fails the test below.
 */
const KNOWN_OPERATION_ID_PROBLEMS: Record<string, string> = {};

let fresh: Generated;

beforeAll(async () => {
  fresh = await generateApiFiles();
});

describe('the generated OpenAPI document and console types', () => {
  it('state the common error body once, as a shared response every route refers to', () => {
    const text = fresh.find((f) => f.file === OPENAPI_DOCUMENT)?.text ?? '';
    expect(text.match(/"requestId"/g)).toHaveLength(2); // the component's property and its `required`
    expect(text.split('"#/components/responses/Error"').length - 1).toBeGreaterThan(100);
  });

  it('match the committed files byte for byte', () => {
    expect(fresh.map((f) => f.file)).toEqual([OPENAPI_DOCUMENT, CONSOLE_SCHEMA]);
    const problems = describeDrift(fresh, readCommitted);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('would report a changed, a missing or a re-ended file, naming it and the command', () => {
    const [doc, schema] = fresh as [Generated[number], Generated[number]];
    const edited = doc.text.replace('"operationId": "listAdvisories"', '"operationId": "listAdvisory"');
    expect(edited).not.toBe(doc.text);
    const committed = new Map([
      [OPENAPI_DOCUMENT, edited],
      [CONSOLE_SCHEMA, schema.text],
    ]);
    const drift = describeDrift(fresh, (f) => committed.get(f));
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatch(/^docs\/openapi\.json differs .*first at line \d+.*run `npm run openapi`/);

    expect(describeDrift(fresh, (f) => (f === CONSOLE_SCHEMA ? undefined : doc.text))).toEqual([
      'web/src/api/schema.d.ts is missing: run `npm run openapi` and commit the result.',
    ]);
    const crlf = describeDrift(fresh, (f) =>
      f === CONSOLE_SCHEMA ? schema.text.replace(/\n/g, '\r\n') : doc.text,
    );
    expect(crlf).toHaveLength(1);
    expect(crlf[0]).toContain('web/src/api/schema.d.ts differs');
  });

  it('depend on the code alone: no path, time or order of the run goes in', async () => {
    const [doc] = fresh as [Generated[number]];
    for (const local of [root, os.tmpdir(), 'vigil-openapi-', new Date().toISOString().slice(0, 10)])
      expect(doc.text, `the document contains "${local}"`).not.toContain(local);
    expect(doc.text).not.toContain('"servers"');

    // Another data directory, another run: the same bytes.
    const again = await buildOpenApiDocument();
    expect(renderOpenApiDocument(again)).toBe(doc.text);
    // Paths and named components in another order (as if capabilities registered the other way
    // round): the same bytes.
    const basic = { type: 'http', scheme: 'basic' } as const;
    const schemes = again.components?.securitySchemes ?? {};
    const one = {
      ...again,
      components: { ...again.components, securitySchemes: { ...schemes, a: basic, z: basic } },
    };
    const other = {
      ...again,
      paths: Object.fromEntries(Object.entries(again.paths ?? {}).reverse()),
      components: { ...again.components, securitySchemes: { z: basic, ...schemes, a: basic } },
    };
    expect(renderOpenApiDocument(other)).toBe(renderOpenApiDocument(one));
  });
});

describe('operationIds', () => {
  let problems: string[];

  beforeAll(() => {
    problems = operationIdProblems(JSON.parse(fresh[0]?.text ?? '{}'));
  });

  it('are unique, camelCase and verb first on every operation (but the known exceptions)', () => {
    const known = Object.keys(KNOWN_OPERATION_ID_PROBLEMS);
    const unexpected = problems.filter((p) => !known.some((id) => p.includes(`"${id}"`)));
    expect(unexpected, unexpected.join('\n')).toEqual([]);
  });

  it('list no exception that no longer applies', () => {
    for (const id of Object.keys(KNOWN_OPERATION_ID_PROBLEMS))
      expect(
        problems.some((p) => p.includes(`"${id}"`)),
        `"${id}" now follows the convention or is gone: remove it from KNOWN_OPERATION_ID_PROBLEMS`,
      ).toBe(true);
  });

  it('are refused when missing, repeated, not camelCase or not starting with a verb', () => {
    const op = (operationId?: string) => ({ operationId, responses: {} });
    const found = operationIdProblems({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/a': { get: op('getThing'), post: op('getThing'), parameters: [] },
        '/b': { put: op(), patch: op('update_thing'), delete: op('DeleteThing') },
        '/c': { post: op('thingCreate'), get: op('getCVE') },
      },
    });
    expect(found).toEqual([
      'POST /a has the operationId "getThing" of GET /a too.',
      'PUT /b has no operationId.',
      'PATCH /b: operationId "update_thing" is not camelCase (lowercase words, each after the first capitalised).',
      'DELETE /b: operationId "DeleteThing" is not camelCase (lowercase words, each after the first capitalised).',
      'POST /c: operationId "thingCreate" does not start with a verb (if "thing" is one, add it to OPERATION_ID_VERBS in scripts/openapi.ts).',
      'GET /c: operationId "getCVE" is not camelCase (lowercase words, each after the first capitalised).',
    ]);
  });
});
