import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import type { Program, UserRef } from '../api/types.js';
import { useMembers } from '../hooks.js';
import { useSession } from '../session.js';
import { OPEN_CASE_ACTION } from '../shortcuts.js';
import { actionsFor, type CaseAction } from '../workflow.js';
import { ErrorMessage, Field } from './common.js';

/** Refresh everything that shows a case after it changed. */
export function useCaseRefresh(caseNumber: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['case', caseNumber] });
    void qc.invalidateQueries({ queryKey: ['queue'] });
  };
}

/** The actions the current state allows, each opening a small form with what it needs. */
export function CaseActions({
  caseNumber,
  state,
  program,
}: {
  caseNumber: string;
  state: string;
  program: Program | undefined;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // Opened by a keyboard shortcut (CaseShortcuts): its first field takes the focus.
  const [byKey, setByKey] = useState(false);
  const actions = actionsFor(state);
  const current = actions.find((a) => a.path === open);
  const paths = actions.map((a) => a.path).join(',');
  useEffect(() => {
    const onOpen = (e: Event) => {
      const path = (e as CustomEvent<string>).detail;
      if (!paths.split(',').includes(path)) return;
      setOpen(path);
      setDone(null);
      setByKey(true);
    };
    window.addEventListener(OPEN_CASE_ACTION, onOpen);
    return () => window.removeEventListener(OPEN_CASE_ACTION, onOpen);
  }, [paths]);
  return (
    <section className="card" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {actions.length === 0 ? <p className="muted">No state change is possible from here.</p> : null}
      <div className="action-buttons">
        {actions.map((a) => (
          <button
            key={a.path}
            type="button"
            className={a.tone === 'danger' ? 'danger small' : open === a.path ? 'small' : 'secondary small'}
            aria-expanded={open === a.path}
            onClick={() => {
              setOpen(open === a.path ? null : a.path);
              setDone(null);
              setByKey(false);
            }}
          >
            {a.label}
          </button>
        ))}
      </div>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      {current ? (
        <ActionForm
          key={current.path}
          action={current}
          caseNumber={caseNumber}
          program={program}
          focusFirst={byKey}
          onDone={(msg) => {
            setOpen(null);
            setDone(msg);
          }}
          onCancel={() => setOpen(null)}
        />
      ) : null}
    </section>
  );
}

function ActionForm({
  action,
  caseNumber,
  program,
  focusFirst,
  onDone,
  onCancel,
}: {
  action: CaseAction;
  caseNumber: string;
  program: Program | undefined;
  focusFirst?: boolean;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (focusFirst)
      formRef.current?.querySelector<HTMLElement>('input, select, textarea, button[type="submit"]')?.focus();
  }, [focusFirst]);
  const session = useSession();
  const refresh = useCaseRefresh(caseNumber);
  const [values, setValues] = useState<Record<string, string>>({
    contactPerson: session.data?.user.name ?? '',
    category: program?.outOfScope[0]?.id ?? '',
  });
  const set = (k: string) => (e: { target: { value: string } }) =>
    setValues({ ...values, [k]: e.target.value });
  const run = useMutation({
    mutationFn: () => {
      const v = (k: string) => (values[k] ?? '').trim();
      const body: Record<string, string> = {};
      for (const input of action.inputs) {
        if (input === 'contactPerson') body.contactPerson = v('contactPerson');
        if (input === 'message') body.message = values.message ?? '';
        if (input === 'optionalMessage' && v('message')) body.message = values.message ?? '';
        if (input === 'category') body.category = v('category');
        if (input === 'duplicateOf') body.of = v('of').toUpperCase();
        if (input === 'text') body.text = values.text ?? '';
        if (input === 'reason') body.reason = values.reason ?? '';
      }
      return unwrap(
        api.POST(`/api/v1/reports/{caseNumber}/${action.path}`, { params: { path: { caseNumber } }, body }),
      );
    },
    onSuccess: () => {
      refresh();
      onDone(`${action.label}: done.`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form ref={formRef} className="stack action-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{action.label}</h3>
      <p className="muted">{action.explain}</p>
      {action.inputs.includes('contactPerson') ? (
        <Field label="Contact person named to the reporter" id={`${id}-contact`}>
          <input
            id={`${id}-contact`}
            required
            maxLength={200}
            value={values.contactPerson ?? ''}
            onChange={set('contactPerson')}
          />
        </Field>
      ) : null}
      {action.inputs.includes('category') ? (
        <Field label="Out-of-scope category" id={`${id}-category`}>
          <select id={`${id}-category`} value={values.category ?? ''} onChange={set('category')}>
            {(program?.outOfScope ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {action.inputs.includes('duplicateOf') ? (
        <Field
          label="Duplicate of case number"
          id={`${id}-of`}
          hint="A case of the same program, e.g. NWM-2026-0007."
        >
          <input
            id={`${id}-of`}
            required
            spellCheck={false}
            aria-describedby={`${id}-of-hint`}
            value={values.of ?? ''}
            onChange={set('of')}
          />
        </Field>
      ) : null}
      {action.inputs.includes('message') || action.inputs.includes('optionalMessage') ? (
        <Field
          label={
            action.inputs.includes('message')
              ? 'Message to the reporter'
              : 'Message to the reporter (optional)'
          }
          id={`${id}-message`}
        >
          <textarea id={`${id}-message`} value={values.message ?? ''} onChange={set('message')} />
        </Field>
      ) : null}
      {action.inputs.includes('text') ? (
        <Field label="Summary of findings" id={`${id}-text`}>
          <textarea id={`${id}-text`} rows={8} value={values.text ?? ''} onChange={set('text')} />
        </Field>
      ) : null}
      {action.inputs.includes('reason') ? (
        <Field label="Reason for reopening (internal)" id={`${id}-reason`}>
          <textarea id={`${id}-reason`} value={values.reason ?? ''} onChange={set('reason')} />
        </Field>
      ) : null}
      <ErrorMessage error={run.error} />
      <div className="actions">
        <button
          type="submit"
          className={action.tone === 'danger' ? 'danger' : undefined}
          disabled={run.isPending}
        >
          {action.label}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Assign the case to a member of its program, or to nobody. */
export function AssignControl({
  caseNumber,
  program,
  assignee,
}: {
  caseNumber: string;
  program: string;
  assignee: UserRef | null | undefined;
}) {
  const members = useMembers(program);
  const refresh = useCaseRefresh(caseNumber);
  const [choice, setChoice] = useState<string | null>(null);
  const value = choice ?? assignee?.id ?? '';
  const run = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/assign', {
          params: { path: { caseNumber } },
          body: { userId: value || null },
        }),
      ),
    onSuccess: () => {
      setChoice(null);
      refresh();
    },
  });
  const list = members.data?.members ?? [];
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate();
      }}
    >
      <Field label="Assignee" id="assignee">
        <select id="assignee" value={value} onChange={(e) => setChoice(e.target.value)}>
          <option value="">Nobody</option>
          {assignee && !list.some((m) => m.id === assignee.id) ? (
            <option value={assignee.id}>{assignee.name || assignee.email}</option>
          ) : null}
          {list.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name || m.email} ({m.instanceAdmin ? 'admin' : m.role})
            </option>
          ))}
        </select>
      </Field>
      {members.isError ? <ErrorMessage error={members.error} /> : null}
      <ErrorMessage error={run.error} />
      <div className="actions">
        <button
          type="submit"
          className="secondary small"
          disabled={run.isPending || value === (assignee?.id ?? '')}
        >
          Assign
        </button>
      </div>
    </form>
  );
}
