import type { ReporterCaseView } from '../../cases/index.js';
import { formatInstant } from '../../core/index.js';
import type { ConsentVia, CreditStatus } from '../../credit-consent/index.js';
import type { Translate } from '../../i18n/index.js';
import { CLOCKS } from '../../programs/index.js';
import type { AnswerValue } from '../../reports/index.js';
import { html, type SafeHtml } from '../html.js';
import { formatBytes } from './format.js';
import { formatFingerprint } from './program.js';

/** The reporter's consent to public credit, as the private page shows and changes it. */
export interface CreditPanel {
  offered: boolean;
  current: CreditStatus;
  via: ConsentVia | null;
  at: string | null;
  /** What the reporter just sent, with the problem, when it was refused. */
  attempt?: { choice?: string; text?: string; error: string };
}

export interface ReceiptInfo {
  reporterUrl: string;
  /** The program's published OpenPGP key, so the reporter can encrypt what they send next. */
  keyFingerprint?: string;
}

/**
 * The reporter's private case page. With `receipt`, it opens with the receipt panel shown once
 * right after submission (the private link in full, the case number, the acknowledgement date).
 */
export function casePage(
  t: Translate,
  lang: string,
  token: string,
  v: ReporterCaseView,
  opts: {
    receipt?: ReceiptInfo;
    sent?: boolean;
    error?: string;
    credit?: CreditPanel;
    creditSaved?: boolean;
  },
): SafeHtml {
  const d = v.program.definition;
  const tz = d.calendar.timeZone;
  const when = (iso: string) => formatInstant(iso, tz, lang);
  // Form fields in form order, then what other channels store (an email's subject and message).
  const answerRows = (answers: Record<string, AnswerValue>) => [
    ...d.form.fields
      .filter((f) => answers[f.id] !== undefined)
      .map(
        (f) =>
          html`<div><dt>${f.label}</dt><dd class="answer">${showAnswer(t, f.kind, answers[f.id] as AnswerValue, v)}</dd></div>`,
      ),
    ...Object.entries(answers)
      .filter(([key]) => !d.form.fields.some((f) => f.id === key))
      .map(
        ([key, value]) =>
          html`<div><dt>${genericLabel(t, key)}</dt><dd class="answer">${showAnswer(t, 'text', value, v)}</dd></div>`,
      ),
  ];
  const fileList = (files: ReporterCaseView['attachments']) =>
    html`<ul class="files">${files.map(
      (a) =>
        html`<li><a href="/r/${token}/attachments/${a.id}" download>${a.name}</a> <span class="muted small">${formatBytes(a.size)}</span></li>`,
    )}</ul>`;

  return html`
${
  opts.receipt
    ? html`<section class="receipt" aria-labelledby="receipt-h">
  <h1 id="receipt-h">${t('receipt.heading')}</h1>
  <dl class="kv">
    <div><dt>${t('receipt.caseNumber')}</dt><dd><strong class="case-number">${v.caseNumber}</strong></dd></div>
    <div><dt>${t('receipt.link')}</dt><dd><code class="link">${opts.receipt.reporterUrl}</code></dd></div>
  </dl>
  <p>${t('receipt.linkHelp')}</p>
  ${v.noticeOnly ? html`<p><strong>${t(v.noticeOnly === 'no-key' ? 'receipt.replies.noKey' : 'receipt.replies.unusableKey')}</strong></p>` : ''}
  <p class="ack">${t('receipt.ackBy', { when: when(v.deadlines.acknowledge ?? '') })}</p>
  ${opts.receipt.keyFingerprint ? html`<p>${d.intake.emailAddresses[0] ? t('receipt.encryptTo', { address: d.intake.emailAddresses[0] }) : t('receipt.encryptToTeam')} <code class="fpr">${formatFingerprint(opts.receipt.keyFingerprint)}</code> (<a href="/p/${v.program.slug}/key.asc" download>${t('program.openpgp.download')}</a>)</p>` : ''}
</section>`
    : ''
}
${opts.sent ? html`<p class="flash" role="status">${t('case.sent')}</p>` : ''}
${opts.error ? html`<div class="error-summary" role="alert"><p>${opts.error}</p></div>` : ''}
<h${opts.receipt ? '2' : '1'} class="case-title">${t('case.heading', { caseNumber: v.caseNumber })}</h${opts.receipt ? '2' : '1'}>
<p class="muted">${d.name} · ${d.vendor.name}</p>
<dl class="kv">
  <div><dt>${t('case.state')}</dt><dd><span class="pill state-${v.state}">${stateLabel(t, v.state)}</span></dd></div>
  <div><dt>${t('case.received')}</dt><dd><time datetime="${v.receivedAt}">${when(v.receivedAt)}</time></dd></div>
  ${v.contactPerson ? html`<div><dt>${t('case.contactPerson')}</dt><dd>${v.contactPerson}</dd></div>` : ''}
</dl>

<section aria-labelledby="commit-h">
  <h2 id="commit-h">${t('case.deadlines')}</h2>
  <ul class="clocks">
  ${CLOCKS.filter((c) => v.deadlines[c]).map(
    (c) =>
      html`<li><strong>${t(`clock.${c}`)}</strong> — ${t('case.deadline.due', { when: when(v.deadlines[c] as string) })}</li>`,
  )}
  </ul>
</section>

<section aria-labelledby="report-h">
  <h2 id="report-h">${t('case.yourReport')}</h2>
  <dl class="answers">${answerRows(v.content)}</dl>
  ${Object.keys(v.contact).length > 0 ? html`<h3>${t('case.yourContact')}</h3><dl class="answers">${answerRows(v.contact)}</dl>` : ''}
  <h3>${t('case.attachments')}</h3>
  ${v.attachments.length > 0 ? fileList(v.attachments) : html`<p class="muted">${t('case.noAttachments')}</p>`}
</section>

${opts.credit?.offered ? creditSection(t, token, v, opts.credit, when, opts.creditSaved === true) : ''}

<section aria-labelledby="msg-h">
  <h2 id="msg-h">${t('case.messages')}</h2>
  ${
    v.messages.length === 0
      ? html`<p class="muted">${t('case.noMessages')}</p>`
      : html`<ol class="timeline">${v.messages.map(
          (m) => html`<li class="msg ${m.author}">
    <p class="meta"><strong>${m.author === 'reporter' ? t('case.from.reporter') : t('case.from.staff', { vendor: d.vendor.name })}</strong> · <time datetime="${m.createdAt}">${when(m.createdAt)}</time></p>
    ${m.body ? html`<div class="body">${m.body}</div>` : ''}
    ${m.attachments.length > 0 ? fileList(m.attachments) : ''}
  </li>`,
        )}</ol>`
  }
  <form method="post" action="/r/${token}/messages" enctype="multipart/form-data" class="report">
    <fieldset><legend>${t('case.addMessage')}</legend>
    <div class="field"><label for="m-body">${t('case.message')}</label><textarea id="m-body" name="message" rows="6"></textarea></div>
    <div class="field"><label for="m-files">${t('case.attachments')}</label><input type="file" id="m-files" name="attachments" multiple></div>
    </fieldset>
    <p><button type="submit" class="button">${t('case.send')}</button></p>
  </form>
</section>`;
}

/**
 * Where the reporter stands on public credit, and a form to change it (no script needed). The
 * words are prefilled with the current credit, or with what they just typed when it was refused.
 */
function creditSection(
  t: Translate,
  token: string,
  v: ReporterCaseView,
  c: CreditPanel,
  when: (iso: string) => string,
  saved: boolean,
): SafeHtml {
  const d = v.program.definition;
  const where = d.credits.cve
    ? d.credits.publicAcknowledgements
      ? 'credit.where.both'
      : 'credit.where.cve'
    : 'credit.where.page';
  const status =
    c.current.status === 'given'
      ? t('credit.status.given', { credit: c.current.text })
      : t(c.current.status === 'declined' ? 'credit.status.declined' : 'credit.status.unanswered');
  const choice = c.attempt?.choice ?? (c.current.status === 'unanswered' ? '' : c.current.status);
  const text = c.attempt?.text ?? (c.current.status === 'given' ? c.current.text : '');
  const error = c.attempt?.error;
  return html`<section aria-labelledby="credit-h">
  <h2 id="credit-h">${t('credit.heading')}</h2>
  ${saved ? html`<p class="flash" role="status">${t('credit.saved')}</p>` : ''}
  <p>${t(where, { vendor: d.vendor.name })}</p>
  <p><strong>${status}</strong>${c.via && c.at ? html` <span class="muted small">${t(`credit.via.${c.via}`, { when: when(c.at) })}</span>` : ''}</p>
  <form method="post" action="/r/${token}/credit" class="report" novalidate>
    ${error ? html`<div class="error-summary" role="alert"><p>${error}</p></div>` : ''}
    <fieldset class="field group">
      <legend>${t('credit.question')}</legend>
      <div class="check"><input type="radio" id="credit-given" name="choice" value="given" ${choice === 'given' ? 'checked' : ''}><label for="credit-given">${t('credit.yes')}</label></div>
      <div class="check"><input type="radio" id="credit-declined" name="choice" value="declined" ${choice === 'declined' ? 'checked' : ''}><label for="credit-declined">${t('credit.no')}</label></div>
    </fieldset>
    <div class="field${error ? ' has-error' : ''}">
      <label for="credit-text">${t('credit.text')}</label>
      <p class="help" id="credit-text-help">${t('credit.textHelp')}</p>
      <input type="text" id="credit-text" name="text" maxlength="200" value="${text}" aria-describedby="credit-text-help">
    </div>
    <p><button type="submit" class="button">${t('credit.save')}</button></p>
  </form>
  <p class="muted small">${t('credit.byMail')}</p>
</section>`;
}

/** Labels for answers that do not come from the program's form (e.g. a report sent by email). */
function genericLabel(t: Translate, key: string): string {
  const k = `answer.${key}` as Parameters<Translate>[0];
  const label = t(k);
  return label === k ? key : label;
}

function stateLabel(t: Translate, state: string): string {
  const key = `state.${state}` as Parameters<Translate>[0];
  const label = t(key);
  return label === key ? state : label;
}

function showAnswer(t: Translate, kind: string, value: AnswerValue, v: ReporterCaseView): SafeHtml | string {
  if (typeof value === 'boolean') return value ? t('form.yes') : t('form.no');
  if (Array.isArray(value)) return html`<ul class="plain">${value.map((x) => html`<li>${x}</li>`)}</ul>`;
  if (kind === 'yesno')
    return value === 'yes' ? t('form.yes') : value === 'no' ? t('form.no') : t('form.unsure');
  if (kind === 'product')
    return v.program.definition.scope.products.find((p) => p.id === value)?.name ?? t('form.product.other');
  return value;
}
