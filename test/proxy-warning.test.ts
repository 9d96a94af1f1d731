import { afterEach, describe, expect, it } from 'vitest';
import { proxiedWithoutTrust } from '../src/accounts/proxy-warning.js';
import { startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Behind a reverse proxy without VIGIL_TRUST_PROXY, every client has the proxy's address and 30
 * failed sign-ins from anyone lock everyone out. Vigil warns in its log when it sees the signs:
 * at start-up from the configuration, and once at run time from forwarding headers. The log is
 * captured from the instance's own logger.
 */
describe('warning of a reverse proxy Vigil does not trust', () => {
  let v: TestVigil | undefined;
  afterEach(async () => {
    await v?.destroy();
    v = undefined;
  });

  /** The log lines that name the setting, parsed. */
  const warnings = (t: TestVigil) =>
    t
      .logs()
      .split('\n')
      .filter((l) => l.includes('VIGIL_TRUST_PROXY'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; header?: string; clientAddress?: string });
  const session = (t: TestVigil, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/session', remoteAddress: '10.0.0.2', headers });

  it('warns at start-up when the https public URL means a proxy in front, and once when requests carry X-Forwarded-For', async () => {
    v = await startTestVigil('sqlite', { env: { VIGIL_PUBLIC_URL: 'https://security.vendor.example' } });
    const atStart = warnings(v);
    expect(atStart).toHaveLength(1);
    expect(atStart[0]?.level).toBe(40);
    expect(atStart[0]?.msg).toMatch(
      /https:\/\/security\.vendor\.example.*VIGIL_TRUST_PROXY=true.*30 failed sign-ins/,
    );

    await session(v);
    expect(warnings(v)).toHaveLength(1);
    await session(v, { 'x-forwarded-for': '203.0.113.7' });
    await session(v, { 'x-forwarded-for': '203.0.113.8' });
    await session(v, { forwarded: 'for=203.0.113.9' });
    const all = warnings(v);
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ level: 40, header: 'x-forwarded-for', clientAddress: '10.0.0.2' });
    expect(all[1]?.msg).toMatch(/X-Forwarded-For|x-forwarded-for/);
    expect(all[1]?.msg).toContain('VIGIL_TRUST_PROXY is off');
  });

  it('warns of a Forwarded header on an instance whose configuration looks direct', async () => {
    v = await startTestVigil('sqlite', { env: { VIGIL_PUBLIC_URL: 'http://localhost:8080' } });
    expect(warnings(v)).toEqual([]);
    await session(v, { forwarded: 'for=203.0.113.9;proto=https' });
    await session(v, { forwarded: 'for=203.0.113.10;proto=https' });
    expect(warnings(v).map((w) => w.header)).toEqual(['forwarded']);
  });

  it('says nothing when VIGIL_TRUST_PROXY is set', async () => {
    v = await startTestVigil('sqlite', {
      env: { VIGIL_PUBLIC_URL: 'https://security.vendor.example', VIGIL_TRUST_PROXY: 'true' },
    });
    await session(v, { 'x-forwarded-for': '203.0.113.7' });
    expect(warnings(v)).toEqual([]);
  });

  it('reads the signs of a proxy from the configuration', () => {
    const c = { trustProxy: false, host: '127.0.0.1' };
    expect(proxiedWithoutTrust({ ...c, publicUrl: 'https://vigil.example' })).toMatch(/terminates TLS/);
    expect(proxiedWithoutTrust({ ...c, publicUrl: 'http://vigil.example' })).toMatch(
      /proxy in front forwards/,
    );
    expect(proxiedWithoutTrust({ ...c, publicUrl: 'http://localhost:8080' })).toBeNull();
    expect(proxiedWithoutTrust({ ...c, host: '0.0.0.0', publicUrl: 'http://vigil.example' })).toBeNull();
    expect(proxiedWithoutTrust({ ...c, trustProxy: true, publicUrl: 'https://vigil.example' })).toBeNull();
  });
});
