/**
 * The case actions the console offers, mirroring the server's state machine
 * (src/cases/workflow.ts): only the actions legal in the current state are shown, and the server
 * still has the last word (a refused action shows its 409 message).
 */

const VERDICTS = ['confirmed', 'not_reproducible', 'out_of_scope', 'duplicate', 'informational'];
const EARLY = ['received', 'acknowledged', 'in_verification'];
const AFTER_ACK = ['acknowledged', 'in_verification', ...VERDICTS, 'in_remediation', 'disclosed'];

export type ActionInput =
  | 'contactPerson'
  | 'message'
  | 'optionalMessage'
  | 'category'
  | 'duplicateOf'
  | 'text'
  | 'reason';

export interface CaseAction {
  /** The API path segment: POST /api/v1/reports/{case}/<path>. */
  path: string;
  label: string;
  from: string[];
  inputs: ActionInput[];
  /** What happens, in a sentence shown before the person commits. */
  explain: string;
  tone?: 'danger';
}

export const CASE_ACTIONS: CaseAction[] = [
  {
    path: 'acknowledge',
    label: 'Acknowledge',
    from: ['received'],
    inputs: ['contactPerson'],
    explain:
      'Confirms receipt to the reporter and names their contact person; stops the acknowledgement clock.',
  },
  {
    path: 'start-verification',
    label: 'Start verification',
    from: ['acknowledged'],
    inputs: [],
    explain: 'Moves the case into verification.',
  },
  {
    path: 'request-info',
    label: 'Request more information',
    from: AFTER_ACK,
    inputs: ['message'],
    explain: 'Sends the reporter your question (on their case page and by mail). The state stays as it is.',
  },
  {
    path: 'confirm',
    label: 'Confirm',
    from: ['in_verification'],
    inputs: [],
    explain: 'Verdict: the vulnerability is confirmed.',
  },
  {
    path: 'not-reproducible',
    label: 'Not reproducible',
    from: ['in_verification'],
    inputs: ['optionalMessage'],
    explain: 'Verdict: not reproducible. The reporter is told, with your message if you add one.',
  },
  {
    path: 'informational',
    label: 'Informational',
    from: EARLY,
    inputs: ['optionalMessage'],
    explain: 'Verdict: informational (no vulnerability to fix). The reporter is told.',
  },
  {
    path: 'out-of-scope',
    label: 'Out of scope',
    from: EARLY,
    inputs: ['category', 'optionalMessage'],
    explain:
      "Verdict: out of scope in one of the program's categories; the reporter gets that category's answer.",
  },
  {
    path: 'duplicate',
    label: 'Duplicate',
    from: EARLY,
    inputs: ['duplicateOf', 'optionalMessage'],
    explain:
      'Verdict: a duplicate of another case of this program. The reporter learns nothing about the other case.',
  },
  {
    path: 'summary',
    label: 'Send summary of findings',
    from: [...VERDICTS, 'in_remediation', 'disclosed'],
    inputs: ['text'],
    explain: 'Sends the summary of findings to the reporter; stops the summary clock.',
  },
  {
    path: 'start-remediation',
    label: 'Start remediation',
    from: ['confirmed'],
    inputs: [],
    explain: 'Moves the confirmed vulnerability into remediation.',
  },
  {
    path: 'mark-disclosed',
    label: 'Mark disclosed',
    from: ['in_remediation'],
    inputs: [],
    explain: 'Records that the vulnerability has been publicly disclosed.',
  },
  {
    path: 'close',
    label: 'Close',
    from: [...VERDICTS, 'disclosed'],
    inputs: ['optionalMessage'],
    explain: 'Closes the case and stops every clock. An optional message goes to the reporter.',
    tone: 'danger',
  },
  {
    path: 'reopen',
    label: 'Reopen',
    from: ['closed'],
    inputs: ['reason'],
    explain: 'Reopens the case for verification; the reason is kept as an internal note.',
  },
];

export const actionsFor = (state: string): CaseAction[] => CASE_ACTIONS.filter((a) => a.from.includes(state));
