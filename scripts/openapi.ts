// Generate the API's OpenAPI document and the staff console's wire types from it:
//   npm run openapi      (tsx scripts/openapi.ts) writes docs/openapi.json and web/src/api/schema.d.ts
// Run it after changing a route's schema (params, body, response, operationId, summary) and commit
// both files. test/openapi-drift.test.ts regenerates them in memory and fails when they differ.
//
// The document comes from the real app factory (createVigil on a throwaway data directory; nothing
// listens), so it is exactly what /api/v1/openapi.json serves, apart from the order of the paths:
// here they are sorted, so that the order in which capabilities register their routes cannot
// change the file. Nothing host- or time-dependent goes in: the configuration is fixed below and
// the document carries no `servers` entry.
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
 * The document as committed: paths sorted, each path's methods in a fixed order, status codes
 * sorted, two-space JSON with a final newline. Schema objects keep the order their zod schemas
 * declare (it is the order a reader expects, and it comes from the code, not the run).
 */
export function renderOpenApiDocument(doc: OpenAPI3): string {
  const paths: Record<string, unknown> = {};
  for (const p of Object.keys(doc.paths ?? {}).sort()) {
    const item = doc.paths?.[p] as Record<string, unknown>;
    const methods = Object.keys(item).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    paths[p] = Object.fromEntries(methods.map((m) => [m, withSortedResponses(item[m])]));
  }
  const { servers: _servers, ...rest } = doc;
  return `${JSON.stringify({ ...rest, paths }, null, 2)}\n`;
}

function rank(method: string): number {
  const i = METHOD_ORDER.indexOf(method);
  return i === -1 ? METHOD_ORDER.length : i;
}

function withSortedResponses(op: unknown): unknown {
  if (!op || typeof op !== 'object' || !('responses' in op)) return op;
  const responses = (op as { responses: Record<string, unknown> }).responses;
  const sorted = Object.fromEntries(
    Object.keys(responses)
      .sort()
      .map((k) => [k, responses[k]]),
  );
  return { ...op, responses: sorted };
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

async function main(): Promise<void> {
  for (const { file, text } of await generateApiFiles()) {
    const target = path.join(root, file);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const before = await fs.readFile(target, 'utf8').catch(() => undefined);
    if (before === text) {
      process.stdout.write(`openapi: ${file} is up to date\n`);
      continue;
    }
    await fs.writeFile(target, text);
    process.stdout.write(`openapi: wrote ${file}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    // The app's handles (database, validator worker) are closed; exit in case a library left a timer.
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`openapi: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
