import { describe, expect, it } from 'vitest';
import { isPlaceholderName, isRedaction, isSentinelDate } from './placeholders.js';
import { isBirthDateCell, isNamePart, valueTypedBits } from './value-types.js';

describe('placeholders', () => {
  it.each([
    'XXXXXX',
    '***',
    '<redacted>',
    '[NAME]',
    'REDACTED',
    '████',
    'XXXX-XX-XX',
    '{{dob}}',
    '$1',
    ':last',
    '?',
    '%s',
  ])('%s is a redaction or a slot', (value) => {
    expect(isRedaction(value)).toBe(true);
  });

  it.each(['Okafor', '1957-11-04', 'X-Ray', 'Xavier'])('%s is data', (value) => {
    expect(isRedaction(value)).toBe(false);
  });

  it('knows the names manuals use for nobody, and no one else', () => {
    for (const name of ['DOE^JOHN^Q', 'Jane Doe', 'Mustermann, Erika', 'TEST^PATIENT'])
      expect(isPlaceholderName(name)).toBe(true);
    for (const name of ['DOE^JANINE', 'Jana Kellerhals', 'John Smith', 'Max Pichler'])
      expect(isPlaceholderName(name)).toBe(false);
  });

  it('knows sentinel dates in any order of their parts', () => {
    for (const date of ['1900-01-01', '01.01.1900', '1/1/1900', '19000101', '0001-01-01T00:00:00Z'])
      expect(isSentinelDate(date)).toBe(true);
    for (const date of ['1957-11-04', '1911-01-01', '01.01.1957']) expect(isSentinelDate(date)).toBe(false);
  });
});

describe('value typing without a header', () => {
  it('reads name parts and birth dates', () => {
    expect(['Kellerhals', 'de la Fuente', "O'Sullivan", 'Van den Broeck', 'GRÜNWALD'].every(isNamePart)).toBe(
      true,
    );
    expect(['active', 'Server', 'ICU', 'x', '4B', 'ADT CARDIOLOGY', 'sn-123'].some(isNamePart)).toBe(false);
    expect(['1957-11-04', '04.11.1957', '19571104', '1957-11-04T00:00:00Z'].every(isBirthDateCell)).toBe(
      true,
    );
    expect(['2024-03-11', '1900-01-01', '4.2.1', '13/13/1957'].some(isBirthDateCell)).toBe(false);
  });

  it('needs a name and a birth date in one row', () => {
    expect(valueTypedBits(['1', 'Kellerhals', 'Jana', '1957-04-11'])).not.toBe(0);
    expect(valueTypedBits(['1', 'Kellerhals', '1957-04-11'])).toBe(0);
    expect(valueTypedBits(['1', 'Aurora', 'Server', '2011-03-04'])).toBe(0);
    expect(valueTypedBits(['1', 'Kellerhals', 'Jana', '2024-03-11'])).toBe(0);
  });
});

describe('masks, slots and test patients in other shapes', () => {
  it.each(['XXXXX^XXXXX', '$LAST^$FIRST', '$PATIENT_ID', '000000', 'AAAAAAAAAAAAAAAAAAAA', '^^^'])(
    '%s is a redaction or a slot',
    (value) => {
      expect(isRedaction(value)).toBe(true);
    },
  );

  it.each(['Okafor^Ada', 'AAron', 'Anna', '$5 copay', 'X^Y^Okafor'])('%s is data', (value) => {
    expect(isRedaction(value)).toBe(false);
  });

  it('takes the ZZ prefix of test patients for nobody', () => {
    expect(isPlaceholderName('ZZTEST^PATIENT')).toBe(true);
    expect(isPlaceholderName('ZZZPATIENT, ONE')).toBe(false);
    expect(isPlaceholderName('Zzyzx Okafor')).toBe(false);
  });
});
