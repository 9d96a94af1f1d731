import { expect } from 'vitest';
import type { TestVigil } from './test-vigil.js';

type Method = 'GET' | 'POST' | 'PATCH';

/**
 * Requests to one program's policy API (`/api/v1/programs/:slug/policies…`) as the holder of
 * `tokens[who]`: `call` answers the response, `ok` expects success and answers its JSON. `vigil`
 * is a getter because the tests start Vigil after declaring these.
 */
export function policyApi(vigil: () => TestVigil, slug: string, tokens: Record<string, string>) {
  const call = (who: string, method: Method, path: string, payload?: object) =>
    vigil().app.inject({
      method,
      url: `/api/v1/programs/${slug}/policies${path}`,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload !== undefined ? { payload } : {}),
    });
  async function ok(who: string, method: Method, path: string, payload?: object) {
    const res = await call(who, method, path, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  }
  return { call, ok };
}
