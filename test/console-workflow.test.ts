import { describe, expect, it } from 'vitest';
import { CASE_STATES, transition, WORKFLOW_ACTIONS } from '../src/cases/workflow.js';
import { actionsFor, CASE_ACTIONS } from '../web/src/workflow.js';

/** The console offers exactly the actions the server's state machine allows, in every state. */
describe('console case actions', () => {
  it('has one button for every workflow action, posting to its API path', () => {
    expect(CASE_ACTIONS.map((a) => a.action).sort()).toEqual([...WORKFLOW_ACTIONS].sort());
    for (const a of CASE_ACTIONS) expect(a.path).toBe(a.action.replace(/_/g, '-'));
  });

  it.each(CASE_STATES)('offers in %s only what the server would accept', (state) => {
    const offered = actionsFor(state).map((a) => a.action);
    const legal = WORKFLOW_ACTIONS.filter((a) => typeof transition(state, a) === 'string');
    expect(offered.sort()).toEqual([...legal].sort());
  });

  it('offers nothing for a state it does not know', () => {
    expect(actionsFor('archived')).toEqual([]);
  });
});
