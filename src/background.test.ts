import { describe, expect, it } from 'vitest';
import { backgroundPlan } from './background.js';

describe('backgroundPlan', () => {
  it('runs the periodic jobs without a relay, so embargoes end and deadlines are watched', () => {
    expect(backgroundPlan({ worker: true, smtpUrl: undefined })).toEqual({ periodic: true, outbox: false });
  });

  it('runs the outbox worker only where a relay is configured', () => {
    expect(backgroundPlan({ worker: true, smtpUrl: 'smtp://relay:25' })).toEqual({
      periodic: true,
      outbox: true,
    });
  });

  it('runs nothing in a process with the worker off, relay or not', () => {
    expect(backgroundPlan({ worker: false, smtpUrl: 'smtp://relay:25' })).toEqual({
      periodic: false,
      outbox: false,
    });
  });

  it("lets the caller's choice override the configuration", () => {
    expect(backgroundPlan({ worker: true, smtpUrl: 'smtp://relay:25' }, false)).toEqual({
      periodic: false,
      outbox: false,
    });
    expect(backgroundPlan({ worker: false, smtpUrl: undefined }, true)).toEqual({
      periodic: true,
      outbox: false,
    });
  });
});
