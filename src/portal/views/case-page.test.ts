import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReporterCaseView } from '../../cases/index.js';
import { createTranslator } from '../../i18n/index.js';
import { parseProgramYaml } from '../../programs/index.js';
import { casePage } from './case-page.js';

const definition = parseProgramYaml(
  fs.readFileSync(path.resolve('examples/programs/medical-device-maker.yaml'), 'utf8'),
);

function view(content: ReporterCaseView['content'], contact: ReporterCaseView['contact']): ReporterCaseView {
  return {
    caseNumber: 'NWM-2026-0001',
    program: { id: 'p', slug: definition.slug, revision: 1, definition },
    state: 'received',
    receivedAt: '2026-11-23T12:00:00.000Z',
    deadlines: { acknowledge: '2026-12-01T05:59:59.999Z' },
    content,
    contact,
    attachments: [],
    messages: [],
  };
}

describe('the reporter case page', () => {
  const t = createTranslator('en');

  it('shows answers that come from another channel than the form, with readable labels', () => {
    const page = casePage(
      t,
      'en',
      'x'.repeat(43),
      view(
        { subject: 'Pump firmware <update>', message: 'Details by mail' },
        { email: 'finder@example.org' },
      ),
      {},
    ).value;
    expect(page).toContain('<dt>Subject</dt>');
    expect(page).toContain('Pump firmware &lt;update&gt;');
    expect(page).toContain('<dt>Message</dt>');
    expect(page).toContain('Details by mail');
    expect(page).toContain('<dt>Email</dt>');
  });

  it('shows form answers under their form labels', () => {
    const field = definition.form.fields.find((f) => f.kind === 'textarea');
    expect(field).toBeDefined();
    const page = casePage(
      t,
      'en',
      'x'.repeat(43),
      view({ [field?.id as string]: 'A web answer' }, {}),
      {},
    ).value;
    expect(page).toContain(`<dt>${field?.label}</dt>`);
    expect(page).toContain('A web answer');
  });
});
