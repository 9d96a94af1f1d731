import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Start a benchmark's server child the way `npm start` runs Vigil when a build exists: the
 * compiled `dist/` under plain node, with the same V8 flag (`--max-semi-space-size=2`) and
 * `MALLOC_ARENA_MAX=2`. Without a build it runs the sources through tsx, whose loader alone adds
 * about 80 MiB of RSS, so memory figures are only comparable between runs of the same kind; the
 * child reports which (`VIGIL_BENCH_BUILT`).
 *
 * Node 20 cannot run TypeScript, so the bench's own files are transpiled to `bench/.built/` first.
 * A child script therefore imports only Node built-ins and other bench files statically, and
 * Vigil through `vigilModule()`.
 */

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(benchDir, '..');
const builtDir = path.join(benchDir, '.built');

/** Whether `dist/` holds a compiled server (`npm run build`). */
export const haveBuild = (): boolean => fs.existsSync(path.join(projectRoot, 'dist', 'src', 'server.js'));

async function transpileBench(): Promise<void> {
  const ts = (await import('typescript')).default;
  fs.mkdirSync(builtDir, { recursive: true });
  for (const name of fs.readdirSync(benchDir)) {
    if (!name.endsWith('.ts')) continue;
    const source = fs.readFileSync(path.join(benchDir, name), 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    fs.writeFileSync(path.join(builtDir, name.replace(/\.ts$/, '.js')), js);
  }
}

export interface ServerChild {
  child: ChildProcess;
  /** The compiled build runs (else the sources through tsx). */
  built: boolean;
}

/** Spawn `bench/<script>` (a `.ts` file) as a server child, stdout piped for its messages. */
export async function spawnServerChild(script: string, env: Record<string, string>): Promise<ServerChild> {
  const built = haveBuild();
  let args = ['--import', 'tsx', path.join(benchDir, script)];
  if (built) {
    await transpileBench();
    args = ['--max-semi-space-size=2', path.join(builtDir, script.replace(/\.ts$/, '.js'))];
  }
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      ...env,
      MALLOC_ARENA_MAX: '2',
      VIGIL_BENCH_BUILT: built ? '1' : '0',
      VIGIL_BENCH_VIGIL_ROOT: path.join(projectRoot, built ? 'dist/src' : 'src'),
    },
  });
  return { child, built };
}

/**
 * A Vigil module in a server child, from the build or the sources as the parent chose:
 * `await vigilModule<typeof import('../src/server.js')>('server.js')`.
 */
export async function vigilModule<T>(relative: string): Promise<T> {
  const root = process.env.VIGIL_BENCH_VIGIL_ROOT ?? path.join(projectRoot, 'src');
  return (await import(pathToFileURL(path.join(root, relative)).href)) as T;
}
