#!/usr/bin/env node
// The `vigil` command runs the compiled CLI; `npm run build` (or `npm start`) produces it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/vigil.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'vigil: the CLI is not built yet; run `npm run build` in the Vigil directory first.\n',
  );
  process.exit(1);
}
await import(entry.href);
