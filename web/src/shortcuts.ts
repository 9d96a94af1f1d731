import { useEffect, useRef } from 'react';

/**
 * Keyboard shortcuts for triage. One key, no modifier, like a mail client or an issue tracker:
 * they never fire while the person types (in an input, a text area, a select or an editable
 * element), with Ctrl, Alt or Meta held (the browser's and the screen reader's own keys), or
 * while a modal dialog is open (except the keys the dialog handles itself).
 *
 * Every key is listed once, in `SHORTCUTS`, which the `?` help dialog shows, so the list cannot
 * drift from what the pages bind.
 */

export interface Shortcut {
  key: string;
  /** Where it works: the queue, a case page, or everywhere in the console. */
  where: 'queue' | 'case' | 'anywhere';
  what: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'j', where: 'queue', what: 'Next case in the list' },
  { key: 'k', where: 'queue', what: 'Previous case in the list' },
  { key: 'o', where: 'queue', what: 'Open the highlighted case (Enter on its link does too)' },
  { key: 'x', where: 'queue', what: 'Select or unselect the highlighted case for a bulk action' },
  { key: 'i', where: 'queue', what: 'Assign the highlighted case to me' },
  { key: 'j', where: 'case', what: 'Next case of the queue you came from' },
  { key: 'k', where: 'case', what: 'Previous case of the queue you came from' },
  { key: 'i', where: 'case', what: 'Assign this case to me' },
  { key: 'a', where: 'case', what: 'Acknowledge: opens the form with you as contact person; Enter sends it' },
  { key: 'u', where: 'case', what: 'Back to the queue' },
  { key: '?', where: 'anywhere', what: 'Show this list of shortcuts' },
];

/** Whether a key event comes from someone typing, or holding a modifier: shortcuts stay out of it. */
export function isTyping(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return true;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (t as HTMLInputElement).type;
    // A checkbox or a button takes no text: j, k and x still work with one focused.
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

const modalOpen = () => document.querySelector('dialog[open]') !== null;

/**
 * Bind single keys (`event.key`, e.g. `j`, `?`) on the document for as long as the component is
 * mounted. The handlers may change on every render; the listener stays the same.
 */
export function useShortcuts(bindings: Record<string, () => void>, enabled = true): void {
  const ref = useRef(bindings);
  ref.current = bindings;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e) || modalOpen()) return;
      const run = ref.current[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

// The order of the queue the person last looked at, so j and k on a case page walk the same list.
// Kept for the tab (sessionStorage): case numbers only, nothing of the cases.
const QUEUE_ORDER_KEY = 'vigil.queueOrder';

const QUEUE_SEARCH_KEY = 'vigil.queueSearch';

/** Remember the case numbers of the queue page on screen, in order, and its filters (`?…`). */
export function rememberQueueOrder(caseNumbers: readonly string[], search: string): void {
  try {
    sessionStorage.setItem(QUEUE_ORDER_KEY, JSON.stringify(caseNumbers));
    sessionStorage.setItem(QUEUE_SEARCH_KEY, search);
  } catch {
    // Storage refused (private mode, quota): j and k on a case page then do nothing.
  }
}

/** The queue's address as last seen (its filters and page), for "back to the queue". */
export function lastQueuePath(): string {
  try {
    const search = sessionStorage.getItem(QUEUE_SEARCH_KEY) ?? '';
    return search ? `/?${search.replace(/^\?/, '')}` : '/';
  } catch {
    return '/';
  }
}

/** The case after (`step` 1) or before (-1) this one in the remembered queue; undefined at an end. */
export function neighbourCase(caseNumber: string, step: 1 | -1): string | undefined {
  let order: unknown;
  try {
    order = JSON.parse(sessionStorage.getItem(QUEUE_ORDER_KEY) ?? '[]');
  } catch {
    return undefined;
  }
  if (!Array.isArray(order)) return undefined;
  const i = order.indexOf(caseNumber);
  const next = i < 0 ? undefined : order[i + step];
  return typeof next === 'string' ? next : undefined;
}

/** The event a page sends to open one of the case's action forms (CaseActions listens). */
export const OPEN_CASE_ACTION = 'vigil:open-case-action';

export function openCaseAction(path: string): void {
  window.dispatchEvent(new CustomEvent(OPEN_CASE_ACTION, { detail: path }));
}
