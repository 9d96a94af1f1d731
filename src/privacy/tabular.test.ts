import { describe, expect, it } from 'vitest';
import { findPatientTables, splitCells } from './tabular.js';
import type { RawFinding } from './types.js';

function tables(text: string) {
  const out: RawFinding[] = [];
  const stats = { steps: 0 };
  findPatientTables(text, out, stats);
  return { out, steps: stats.steps };
}

const POSITIVE: Record<string, string> = {
  'sqlmap dump (EN)': `Database: emr\nTable: patients\n[2 entries]\n+----+------------+-----------+------------+\n| id | first_name | last_name | dob        |\n+----+------------+-----------+------------+\n| 1  | Jane       | Doe       | 1957-11-04 |\n| 2  | Omar       | Haddad    | 1961-04-02 |\n+----+------------+-----------+------------+`,
  'psql output (FR)': ` patient_id | nom    | prenom | date_naissance\n------------+--------+--------+----------------\n      10023 | Dupont | Jean   | 1957-11-04\n(1 row)`,
  'semicolon CSV (DE)': `Nachname;Vorname;Geburtsdatum;Versichertennummer\nMüller;Hans;02.04.1961;A123456780\nSchmidt;Erika;11.08.1975;B987654321`,
  'TSV (ES)': `apellidos\tnombre\tfecha_nacimiento\tdiagnostico\nGarcía López\tMaría\t04/11/1957\tDiabetes tipo 2`,
  'fixed-width CLI output (NL)': `PAT_ID      ACHTERNAAM    VOORNAAM    GEBOORTEDATUM\n----------  ------------  ----------  -------------\n12345       Jansen        Pieter      1957-11-04`,
  'SQL INSERT with columns (IT)': `INSERT INTO \`patients\` (\`id\`, \`cognome\`, \`nome\`, \`data_nascita\`, \`codice_fiscale\`) VALUES (1,'Rossi','Mario','1957-11-04','RSSMRA57S04H501U'),(2,'Bianchi','Anna','1960-01-02','BNCNNA60A42F205X');`,
  'CREATE TABLE then INSERT': `CREATE TABLE patients (id int, first_name varchar(50), last_name varchar(50), dob date);\nINSERT INTO patients VALUES (1,'Jane','O''Hara','1957-11-04');`,
  'Markdown table': `| Name | DOB | MRN |\n|---|---|---|\n| Jane Quill | 04/11/1957 | 00123456 |`,
  'mysql users with e-mail': `+----+-----------+----------+---------------------+\n| id | firstname | lastname | email               |\n+----+-----------+----------+---------------------+\n| 7  | Lena      | Okafor   | lena.o@mailbox.test |\n+----+-----------+----------+---------------------+`,
};

const NEGATIVE: Record<string, string> = {
  "sqlmap's columns-only listing": `Table: emr.patients (columns only, no rows dumped)\n| Column     | Type    |\n| first_name | varchar |\n| last_name  | varchar |\n| dob        | date    |\n| ssn        | varchar |`,
  'a header without rows': `first_name,last_name,dob,member_id\n\nSee above.`,
  'a device inventory': `device_name,serial,ip,firmware,manufacture_date,last_seen\nMonitor-203,SN-9741970,192.168.152.185,5.5.51,2023-03-18,2024-03-11T07:00:00Z`,
  'a firmware table': `| model | firmware | serial | build date | status |\n| --- | --- | --- | --- | --- |\n| IP-300 | 7.10.59 | SN 321-91-5236 | 2023-08-12 | vulnerable |`,
  'redacted rows': `name,dob,mrn\n[REDACTED],[REDACTED],[REDACTED]`,
  'hosts with addresses': `NAME          ADDRESS        MAC                 FIRMWARE\npacs-gw       10.0.0.5       00:1B:44:9e:c3:68   4.0.1`,
  'prose with commas': `The export includes columns for name, date of birth, member ID and home address, I think.\nAnother line, with commas, here and there, ok.`,
  'a schema and an unrelated INSERT': `CREATE TABLE patients (id int, first_name varchar(50), last_name varchar(50), dob date);\nINSERT INTO audit (id, action) VALUES (1, 'login');`,
  'nmap output': `PORT     STATE SERVICE  VERSION\n22/tcp   open  ssh      OpenSSH 8.2p1\n104/tcp  open  dicom    Orthanc 1.12.2`,
};

describe('patient tables', () => {
  it.each(Object.entries(POSITIVE))('finds %s', (_name, text) => {
    const { out } = tables(text);
    expect(out.map((f) => f.kind)).toEqual(['patient-table']);
    const f = out[0] as RawFinding;
    expect(f.end).toBeGreaterThan(f.start);
    expect(f.excerpt).not.toMatch(/Jane|Doe|Müller|Rossi|Okafor|1957/);
  });

  it.each(Object.entries(NEGATIVE))('does not flag %s', (_name, text) => {
    expect(tables(text).out).toEqual([]);
  });

  it('splits quoted and unquoted cells alike', () => {
    expect(splitCells(' a , b ,c ', ',')).toEqual(['a', 'b', 'c']);
    expect(splitCells('"a, b" , "say ""hi""",c', ',')).toEqual(['a, b', 'say "hi"', 'c']);
    expect(splitCells('| "x" | y |', '|')).toEqual(['"x"', 'y']);
    expect(splitCells('a;;b', ';')).toEqual(['a', '', 'b']);
    // A quote inside an unquoted cell is part of it; one after blanks opens a quoted cell.
    expect(splitCells('{"a":1},"b, c",x"y', ',')).toEqual(['{"a":1}', 'b, c', 'x"y']);
    expect(splitCells(' "a" , "b""c",  "d"e, f"g"', ',')).toEqual(['a', 'b"c', 'de', 'f"g"']);
    expect(splitCells('"a"b"c,d', ',')).toEqual(['ab"c', 'd']);
  });

  describe('stays linear on pathological input of 1 MiB', () => {
    const MiB = 1 << 20;
    const header = 'first_name|last_name|dob\n';
    it.each([
      ['pipe cells', `${header}${'|'.repeat(MiB)}`],
      ['one header with 100k columns', `${'first_name;'.repeat(100_000)}\n${'Jane;'.repeat(100_000)}`],
      ['no separators at all', 'x'.repeat(MiB)],
      ['rows of a patient table', header + 'Jane|Doe|1957-11-04\n'.repeat(MiB / 20)],
      ['unclosed INSERT tuples', `INSERT INTO p (first_name, dob) VALUES ${"('a".repeat(MiB / 3)}`],
      ['repeated INSERT keywords', 'insert into t ('.repeat(MiB / 15)],
      ['PID| repeated', 'PID|'.repeat(MiB / 4)],
      ['DICOM tags repeated', '(0010,0010)'.repeat(MiB / 11)],
      ['quoted CSV cells', '"a,b",'.repeat(MiB / 6)],
    ])('%s', (_name, text) => {
      const { steps } = tables(text);
      expect(steps).toBeLessThanOrEqual(4 * text.length + 64);
    });

    it('reads a header of 100k distinct columns and the row under it', () => {
      const columns = [
        'first_name',
        'last_name',
        'dob',
        ...Array.from({ length: 99_997 }, (_, i) => `c${i}`),
      ];
      const row = ['Jane', 'Doe', '1957-11-04', ...Array.from({ length: 99_997 }, () => 'x')];
      const text = `${columns.join(',')}\n${row.join(',')}\n`;
      const { out, steps } = tables(text);
      expect(out.map((f) => f.kind)).toEqual(['patient-table']);
      expect(steps).toBeLessThanOrEqual(4 * text.length + 64);
    });
  });
});

describe('rows printed one column per line', () => {
  it.each([
    [
      'psql expanded display',
      `-[ RECORD 1 ]-+-----------\nid            | 4387\nlast_name     | Lefebvre-Roux\nfirst_name    | Rafael\ndate_of_birth | 1937-05-15`,
    ],
    [
      'mysql \\G (IT)',
      `*************************** 1. row ***************************\n     cognome: Bellucci\n        nome: Chiara\ndata_nascita: 1961-02-03`,
    ],
    ['sqlite3 .mode line (EN)', `    surname = Duchesne\n   forename = Siobhan\n        dob = 19780627`],
  ])('finds %s', (_name, text) => {
    expect(tables(text).out.map((f) => f.kind)).toEqual(['patient-table']);
  });

  it.each([
    [
      'a redacted psql row',
      `-[ RECORD 1 ]-+-----------\nlast_name     | XXXXXX\nfirst_name    | XXXXXX\ndate_of_birth | ****-**-**`,
    ],
    [
      'a signature in Label: value lines',
      `Name: Dana Whitlock\nEmail: dana@researcher.example\nPhone: +1 617 555 0100`,
    ],
    ['sqlite settings', `    echo = off\n    mode = line\n   width = 0`],
  ])('does not flag %s', (_name, text) => {
    expect(tables(text).out).toEqual([]);
  });
});

describe('rows without a header', () => {
  it.each([
    ['a pipe row', '1|Ottilie|Brandauer|1957-11-04|F'],
    ['semicolon rows', 'Brandauer;Ottilie;04.11.1957;AOK\nKellerhals;Jana;11.04.1957;TK'],
    ['a quoted CSV row', '"Okafor","Kwame","1961-02-03","Lagos"'],
  ])('finds %s', (_name, text) => {
    expect(tables(text).out.map((f) => f.kind)).toEqual(['patient-table']);
  });

  it.each([
    ['an HL7 segment (its own reader knows it)', 'PID|1||448812^^^HOSP^MR||Fenwhistle^Ada^Q||19620708|F'],
    ['a release row', 'Aurora|Server|2011-03-04|EOL'],
    ['codes and a recent date', 'ADT|HOSP|EHR|2024-03-11'],
    ['a name without a birth date', 'Ottilie|Brandauer|F|4B'],
    [
      'rows under a header of other columns',
      'first_name,last_name,role,start_date\nKit,Marlowe,Pentester,2009-04-01',
    ],
  ])('does not flag %s', (_name, text) => {
    expect(tables(text).out).toEqual([]);
  });
});

describe('a long run of rows without a header', () => {
  it('is one table, its later rows counted without being judged', () => {
    const text = 'Jana|Kellerhals|1957-04-11|F\n'.repeat(20_000);
    const { out, steps } = tables(text);
    expect(out).toHaveLength(1);
    expect(out[0]?.excerpt).toContain('20000 filled rows');
    expect(steps).toBeLessThanOrEqual(4 * text.length + 64);
  });
});

describe('fixed-width records without a header', () => {
  const find = (text: string) => {
    const out: RawFinding[] = [];
    findPatientTables(text, out);
    return out.filter((f) => f.kind === 'patient-table');
  };

  it.each([
    [
      'identifier glued to the surname',
      '0004084122SATO                AIRI           19641107M24990\n0087914179DOSSANTOS           EMEKA          19901221M34033',
    ],
    [
      'a birth date glued to a sex digit',
      '01593848112 NGUYEN                  THI HOA           110319711\n01842254055 LINDQVIST               PILAR             071619682',
    ],
    [
      'surname/given with a record type',
      'PAT 20031114 MCALLISTER/ZOFIA                 71448135709 VALENCIA\nPAT 19861126 BRENNAN-ACHEBE/JURGIS            21101190547 BIELEFELD',
    ],
  ])('finds %s', (_name, text) => {
    expect(find(text)).toHaveLength(1);
  });

  it.each([
    ['a single record line', '0004084122SATO                AIRI           19641107M24990'],
    [
      'a firmware table',
      'FW   20140301 BUILD RELEASE  4471 STABLE\nFW   20150611 BUILD RELEASE  4502 STABLE',
    ],
    [
      'device lines with recent dates',
      '0004084122 INFUSION PUMP   20230301 OK 4471\n0004084123 INFUSION PUMP   20230302 OK 4472',
    ],
    ['names and dates without an identifier', 'SATO   AIRI   19641107\nCHEN   YILING 19660122'],
  ])('does not report %s', (_name, text) => {
    expect(find(text)).toEqual([]);
  });
});

describe("a debugger's variables view", () => {
  it('reads name, value and type separated by tabs as one record', () => {
    const text =
      'Name\tValue\tType\n▶ patient\t{Clinic.Domain.Patient}\tClinic.Domain.Patient\n    Surname\t"Lindqvist"\tstring\n    GivenName\t"Leontýna"\tstring\n    DateOfBirth\t{02/11/1976 00:00:00}\tSystem.DateTime';
    const out: RawFinding[] = [];
    findPatientTables(text, out);
    expect(out.map((f) => f.kind)).toEqual(['patient-table']);
  });

  it('does not take a view of a device object for a person', () => {
    const text =
      'Name\tValue\tType\n    Serial\t"SN-4471"\tstring\n    Firmware\t"2.4.1"\tstring\n    Installed\t{02/11/2019}\tSystem.DateTime';
    const out: RawFinding[] = [];
    findPatientTables(text, out);
    expect(out).toEqual([]);
  });
});

describe('right-aligned columns', () => {
  it('reads a pandas DataFrame print with its index column', () => {
    const text =
      '   first_name  last_name         dob\n0       Aoife      Byrne  1983-02-11\n1      Oskar   Lindgren  1949-07-30';
    const out: RawFinding[] = [];
    findPatientTables(text, out);
    expect(out.map((f) => f.kind)).toEqual(['patient-table']);
  });
});

describe('a watch window copied as text', () => {
  it('reads name, quoted value and type separated by runs of spaces', () => {
    const text =
      'Watch window:\n  Name        "Marek Vanderhoeck"   string\n  BirthDate   {09/02/2008 00:00:00}   DateTime\n  Diagnosis   "Epilepsy"   string';
    const out: RawFinding[] = [];
    findPatientTables(text, out);
    expect(out.map((f) => f.kind)).toEqual(['patient-table']);
  });

  it('does not read fixed-width output without quoted values as one', () => {
    const text = '  Name        Monitor-203   device\n  Installed   2008-02-09    date';
    const out: RawFinding[] = [];
    findPatientTables(text, out);
    expect(out).toEqual([]);
  });
});

describe('tables drawn with box characters', () => {
  it('reads a polars frame of patients and leaves one of devices alone', () => {
    const frame = (a: string, b: string, c: string, rows: string[][]) =>
      [
        'shape: (2, 3)',
        '┌───────────┬─────────┬────────────┐',
        `│ ${a} ┆ ${b} ┆ ${c} │`,
        '╞═══════════╪═════════╪════════════╡',
        ...rows.map((r) => `│ ${r.join(' ┆ ')} │`),
        '└───────────┴─────────┴────────────┘',
      ].join('\n');
    const people = frame('nazwisko', 'imie', 'data_ur', [
      ['Grabowiec', 'Jadwiga', '1992-08-25'],
      ['Mazur', 'Bożena', '1980-04-03'],
    ]);
    const out: RawFinding[] = [];
    findPatientTables(people, out);
    expect(out.map((f) => f.kind)).toEqual(['patient-table']);
    const devices: RawFinding[] = [];
    findPatientTables(
      frame('model', 'firmware', 'installed', [
        ['Infusomat', '5.2.1', '2019-03-04'],
        ['Perfusor', '4.0.0', '2020-01-02'],
      ]),
      devices,
    );
    expect(devices).toEqual([]);
  });
});
