// The anti-spam check of the report form: a progressive enhancement (src/intake/intake-gate.ts).
//
// When a program is busy, the server asks each report for a proof of work: find the number n
// (0 <= n <= maxnumber) with SHA-256(salt + n) = challenge (ALTCHA v1). Before the form is sent,
// this script asks for a challenge; in quiet times the answer is "not required" and the form goes
// at once. Otherwise it searches with Web Crypto in small batches, yielding between them so the
// page stays responsive, shows its progress (a <progress> and a status line screen readers
// announce), puts the solution into the form's address (`proof=`, read before the body) and sends
// the form on, to report-form.js when it encrypts, or as the plain form.
//
// Without this script the form still works: it carries a signed note of when it was served, and
// the server accepts it once it has been open long enough (the "slower path"). If anything here
// fails, the form is sent as it is and that path applies.
//
// It listens for `submit` on the document in the capture phase, after the PHI guard (loaded
// first), and before report-form.js's own listener on the form; listeners are on the document
// because report-form.js replaces <main> with a refused form.

const BATCH = 2000;

/** Fill `{name}` placeholders of a message the server translated for us. */
function format(message, vars) {
  return (message || '').replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function sameBytes(buffer, expected) {
  const a = new Uint8Array(buffer);
  if (a.length !== expected.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== expected[i]) return false;
  return true;
}

/** The number n in 0..maxnumber with SHA-256(salt + n) = challenge, or -1. */
async function solve(c, onProgress) {
  const target = hexToBytes(c.challenge);
  const encoder = new TextEncoder();
  for (let start = 0; start <= c.maxnumber; start += BATCH) {
    const end = Math.min(start + BATCH, c.maxnumber + 1);
    const digests = [];
    for (let n = start; n < end; n++)
      digests.push(crypto.subtle.digest('SHA-256', encoder.encode(c.salt + n)));
    const results = await Promise.all(digests);
    for (let i = 0; i < results.length; i++) if (sameBytes(results[i], target)) return start + i;
    onProgress(end / (c.maxnumber + 1));
    // A task boundary: lets the page paint the progress and take input.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return -1;
}

/** A form this script already checked: its next submit event goes through. */
const ready = new WeakSet();
let busy = false;

document.addEventListener(
  'submit',
  async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('report')) return;
    const box = form.querySelector('#pow');
    if (!box || event.defaultPrevented) return;
    if (ready.has(form)) {
      ready.delete(form);
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (busy) return;
    busy = true;
    const submitter = event.submitter || form.querySelector('button[type="submit"]') || undefined;
    const button = form.querySelector('button[type="submit"]');
    const bar = box.querySelector('progress');
    const step = box.querySelector('.pow-step');
    const msg = box.dataset;
    /** The form's address with the slower path's token replaced (or kept, on failure). */
    const setAction = (proof) => {
      const url = new URL(form.getAttribute('action') || location.href, location.href);
      url.searchParams.delete('wait');
      url.searchParams.delete('proof');
      if (proof) url.searchParams.set('proof', proof);
      form.setAttribute('action', url.pathname + url.search);
    };
    const send = () => {
      busy = false;
      if (button) button.disabled = false;
      form.removeAttribute('aria-busy');
      ready.add(form);
      form.requestSubmit(submitter);
    };
    try {
      const res = await fetch(msg.challenge, { headers: { accept: 'application/json' }, cache: 'no-store' });
      const c = res.ok ? await res.json() : undefined;
      if (c && !c.required) {
        // Quiet: no proof is asked, so the form needs no waiting either.
        setAction();
        return send();
      }
      if (!c) throw new Error(`HTTP ${res.status}`);
      if (button) button.disabled = true;
      form.setAttribute('aria-busy', 'true');
      box.hidden = false;
      bar.value = 0;
      let announced = -1;
      const number = await solve(c, (share) => {
        bar.value = share * 100;
        // The status line changes every 10 %, so a screen reader is not flooded.
        const tenth = Math.floor(share * 10);
        if (tenth !== announced) {
          announced = tenth;
          step.textContent = format(msg.msgWorking, { percent: tenth * 10 });
        }
      });
      if (number < 0) throw new Error('no solution');
      bar.value = 100;
      step.textContent = msg.msgDone;
      const payload = {
        algorithm: c.algorithm,
        challenge: c.challenge,
        number,
        salt: c.salt,
        signature: c.signature,
      };
      setAction(btoa(JSON.stringify(payload)));
      send();
    } catch (err) {
      box.hidden = false;
      step.textContent = format(msg.msgFailed, { error: err instanceof Error ? err.message : String(err) });
      send();
    }
  },
  true,
);
