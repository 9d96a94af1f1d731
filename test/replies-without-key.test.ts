import { type ParsedMail, simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createTranslator } from '../src/i18n/index.js';
import type { Program } from '../src/programs/index.js';
import { fieldFor } from '../src/reports/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * A reporter who gives no usable OpenPGP key gets only a notice by mail for each reply and reads
 * the reply on their private page. Where the program's form asks for a key, the form says so next
 * to the key field, and the receipt (the page after sending, and the receipt mail) tells such a
 * reporter to keep the private link. A reporter with a usable key, and one whose program never
 * asked for a key, are told nothing of the kind.
 */

const t = createTranslator('en');
const FORM_NOTE = t('form.publicKey.replies');
const PAGE = { none: t('receipt.replies.noKey'), unusable: t('receipt.replies.unusableKey') };
const MAIL = { none: t('mail.receipt.replies.noKey'), unusable: t('mail.receipt.replies.unusableKey') };
const EVERY_NOTE = [...Object.values(PAGE), ...Object.values(MAIL)];

describe.each(dialects)('telling a reporter without an OpenPGP key where replies are (%s)', (dialect) => {
  let peer: SmtpPeer;
  let v: TestVigil;
  let lakeside: Program;
  let keyless: Program;
  let keyField: string;
  let reporter: { publicKey: string; privateKey: openpgp.PrivateKey };

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, {
      worker: true,
      env: { VIGIL_SMTP_URL: peer.url, VIGIL_MAIL_FROM: 'Lakeside PSIRT <psirt@vigil.test>' },
    });
    lakeside = await v.services.programs.get('lakeside-health');
    keyField = (fieldFor(lakeside.definition, 'contact.publicKey') as { id: string }).id;
    // An encrypted receipt is signed by the program key.
    if (!(await v.services.keys.publishedKey(lakeside.id)))
      await v.services.keys.generate(lakeside.slug, { actor: 'test' });
    // The same program with a form that never asks for a key.
    const def = YAML.parse(await v.services.programs.exportYaml(lakeside.slug));
    def.slug = 'lakeside-keyless';
    def.casePrefix = 'LHKL';
    def.intake.emailAddresses = [];
    def.form.fields = def.form.fields.filter((f: { purpose?: string }) => f.purpose !== 'contact.publicKey');
    keyless = (await v.services.programs.importYaml(YAML.stringify(def), 'test')).program;
    const generated = await openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ name: 'Ada Reporter', email: 'ada@example.org' }],
      format: 'object',
    });
    reporter = { publicKey: generated.publicKey.armor(), privateKey: generated.privateKey };
  });
  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  /** Sends the form as a browser without JavaScript does; returns the receipt page and the receipt mail. */
  async function sendForm(program: Program, key: string | undefined, email: string) {
    const answers = validAnswers(program, 'stored XSS in the patient search', email);
    const field = fieldFor(program.definition, 'contact.publicKey');
    if (field) answers[field.id] = key ?? '';
    const { body, contentType } = multipartBody(answers);
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${program.slug}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(303);
    const location = res.headers.location as string;
    const page = await v.app.inject({ method: 'GET', url: location });
    expect(page.statusCode).toBe(200);
    const before = peer.received.length;
    expect(await v.worker?.runOnce()).toEqual({ sent: 1, failed: 0 });
    const mail = peer.received[before] as ReceivedMail;
    expect(mail.rcptTo).toEqual([email]);
    return { page: page.body, mail, link: `https://vigil.test${location.replace('?received=1', '')}` };
  }

  it('says on the form, by the key field, that replies come by email only with a key', async () => {
    const form = await v.app.inject({ method: 'GET', url: `/p/${lakeside.slug}/report` });
    expect(form.body).toContain(`<p class="help" id="r-${keyField}">${FORM_NOTE}</p>`);
    // Read out with the field, after its own help.
    expect(form.body).toMatch(
      new RegExp(`id="f-${keyField}"[^>]*aria-describedby="h-${keyField} r-${keyField}"`),
    );
    expect(FORM_NOTE).toMatch(/not sent by email unless you give an OpenPGP key/);
    expect(FORM_NOTE).toMatch(/keep that link/);
    // A form that never asks for a key has nothing to explain.
    const other = await v.app.inject({ method: 'GET', url: `/p/${keyless.slug}/report` });
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain(FORM_NOTE);
  });

  it('tells a reporter who gave no key, on the receipt page and in the receipt mail, to keep the link', async () => {
    const { page, mail, link } = await sendForm(lakeside, undefined, 'nokey@example.org');
    expect(page).toContain(`<p><strong>${PAGE.none}</strong></p>`);
    expect(PAGE.none).toMatch(/keep this link to read them/);
    // The receipt mail is in clear (there is no key), with the sentence before the receipt itself.
    expect(contentTypeOf(mail.parsed)).toBe('text/plain');
    const text = mail.parsed.text ?? '';
    expect(text.startsWith(`${MAIL.none}\n\nThank you for your report`)).toBe(true);
    expect(text).toContain(link);
    expect(MAIL.none).toMatch(/keep the private link below to read them/);
    // Said once, on the receipt: the case page itself does not repeat it.
    const later = await v.app.inject({ method: 'GET', url: new URL(link).pathname });
    expect(later.body).not.toContain(PAGE.none);
  });

  it('tells a reporter whose key cannot be encrypted to that replies will not come by email', async () => {
    const { page, mail } = await sendForm(lakeside, 'my key is on keys.openpgp.org', 'badkey@example.org');
    expect(page).toContain(`<p><strong>${PAGE.unusable}</strong></p>`);
    expect(page).not.toContain(PAGE.none);
    expect(contentTypeOf(mail.parsed)).toBe('text/plain');
    expect(mail.parsed.text?.startsWith(`${MAIL.unusable}\n\nThank you for your report`)).toBe(true);
  });

  it('says nothing of the kind to a reporter with a usable key, whose receipt travels encrypted', async () => {
    const { page, mail, link } = await sendForm(lakeside, reporter.publicKey, 'ada@example.org');
    for (const note of EVERY_NOTE) expect(page).not.toContain(note);
    expect(contentTypeOf(mail.parsed)).toBe('multipart/encrypted');
    const armored = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(
      mail.raw.toString('latin1'),
    )?.[0];
    const { data } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armored ?? '' }),
      decryptionKeys: reporter.privateKey,
    });
    const inner = await simpleParser(String(data));
    expect(inner.text).toContain(link);
    for (const note of EVERY_NOTE) expect(inner.text).not.toContain(note);
  });

  it('says nothing of the kind where the program never asked for a key', async () => {
    const { page, mail, link } = await sendForm(keyless, undefined, 'plain@example.org');
    for (const note of EVERY_NOTE) {
      expect(page).not.toContain(note);
      expect(mail.parsed.text).not.toContain(note);
    }
    expect(mail.parsed.text?.startsWith('Thank you for your report')).toBe(true);
    expect(mail.parsed.text).toContain(link);
  });
});

function contentTypeOf(mail: ParsedMail): string {
  return (mail.headers.get('content-type') as { value: string }).value;
}
