import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, unavailableReason } from './unavailable.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'ECONNREFUSED'],
    ['a reset connection', withCode('ECONNRESET', 'read ECONNRESET'), 'ECONNRESET'],
    ['a write to a closed socket', withCode('EPIPE'), 'EPIPE'],
    ['a connect that timed out', withCode('ETIMEDOUT'), 'ETIMEDOUT'],
    ['an admin shutdown (server restart)', withCode('57P01', 'terminating connection'), '57P01'],
    ['a crash shutdown', withCode('57P02'), '57P02'],
    ['a server still starting', withCode('57P03', 'the database system is starting up'), '57P03'],
    ['too many connections', withCode('53300'), '53300'],
    ['a connection exception (class 08)', withCode('08006'), '08006'],
    ['a connection exception with letters', withCode('08P01'), '08P01'],
    ['the socket closing under a client', new Error('Connection terminated unexpectedly'), undefined],
    [
      'a client used after its connection failed',
      new Error('Client has encountered a connection error and is not queryable'),
      undefined,
    ],
    [
      'a pool that cannot get a connection in time',
      new Error('timeout exceeded when trying to connect'),
      undefined,
    ],
    ['a connect timeout', new Error('Connection terminated due to connection timeout'), undefined],
  ])('recognises %s', (_what, err, code) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(unavailableReason(err)).toBe(code ?? err.message);
  });

  it('looks through causes and the attempts of an AggregateError (one per address tried)', () => {
    const refused = new AggregateError(
      [withCode('ECONNREFUSED'), withCode('ECONNREFUSED')],
      'connect failed',
    );
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(new Error('insert failed', { cause: withCode('57P01') }))).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a serialisation failure', withCode('40001')],
    ['a syntax error', withCode('42601')],
    ['a SQLite busy database', withCode('SQLITE_BUSY')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a message that only mentions a connection', new Error('Connection terminated for case ACME-2026-0001')],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('does not take %s for an outage', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('stops on a cause that refers back to itself', () => {
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });
});
