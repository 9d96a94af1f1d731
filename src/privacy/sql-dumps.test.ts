import { describe, expect, it } from 'vitest';
import { findSqlTables, unquoteSql } from './sql-dumps.js';
import type { RawFinding } from './types.js';

function sql(text: string) {
  const out: RawFinding[] = [];
  const stats = { steps: 0 };
  findSqlTables(text, out, stats);
  return { out, steps: stats.steps };
}

const POSITIVE: Record<string, string> = {
  'pg_dump COPY with French columns': `COPY public.patient (id, nom, prenom, date_naissance) FROM stdin;\n1\tDubreuil\tAmélie\t1957-11-04\n2\tLefebvre\tJean\t\\N\n\\.\n`,
  'COPY without a column list, judged by its values': `COPY klinik.t FROM stdin;\n17\tKellerhals\tJana\t1957-04-11\tBern\n\\.\n`,
  'INSERT without columns or schema, judged by its values': `INSERT INTO tbl_reg VALUES (4411, 'Ostendorp', 'Femke', '19340311', NULL), (4412, 'Nakashima', 'Kwame', '1988-02-29', 1);`,
  'INSERT with "Surname, Given" in one cell': `INSERT INTO x VALUES (1, 'Okafor, Kwame', '04.11.1957');`,
  'SQL Server with N strings and CAST': `INSERT [dbo].[Patients] ([PatientID], [LastName], [FirstName], [DOB]) VALUES (30578, N'Grünwald', N'Oksana', CAST(N'1993-06-18' AS Date))`,
  'PostgreSQL casts': `INSERT INTO patienten (nachname, vorname, geburtsdatum) VALUES ('Pichler', 'Zofia', '1969-11-24'::date);`,
};

const NEGATIVE: Record<string, string> = {
  'a schema without rows': `CREATE TABLE patients (id int, first_name varchar(80), last_name varchar(80), dob date);`,
  'bound parameters': `INSERT INTO patients (first_name, last_name, dob) VALUES (?, ?, ?);\nINSERT INTO patients (first_name, last_name, dob) VALUES ($1, $2, $3);\nINSERT INTO patients (first_name, last_name, dob) VALUES (:first, :last, :dob);`,
  'installer seed data with a sentinel date': `INSERT INTO patients (first_name, last_name, dob) VALUES ('John','Doe','1900-01-01');`,
  'product rows without columns': `INSERT INTO releases VALUES (1, 'Aurora', 'Server', '2021-03-04'), (2, 'Halcyon', 'Viewer', '2019-11-04');`,
  'an empty COPY block': `COPY public.patient (id, nom, prenom, date_naissance) FROM stdin;\n\\.\n`,
  'a COPY of devices': `COPY public.device (id, serial, model, installed) FROM stdin;\n1\tSN-1234567\tIP-300\t2019-04-01\n\\.\n`,
  'a staff table without columns': `INSERT INTO staff VALUES (1, 'Kit', 'Marlowe', '2009-04-01');`,
  'a COPY of employees': `COPY hr.employees FROM stdin;\n1\tMarlowe\tKit\t2009-04-01\n\\.\n`,
  'redacted values': `INSERT INTO patients (first_name, last_name, dob) VALUES ('XXXX', '[REDACTED]', '****-**-**');`,
};

describe('SQL dumps', () => {
  it.each(Object.entries(POSITIVE))('finds %s', (_name, text) => {
    const { out } = sql(text);
    expect(out.map((f) => f.kind)).toEqual(['patient-table']);
  });

  it.each(Object.entries(NEGATIVE))('does not flag %s', (_name, text) => {
    expect(sql(text).out).toEqual([]);
  });

  it('reads values out of quotes, prefixes and casts', () => {
    expect(unquoteSql(" N'O''Hara' ")).toBe("O''Hara");
    expect(unquoteSql("CAST(N'1993-06-18' AS Date)")).toBe('1993-06-18');
    expect(unquoteSql("TO_DATE('04.11.1957', 'DD.MM.YYYY')")).toBe('04.11.1957');
    expect(unquoteSql("'1957-11-04'::date")).toBe('1957-11-04');
    expect(unquoteSql('NULL')).toBe('');
  });

  describe('stays linear on 1 MiB', () => {
    const MiB = 1 << 20;
    it.each([
      [
        'INSERT tuples without a closing parenthesis',
        `INSERT INTO t VALUES ${"('Jana', 'Kellerhals', '1957-04-11', ".repeat(MiB / 40)}`,
      ],
      [
        'INSERT tuples without columns',
        `INSERT INTO t VALUES ${"('Jana','Kellerhals','1957-04-11'),".repeat(MiB / 35)}`,
      ],
      ['COPY openers', 'COPY t (a, b) FROM stdin;\n'.repeat(MiB / 26)],
      [
        'one COPY block of endless rows',
        `COPY t FROM stdin;\n${'Jana\tKellerhals\t1957-04-11\n'.repeat(MiB / 27)}`,
      ],
      ['CAST openers', `INSERT INTO t VALUES (${"CAST(N'".repeat(MiB / 7)}`],
    ])('%s', (_name, text) => {
      const { steps } = sql(text);
      expect(steps).toBeLessThanOrEqual(4 * text.length + 64);
    });
  });
});
