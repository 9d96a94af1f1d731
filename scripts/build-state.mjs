// Whether dist/ was built from the sources as they are now. A build records a fingerprint of its
// inputs (the contents of every source file and build setting) in dist/.build-state.json; when the
// inputs' fingerprint still matches, the build can be skipped. Contents, not modification times,
// so a fresh checkout of the same commit counts as built, and any edit, even one that keeps the
// time stamp, does not.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stateFile = path.join(root, 'dist', '.build-state.json');

/** The folders and files a build reads; tests beside the code are not part of what it emits. */
const INPUT_DIRS = ['src', 'web'];
const INPUT_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  // It turns src/'s route schemas into the console's types, so a change to it changes the console.
  'scripts/openapi.ts',
];
/**
 * Files the build itself writes from the other inputs (scripts/openapi.ts): they are a function of
 * the fingerprinted sources, and counting them would make the build that regenerates them look
 * stale to the next start.
 */
const GENERATED = new Set(['web/src/api/schema.d.ts']);
/** What a complete build leaves behind. */
const OUTPUTS = ['dist/src/cli/vigil.js', 'dist/console/index.html', 'dist/portal/phi-guard.js'];

function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !/\.test\.tsx?$/.test(e.name)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** SHA-256 over the relative path and content of every build input, in a stable order. */
export function inputFingerprint() {
  const files = [
    ...INPUT_DIRS.flatMap((d) => filesUnder(path.join(root, d))),
    ...INPUT_FILES.map((f) => path.join(root, f)).filter((f) => existsSync(f)),
  ]
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .filter((f) => !GENERATED.has(f))
    .sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(`${f}\0`);
    h.update(readFileSync(path.join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Whether the sources are here at all (an installed package may carry dist/ alone). */
export const haveSources = () => existsSync(path.join(root, 'src', 'cli', 'vigil.ts'));

/**
 * `fresh`: dist/ is complete and was built from exactly these inputs; `stale`: it is missing,
 * incomplete or older than the sources; `no-sources`: only dist/ is here, so it is what runs.
 */
export function buildState() {
  const complete = OUTPUTS.every((f) => existsSync(path.join(root, f)));
  if (!haveSources()) return complete ? 'no-sources' : 'stale';
  if (!complete || !existsSync(stateFile)) return 'stale';
  try {
    const recorded = JSON.parse(readFileSync(stateFile, 'utf8')).fingerprint;
    return recorded === inputFingerprint() ? 'fresh' : 'stale';
  } catch {
    return 'stale';
  }
}

/** Forget the recorded build (before building, so an interrupted build never looks complete). */
export function forgetBuild() {
  rmSync(stateFile, { force: true });
}

/** Record that dist/ now matches `fingerprint` (computed before the build started). */
export function recordBuild(fingerprint) {
  writeFileSync(stateFile, `${JSON.stringify({ fingerprint, builtAt: new Date().toISOString() })}\n`);
}
