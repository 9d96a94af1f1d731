import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { isCaseState, transition } from '../../../src/cases/workflow.js';
import { api, unwrap } from '../api/client.js';
import { useSession } from '../session.js';
import { lastQueuePath, neighbourCase, openCaseAction, useShortcuts } from '../shortcuts.js';
import { useCaseRefresh } from './CaseActions.js';

/**
 * The case page's triage keys (listed under `?`): j / k to the next / previous case of the
 * queue it was opened from, i to assign the case to me, a to open the acknowledgement (Enter then
 * sends it), u back to the queue. What a key did is announced in a status line.
 */
export function CaseShortcuts({
  caseNumber,
  state,
  assigneeId,
}: {
  caseNumber: string;
  state: string;
  assigneeId: string | null | undefined;
}) {
  const navigate = useNavigate();
  const session = useSession();
  const refresh = useCaseRefresh(caseNumber);
  const [said, setSaid] = useState('');
  const me = session.data?.user;
  const assign = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/assign', {
          params: { path: { caseNumber } },
          body: { userId: me?.id ?? null },
        }),
      ),
    onSuccess: () => {
      setSaid(`${caseNumber} is assigned to you.`);
      refresh();
    },
    onError: (e) => setSaid(`Not assigned: ${e instanceof Error ? e.message : 'the request failed'}`),
  });
  const go = (step: 1 | -1) => {
    const next = neighbourCase(caseNumber, step);
    if (next) navigate(`/cases/${encodeURIComponent(next)}`);
    else setSaid(step === 1 ? 'This is the last case of the queue.' : 'This is the first case of the queue.');
  };
  useShortcuts({
    j: () => go(1),
    k: () => go(-1),
    u: () => navigate(lastQueuePath()),
    i: () => {
      if (!me) return;
      if (assigneeId === me.id) setSaid(`${caseNumber} is already assigned to you.`);
      else assign.mutate();
    },
    a: () => {
      if (isCaseState(state) && typeof transition(state, 'acknowledge') === 'string')
        openCaseAction('acknowledge');
      else setSaid('This case cannot be acknowledged in its state.');
    },
  });
  return (
    <p className="visually-hidden" role="status">
      {said}
    </p>
  );
}
