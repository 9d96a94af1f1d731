import { describe, expect, it } from 'vitest';
import { findDicomTextDumps } from './dicom-text.js';
import type { RawFinding } from './types.js';

function found(text: string): RawFinding[] {
  const out: RawFinding[] = [];
  findDicomTextDumps(text, out);
  return out;
}

describe('DICOM headers dumped as text', () => {
  it.each([
    [
      'dcmdump',
      '(0008,0060) CS [MR]                                     #   2, 1 Modality\n(0010,0010) PN [DOE^JANE]                               #   8, 1 PatientName\n(0010,0030) DA [19571104]                               #   8, 1 PatientBirthDate',
      ['name', 'birthDate'],
    ],
    [
      'gdcmdump',
      "(0010,0010) PN [Quillfeather^Junia ]                     # 20,1-n Patient's Name",
      ['name'],
    ],
    [
      'pydicom',
      "(0010, 0010) Patient's Name                      PN: 'DOE^JANE'\n(0010, 0020) Patient ID                          LO: '4471203'",
      ['name', 'patientId'],
    ],
    ['dcm4che', '(0010,0010) PN #8 [DOE^JANE] PatientName', ['name']],
    [
      'DICOM JSON',
      JSON.stringify(
        {
          '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Odgeworth^Halvard' }] },
          '00100030': { vr: 'DA', Value: ['19610402'] },
        },
        null,
        2,
      ),
      ['name', 'birthDate'],
    ],
    [
      'Orthanc tags',
      '{"0010,0010": {"Name": "PatientName", "Type": "String", "Value": "Grumbleton^Calloway"}}',
      ['name'],
    ],
    [
      'native XML',
      '<DicomAttribute tag="00100010" vr="PN"><PersonName number="1"><Alphabetic><FamilyName>Doe</FamilyName>',
      ['name'],
    ],
  ])('%s', (_style, text, fields) => {
    const findings = found(text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'dicom-dump', fields });
    expect(findings[0]?.excerpt).not.toMatch(/DOE|JANE|Odgeworth|Grumbleton/);
  });

  it('ignores device-only dumps, empty and de-identified patient tags', () => {
    const device =
      '(0008,0070) LO [Quorra Medical]  # Manufacturer\n(0018,1000) LO [SN-1046321]  # DeviceSerialNumber\n(0018,1020) LO [2.6.66]  # SoftwareVersions';
    expect(found(device)).toEqual([]);
    expect(found('(0010,0010) PN (no value available)                    #   0, 0 PatientName')).toEqual([]);
    expect(found("(0010, 0010) Patient's Name                      PN: ''")).toEqual([]);
    expect(found('(0010,0010) PN [ANONYMOUS]\n(0010,0020) LO [REMOVED]\n(0010,0030) DA []')).toEqual([]);
    expect(found('{"00100010": {"vr": "PN"}, "00181000": {"vr": "LO", "Value": ["SN-3949496"]}}')).toEqual(
      [],
    );
    expect(found('(0010,0010) PN [^]')).toEqual([]);
  });

  it('takes a QA or calibration object named in the family-name place for no patient', () => {
    expect(found('(0010,0010) PN [QA^MONTHLY]                    #  10, 1 PatientName')).toEqual([]);
    expect(found('(0010,0010) PN [PHANTOM^KNEE^CT]               #  14, 1 PatientName')).toEqual([]);
    expect(found('(0010,0010) PN [QUAINTON^ALMA]                 #  12, 1 PatientName')).toHaveLength(1);
  });
});

describe('linear time', () => {
  it.each([['(0010,0010) '], ['(0010,0010) PN ['], ['"00100010": {"Value": ['], ['0010,0010 ']])(
    '1 MiB of %s completes',
    (unit) => {
      const text = unit.repeat(Math.ceil((1 << 20) / unit.length));
      expect(found(text)).toEqual([]);
    },
  );
});
