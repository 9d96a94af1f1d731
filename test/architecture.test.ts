import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

/**
 * The boundaries docs/architecture.md draws, checked over the source so a change that crosses
 * one fails here, with the file and the rule named:
 * - another capability is reached only through its `index.ts` (shared `core/`, `db/`, `http/` aside);
 * - no two capability folders depend on each other, directly or round a longer loop;
 * - SQL is written only in stores (`*-store.ts`) and in `db/`;
 * - routes call services, never a store or the database handle;
 * - the SQL dialect is named only in `db/`;
 * - the composition root stays small.
 */

const SHARED = new Set(['core', 'db', 'http']);
const src = path.join(repoRoot, 'src');

interface SourceFile {
  /** Path under src/, with forward slashes. */
  rel: string;
  text: string;
}

function sourceFiles(): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
        out.push({ rel: path.relative(src, p).split(path.sep).join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(src);
  return out;
}

/** The folder a file of src/ belongs to (`(root)` for server.ts and services.ts). */
const folderOf = (rel: string) => (rel.includes('/') ? (rel.split('/')[0] as string) : '(root)');

/** The relative imports and re-exports of a file, as paths under src/ without extension. */
function importsOf(file: SourceFile): string[] {
  const found: string[] = [];
  const re =
    /(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const m of file.text.matchAll(re)) {
    const spec = (m[1] ?? m[2]) as string;
    found.push(
      path.posix.normalize(path.posix.join(path.posix.dirname(file.rel), spec)).replace(/\.js$/, ''),
    );
  }
  return found;
}

/** Imports that reach into another capability instead of going through its index. */
function deepImports(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    const from = folderOf(f.rel);
    for (const target of importsOf(f)) {
      const to = folderOf(`${target}.ts`);
      if (to === from || to === '(root)' || SHARED.has(to)) continue;
      if (target !== `${to}/index`) problems.push(`${f.rel} imports ${target} (use ${to}/index.ts)`);
    }
  }
  return problems;
}

/** Loops between folders (shared folders included), each as "a -> b -> a". */
function folderCycles(files: SourceFile[]): string[] {
  const edges = new Map<string, Set<string>>();
  for (const f of files) {
    const from = folderOf(f.rel);
    if (from === '(root)') continue;
    for (const target of importsOf(f)) {
      const to = folderOf(`${target}.ts`);
      if (to === from || to === '(root)') continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
  }
  // Tarjan's strongly connected components: every component of more than one folder is a loop.
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const loops: string[] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) loops.push(component.sort().join(' <-> '));
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return loops.sort();
}

/** Query builders outside stores and db/. */
function queriesOutsideStores(files: SourceFile[]): string[] {
  const query = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`/;
  return files
    .filter(
      (f) => !f.rel.startsWith('db/') && !/-store\.ts$/.test(f.rel) && query.test(stripComments(f.text)),
    )
    .map((f) => `${f.rel} builds SQL (move it into a *-store.ts)`);
}

/** Route and plugin files that reach a store or the database handle instead of a service. */
function routesPastServices(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    if (!/(-routes|\/plugin)\.ts$/.test(f.rel)) continue;
    const stores = importsOf(f).filter((t) => /-store$/.test(t));
    for (const t of stores) problems.push(`${f.rel} imports ${t} (call a service instead)`);
    if (/\.kysely\b/.test(stripComments(f.text)))
      problems.push(`${f.rel} uses the database handle (call a service instead)`);
  }
  return problems;
}

/** Mentions of the SQL dialect outside db/ (comments aside). */
function dialectOutsideDb(files: SourceFile[]): string[] {
  return files
    .filter((f) => !f.rel.startsWith('db/') && /\bdialect\b/.test(stripComments(f.text)))
    .map((f) => `${f.rel} names the SQL dialect (keep it inside db/)`);
}

const stripComments = (text: string) =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('architecture', () => {
  const files = sourceFiles();

  it('reaches other capabilities only through their index.ts', () => {
    expect(deepImports(files)).toEqual([]);
  });

  it('has no loop between folders', () => {
    expect(folderCycles(files)).toEqual([]);
  });

  it('writes SQL only in stores and db/', () => {
    expect(queriesOutsideStores(files)).toEqual([]);
  });

  it('lets routes call services only, never a store or the database', () => {
    expect(routesPastServices(files)).toEqual([]);
  });

  it('names the SQL dialect only inside db/', () => {
    expect(dialectOutsideDb(files)).toEqual([]);
  });

  it('keeps the composition root short', () => {
    const lines = readFileSync(path.join(src, 'server.ts'), 'utf8').split('\n').length;
    expect(lines, 'src/server.ts has grown: move wiring into services.ts or a capability').toBeLessThan(200);
  });

  it('would notice each kind of crossing (the checks can fail)', () => {
    const bad: SourceFile[] = [
      { rel: 'cases/a.ts', text: "import { x } from '../intake/answers.js';" },
      {
        rel: 'intake/b.ts',
        text: "import { y } from '../cases/index.js';\nexport const q = (db) => db.selectFrom('reports');",
      },
      { rel: 'mail/c.ts', text: 'const d = db.dialect; // dialect' },
      {
        rel: 'policy/policy-routes.ts',
        text: "import { list } from './policy-store.js';\nlist(deps.db.kysely);",
      },
    ];
    expect(deepImports(bad)).toEqual(['cases/a.ts imports intake/answers (use intake/index.ts)']);
    expect(folderCycles(bad)).toEqual(['cases <-> intake']);
    expect(queriesOutsideStores(bad)).toEqual(['intake/b.ts builds SQL (move it into a *-store.ts)']);
    expect(dialectOutsideDb(bad)).toEqual(['mail/c.ts names the SQL dialect (keep it inside db/)']);
    expect(routesPastServices(bad)).toEqual([
      'policy/policy-routes.ts imports policy/policy-store (call a service instead)',
      'policy/policy-routes.ts uses the database handle (call a service instead)',
    ]);
  });
});
