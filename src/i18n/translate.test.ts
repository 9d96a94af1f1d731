import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { type Catalogues, catalogueLanguage, staffTranslator } from './index.js';

/** Staff mails speak a program's first language when a catalogue exists for it, else English. */
describe('staffTranslator', () => {
  const withGerman: Catalogues = {
    en,
    de: { 'mail.privacyEscalation.overdue.subject': '[{caseNumber}] Datenschutz-Eskalation überfällig' },
  };

  it('uses the first listed language when it has a catalogue, English for messages it lacks', () => {
    const { t, lang } = staffTranslator(['de', 'en'], withGerman);
    expect(lang).toBe('de');
    expect(t('mail.privacyEscalation.overdue.subject', { caseNumber: 'NW-2026-0001' })).toBe(
      '[NW-2026-0001] Datenschutz-Eskalation überfällig',
    );
    expect(t('mail.privacyEscalation.reminder.subject', { caseNumber: 'NW-2026-0001', left: '3 days' })).toBe(
      '[NW-2026-0001] Privacy escalation due in 3 days',
    );
  });

  it('falls back to English, not to a later language, when the first has no catalogue', () => {
    const { t, lang } = staffTranslator(['fr', 'de'], withGerman);
    expect(lang).toBe('en');
    expect(t('mail.privacyEscalation.overdue.subject', { caseNumber: 'X-2026-0001' })).toBe(
      '[X-2026-0001] Privacy escalation overdue',
    );
    expect(staffTranslator([]).lang).toBe('en');
  });

  it('reads a regional tag through its primary language', () => {
    expect(catalogueLanguage('de-AT', withGerman)).toBe('de');
    expect(catalogueLanguage('en-GB')).toBe('en');
    expect(staffTranslator(['de-CH']).lang).toBe('en');
  });
});
