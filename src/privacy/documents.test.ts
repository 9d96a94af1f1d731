import { describe, expect, it } from 'vitest';
import { findPatientRecords, type RecordIgnore } from './documents.js';
import type { RawFinding } from './types.js';

const NOBODY: RecordIgnore = { nameWords: new Set(), emails: new Set() };

function records(text: string, ignore: RecordIgnore = NOBODY) {
  const out: RawFinding[] = [];
  const stats = { steps: 0 };
  findPatientRecords(text, out, ignore, stats);
  return { out, steps: stats.steps };
}

const POSITIVE: Record<string, string> = {
  'a Mongo shell dump': `> db.patients.find().pretty()\n{\n  "_id" : ObjectId("5f1d7a2b9c1e4a0012345678"),\n  "firstName" : "Jane",\n  "lastName" : "Doe",\n  "dob" : ISODate("1957-11-04T00:00:00Z"),\n  "insurance" : { "memberId" : "XK-88123456" }\n}`,
  'BSON with unquoted keys (DE)': `{ _id: ObjectId("5f1d"), vorname: 'Hans', nachname: 'Müller', geburtsdatum: ISODate("1961-04-02T00:00:00Z") }`,
  'nested JSON in an API response': `{"results":[{"name":{"given":"Jane","family":"Quill"},"birth_date":"1957-11-04"}]}`,
  'HL7 CDA': `<ClinicalDocument><recordTarget><patientRole><id extension="998991"/><patient><name><given>Jane</given><family>Quill</family></name><administrativeGenderCode code="F"/><birthTime value="19571104"/></patient></patientRole></recordTarget></ClinicalDocument>`,
  'generic XML (FR)': `<Patient>\n  <prenom>Jean</prenom>\n  <nom>Dupont</nom>\n  <dateNaissance>04/11/1957</dateNaissance>\n</Patient>`,
  'YAML (ES)': `paciente:\n  nombre: María\n  apellidos: García López\n  fecha_nacimiento: 1957-11-04\n`,
  'an access log with a query string': `10.0.0.5 - - [11/Mar/2024:08:30:00 +0000] "GET /api/patients/search?first_name=Jane&last_name=Doe&dob=1957-11-04 HTTP/1.1" 200 512 "-" "Mozilla/5.0"`,
  'a logfmt line (DE)': `2024-03-11T08:30:00Z level=error msg="lookup failed" patient_name="Hans Müller" geb_datum=04.11.1957`,
  'a Java toString() in a stack trace': `java.lang.IllegalStateException: duplicate Patient{id=12, firstName='Jane', lastName='Doe', birthDate=1957-11-04}\n\tat com.x.Y(Y.java:10)`,
  'a Python repr in an exception (NL)': `ValueError: Patient(voornaam='Pieter', achternaam='Jansen', geboortedatum=datetime.date(1957, 11, 4))`,
  'JSON lines (IT)': `{"ts":"2024-03-11T08:30:00Z","nome":"Mario","cognome":"Rossi","codice_fiscale":"RSSMRA57S04H501U"}`,
  'labelled lines with a birth date': `Name: Jane Quill\nDate of birth: 1957-11-04\nWard: 4B`,
  'a multipart form body from a proxy': `POST /intake HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=----B7\r\n\r\n------B7\r\nContent-Disposition: form-data; name="nachname"\r\n\r\nKowalczyk\r\n------B7\r\nContent-Disposition: form-data; name="vorname"\r\n\r\nHalina\r\n------B7\r\nContent-Disposition: form-data; name="geburtsdatum"\r\n\r\n17.02.1948\r\n------B7--\r\n`,
  'form fields listed by name attribute': `fields sent:\n  name="patient_name" -> Renske Ludgershall\n  name="patient_birth" -> 1931-05-22`,
  'HAR name/value pairs': `"queryString": [\n  {"name": "lastName", "value": "Tillingham"},\n  {"name": "firstName", "value": "Desmond"},\n  {"name": "dob", "value": "04/26/1968"}\n]`,
  'Redis MONITOR field writes': `1773871079.925381 [0 10.1.2.187:41410] "HSET" "pacjent:3175" "imie" "Ryszard" "nazwisko" "Pietrzak" "ur" "1972-12-05"`,
  'a SQL log with quoted predicates': `LOG:  statement: SELECT * FROM person WHERE nachname = 'Hollweger' AND vorname = 'Annegret' AND geburtsdatum = '2006-09-05'`,
  'bound SQL parameters': `exec sp_executesql N'UPDATE dbo.Patient SET Nom=@p0, Prenom=@p1, DateNaissance=@p2 WHERE PatientId=@p3',N'@p0 nvarchar(50)',@p0=N'Delaunoy',@p1=N'Thibaut',@p2='2001-12-24',@p3=11540`,
  'pyformat parameters on the next line': `DEBUG sqlalchemy.engine: UPDATE utentes SET nome=%(nome)s, data_nascimento=%(dn)s WHERE utentes.id = %(id)s\nDEBUG sqlalchemy.engine: {'nome': 'Fagundes Assunção', 'dn': '1952-09-18', 'id': 39430}`,
  'a Scala map': `WARN c.v.Sync - skipped Map(firstName -> Jonas, lastName -> Petrauskas, birthDate -> 1966-08-30)`,
};

const NEGATIVE: Record<string, string> = {
  'an OpenAPI schema': `"PatientSummary": {\n  "type": "object",\n  "properties": {\n    "name": {"type": "string"},\n    "birthDate": {"type": "string", "format": "date"},\n    "mrn": {"type": "string", "pattern": "^[0-9]{8}$"},\n    "phone": {"type": "string"}\n  }\n}`,
  'package.json': `{"name":"infusion-ui","version":"1.2.3","author":{"name":"Jane Doe","email":"jane@vendor.example"},"contributors":[{"name":"Bob Smith","email":"bob@x.org"}]}`,
  'JWT claims': `{"iss":"https://idp.example","sub":"123","exp":1710000000,"iat":1709990000,"name":"Kit Marlowe","email":"kit@researcher.example"}`,
  'a YAML config': `server:\n  host: 0.0.0.0\n  port: 7335\nsupport:\n  name: Support Desk\n  phone: +1 800 555 0100\n  email: support@vendor.example\n`,
  'a signature block': `Thanks,\nName: Lena Nakamura\nPhone: +1 214 555 0191\nE-mail: priya@appsec.example`,
  'logs with hosts and user agents': `2024-03-11T08:48:19.644Z WARN [dicom] req=0a227180 src=10.207.235.199:28861 association rejected\n2024-03-11T08:27:23.383Z INFO [api] user=admin ip=10.1.1.1 ua="Mozilla/5.0"`,
  'a device list': `{"devices":[{"name":"Monitor-203","serial":"SN-9741970","address":"192.168.1.5","firmware":"5.5.51"}]}`,
  'a stack trace without people': `Traceback (most recent call last):\n  File "/opt/gateway/hl7/listener.py", line 340, in handle\n    pid = segments["PID"]\nKeyError: 'PID'`,
  'an IDOR request by id': `curl -d '{"patient_id": 83943, "fields": ["name", "dob", "mrn"]}'`,
  'a test fixture of placeholders': `{"first_name": "{{first_name}}", "last_name": "<last_name>", "dob": "YYYY-MM-DD"}`,
  'a multipart body with a file and a staff login': `------B7\r\nContent-Disposition: form-data; name="username"\r\n\r\nnurse.station4\r\n------B7\r\nContent-Disposition: form-data; name="firmware"; filename="fw-5.2.bin"\r\n\r\n1957-11-04\r\n------B7--\r\n`,
  'HAR headers': `"headers": [{"name": "Host", "value": "portal.example"}, {"name": "Date", "value": "04/26/2024"}]`,
  'a Redis write of a device': `127.0.0.1:6379> HSET device:12 model "Infusomat" firmware "5.2.1" installed "2019-03-04"`,
  'SQL predicates on a device': `SELECT * FROM device WHERE model = 'Infusomat' AND fw = '5.2.1' AND built = '2019-03-04'`,
  'C member access': `  patient->name = strdup(buf);\n  patient->dob = parse_date(field[7]);`,
};

describe('patient records', () => {
  it.each(Object.entries(POSITIVE))('finds %s', (_name, text) => {
    const { out } = records(text);
    expect(out.map((f) => f.kind)).toEqual(['patient-record']);
    const f = out[0] as RawFinding;
    expect(f.end).toBeGreaterThan(f.start);
    expect(f.excerpt).not.toMatch(/Jane|Doe|Müller|Rossi|1957/);
  });

  it('reads rows whose cells wrap their value in one more element (SpreadsheetML, OpenDocument)', () => {
    const sheet = `<Table><Row><Cell><Data ss:Type="String">Nachname</Data></Cell><Cell><Data ss:Type="String">Vorname</Data></Cell><Cell><Data ss:Type="String">Geburtsdatum</Data></Cell></Row><Row><Cell><Data ss:Type="String">Kowalczyk</Data></Cell><Cell><Data ss:Type="String">Halina</Data></Cell><Cell><Data ss:Type="DateTime">1948-02-17T00:00:00.000</Data></Cell></Row></Table>`;
    expect(records(sheet).out.map((f) => f.kind)).toEqual(['patient-table']);
    const settings =
      '<Table><Row><Cell><Data>Setting</Data></Cell><Cell><Data>Value</Data></Cell></Row><Row><Cell><Data>Rate</Data></Cell><Cell><Data>120</Data></Cell></Row></Table>';
    expect(records(settings).out).toEqual([]);
  });

  it.each(Object.entries(NEGATIVE))('does not flag %s', (_name, text) => {
    expect(records(text).out).toEqual([]);
  });

  it("does not flag the reporter's own account", () => {
    const me = { nameWords: new Set(['kit', 'marlowe']), emails: new Set(['kit@researcher.example']) };
    expect(records(`{"id":5,"name":"Kit Marlowe","email":"kit@researcher.example"}`, me).out).toEqual([]);
    expect(records(`{"id":5,"name":"Kit Marlowe","email":"kit@researcher.example"}`).out).toHaveLength(1);
  });

  it('reports a dump of many patients as one finding', () => {
    const dump = `[${Array.from({ length: 50 }, (_, i) => `{"first_name":"Jane","last_name":"Doe${'x'.repeat(i % 3)}","dob":"1957-11-04"}`).join(',\n')}]`;
    expect(records(dump).out).toHaveLength(1);
  });

  describe('stays linear on pathological input of 1 MiB', () => {
    const MiB = 1 << 20;
    it.each([
      ['nested objects', '{"a":'.repeat(MiB / 5)],
      ['nested closes without opens', '}]'.repeat(MiB / 2)],
      ['query keys without values', 'first_name='.repeat(MiB / 11)],
      ['labels without values', 'first_name: '.repeat(MiB / 12)],
      ['unclosed strings', '{"'.repeat(MiB / 2)],
      ['unclosed tags', '<a '.repeat(MiB / 3)],
      ['close tags without opens', `${'<a>'.repeat(1000)}${'</b>'.repeat(MiB / 4)}`],
      ['no separators at all', 'x'.repeat(MiB)],
      ['one long line of pairs', 'dob=1957-11-04&'.repeat(MiB / 15)],
    ])('%s', (_name, text) => {
      const { steps } = records(text);
      expect(steps).toBeLessThanOrEqual(8 * text.length + 64);
    });
  });
});

describe('document-store shapes', () => {
  it.each([
    [
      'redis-cli HGETALL',
      `127.0.0.1:6379> HGETALL session:pt:88\n1) "first_name"\n2) "Jana"\n3) "last_name"\n4) "Kellerhals"\n5) "dob"\n6) "1957-04-11"`,
    ],
    [
      'mongoexport Extended JSON $date',
      `{"_id":{"$oid":"e3d4419c933a1f2ff4c05998"},"vorname":"Giulia","nachname":"Haverkamp","geburtsdatum":{"$date":"1955-12-07T00:00:00.000Z"}}`,
    ],
    [
      'Extended JSON $date as $numberLong',
      `{"vorname":"Wojciech","nachname":"Duchesne","geburtsdatum":{"$date":{"$numberLong":"-22118400000"}}}`,
    ],
    [
      'a shell document with new Date(ms)',
      `{ _id: ObjectId('5f1d'), fullName: 'Jana Kellerhals', birthDate: new Date(-383097600000) }`,
    ],
  ])('finds %s', (_name, text) => {
    expect(records(text).out.map((f) => f.kind)).toEqual(['patient-record']);
  });

  it.each([
    ['a redacted Redis hash', `1) "first_name"\n2) "<redacted>"\n3) "dob"\n4) "XXXX-XX-XX"`],
    ['a Redis hash of settings', `1) "maxmemory"\n2) "2gb"\n3) "appendonly"\n4) "yes"`],
    [
      'Extended JSON of a device',
      `{"serial":"SN-1234567","installed":{"$date":"2019-04-01T00:00:00Z"},"uptime":{"$numberLong":"9922113"}}`,
    ],
    [
      'Extended JSON with a masked date',
      `{"vorname":"***","nachname":"***","geburtsdatum":{"$date":"****-**-**"}}`,
    ],
  ])('does not flag %s', (_name, text) => {
    expect(records(text).out).toEqual([]);
  });

  it('stays linear on 1 MiB of nested $date wrappers and numbered lines', () => {
    const MiB = 1 << 20;
    for (const text of [
      '{"dob":{"$date":'.repeat(MiB / 16),
      '1) "dob"\n'.repeat(MiB / 9),
      '{"$date":{"$numberLong":"1"}}'.repeat(MiB / 29),
    ]) {
      expect(records(text).steps).toBeLessThanOrEqual(8 * text.length + 64);
    }
  });
});

describe('French labels', () => {
  it('reads a space before the colon', () => {
    expect(records('Nom : DUPONT\nPrénom : Jean\nNé le : 04/11/1957').out.map((f) => f.kind)).toEqual([
      'patient-record',
    ]);
    expect(records('Nom : serveur-01\nVersion : 4.2.1').out).toEqual([]);
  });
});

describe('records without a labelled name or parent', () => {
  it.each([
    ['an id under a patient key', '{"patient":{"identifier":"MRN-00451234","name":"Casimir Hollenbeck"}}'],
    [
      'XML leaves without a parent',
      '<PatientName>Hollenbeck^Casimir</PatientName><PatientBirthDate>19571104</PatientBirthDate>',
    ],
  ])('finds %s', (_name, text) => {
    expect(records(text).out.map((f) => f.kind)).toEqual(['patient-record']);
  });

  it.each([
    ['a short id under a patient key', '{"patient":{"id":"12","status":"active"}}'],
    ['a product in a name field', '{"name":"Aurora Server","born":"2011-03-04"}'],
    [
      'XML leaves far apart',
      `<PatientName>Hollenbeck^Casimir</PatientName>${' filler'.repeat(60)}<PatientBirthDate>19571104</PatientBirthDate>`,
    ],
  ])('does not flag %s', (_name, text) => {
    expect(records(text).out).toEqual([]);
  });
});

describe('a birth date written as an object of its parts', () => {
  it('joins year, month and day under a birth-date key', () => {
    expect(
      records('{"name":"Anouk van der Berg","dob":{"year":1945,"month":3,"day":12}}').out.map((f) => f.kind),
    ).toEqual(['patient-record']);
    expect(
      records('{"name":"Anouk van der Berg","geburtsdatum":{"jahr":1945,"monat":3,"tag":12}}').out,
    ).toHaveLength(1);
  });

  it('does not take other dated objects for a birth date', () => {
    expect(records('{"name":"Anouk van der Berg","created":{"year":1945,"month":3,"day":12}}').out).toEqual(
      [],
    );
    expect(records('{"name":"Anouk van der Berg","dob":{"year":"<redacted>"}}').out).toEqual([]);
  });
});

describe('tables written as JSON arrays', () => {
  const tables: Record<string, string> = {
    'columns and rows (FR)': `{"columns":["nom","prenom","date_naissance"],"rows":[["Lefort","Amandine","1953-11-12"],["Okafor","Chidi","1977-01-24"]]}`,
    'column objects as a SQL API returns them': `{"columns":[{"name":"last_name","type":"text"},{"name":"first_name","type":"text"},{"name":"birth_date","type":"date"}],"rows":[["Varga","Ilona","1962-05-30"]]}`,
    'a spreadsheet range with its header row': `{"range":"Sheet1!A1:C3","values":[["Name","DOB","MRN"],["Ilona Varga","05/30/1962","00451234"]]}`,
    'rows without a header (Python list)': `rows = [('Varga', 'Ilona', '1962-05-30', 17), ('Okafor', 'Chidi', '1977-01-24', 18)]`,
  };
  for (const [name, text] of Object.entries(tables)) {
    it(`reports ${name}`, () => {
      const { out } = records(text);
      expect(out.map((f) => f.kind)).toContain('patient-table');
    });
  }

  it('reports many rows as one finding counting them', () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `["Varga","Ilona","1962-05-${String((i % 28) + 1).padStart(2, '0')}"]`,
    );
    const { out } = records(`{"columns":["nachname","vorname","geburtsdatum"],"data":[${rows.join(',')}]}`);
    const tables = out.filter((f) => f.kind === 'patient-table');
    expect(tables).toHaveLength(1);
    expect(tables[0]?.excerpt).toContain('40 filled rows');
  });

  const clean: Record<string, string> = {
    'a header with no rows': `{"columns":["last_name","first_name","birth_date"],"rows":[]}`,
    'a device table': `{"columns":["host","firmware","installed"],"rows":[["Monitor-203","5.5.51","2021-03-04"]]}`,
    'rows that hold placeholders': `{"columns":["nom","prenom","date_naissance"],"rows":[["[REDACTED]","[REDACTED]","XXXX-XX-XX"]]}`,
    'a list of versions and dates': `["Release", "Build", "2019-04-02"]`,
  };
  for (const [name, text] of Object.entries(clean)) {
    it(`does not report ${name}`, () => {
      expect(records(text).out.filter((f) => f.kind === 'patient-table')).toEqual([]);
    });
  }

  it('stays linear on 1 MiB of nested arrays of strings', () => {
    const text = '["Varga","Ilona",['.repeat(60_000);
    const { steps } = records(text);
    expect(steps).toBeLessThan(text.length * 4);
  });
});

describe('XML with namespace prefixes and fields named by an attribute', () => {
  it.each([
    [
      'a SOAP response with prefixed elements',
      '<soap:Envelope><soap:Body><ns2:getPatientResponse><ns2:patient><ns2:lastName>Okonkwo</ns2:lastName><ns2:firstName>Amara</ns2:firstName><ns2:birthDate>1971-03-02</ns2:birthDate></ns2:patient></ns2:getPatientResponse></soap:Body></soap:Envelope>',
    ],
    [
      'a SAML assertion',
      '<saml:AttributeStatement><saml:Attribute Name="displayName"><saml:AttributeValue>Lim Jae-won</saml:AttributeValue></saml:Attribute><saml:Attribute Name="dateOfBirth"><saml:AttributeValue>1977-05-13</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>',
    ],
    [
      'Android shared preferences',
      '<map>\n  <string name="patient_name">Ilona Varga</string>\n  <string name="dob">1962-05-30</string>\n</map>',
    ],
  ])('finds %s', (_name, text) => {
    expect(records(text).out.map((f) => f.kind)).toContain('patient-record');
  });

  it('does not take a prefixed schema or a settings file for a record', () => {
    const xsd =
      '<xs:complexType name="Patient"><xs:sequence><xs:element name="lastName" type="xs:string"/><xs:element name="birthDate" type="xs:date"/></xs:sequence></xs:complexType>';
    const prefs =
      '<map><string name="server_url">https://pacs.example</string><int name="retries" value="3"/></map>';
    expect(records(xsd).out).toEqual([]);
    expect(records(prefs).out).toEqual([]);
  });
});

describe('HTML and spreadsheet rows of cells', () => {
  it('judges a row of cells under a header row of column names', () => {
    const text =
      '<table><tr><th>Name</th><th>Vorname</th><th>Geburtsdatum</th></tr><tr><td>Okonkwo</td><td>Amara</td><td>02.03.1971</td></tr></table>';
    expect(records(text).out.map((f) => f.kind)).toEqual(['patient-table']);
  });

  it('judges a row of cells without a header by its values', () => {
    expect(
      records('<tr><td>Okonkwo</td><td>Amara</td><td>02.03.1971</td></tr>').out.map((f) => f.kind),
    ).toEqual(['patient-table']);
  });

  it('does not take a table of devices for people', () => {
    const text =
      '<table><tr><th>Device</th><th>Firmware</th><th>Installed</th></tr><tr><td>Monitor-203</td><td>5.5.51</td><td>02.03.2019</td></tr></table>';
    expect(records(text).out).toEqual([]);
  });
});

describe('dumps of scripting languages', () => {
  it.each([
    [
      'PHP var_dump',
      'array(3) {\n  ["nom"]=>\n  string(6) "Dupont"\n  ["prenom"]=>\n  string(4) "Jean"\n  ["ddn"]=>\n  string(10) "1950-06-12"\n}',
    ],
    [
      'PHP print_r',
      'Array\n(\n    [nombre] => Lucía\n    [apellido] => Romero\n    [fecha_nacimiento] => 1977-03-12\n)',
    ],
    ['a Perl hash', "{ 'first_name' => 'Aoife', 'last_name' => 'Byrne', 'dob' => '1983-02-11' }"],
    ['Salesforce custom fields', "Patient__c: { Name: 'Aoife Byrne', Birthdate__c: '1983-02-11' }"],
  ])('finds %s', (_name, text) => {
    expect(records(text).out.map((f) => f.kind)).toContain('patient-record');
  });

  it('does not read prose that starts like a var_dump value as one', () => {
    const text = 'intake of the form is slow\n["build"]=>\nstring(5) "4.2.1"';
    expect(records(text).out).toEqual([]);
  });
});

describe('bracketed form fields and named field elements', () => {
  it('reads Rails and PHP nested form fields by their inner key', () => {
    expect(
      records('patient[first_name]=Aoife&patient[last_name]=Byrne&patient[dob]=1983-02-11').out.map(
        (f) => f.kind,
      ),
    ).toEqual(['patient-record']);
  });

  it('reads <field name="…"> elements without a parent as a record', () => {
    const text = '<field name="lastname">Byrne</field><field name="birthdate">1983-02-11</field>';
    expect(records(text).out.map((f) => f.kind)).toEqual(['patient-record']);
  });

  it('does not read a bracketed array index as a field', () => {
    expect(records('items[0]=4471&items[1]=1983-02-11').out).toEqual([]);
  });
});
