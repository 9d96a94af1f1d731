import { describe, expect, it } from 'vitest';
import { CLASS_BIT, classifyKey, identifiesPerson, keyWords, plausibleValue } from './lexicon.js';

describe('patient-field lexicon', () => {
  it.each([
    ['first_name', 'given'],
    ['FirstName', 'given'],
    ['fname', 'given'],
    ['Vorname', 'given'],
    ['Prénom', 'given'],
    ['nombre', 'given'],
    ['voornaam', 'given'],
    ['nome', 'given'],
    ['Nachname', 'family'],
    ['nom_de_famille', 'family'],
    ['apellidos', 'family'],
    ['achternaam', 'family'],
    ['cognome', 'family'],
    ['patientLastName', 'family'],
    ['p.last_name', 'family'],
    ['Patient Name', 'name'],
    ['DOB', 'birthDate'],
    ['D.O.B.', 'birthDate'],
    ['geb_datum', 'birthDate'],
    ['Geb.-Datum', 'birthDate'],
    ['date_de_naissance', 'birthDate'],
    ['fecha_nacimiento', 'birthDate'],
    ['geboortedatum', 'birthDate'],
    ['data_di_nascita', 'birthDate'],
    ['birthTime', 'birthDate'],
    ['Geschlecht', 'sex'],
    ['PLZ', 'address'],
    ['street_address2', 'address'],
    ['telefono', 'phone'],
    ['e-mail', 'email'],
    ['SSN', 'ssn'],
    ['codice_fiscale', 'ssn'],
    ['BSN', 'ssn'],
    ['Versichertennummer', 'insurance'],
    ['member_id', 'insurance'],
    ['subscriberNo', 'insurance'],
    ['pat_id', 'mrn'],
    ['patient_nr', 'mrn'],
    ['MRN', 'mrn'],
    ['diagnosis_code', undefined],
    ['Diagnose', 'diagnosis'],
    ['medication', 'medication'],
  ])('%s → %s', (key, cls) => {
    expect(classifyKey(key)).toBe(cls);
  });

  it.each([
    'hostname',
    'serial',
    'firmware',
    'device_name',
    'ip_address',
    'username',
    'pid',
    'patientCount',
    'patientRef',
    'manufacture_date',
    'id',
  ])('does not take %s for a patient field', (key) => {
    expect(classifyKey(key)).toBeUndefined();
  });

  it('splits keys at separators and camelCase humps, accents stripped', () => {
    expect(keyWords('patientFirstName')).toEqual(['patient', 'first', 'name']);
    expect(keyWords('Date_de-naissance')).toEqual(['date', 'de', 'naissance']);
    expect(keyWords('Prénom')).toEqual(['prenom']);
  });

  it('accepts real-looking values and refuses types, placeholders and machine values', () => {
    expect(plausibleValue('given', 'Jane')).toBe(true);
    expect(plausibleValue('family', "O'Hara")).toBe(true);
    expect(plausibleValue('name', 'QUILLFEATHER^JUNIA')).toBe(true);
    // A manual's nobody is no record's name; an identifier beside it still counts on its own.
    expect(plausibleValue('name', 'DOE^JANE')).toBe(false);
    expect(plausibleValue('name', 'Max Mustermann')).toBe(false);
    expect(plausibleValue('name', 'HumanName')).toBe(false);
    expect(plausibleValue('diagnosis', '[Condition!]!')).toBe(false);
    expect(plausibleValue('name', 'Monitor-203')).toBe(false);
    expect(plausibleValue('given', 'varchar')).toBe(false);
    expect(plausibleValue('given', '[REDACTED]')).toBe(false);
    expect(plausibleValue('given', '{{first_name}}')).toBe(false);
    expect(plausibleValue('birthDate', '1957-11-04')).toBe(true);
    expect(plausibleValue('birthDate', '04.11.1957')).toBe(true);
    expect(plausibleValue('birthDate', '19571104')).toBe(true);
    expect(plausibleValue('birthDate', 'date')).toBe(false);
    expect(plausibleValue('birthDate', '2.0.1')).toBe(false);
    expect(plausibleValue('address', '10.0.0.5')).toBe(false);
    expect(plausibleValue('address', '12 Elm Street')).toBe(true);
    expect(plausibleValue('mrn', '12')).toBe(false);
    expect(plausibleValue('mrn', 'A123456780')).toBe(true);
    expect(plausibleValue('email', 'jane@example.org')).toBe(true);
    expect(plausibleValue('phone', '+49 30 1234567')).toBe(true);
  });

  it('identifies a person by a name with a strong or contact field, or an identifier with another field', () => {
    const b = CLASS_BIT;
    expect(identifiesPerson(b.given | b.birthDate)).toBe(true);
    expect(identifiesPerson(b.family | b.email)).toBe(true);
    expect(identifiesPerson(b.family | b.email, b.email)).toBe(false);
    expect(identifiesPerson(b.ssn | b.sex)).toBe(true);
    expect(identifiesPerson(b.mrn | b.insurance)).toBe(true);
    expect(identifiesPerson(b.given | b.family)).toBe(false);
    expect(identifiesPerson(b.birthDate | b.sex)).toBe(false);
    expect(identifiesPerson(b.phone | b.email)).toBe(false);
  });

  it('classifies a 100k-character key without trouble (keys are cut at 64)', () => {
    expect(classifyKey('a'.repeat(100_000))).toBeUndefined();
  });
});

describe('abbreviated and typed keys', () => {
  it.each([
    ['PT_NM', 'name'],
    ['NAME_LAST', 'family'],
    ['first_nm', 'given'],
    ['BIRTH_DT', 'birthDate'],
    ['dob_dt', 'birthDate'],
    ['birth_date_str', 'birthDate'],
    ['display_name', 'name'],
    ['BDATE', 'birthDate'],
  ])('%s → %s', (key, cls) => {
    expect(classifyKey(key)).toBe(cls);
  });

  it('takes epoch birth dates and leaves sentinels and products', () => {
    expect(plausibleValue('birthDate', '-383097600000')).toBe(true);
    expect(plausibleValue('birthDate', '1900-01-01')).toBe(false);
    expect(plausibleValue('birthDate', '06-NOV-57')).toBe(true);
    expect(plausibleValue('name', 'Aurora Server')).toBe(false);
    expect(plausibleValue('name', '<redacted>')).toBe(false);
  });
});
