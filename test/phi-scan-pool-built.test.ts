import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

/**
 * The PHI guard's worker from the build: plain Node on dist/ (no tsx, no vitest) resolves the
 * compiled scan-worker.js next to scan-pool.js and answers a scan. The sources' path (a `data:`
 * bootstrap through tsx) is what every other test exercises.
 */
describe('the PHI scan pool on dist/', () => {
  beforeAll(() => {
    // As test/cli-built.test.ts: builds when the sources changed, a no-op otherwise.
    const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--quiet'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
  }, 300_000);

  it('starts the compiled worker and scans on it', () => {
    const script = `
      const { createScanPool } = await import(${JSON.stringify(
        new URL('../dist/src/privacy-quarantine/index.js', import.meta.url).href,
      )});
      const pool = createScanPool({ size: 1 });
      const results = await pool.scan([{ text: 'Patient Jane Roe, DOB 03/14/1961, MRN: 00482913' }], {}, Date.now() + 60000);
      await pool.close();
      process.stdout.write(JSON.stringify(results.map((r) => r && r.findings.map((f) => f.kind))));
    `;
    // A file rather than `-e`: a worker inherits the parent's flags, and `--input-type` is not one it takes.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-scan-built-'));
    const file = path.join(dir, 'scan.mjs');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { cwd: repoRoot, encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([['name-with-birth-date', 'medical-record-number']]);
  });
});
