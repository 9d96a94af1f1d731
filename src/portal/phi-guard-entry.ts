/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The PHI guard in the reporter's browser: a progressive enhancement of the report form, bundled
 * by Vite (web/vite.phi.config.ts) into dist/portal/phi-guard.js and served at
 * /assets/phi-guard.js.
 *
 * Before the report is sent (and while the reporter types, pastes or attaches files) it runs the
 * privacy module's detector — the same one the server runs on arrival — over the free-text fields
 * and the attachments, and lists what looks like patient data, where, with masked excerpts only.
 * The reporter is asked to remove it and may still send it ("Send anyway"). Nothing is sent to the
 * server by this script: detection is local and happens before report-form.js encrypts anything.
 *
 * It holds a submission by listening for `submit` on the document in the capture phase, which runs
 * before report-form.js's listener on the form; once the form is clean (or the reporter chose to
 * send anyway) it submits the form again and lets that event through. Listeners are delegated
 * from the document because report-form.js replaces the page's <main> with a refused form.
 * Without JavaScript, or without this bundle, the form is exactly the plain form.
 */
import { detectPhi, type PhiFinding, type ReporterContact } from '../privacy/index.js';

/** Attachments larger than this are scanned on their first bytes only (DICOM patient tags come first). */
const MAX_SCANNED_BYTES = 8 * 1024 * 1024;
const TYPING_PAUSE_MS = 600;

/** One finding and where it is, as shown to the reporter: never the full identifier. */
interface Located {
  where: string;
  finding: PhiFinding;
}

const fileScans = new WeakMap<File, Promise<PhiFinding[]>>();
const fileResults = new WeakMap<File, PhiFinding[]>();
/** Findings the reporter chose to send anyway, per form. */
const acknowledged = new WeakMap<HTMLFormElement, Set<string>>();
/** A submission this script started after checking; the next submit event is let through. */
let passing: HTMLFormElement | undefined;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

function guardOf(form: HTMLFormElement): HTMLElement | null {
  return form.querySelector<HTMLElement>('#phi-guard');
}

function idList(guard: HTMLElement, name: string): Set<string> {
  return new Set((guard.dataset[name] ?? '').split(/\s+/).filter(Boolean));
}

function fieldValues(form: HTMLFormElement, names: Set<string>): string[] {
  const values: string[] = [];
  for (const name of names) {
    for (const el of form.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(name)}"]`)) {
      if (el.value.trim()) values.push(el.value.trim());
    }
  }
  return values;
}

/** The reporter's own contact details, which the detector must not report. */
function reporterContact(form: HTMLFormElement, guard: HTMLElement): ReporterContact {
  return {
    names: fieldValues(form, idList(guard, 'nameFields')),
    emails: fieldValues(form, idList(guard, 'emailFields')),
    phones: fieldValues(form, idList(guard, 'phoneFields')),
  };
}

/** The visible label of a field, without its "(optional)" marker. */
function labelOf(form: HTMLFormElement, el: HTMLElement): string {
  const label = el.id ? form.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(el.id)}"]`) : null;
  if (!label) return el.getAttribute('name') ?? '';
  const copy = label.cloneNode(true) as HTMLElement;
  for (const opt of copy.querySelectorAll('.opt')) opt.remove();
  return (copy.textContent ?? '').trim();
}

/** Free-text fields the reporter writes in; their own contact fields are left out. */
function textFields(form: HTMLFormElement, guard: HTMLElement): (HTMLInputElement | HTMLTextAreaElement)[] {
  const contact = idList(guard, 'contactFields');
  return Array.from(
    form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      'textarea, input[type="text"], input[type="url"], input:not([type])',
    ),
  ).filter((el) => el.name && !el.disabled && !contact.has(el.name) && el.value.trim() !== '');
}

function scanFile(file: File, reporter: ReporterContact): Promise<PhiFinding[]> {
  let scan = fileScans.get(file);
  if (!scan) {
    scan = file
      .slice(0, MAX_SCANNED_BYTES)
      .arrayBuffer()
      .then(
        (buffer) =>
          detectPhi(
            { bytes: new Uint8Array(buffer), fileName: file.name, contentType: file.type },
            { reporter },
          ).findings,
      )
      // A file the browser cannot read is left to the server's check on arrival.
      .catch(() => [])
      .then((findings) => {
        fileResults.set(file, findings);
        return findings;
      });
    fileScans.set(file, scan);
  }
  return scan;
}

function attachedFiles(form: HTMLFormElement): File[] {
  return Array.from(form.querySelectorAll<HTMLInputElement>('input[type="file"]')).flatMap((input) =>
    Array.from(input.files ?? []),
  );
}

/**
 * Everything in the form that looks like PHI, in the order of the form; `undefined` while an
 * attachment is still being read (its scan is started, and `scanForm` waits for it).
 */
function findingsNow(form: HTMLFormElement, guard: HTMLElement): Located[] | undefined {
  const reporter = reporterContact(form, guard);
  const found: Located[] = [];
  for (const el of textFields(form, guard)) {
    const where = labelOf(form, el);
    for (const finding of detectPhi({ text: el.value }, { reporter }).findings)
      found.push({ where, finding });
  }
  const fileWhere = guard.dataset.msgFile ?? '{name}';
  let pending = false;
  for (const file of attachedFiles(form)) {
    const findings = fileResults.get(file);
    if (!findings) {
      void scanFile(file, reporter);
      pending = true;
      continue;
    }
    const where = fileWhere.replace('{name}', file.name);
    for (const finding of findings) found.push({ where, finding });
  }
  return pending ? undefined : found;
}

async function scanForm(form: HTMLFormElement, guard: HTMLElement): Promise<Located[]> {
  const reporter = reporterContact(form, guard);
  await Promise.all(attachedFiles(form).map((file) => scanFile(file, reporter)));
  return findingsNow(form, guard) ?? [];
}

const keyOf = (l: Located) => `${l.where}\u0000${l.finding.kind}\u0000${l.finding.excerpt}`;

/** Shows the findings (or hides the region when there are none); built with text nodes only. */
function render(form: HTMLFormElement, guard: HTMLElement, found: Located[]): void {
  // Re-rendering the same list would make screen readers announce it again at every pause.
  const signature = found.map(keyOf).join('\u0001');
  if (!guard.hidden && guard.dataset.shown === signature) return;
  guard.dataset.shown = signature;
  guard.replaceChildren();
  if (found.length === 0) {
    guard.hidden = true;
    return;
  }
  const msg = guard.dataset;
  const heading = document.createElement('h2');
  heading.id = 'phi-guard-heading';
  heading.tabIndex = -1;
  heading.textContent = msg.msgHeading ?? '';
  const intro = document.createElement('p');
  intro.textContent = msg.msgIntro ?? '';
  const list = document.createElement('ul');
  const shown = new Set<string>();
  for (const l of found) {
    const key = keyOf(l);
    if (shown.has(key)) continue;
    shown.add(key);
    const item = document.createElement('li');
    const where = document.createElement('strong');
    where.textContent = l.where;
    const excerpt = document.createElement('code');
    excerpt.textContent = l.finding.excerpt;
    item.append(where, `: ${l.finding.label} `, excerpt);
    list.append(item);
  }
  const action = document.createElement('p');
  const send = document.createElement('button');
  send.type = 'button';
  send.className = 'button secondary phi-send-anyway';
  send.textContent = msg.msgSendAnyway ?? '';
  send.addEventListener('click', () => {
    acknowledged.set(form, new Set(found.map(keyOf)));
    submitChecked(form);
  });
  action.append(send);
  guard.append(heading, intro, list, action);
  guard.hidden = false;
}

const submitButton = (form: HTMLFormElement) =>
  form.querySelector<HTMLButtonElement>('button[type="submit"]') ?? undefined;

/** "Send anyway": submits the form past this guard, to report-form.js (encryption) or as a plain POST. */
function submitChecked(form: HTMLFormElement): void {
  passing = form;
  try {
    form.requestSubmit(submitButton(form));
  } finally {
    passing = undefined;
  }
}

/**
 * Decides on a submission synchronously, so a clean report goes on to report-form.js (or the
 * plain POST) in the very same event. Only while an attachment is still being read is the
 * submission held, and started again once the scan is done.
 */
function onSubmit(event: SubmitEvent): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains('report')) return;
  const guard = guardOf(form);
  if (!guard || passing === form) return;
  let found: Located[] | undefined;
  try {
    found = findingsNow(form, guard);
  } catch {
    // The guard is advice: if it fails, the report is not held back.
    return;
  }
  if (found === undefined) {
    event.preventDefault();
    event.stopImmediatePropagation();
    if (form.dataset.phiGuard === 'checking') return;
    form.dataset.phiGuard = 'checking';
    scanForm(form, guard)
      .catch(() => [])
      .then(() => {
        form.dataset.phiGuard = '';
        // A new task: a form cannot be submitted again while its submit event is being dispatched.
        setTimeout(() => form.requestSubmit(submitButton(form)), 0);
      });
    return;
  }
  const accepted = acknowledged.get(form) ?? new Set<string>();
  if (found.every((l) => accepted.has(keyOf(l)))) {
    form.dataset.phiGuard = found.length > 0 ? 'sent-anyway' : 'clean';
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
  form.dataset.phiGuard = 'held';
  render(form, guard, found);
  guard.querySelector<HTMLElement>('#phi-guard-heading')?.focus();
}

/** While the reporter types, pastes or attaches: refresh the warning after a pause. */
function onEdit(event: Event): void {
  const form = (event.target as Element | null)?.closest?.('form.report');
  if (!(form instanceof HTMLFormElement)) return;
  const guard = guardOf(form);
  if (!guard) return;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(
    async () => {
      if (form.dataset.phiGuard === 'checking') return;
      const found = await scanForm(form, guard).catch(() => []);
      // Only an open warning is refreshed, or one opened by new findings: a clean form stays quiet.
      if (found.length > 0 || !guard.hidden) render(form, guard, found);
    },
    event.type === 'change' ? 0 : TYPING_PAUSE_MS,
  );
}

document.addEventListener('submit', (event) => onSubmit(event as SubmitEvent), { capture: true });
document.addEventListener('input', onEdit);
document.addEventListener('change', onEdit);
