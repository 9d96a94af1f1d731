import type { StaffCaller } from '../accounts/index.js';
import { type FieldProblem, newId, ValidationError, VigilError } from '../core/index.js';
import type { CaseSummary, WorkflowService } from './workflow-service.js';

/**
 * Bulk triage: one reply to many cases at once, for a flood of junk or a batch of reports that
 * all need the same question. It is a loop over the single-case actions of the workflow, so each
 * case gets exactly what the action on its own would give it: its own access check
 * (`access.caseFor`; a case of a program the caller cannot read answers 404, like a missing one),
 * its own state check, its own transaction with its audit entry, message and mail. A refusal on
 * one case is that case's result; the others go on. Every audit entry of one request carries the
 * same `bulk` id, so the log shows which changes were made together.
 *
 * The input is checked whole before any case is touched: a bad list or action changes nothing.
 */

export const BULK_ACTIONS = ['mark_invalid', 'request_info', 'forward_to_support'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** At most this many cases per request: one request stays well inside an HTTP timeout. */
export const MAX_BULK_CASES = 100;

export interface BulkInput {
  caseNumbers: string[];
  action: BulkAction;
  /** The reply: the whole message for `request_info`, a note under the standard answer otherwise. */
  message?: string;
}

export type BulkResult =
  | { caseNumber: string; ok: true; case: CaseSummary }
  | { caseNumber: string; ok: false; status: number; error: string; message: string };

export interface BulkOutcome {
  bulkId: string;
  action: BulkAction;
  succeeded: number;
  failed: number;
  results: BulkResult[];
}

/** Problems with a bulk request as a whole, by field; empty when it may run. */
export function bulkInputProblems(input: BulkInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.caseNumbers.length === 0)
    problems.push({ path: 'caseNumbers', message: 'list at least one case number' });
  if (input.caseNumbers.length > MAX_BULK_CASES)
    problems.push({
      path: 'caseNumbers',
      message: `at most ${MAX_BULK_CASES} cases per request (got ${input.caseNumbers.length}); split the selection`,
    });
  const seen = new Set<string>();
  input.caseNumbers.forEach((n, i) => {
    if (seen.has(n)) problems.push({ path: `caseNumbers.${i}`, message: `${n} is listed twice` });
    seen.add(n);
  });
  if (!(BULK_ACTIONS as readonly string[]).includes(input.action))
    problems.push({ path: 'action', message: `must be one of ${BULK_ACTIONS.join(', ')}` });
  if (input.action === 'request_info' && !input.message?.trim())
    problems.push({ path: 'message', message: 'request_info needs the question to send the reporters' });
  return problems;
}

export function createTriageService(deps: {
  workflow: Pick<WorkflowService, 'markInvalid' | 'requestInfo' | 'forwardToSupport'>;
}) {
  const wf = deps.workflow;

  function run(caller: StaffCaller, caseNumber: string, input: BulkInput, bulkId: string) {
    const origin = { bulkId };
    switch (input.action) {
      case 'mark_invalid':
        return wf.markInvalid(caller, caseNumber, { message: input.message }, origin);
      case 'forward_to_support':
        return wf.forwardToSupport(caller, caseNumber, { message: input.message }, origin);
      case 'request_info':
        return wf.requestInfo(caller, caseNumber, { message: input.message ?? '' }, origin);
    }
  }

  return {
    /**
     * Apply one action with one reply to each listed case, one transaction per case, in order.
     * `onUnexpected` hears of a failure that is no refusal (a bug, a database outage), for the
     * log; that case's result says only that it failed.
     */
    async applyBulk(
      caller: StaffCaller,
      input: BulkInput,
      onUnexpected?: (err: unknown) => void,
    ): Promise<BulkOutcome> {
      const problems = bulkInputProblems(input);
      if (problems.length > 0) throw new ValidationError(problems);
      const bulkId = newId();
      const results: BulkResult[] = [];
      for (const caseNumber of input.caseNumbers) {
        try {
          results.push({ caseNumber, ok: true, case: await run(caller, caseNumber, input, bulkId) });
        } catch (err) {
          if (err instanceof VigilError) {
            results.push({
              caseNumber,
              ok: false,
              status: err.status,
              error: err.code,
              message: err.message,
            });
          } else {
            onUnexpected?.(err);
            results.push({
              caseNumber,
              ok: false,
              status: 500,
              error: 'internal_error',
              message:
                'This case could not be changed because of an error on our side; nothing was changed on it. Try it again.',
            });
          }
        }
      }
      const succeeded = results.filter((r) => r.ok).length;
      return { bulkId, action: input.action, succeeded, failed: results.length - succeeded, results };
    },
  };
}

export type TriageService = ReturnType<typeof createTriageService>;
