import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { useSession } from '../session.js';
import { rememberQueueOrder, useShortcuts } from '../shortcuts.js';

/**
 * The queue's triage state: which cases are selected for a bulk action, and which one the
 * keyboard is on. j / k move the highlight (focusing the case's link, so Enter opens it and a
 * screen reader reads it), o opens it, x selects it, i assigns it to me. The order on screen is
 * remembered, so j and k on a case page walk the same list.
 */
export function useQueueTriage(caseNumbers: readonly string[], search: string) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const session = useSession();
  const [selected, setSelected] = useState<string[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const key = caseNumbers.join(',');
  const listRef = useRef(caseNumbers);
  listRef.current = caseNumbers;

  useEffect(() => {
    const list = key ? key.split(',') : [];
    rememberQueueOrder(list, search);
    // A case no longer on the page cannot stay selected or highlighted.
    setSelected((s) => s.filter((n) => list.includes(n)));
    setCurrent((c) => (c && list.includes(c) ? c : null));
  }, [key, search]);

  const assign = useMutation({
    mutationFn: (caseNumber: string) =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/assign', {
          params: { path: { caseNumber } },
          body: { userId: session.data?.user.id ?? null },
        }),
      ),
    onSuccess: (c) => {
      setSaid(`${c.caseNumber} is assigned to you.`);
      void qc.invalidateQueries({ queryKey: ['queue'] });
    },
    onError: (e) => setSaid(`Not assigned: ${e instanceof Error ? e.message : 'the request failed'}`),
  });

  const focusRow = (caseNumber: string) => {
    setCurrent(caseNumber);
    document
      .querySelector<HTMLAnchorElement>(`table.queue a.case-link[data-case="${CSS.escape(caseNumber)}"]`)
      ?.focus();
  };
  const move = (step: 1 | -1) => {
    const list = listRef.current;
    if (list.length === 0) return;
    const i = current ? list.indexOf(current) : -1;
    const next =
      i < 0 ? (step === 1 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    focusRow(list[next] as string);
  };
  const toggle = (caseNumber: string) =>
    setSelected((s) => (s.includes(caseNumber) ? s.filter((n) => n !== caseNumber) : [...s, caseNumber]));

  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    o: () => {
      if (current) navigate(`/cases/${encodeURIComponent(current)}`);
    },
    x: () => {
      if (current) toggle(current);
    },
    i: () => {
      if (current) assign.mutate(current);
    },
  });

  const all = caseNumbers.length > 0 && caseNumbers.every((n) => selected.includes(n));
  return {
    selected,
    current,
    /** What the last key did, for a status line. */
    said,
    isSelected: (caseNumber: string) => selected.includes(caseNumber),
    toggle,
    allSelected: all,
    someSelected: !all && selected.length > 0,
    setAll: (on: boolean) => setSelected(on ? [...caseNumbers] : []),
    keepOnly: (caseNumbers: string[]) => setSelected(caseNumbers),
    clear: () => setSelected([]),
    /** Follow a row's link getting focus another way (Tab, a click), so j and k go on from there. */
    onRowFocus: (caseNumber: string) => setCurrent(caseNumber),
  };
}

export type QueueTriage = ReturnType<typeof useQueueTriage>;

/** The header cell's checkbox: every case on this page, or none; mixed while some are. */
export function SelectAllBox({ triage }: { triage: QueueTriage }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = triage.someSelected;
  }, [triage.someSelected]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label="Select every case on this page"
      checked={triage.allSelected}
      onChange={(e) => triage.setAll(e.target.checked)}
    />
  );
}

export function SelectBox({ triage, caseNumber }: { triage: QueueTriage; caseNumber: string }) {
  return (
    <input
      type="checkbox"
      aria-label={`Select ${caseNumber}`}
      checked={triage.isSelected(caseNumber)}
      onChange={() => triage.toggle(caseNumber)}
    />
  );
}
