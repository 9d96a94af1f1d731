// Generate the API's OpenAPI document and the staff console's wire types from it:
//   npm run openapi                    writes docs/openapi.json and web/src/api/schema.d.ts
//   tsx scripts/openapi.ts --check     writes nothing; exits 1 naming each file that differs
// Run it after changing a route's schema (params, body, response, operationId, summary) and commit
// both files. `npm run build` runs it too (with --check under CI=true, so that a build in CI cannot
// quietly repair what was committed), and test/openapi-drift.test.ts regenerates both in memory and
// fails when they differ.
//
// The document comes from the real app factory (createVigil on a throwaway data directory; nothing
// listens), so it is exactly what /api/v1/openapi.json serves, apart from the order of the paths
// and named components: here they are sorted, so that the order in which capabilities register
// their routes cannot change the file. Nothing host- or time-dependent goes in: the configuration is fixed below and
// the document carries no `servers` entry.
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { loadConfig } from '../src/config/index.js';
import { createVigil } from '../src/server.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The generated files, relative to the repository root. */
export const OPENAPI_DOCUMENT = 'docs/openapi.json';
export const CONSOLE_SCHEMA = 'web/src/api/schema.d.ts';

/** The command that rewrites both. */
export const REGENERATE = 'npm run openapi';

const METHOD_ORDER = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head', 'trace'];

/** The OpenAPI document as the app builds it, from a Vigil on a temporary data directory. */
export async function buildOpenApiDocument(): Promise<OpenAPI3> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-openapi-'));
  try {
    const config = loadConfig(
      {
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PUBLIC_URL: 'https://vigil.example',
        VIGIL_RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: 'silent',
      },
      root,
    );
    const vigil = await createVigil(config, { logger: false, worker: false });
    try {
      await vigil.app.ready();
      return structuredClone(vigil.app.swagger()) as unknown as OpenAPI3;
    } finally {
      await vigil.close();
    }
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The document as committed: paths sorted, each path's methods in a fixed order, status codes and
 * named components sorted, two-space JSON with a final newline. Schema objects keep the order their
 * zod schemas declare (it is the order a reader expects, and it comes from the code, not the run).
 */
export function renderOpenApiDocument(doc: OpenAPI3): string {
  const paths: Record<string, unknown> = {};
  for (const p of Object.keys(doc.paths ?? {}).sort()) {
    const item = doc.paths?.[p] as Record<string, unknown>;
    const methods = Object.keys(item).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    paths[p] = Object.fromEntries(methods.map((m) => [m, withSortedResponses(item[m])]));
  }
  const { servers: _servers, ...rest } = doc;
  // Assigned over the copied keys, so the document's own key order stays.
  const out: Record<string, unknown> = { ...rest, paths };
  const components = { ...(doc.components ?? {}) } as Record<string, unknown>;
  const error = shareErrorResponse(paths);
  if (error) components.responses = { ...(components.responses as object), [ERROR_RESPONSE]: error };
  // Components are named in the order the capabilities happen to register; that order is not the API.
  if (Object.keys(components).length > 0)
    out.components = Object.fromEntries(
      Object.entries(components).map(([kind, named]) => [kind, sortedKeys(named as Record<string, unknown>)]),
    );
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The name of the one error response every route shares (`{ error, message, fields?, requestId }`). */
const ERROR_RESPONSE = 'Error';

/**
 * Every route answers its errors with the same body, and the route schemas repeat it inline — some
 * four hundred times. The first 4xx response whose body has exactly the common error fields becomes
 * the shared component, and every response identical to it refers to it instead. Returns the
 * component, or undefined when no route declares an error response.
 */
function shareErrorResponse(paths: Record<string, unknown>): unknown {
  const operations = Object.values(paths).flatMap((item) => Object.values(item as Record<string, unknown>));
  const responsesOf = (op: unknown) => (op as { responses?: Record<string, unknown> }).responses ?? {};
  let shared: string | undefined;
  for (const op of operations)
    for (const [status, response] of Object.entries(responsesOf(op))) {
      if (shared === undefined && /^4/.test(status) && isErrorBody(response))
        shared = JSON.stringify(response);
    }
  if (shared === undefined) return undefined;
  for (const op of operations) {
    const responses = responsesOf(op);
    for (const [status, response] of Object.entries(responses))
      if (JSON.stringify(response) === shared)
        responses[status] = { $ref: `#/components/responses/${ERROR_RESPONSE}` };
  }
  return JSON.parse(shared);
}

function isErrorBody(response: unknown): boolean {
  const schema = (response as { content?: Record<string, { schema?: { properties?: object } }> }).content?.[
    'application/json'
  ]?.schema;
  const keys = Object.keys(schema?.properties ?? {}).sort();
  return keys.join(',') === 'error,fields,message,requestId';
}

function sortedKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

function rank(method: string): number {
  const i = METHOD_ORDER.indexOf(method);
  return i === -1 ? METHOD_ORDER.length : i;
}

function withSortedResponses(op: unknown): unknown {
  if (!op || typeof op !== 'object' || !('responses' in op)) return op;
  return { ...op, responses: sortedKeys((op as { responses: Record<string, unknown> }).responses) };
}

/**
 * The words an operationId may start with. The convention is camelCase, verb first
 * (`acknowledgeCase`, `listAdvisoryDeliveries`), so that a generated client reads as actions; a
 * name starting with a noun (`passkeyOptions`) is refused. A new verb is added here, deliberately.
 */
export const OPERATION_ID_VERBS: ReadonlySet<string> = new Set([
  'acknowledge',
  'add',
  'apply',
  'approve',
  'assign',
  'check',
  'close',
  'complete',
  'confirm',
  'correct',
  'create',
  'decline',
  'delete',
  'download',
  'draft',
  'edit',
  'export',
  'forward',
  'get',
  'import',
  'list',
  'mark',
  'open',
  'pause',
  'propose',
  'publish',
  'record',
  'reject',
  'release',
  'remove',
  'reopen',
  'replace',
  'request',
  'reserve',
  'resume',
  'return',
  'review',
  'revoke',
  'save',
  'search',
  'send',
  'set',
  'share',
  'sign',
  'start',
  'submit',
  'update',
]);

const HTTP_METHODS = new Set(METHOD_ORDER);

/**
 * One sentence per operation of `doc` whose operationId is missing, used twice, not camelCase, or
 * does not start with a verb of OPERATION_ID_VERBS; empty when every operation follows the convention.
 */
export function operationIdProblems(doc: OpenAPI3): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, unknown>)) {
      if (!HTTP_METHODS.has(method)) continue;
      const where = `${method.toUpperCase()} ${p}`;
      const id = (op as { operationId?: unknown }).operationId;
      if (typeof id !== 'string' || id === '') {
        problems.push(`${where} has no operationId.`);
        continue;
      }
      const other = seen.get(id);
      if (other) problems.push(`${where} has the operationId "${id}" of ${other} too.`);
      else seen.set(id, where);
      if (!/^[a-z]+(?:[A-Z][a-z0-9]+)*$/.test(id)) {
        problems.push(
          `${where}: operationId "${id}" is not camelCase (lowercase words, each after the first capitalised).`,
        );
        continue;
      }
      const verb = /^[a-z]+/.exec(id)?.[0] ?? '';
      if (!OPERATION_ID_VERBS.has(verb))
        problems.push(
          `${where}: operationId "${id}" does not start with a verb (if "${verb}" is one, add it to OPERATION_ID_VERBS in scripts/openapi.ts).`,
        );
    }
  }
  return problems;
}

/** The console's TypeScript types for the document (`paths`, `operations`), from openapi-typescript. */
export async function renderConsoleSchema(documentText: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(documentText) as OpenAPI3, { silent: true });
  return [
    '/**',
    ` * Generated from ${OPENAPI_DOCUMENT} by \`${REGENERATE}\` (openapi-typescript). Do not edit:`,
    ' * change the route schemas in src/ and regenerate. Named aliases live in ./types.ts.',
    ' */',
    '',
    astToString(ast),
  ].join('\n');
}

/** Both generated files, freshly built: the document, then the console types made from it. */
export async function generateApiFiles(): Promise<{ file: string; text: string }[]> {
  const document = renderOpenApiDocument(await buildOpenApiDocument());
  return [
    { file: OPENAPI_DOCUMENT, text: document },
    { file: CONSOLE_SCHEMA, text: await renderConsoleSchema(document) },
  ];
}

/**
 * One sentence per generated file whose committed copy differs from `fresh` (or is missing),
 * naming the command that regenerates it; empty when everything matches byte for byte.
 */
export function describeDrift(
  fresh: { file: string; text: string }[],
  committed: (file: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  for (const { file, text } of fresh) {
    const have = committed(file);
    if (have === text) continue;
    const where =
      have === undefined
        ? 'is missing'
        : `differs from what the route schemas generate (${firstDifference(have, text)})`;
    problems.push(`${file} ${where}: run \`${REGENERATE}\` and commit the result.`);
  }
  return problems;
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `first at line ${i + 1}`;
  }
  return 'in line endings';
}

/** The committed copy of a generated file, or undefined when there is none. */
export function readCommitted(file: string): string | undefined {
  try {
    return readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** Write both files (only those that changed), or with `check` compare them; the exit code. */
async function main(args: string[]): Promise<number> {
  const check = args.includes('--check');
  const quiet = args.includes('--quiet');
  const fresh = await generateApiFiles();
  if (check) {
    const problems = describeDrift(fresh, readCommitted);
    for (const p of problems) process.stderr.write(`openapi: ${p}\n`);
    return problems.length > 0 ? 1 : 0;
  }
  for (const { file, text } of fresh) {
    if (readCommitted(file) === text) {
      if (!quiet) process.stdout.write(`openapi: ${file} is up to date\n`);
      continue;
    }
    const target = path.join(root, file);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text);
    process.stdout.write(`openapi: wrote ${file}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    // The app's handles (database, validator worker) are closed; exit in case a library left a timer.
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`openapi: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
