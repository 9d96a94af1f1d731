import type { Limits } from '../../config/index.js';
import type { FieldProblem } from '../../core/index.js';
import type { Translate } from '../../i18n/index.js';
import type { FormField, Program } from '../../programs/index.js';
import { html, type SafeHtml } from '../html.js';
import { renderMarkdown, renderMarkdownInline } from '../markdown.js';
import { formatBytes } from './format.js';

export type FormValues = Record<string, string | string[] | undefined>;

/** What the browser needs to encrypt the form: the program's published key and OpenPGP.js. */
export interface FormEncryption {
  fingerprint: string;
  armored: string;
  /** Where this instance serves the OpenPGP.js browser build. */
  openpgpUrl: string;
}

/**
 * The flood gate's part of the form (src/intake/intake-gate.ts): the signed token that says when
 * the form was served (sent back in the action's query, so the server reads it before the body),
 * and where `/assets/proof-of-work.js` asks for a challenge.
 */
export interface FormGate {
  waitToken: string;
  challengeUrl: string;
}

/**
 * The report form, built from the program's field list. Works without JavaScript: a plain
 * multipart POST. On a refused submission it comes back filled in, with an error summary at the
 * top linking to each field, and each field pointing to its own message.
 *
 * With `encryption`, the page also carries the program key for `/assets/report-form.js`, which
 * then encrypts everything in the browser before it is sent; the hidden status block below is
 * shown only by that script, so without JavaScript the page is exactly the plain form.
 */
export function reportForm(
  t: Translate,
  program: Program,
  limits: Limits,
  values: FormValues = {},
  problems: FieldProblem[] = [],
  topError?: string,
  encryption?: FormEncryption,
  gate?: FormGate,
): SafeHtml {
  const d = program.definition;
  const errorOf = new Map(problems.map((p) => [p.path, p.message]));
  const sections: { name: string; fields: FormField[] }[] = [];
  for (const f of d.form.fields) {
    const name = f.section ?? '';
    let s = sections.find((x) => x.name === name);
    if (!s) {
      s = { name, fields: [] };
      sections.push(s);
    }
    s.fields.push(f);
  }
  return html`
<h1>${t('form.heading', { vendor: d.vendor.name })}</h1>
${d.form.intro ? html`<div class="prose">${renderMarkdown(d.form.intro)}</div>` : ''}
${d.form.notice ? html`<div class="notice" role="note">${renderMarkdown(d.form.notice)}</div>` : ''}
${
  problems.length > 0 || topError
    ? html`<div class="error-summary" role="alert" tabindex="-1" id="errors">
  <h2>${t('form.errors.heading')}</h2>
  ${topError ? html`<p>${topError}</p>` : ''}
  <ul>${problems.map((p) => html`<li><a href="#f-${p.path}">${labelOf(program, p.path)}: ${p.message}</a></li>`)}</ul>
</div>`
    : ''
}
<form method="post" action="/p/${program.slug}/report${gate ? `?wait=${gate.waitToken}` : ''}" enctype="multipart/form-data" class="report" novalidate>
${sections.map(
  (s) => html`<fieldset>
  ${s.name ? html`<legend>${s.name}</legend>` : ''}
  ${s.fields.map((f) => fieldHtml(t, program, f, values[f.id], errorOf.get(f.id)))}
</fieldset>`,
)}
${
  d.form.attachments.allowed && limits.maxFiles > 0
    ? html`<fieldset><legend>${d.form.attachments.label ?? t('form.attachments')}</legend>
  <div class="field">
    <label for="f-attachments">${d.form.attachments.label ?? t('form.attachments')} <span class="opt">(${t('form.optional')})</span></label>
    <p class="help" id="h-attachments">${d.form.attachments.help ? renderMarkdownInline(d.form.attachments.help) : ''} ${t('form.attachments.help', { count: limits.maxFiles, size: formatBytes(limits.maxFileBytes) })}</p>
    <input type="file" id="f-attachments" name="attachments" multiple aria-describedby="h-attachments">
  </div>
</fieldset>`
    : ''
}
${phiGuardBlock(t, program)}
${encryption ? encryptionBlock(t, encryption, limits) : ''}
${gate ? powBlock(t, gate) : ''}
<p class="muted">${t('form.privacy')}</p>
<p><button type="submit" class="button">${t('form.submit')}</button></p>
</form>`;
}

/**
 * The anti-spam check's progress, shown only by /assets/proof-of-work.js while it solves a
 * challenge (busy programs only); the status line is announced by screen readers.
 */
function powBlock(t: Translate, gate: FormGate): SafeHtml {
  return html`<div class="pow" id="pow" hidden
  data-challenge="${gate.challengeUrl}"
  data-msg-working="${t('form.pow.working')}"
  data-msg-done="${t('form.pow.done')}"
  data-msg-failed="${t('form.pow.failed')}">
  <div class="bar"><label for="pow-progress">${t('form.pow.label')}</label><progress id="pow-progress" max="100" value="0"></progress></div>
  <p class="pow-step" role="status" aria-live="polite"></p>
</div>`;
}

/**
 * The key (inert inside a template), and the status block with every message the script may
 * show, translated here so the script carries no text of its own.
 */
function encryptionBlock(t: Translate, e: FormEncryption, limits: Limits): SafeHtml {
  const grouped = e.fingerprint.replace(/(.{4})(?=.)/g, '$1 ');
  return html`<template id="program-key" data-fingerprint="${e.fingerprint}" data-openpgp="${e.openpgpUrl}" data-max-files="${limits.maxFiles}" data-max-file-bytes="${limits.maxFileBytes}" data-max-file-size="${formatBytes(limits.maxFileBytes)}">${e.armored}</template>
<div class="encryption" id="encryption" hidden
  data-msg-encrypting="${t('form.encryption.encrypting')}"
  data-msg-encrypting-file="${t('form.encryption.encryptingFile')}"
  data-msg-uploading="${t('form.encryption.uploading')}"
  data-msg-failed="${t('form.encryption.failed')}"
  data-msg-network="${t('form.encryption.network')}"
  data-msg-file-too-large="${t('form.encryption.fileTooLarge')}"
  data-msg-too-many-files="${t('form.encryption.tooManyFiles')}">
  <p class="encryption-note">${t('form.encryption.note')} <code class="fingerprint">${grouped}</code></p>
  <div class="encryption-progress" hidden>
    <div class="bar"><label for="encrypt-progress">${t('form.encryption.progressEncrypt')}</label><progress id="encrypt-progress" max="100" value="0"></progress></div>
    <div class="bar"><label for="upload-progress">${t('form.encryption.progressUpload')}</label><progress id="upload-progress" max="100" value="0"></progress></div>
  </div>
  <p class="encryption-step" role="status"></p>
  <p class="encryption-error" role="alert"></p>
</div>`;
}

/**
 * The place /assets/phi-guard.js fills with what looks like patient data, before the report is
 * sent; hidden and empty without JavaScript. It names the reporter's own contact fields, which
 * are not scanned and whose values the detector ignores in the other fields, and carries the translated text.
 */
function phiGuardBlock(t: Translate, program: Program): SafeHtml {
  const fields = program.definition.form.fields;
  const ids = (test: (purpose: string) => boolean) =>
    fields
      .filter((f) => f.purpose && test(f.purpose))
      .map((f) => f.id)
      .join(' ');
  return html`<div class="phi-guard" id="phi-guard" role="alert" hidden
  data-contact-fields="${fields
    .filter((f) => f.contact)
    .map((f) => f.id)
    .join(' ')}"
  data-name-fields="${ids((p) => p === 'contact.name')}"
  data-email-fields="${ids((p) => p === 'contact.email')}"
  data-phone-fields="${ids((p) => p === 'contact.phone')}"
  data-msg-heading="${t('form.phi.heading')}"
  data-msg-intro="${t('form.phi.intro')}"
  data-msg-file="${t('form.phi.file')}"
  data-msg-send-anyway="${t('form.phi.sendAnyway')}"></div>`;
}

function labelOf(program: Program, path: string): string {
  return program.definition.form.fields.find((f) => f.id === path)?.label ?? (path || 'Report');
}

function fieldHtml(
  t: Translate,
  program: Program,
  f: FormField,
  value: string | string[] | undefined,
  error?: string,
): SafeHtml {
  const id = `f-${f.id}`;
  // Where the form asks for a key and for an address, the reporter hears what giving no key means.
  const repliesNote =
    f.purpose === 'contact.publicKey' &&
    program.definition.form.fields.some((x) => x.purpose === 'contact.email');
  const describedBy =
    [f.help ? `h-${f.id}` : '', repliesNote ? `r-${f.id}` : '', error ? `e-${f.id}` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  const one = Array.isArray(value) ? value.join('\n') : (value ?? '');
  const common = html`id="${id}" name="${f.id}" ${f.required ? html`required aria-required="true"` : ''} ${error ? html`aria-invalid="true"` : ''} ${describedBy ? html`aria-describedby="${describedBy}"` : ''}`;
  const label = html`<label for="${id}">${f.label} <span class="opt">(${f.required ? t('form.required') : t('form.optional')})</span></label>`;
  const help = html`${f.help ? html`<p class="help" id="h-${f.id}">${renderMarkdownInline(f.help)}</p>` : ''}${repliesNote ? html`<p class="help" id="r-${f.id}">${t('form.publicKey.replies')}</p>` : ''}`;
  const err = error ? html`<p class="field-error" id="e-${f.id}">${error}</p>` : '';
  const wrap = (control: SafeHtml, cls = 'field') =>
    html`<div class="${cls}${error ? ' has-error' : ''}">${label}${help}${err}${control}</div>`;

  switch (f.kind) {
    case 'textarea':
    case 'urls':
      return wrap(
        html`<textarea ${common} rows="${f.kind === 'urls' ? 3 : 8}" ${f.maxLength ? html`maxlength="${f.maxLength}"` : ''} ${f.placeholder ? html`placeholder="${f.placeholder}"` : ''}>${one}</textarea>`,
      );
    case 'select':
    case 'product': {
      const options =
        f.kind === 'product'
          ? [
              ...program.definition.scope.products.map((p) => ({ value: p.id, label: p.name })),
              { value: 'other', label: t('form.product.other') },
            ]
          : (f.options ?? []);
      return wrap(
        html`<select ${common}><option value="">${t('form.choose')}</option>${options.map((o) => html`<option value="${o.value}" ${o.value === one ? 'selected' : ''}>${o.label}</option>`)}</select>`,
      );
    }
    case 'multiselect': {
      const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
      return html`<fieldset class="field group${error ? ' has-error' : ''}" id="${id}" ${describedBy ? html`aria-describedby="${describedBy}"` : ''}>
  <legend>${f.label} <span class="opt">(${f.required ? t('form.required') : t('form.optional')})</span></legend>${help}${err}
  ${(f.options ?? []).map((o, i) => html`<div class="check"><input type="checkbox" id="${id}-${i}" name="${f.id}" value="${o.value}" ${chosen.has(o.value) ? 'checked' : ''}><label for="${id}-${i}">${o.label}</label></div>`)}
</fieldset>`;
    }
    case 'yesno':
      return html`<fieldset class="field group${error ? ' has-error' : ''}" id="${id}" ${describedBy ? html`aria-describedby="${describedBy}"` : ''}>
  <legend>${f.label} <span class="opt">(${f.required ? t('form.required') : t('form.optional')})</span></legend>${help}${err}
  ${(['yes', 'no', 'unsure'] as const).map((v) => html`<div class="check"><input type="radio" id="${id}-${v}" name="${f.id}" value="${v}" ${one === v ? 'checked' : ''} ${f.required ? 'required' : ''}><label for="${id}-${v}">${t(`form.${v}`)}</label></div>`)}
</fieldset>`;
    case 'checkbox':
      return html`<div class="field check${error ? ' has-error' : ''}">${err}<input type="checkbox" ${common} value="on" ${one === 'on' || one === 'true' ? 'checked' : ''}><label for="${id}">${f.label}</label>${help}</div>`;
    default: {
      const type = { email: 'email', phone: 'tel', url: 'url', date: 'date' }[f.kind as string] ?? 'text';
      const auto = f.purpose
        ? {
            'contact.name': 'name',
            'contact.email': 'email',
            'contact.phone': 'tel',
            'contact.organization': 'organization',
            'contact.title': 'organization-title',
          }[f.purpose as string]
        : undefined;
      return wrap(
        html`<input type="${type}" ${common} value="${one}" ${f.maxLength ? html`maxlength="${f.maxLength}"` : ''} ${auto ? html`autocomplete="${auto}"` : ''} ${f.placeholder ? html`placeholder="${f.placeholder}"` : ''}>`,
      );
    }
  }
}
