import type { z } from 'zod';
import type { FieldProblem } from './errors.js';

/** Turn zod issues into field problems with dotted paths (`form.fields.3.id`). */
export function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter((p) => p !== '');
    // One problem per unknown key, addressed at the key itself (`policy.safeHarbour`).
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'is not a known setting' }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}
