import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProgramService } from '../programs/index.js';
import { DISCLOSURE_POLICY } from './policy-rules.js';
import type { PolicyService } from './policy-service.js';

/**
 * Publish starter policies (`vigil policy seed-examples`): for each program with a
 * `<slug>.md` in `dir` (a filled-in starter template, e.g. `examples/policies/`), that file
 * becomes version 1.0 of the program's disclosure policy, published by the system, so a fresh
 * instance shows a governed policy with its revision history at once. A program that already
 * has a published or open version is left alone. Returns the slugs that got a policy.
 */
export async function seedExamplePolicies(
  deps: { policies: Pick<PolicyService, 'seedPublished'>; programs: Pick<ProgramService, 'list'> },
  dir: string,
  actor = 'system:seed',
): Promise<string[]> {
  const done: string[] = [];
  for (const program of await deps.programs.list()) {
    const body = await fs.readFile(path.join(dir, `${program.slug}.md`), 'utf8').catch(() => undefined);
    if (body === undefined) continue;
    const published = await deps.policies.seedPublished(
      program,
      { kind: DISCLOSURE_POLICY, title: 'Vulnerability Disclosure Policy', body, changes: 'First issue.' },
      actor,
    );
    if (published) done.push(program.slug);
  }
  return done;
}
