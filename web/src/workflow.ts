import { isCaseState, transition, type WorkflowAction } from '../../src/cases/workflow.js';
import type { paths } from './api/schema.js';

/**
 * The case actions the console offers. Which are legal in a state comes from the server's own
 * state machine (src/cases/workflow.ts, pure, bundled here), so the two cannot disagree; the
 * server still has the last word (a refused action shows its 409 message).
 */

export type ActionInput =
  | 'contactPerson'
  | 'message'
  | 'optionalMessage'
  | 'category'
  | 'duplicateOf'
  | 'text'
  | 'reason';

/** The case actions the API documents: POST /api/v1/reports/{caseNumber}/<segment>, answering the case. */
export type CaseActionPath = {
  [P in keyof paths]: P extends `/api/v1/reports/{caseNumber}/${infer Segment}`
    ? paths[P]['post'] extends { operationId?: unknown; responses: { 200: unknown } }
      ? Segment
      : never
    : never;
}[keyof paths];

export interface CaseAction {
  /** The API path segment: POST /api/v1/reports/{caseNumber}/<path>. */
  path: CaseActionPath;
  /** The state machine's name for it. */
  action: WorkflowAction;
  label: string;
  inputs: ActionInput[];
  /** What happens, in a sentence shown before the person commits. */
  explain: string;
  tone?: 'danger';
}

export const CASE_ACTIONS: CaseAction[] = [
  {
    path: 'acknowledge',
    action: 'acknowledge',
    label: 'Acknowledge',
    inputs: ['contactPerson'],
    explain:
      'Confirms receipt to the reporter and names their contact person; stops the acknowledgement clock.',
  },
  {
    path: 'start-verification',
    action: 'start_verification',
    label: 'Start verification',
    inputs: [],
    explain: 'Moves the case into verification.',
  },
  {
    path: 'request-info',
    action: 'request_info',
    label: 'Request more information',
    inputs: ['message'],
    explain: 'Sends the reporter your question (on their case page and by mail). The state stays as it is.',
  },
  {
    path: 'mark-invalid',
    action: 'mark_invalid',
    label: 'Invalid / spam',
    inputs: ['optionalMessage'],
    explain:
      "Closes the case as invalid or spam. The reporter gets the program's reply for invalid reports (with your message if you add one); clocks still running become not applicable, neither kept nor missed.",
    tone: 'danger',
  },
  {
    path: 'forward-to-support',
    action: 'forward_to_support',
    label: 'Not a vulnerability: forward to support',
    inputs: ['optionalMessage'],
    explain:
      "Sends the reporter the program's support contact (with your message if you add one) and closes the case; clocks still running become not applicable.",
  },
  {
    path: 'confirm',
    action: 'confirm',
    label: 'Confirm',
    inputs: [],
    explain: 'Verdict: the vulnerability is confirmed.',
  },
  {
    path: 'not-reproducible',
    action: 'not_reproducible',
    label: 'Not reproducible',
    inputs: ['optionalMessage'],
    explain: 'Verdict: not reproducible. The reporter is told, with your message if you add one.',
  },
  {
    path: 'informational',
    action: 'informational',
    label: 'Informational',
    inputs: ['optionalMessage'],
    explain: 'Verdict: informational (no vulnerability to fix). The reporter is told.',
  },
  {
    path: 'out-of-scope',
    action: 'out_of_scope',
    label: 'Out of scope',
    inputs: ['category', 'optionalMessage'],
    explain:
      "Verdict: out of scope in one of the program's categories; the reporter gets that category's answer.",
  },
  {
    path: 'duplicate',
    action: 'duplicate',
    label: 'Duplicate',
    inputs: ['duplicateOf', 'optionalMessage'],
    explain:
      'Verdict: a duplicate of another case of this program. The reporter learns nothing about the other case.',
  },
  {
    path: 'summary',
    action: 'summary',
    label: 'Send summary of findings',
    inputs: ['text'],
    explain: 'Sends the summary of findings to the reporter; stops the summary clock.',
  },
  {
    path: 'start-remediation',
    action: 'start_remediation',
    label: 'Start remediation',
    inputs: [],
    explain: 'Moves the confirmed vulnerability into remediation.',
  },
  {
    path: 'mark-disclosed',
    action: 'mark_disclosed',
    label: 'Mark disclosed',
    inputs: [],
    explain: 'Records that the vulnerability has been publicly disclosed.',
  },
  {
    path: 'close',
    action: 'close',
    label: 'Close',
    inputs: ['optionalMessage'],
    explain: 'Closes the case and stops every clock. An optional message goes to the reporter.',
    tone: 'danger',
  },
  {
    path: 'reopen',
    action: 'reopen',
    label: 'Reopen',
    inputs: ['reason'],
    explain: 'Reopens the case for verification; the reason is kept as an internal note.',
  },
];

export const actionsFor = (state: string): CaseAction[] =>
  isCaseState(state) ? CASE_ACTIONS.filter((a) => typeof transition(state, a.action) === 'string') : [];
