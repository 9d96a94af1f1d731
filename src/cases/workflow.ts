/**
 * The case state machine: pure, no I/O. The server enforces it (an illegal action answers 409
 * with the reason from here), so the console, the API and any later channel cannot disagree.
 *
 *                        ┌───────────── out_of_scope / duplicate / informational ─────────────┐
 *                        │          (an obviously out-of-scope report still gets answered)    │
 *                        │                                                                    ▼
 *   received ──acknowledge──▶ acknowledged ──start_verification──▶ in_verification ──▶ verdict:
 *                                                                                     confirmed
 *                                                                                     not_reproducible
 *                                                                                     out_of_scope
 *                                                                                     duplicate
 *                                                                                     informational
 *
 *   confirmed ──start_remediation──▶ in_remediation ──mark_disclosed──▶ disclosed
 *
 *   any verdict, disclosed ──close──▶ closed ──reopen──▶ in_verification
 *
 *   Triage outcomes, for reports that are not vulnerability reports at all (issue 18):
 *
 *   received, acknowledged, in_verification ──mark_invalid──▶ invalid ──reopen──▶ in_verification
 *   received, acknowledged, in_verification ──forward_to_support──▶ closed
 *
 *   request_info (acknowledged … disclosed) and summary (once verified: any verdict,
 *   in_remediation, disclosed) keep the state as it is.
 *
 * Decisions:
 * - A report is acknowledged before anything else is asked of or told to the reporter (verification,
 *   request_info): the first answer must confirm receipt and name a contact person, which is the
 *   program's promise. The only exceptions are the three "no investigation" verdicts, which answer
 *   the reporter in their own right.
 * - `reopen` goes back to `in_verification`, not to the state before closing: a case is reopened
 *   because something new arrived (a bypass of the fix, new information), so its verdict has to be
 *   checked again. The state it was closed in stays in the audit log and the timeline.
 * - Assignment and messages are not transitions: they are allowed in every state.
 * - `invalid` (invalid or spam) closes the case directly: it is a closed state of its own, so the
 *   outcome stays visible and filterable in the queue, one keystroke disposes of a junk report,
 *   and the reporter gets the program's configured reply (`triage.invalidReply`). It is not a
 *   verdict: nothing was verified, so it neither stops the verification clock as met nor allows a
 *   summary of findings. `forward_to_support` ("not a vulnerability") sends the program's support
 *   contact and closes the case as `closed`. Both set `closed_at` and record the outcome
 *   (`reports.triage_outcome`); every clock that had not stopped by then becomes *not applicable*
 *   with that reason (src/cases/clocks.ts), neither kept nor missed in the metrics, so a flood of
 *   junk cannot improve or spoil the program's record. Neither counts as the acknowledgement.
 * - `reopen` of an invalid case clears the outcome: its clocks count again from receipt, so a
 *   genuine report wrongly called junk shows as the missed deadline it is.
 */

export const CASE_STATES = [
  'received',
  'acknowledged',
  'in_verification',
  'confirmed',
  'not_reproducible',
  'out_of_scope',
  'duplicate',
  'informational',
  'in_remediation',
  'disclosed',
  'closed',
  'invalid',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const WORKFLOW_ACTIONS = [
  'acknowledge',
  'start_verification',
  'confirm',
  'not_reproducible',
  'out_of_scope',
  'duplicate',
  'informational',
  'request_info',
  'summary',
  'start_remediation',
  'mark_disclosed',
  'close',
  'reopen',
  'mark_invalid',
  'forward_to_support',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** The states in which verification has reached a verdict. */
export const VERDICT_STATES = [
  'confirmed',
  'not_reproducible',
  'out_of_scope',
  'duplicate',
  'informational',
] as const satisfies readonly CaseState[];

const EARLY_VERDICT_FROM: readonly CaseState[] = ['received', 'acknowledged', 'in_verification'];
const OPEN_AFTER_ACK: readonly CaseState[] = [
  'acknowledged',
  'in_verification',
  ...VERDICT_STATES,
  'in_remediation',
  'disclosed',
];

interface Rule {
  from: readonly CaseState[];
  /** The state after the action; `undefined` keeps the current one. */
  to?: CaseState;
  /** What the action does, for reason sentences ("cannot <verb> …"). */
  verb: string;
}

const RULES: Record<WorkflowAction, Rule> = {
  acknowledge: { from: ['received'], to: 'acknowledged', verb: 'acknowledge' },
  start_verification: { from: ['acknowledged'], to: 'in_verification', verb: 'start verification of' },
  confirm: { from: ['in_verification'], to: 'confirmed', verb: 'confirm' },
  not_reproducible: { from: ['in_verification'], to: 'not_reproducible', verb: 'mark as not reproducible' },
  out_of_scope: { from: EARLY_VERDICT_FROM, to: 'out_of_scope', verb: 'mark as out of scope' },
  duplicate: { from: EARLY_VERDICT_FROM, to: 'duplicate', verb: 'mark as a duplicate' },
  informational: { from: EARLY_VERDICT_FROM, to: 'informational', verb: 'mark as informational' },
  request_info: { from: OPEN_AFTER_ACK, verb: 'request more information on' },
  summary: {
    from: [...VERDICT_STATES, 'in_remediation', 'disclosed'],
    verb: 'send the summary of findings for',
  },
  start_remediation: { from: ['confirmed'], to: 'in_remediation', verb: 'start remediation of' },
  mark_disclosed: { from: ['in_remediation'], to: 'disclosed', verb: 'mark as disclosed' },
  close: { from: [...VERDICT_STATES, 'disclosed'], to: 'closed', verb: 'close' },
  reopen: { from: ['closed', 'invalid'], to: 'in_verification', verb: 'reopen' },
  mark_invalid: { from: EARLY_VERDICT_FROM, to: 'invalid', verb: 'mark as invalid' },
  forward_to_support: { from: EARLY_VERDICT_FROM, to: 'closed', verb: 'forward to support' },
};

/** The states in which a case is closed (`closed_at` is set): every clock has stopped. */
export const CLOSED_STATES = ['closed', 'invalid'] as const satisfies readonly CaseState[];

/** The outcome a triage action records (`reports.triage_outcome`): the reason its clocks stopped. */
export const TRIAGE_OUTCOMES = {
  mark_invalid: 'invalid',
  forward_to_support: 'forwarded-to-support',
} as const;
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[keyof typeof TRIAGE_OUTCOMES];

const LABELS: Record<CaseState, string> = {
  received: 'received',
  acknowledged: 'acknowledged',
  in_verification: 'in verification',
  confirmed: 'confirmed',
  not_reproducible: 'not reproducible',
  out_of_scope: 'out of scope',
  duplicate: 'a duplicate',
  informational: 'informational',
  in_remediation: 'in remediation',
  disclosed: 'disclosed',
  closed: 'closed',
  invalid: 'closed as invalid',
};

export const isCaseState = (s: string): s is CaseState => (CASE_STATES as readonly string[]).includes(s);

/** Whether a case in this state has a verdict (the verification clock has stopped). */
export const hasVerdict = (s: CaseState): boolean => (VERDICT_STATES as readonly string[]).includes(s);

/**
 * The state after `action`, or the reason it is not allowed (a sentence for the person who tried,
 * saying what to do instead).
 */
export function transition(current: CaseState, action: WorkflowAction): CaseState | { error: string } {
  const rule = RULES[action];
  if (rule.from.includes(current)) return rule.to ?? current;
  return { error: reason(current, action, rule) };
}

/** The verb with its object where English puts it: "confirm it", "mark it as …", "forward it to …". */
const withObject = (verb: string) =>
  /^(mark|forward) /.test(verb) ? verb.replace(/^(\w+) /, '$1 it ') : `${verb} it`;

function reason(current: CaseState, action: WorkflowAction, rule: Rule): string {
  const is = LABELS[current];
  if (current === 'closed' || current === 'invalid')
    return `The case is ${is}: reopen it before you ${withObject(rule.verb)}.`;
  switch (action) {
    case 'acknowledge':
      return `The report was already acknowledged (the case is ${is}); the acknowledgement is sent only once.`;
    case 'start_verification':
      if (current === 'received')
        return 'Acknowledge the report first: the reporter is owed a confirmation of receipt and a named contact person before verification starts.';
      if (current === 'in_verification') return 'Verification is already under way.';
      return `Verification has already reached a result (the case is ${is}); reopen the case after closing it to verify again.`;
    case 'confirm':
    case 'not_reproducible':
      if (current === 'received' || current === 'acknowledged')
        return `Start verification before you ${rule.verb} the case (it is ${is}).`;
      return `The case already has a verdict (it is ${is}); a verdict can only be given while the case is in verification.`;
    case 'out_of_scope':
    case 'duplicate':
    case 'informational':
      return `The case already has a verdict (it is ${is}); a case can be marked out of scope, duplicate or informational only before verification ends.`;
    case 'request_info':
      return 'Acknowledge the report first: the first answer a reporter gets confirms receipt and names their contact person.';
    case 'summary':
      return `The summary of findings can be sent only once verification has reached a verdict; the case is ${is}.`;
    case 'start_remediation':
      return `Only a confirmed vulnerability goes into remediation; the case is ${is}.`;
    case 'mark_disclosed':
      return `Only a case in remediation can be marked as disclosed; the case is ${is}.`;
    case 'close':
      return `A case can be closed once it has a verdict or has been disclosed; the case is ${is}${
        current === 'in_remediation' ? ' — mark it as disclosed first' : ''
      }.`;
    case 'reopen':
      return `Only a closed case can be reopened; the case is ${is}.`;
    case 'mark_invalid':
    case 'forward_to_support':
      return `The case is ${is}: a report can be marked invalid or forwarded to support only before verification reaches a verdict.`;
  }
}
