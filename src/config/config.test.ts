import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const problemsOf = (env: Record<string, string>, cwd = os.tmpdir()): string[] => {
  try {
    loadConfig(env, cwd);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('VIGIL_CVE_SCHEMA', () => {
  it('is optional: without it, CVE records are checked with Vigil’s own rules alone', () => {
    expect(loadConfig({}, os.tmpdir()).cve.schemaPath).toBeUndefined();
  });

  it('resolves a relative path against the working folder when the file is the CVE record schema', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-config-'));
    const schema = {
      $id: 'https://cveproject.github.io/cve-schema/schema/docs/CVE_Record_Format_bundled.json',
    };
    await fs.writeFile(path.join(dir, 'cve.json'), JSON.stringify(schema));
    expect(loadConfig({ VIGIL_CVE_SCHEMA: 'cve.json' }, dir).cve.schemaPath).toBe(path.join(dir, 'cve.json'));
    await fs.rm(dir, { recursive: true });
  });

  it('reports a missing file or another document at start-up, with every other problem at once', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-config-'));
    await fs.writeFile(path.join(dir, 'other.json'), '{"$id":"https://example.org/other.json"}');
    expect(problemsOf({ VIGIL_CVE_SCHEMA: 'missing.json', PORT: 'eighty' }, dir)).toEqual([
      'PORT must be a whole number from 0 to 65535',
      `VIGIL_CVE_SCHEMA must name the CVE record schema file (${path.join(dir, 'missing.json')}): there is no such file`,
    ]);
    expect(problemsOf({ VIGIL_CVE_SCHEMA: 'other.json' }, dir)).toEqual([
      `VIGIL_CVE_SCHEMA must name CVE_Record_Format_bundled.json from the CVE Program; ${path.join(dir, 'other.json')} is another document`,
    ]);
    await fs.rm(dir, { recursive: true });
  });
});
