import { describe, expect, it } from 'vitest';
import {
  CASE_STATES,
  type CaseState,
  transition,
  WORKFLOW_ACTIONS,
  type WorkflowAction,
} from './workflow.js';

// The complete table of legal moves; every pair not listed here must be refused with a reason.
const LEGAL: Record<WorkflowAction, Partial<Record<CaseState, CaseState>>> = {
  acknowledge: { received: 'acknowledged' },
  start_verification: { acknowledged: 'in_verification' },
  confirm: { in_verification: 'confirmed' },
  not_reproducible: { in_verification: 'not_reproducible' },
  out_of_scope: { received: 'out_of_scope', acknowledged: 'out_of_scope', in_verification: 'out_of_scope' },
  duplicate: { received: 'duplicate', acknowledged: 'duplicate', in_verification: 'duplicate' },
  informational: {
    received: 'informational',
    acknowledged: 'informational',
    in_verification: 'informational',
  },
  request_info: {
    acknowledged: 'acknowledged',
    in_verification: 'in_verification',
    confirmed: 'confirmed',
    not_reproducible: 'not_reproducible',
    out_of_scope: 'out_of_scope',
    duplicate: 'duplicate',
    informational: 'informational',
    in_remediation: 'in_remediation',
    disclosed: 'disclosed',
  },
  summary: {
    confirmed: 'confirmed',
    not_reproducible: 'not_reproducible',
    out_of_scope: 'out_of_scope',
    duplicate: 'duplicate',
    informational: 'informational',
    in_remediation: 'in_remediation',
    disclosed: 'disclosed',
  },
  start_remediation: { confirmed: 'in_remediation' },
  mark_disclosed: { in_remediation: 'disclosed' },
  close: {
    confirmed: 'closed',
    not_reproducible: 'closed',
    out_of_scope: 'closed',
    duplicate: 'closed',
    informational: 'closed',
    disclosed: 'closed',
  },
  reopen: { closed: 'in_verification', invalid: 'in_verification' },
  mark_invalid: { received: 'invalid', acknowledged: 'invalid', in_verification: 'invalid' },
  forward_to_support: { received: 'closed', acknowledged: 'closed', in_verification: 'closed' },
};

const pairs = WORKFLOW_ACTIONS.flatMap((action) => CASE_STATES.map((state) => ({ action, state })));
const legal = pairs.filter((p) => LEGAL[p.action][p.state] !== undefined);
const illegal = pairs.filter((p) => LEGAL[p.action][p.state] === undefined);

describe('the case state machine', () => {
  it.each(legal)('$action from $state is allowed', ({ action, state }) => {
    expect(transition(state, action)).toBe(LEGAL[action][state]);
  });

  it.each(illegal)('$action from $state is refused with a reason', ({ action, state }) => {
    const r = transition(state, action);
    expect(typeof r).toBe('object');
    const error = (r as { error: string }).error;
    // A full sentence that tells the person what is wrong.
    expect(error).toMatch(/^[A-Z].{20,}[.]$/);
  });

  it('gives specific reasons for the refusals people meet most', () => {
    const error = (s: CaseState, a: WorkflowAction) => (transition(s, a) as { error: string }).error;
    expect(error('received', 'start_verification')).toContain('Acknowledge the report first');
    expect(error('acknowledged', 'acknowledge')).toContain('already acknowledged');
    expect(error('closed', 'confirm')).toBe('The case is closed: reopen it before you confirm it.');
    expect(error('in_remediation', 'close')).toContain('mark it as disclosed first');
    expect(error('acknowledged', 'confirm')).toContain('Start verification');
    expect(error('confirmed', 'duplicate')).toContain('already has a verdict');
    expect(error('acknowledged', 'summary')).toContain('only once verification has reached a verdict');
    expect(error('received', 'request_info')).toContain('Acknowledge the report first');
    expect(error('disclosed', 'reopen')).toContain('Only a closed case');
    expect(error('invalid', 'acknowledge')).toBe(
      'The case is closed as invalid: reopen it before you acknowledge it.',
    );
    expect(error('confirmed', 'mark_invalid')).toContain('only before verification reaches a verdict');
    expect(error('closed', 'forward_to_support')).toBe(
      'The case is closed: reopen it before you forward it to support.',
    );
  });

  it('lets triage dispose of a junk report in one step, and reopens it for verification', () => {
    expect(transition('received', 'mark_invalid')).toBe('invalid');
    expect(transition('invalid', 'close')).toEqual({ error: expect.stringContaining('closed as invalid') });
    expect(transition('invalid', 'summary')).toEqual({ error: expect.any(String) });
    expect(transition('invalid', 'reopen')).toBe('in_verification');
    expect(transition('in_verification', 'forward_to_support')).toBe('closed');
  });

  it('walks the whole happy path and back in after a reopen', () => {
    let s: CaseState = 'received';
    const step = (a: WorkflowAction) => {
      const next = transition(s, a);
      if (typeof next !== 'string') throw new Error(next.error);
      s = next;
    };
    for (const a of [
      'acknowledge',
      'request_info',
      'start_verification',
      'confirm',
      'summary',
      'start_remediation',
      'mark_disclosed',
      'close',
      'reopen',
    ] as const)
      step(a);
    expect(s).toBe('in_verification');
  });

  it('covers every pair of state and action', () => {
    expect(legal.length + illegal.length).toBe(CASE_STATES.length * WORKFLOW_ACTIONS.length);
    expect(legal.length).toBe(45);
  });
});
