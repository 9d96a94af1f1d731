import { describe, expect, it } from 'vitest';
import { findAccessStatements } from './access-statement.js';

const says = (text: string, languages: string[] = ['en']) => findAccessStatements(text, languages);

describe('statements that PHI or personal data was reached', () => {
  it.each([
    'PHI accessed: yes, I saw patient names',
    'Did you reach protected health information (PHI) or other personal data? Yes',
    'Personal data reached:\nYes — names and dates of birth',
    'During testing I was able to view patient names and dates of birth in the export.',
    'We downloaded three patient records to confirm the issue, then deleted them.',
    'The response returned records, and I could see patient demographics for other clinics.',
    'Patient names were visible in the error page after the second request.',
    'I came across medical records of two patients while enumerating the IDs.',
    'To confirm it, I accessed\nthe health records of a test patient and one real patient.',
  ])('finds it in English: %s', (text) => {
    const found = says(text);
    expect(found.length).toBe(1);
    expect(found[0]?.language).toBe('en');
  });

  it.each([
    'PHI accessed: no',
    'Did you reach PHI? No.',
    'I did not access any PHI during testing.',
    'No patient data was accessed; I stopped at the login bypass.',
    'An attacker could read patient records of every clinic.',
    'The flaw allows an unauthenticated user to download medical records.',
    'Impact: exposure of PHI (names, dates of birth) to anyone on the network.',
    'I found a stored XSS in the patient search page.',
    'We never saw personal data; the test tenant was empty.',
    '> I was able to view patient names\n(quoted from an earlier mail)',
  ])('does not take a denial, a hypothetical or a quote for a statement: %s', (text) => {
    expect(says(text)).toEqual([]);
  });

  it.each([
    ['de', 'Ich konnte über die Schnittstelle Patientendaten einsehen.'],
    ['de', 'Wir haben Gesundheitsdaten heruntergeladen.'],
    ['de', 'Personenbezogene Daten erreicht: ja'],
    ['fr', "J'ai pu consulter des dossiers médicaux d'autres patients."],
    ['fr', 'Les noms des patients étaient visibles dans la réponse.'],
    ['es', 'Accedí a historias clínicas de varios pacientes.'],
    ['es', 'Pude ver datos de pacientes en la respuesta.'],
    ['nl', 'Ik heb patiëntgegevens ingezien via de export.'],
  ] as const)('finds it in %s: %s', (language, text) => {
    expect(says(text, [language])).toEqual([{ language, excerpt: text }]);
  });

  it.each([
    ['de', 'Ein Angreifer kann Patientendaten lesen.'],
    ['de', 'Ich habe keine Patientendaten gesehen.'],
    ['fr', "Je n'ai pas consulté de données de santé."],
    ['es', 'No accedí a datos de pacientes.'],
    ['nl', 'Ik heb geen patiëntgegevens ingezien.'],
  ] as const)('takes no denial or hypothetical in %s for a statement: %s', (language, text) => {
    expect(says(text, [language])).toEqual([]);
  });

  it('reads only the program’s languages (and English)', () => {
    const german = 'Ich konnte Patientendaten einsehen.';
    expect(says(german, ['en'])).toEqual([]);
    expect(says(german, ['de-CH'])).toHaveLength(1);
  });

  it('quotes the sentence that says it, trimmed, once, and at most five', () => {
    const long = `I was able to view patient names ${'and more '.repeat(60)}in the export.`;
    const [found] = says(long);
    expect([...(found?.excerpt ?? '')].length).toBe(240);
    expect(found?.excerpt.endsWith('…')).toBe(true);
    const again = 'PHI accessed: yes\n\nPHI accessed: yes';
    expect(says(again)).toHaveLength(1);
    const many = Array.from({ length: 9 }, (_, i) => `I saw patient record ${i}.`).join(' ');
    expect(says(many)).toHaveLength(5);
  });

  it('gets through crafted input of megabytes (linear patterns)', () => {
    // Long runs of the same letter, of sentence marks, of data words without a verb, and one
    // huge unpunctuated "sentence": each of these would stall a backtracking pattern.
    const inputs = [
      'a'.repeat(2_000_000),
      `${"n't ".repeat(200_000)}patient records`,
      '?:'.repeat(500_000),
      `I ${'patient data '.repeat(150_000)}`,
      `${'PHI: '.repeat(200_000)}\n`,
    ];
    for (const text of inputs)
      expect(findAccessStatements(text, ['en', 'de', 'fr', 'es', 'nl'])).toBeDefined();
  });
});
