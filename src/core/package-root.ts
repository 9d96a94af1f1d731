import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, whether running from `src/` (tsx, tests) or `dist/src/` (build). */
export function packageRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const marker = `${path.sep}dist${path.sep}src${path.sep}`;
  const i = here.lastIndexOf(marker);
  if (i >= 0) return here.slice(0, i);
  return path.resolve(here, '..', '..');
}
