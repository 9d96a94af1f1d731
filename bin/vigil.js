#!/usr/bin/env node
// The `vigil` command. It runs the compiled CLI when dist/ was built from the sources as they are
// (`npm run build`, or `npm start`, builds it); otherwise it runs the TypeScript sources through
// tsx, so a fresh clone after `npm install` has a working command, and an edit never runs stale code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildState } from '../scripts/build-state.mjs';

const compiled = new URL('../dist/src/cli/vigil.js', import.meta.url);
const state = buildState();
if (state === 'fresh' || state === 'no-sources') {
  await import(compiled.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(
      'vigil: dist/ is missing or older than the sources, and tsx (a development dependency) is not\n' +
        'installed to run them; run `npm install && npm run build` in the Vigil directory first.\n',
    );
    process.exit(1);
  }
  register();
  const source = new URL('../src/cli/vigil.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) {
    process.stderr.write('vigil: neither dist/ nor src/ is here; reinstall Vigil.\n');
    process.exit(1);
  }
  await import(source.href);
}
