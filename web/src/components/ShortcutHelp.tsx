import { useEffect, useRef, useState } from 'react';
import { SHORTCUTS, type Shortcut, useShortcuts } from '../shortcuts.js';

const PLACES: { where: Shortcut['where']; title: string }[] = [
  { where: 'queue', title: 'In the queue' },
  { where: 'case', title: 'On a case' },
  { where: 'anywhere', title: 'Anywhere' },
];

/**
 * The list of keyboard shortcuts, opened with `?` anywhere in the console (or its button). A
 * native modal `<dialog>`: focus moves into it and stays there, Escape closes it, and focus
 * returns to where it was.
 */
export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  useShortcuts({ '?': () => setOpen(true) });

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <>
      <button
        type="button"
        className="link shortcut-help-button"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        Shortcuts <kbd>?</kbd>
      </button>
      <dialog
        ref={ref}
        className="shortcut-help"
        aria-labelledby="shortcut-help-title"
        onClose={() => setOpen(false)}
      >
        <div className="dialog-head">
          <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
          <button type="button" className="secondary small" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
        <p className="muted">They do nothing while you type in a field.</p>
        {PLACES.map((p) => (
          <section key={p.where} aria-labelledby={`shortcuts-${p.where}`}>
            <h3 id={`shortcuts-${p.where}`}>{p.title}</h3>
            <dl className="shortcut-list">
              {SHORTCUTS.filter((s) => s.where === p.where).map((s) => (
                <div key={`${s.where}-${s.key}`}>
                  <dt>
                    <kbd>{s.key}</kbd>
                  </dt>
                  <dd>{s.what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </dialog>
    </>
  );
}
