import type { FieldProblem } from '../core/index.js';

/**
 * The customer import file: CSV (RFC 4180: comma-separated, fields with commas, quotes or line
 * breaks in double quotes, a quote inside doubled), UTF-8, a header row first. Columns, in any
 * order, names case-insensitive:
 *
 *   organisation  the customer organisation (created when the program has none of that name)
 *   name          the contact's name
 *   email         the contact's address (one contact per organisation and address)
 *   products      product ids of the program, separated by semicolons (added to the organisation)
 *   pgp_key       optional: the contact's armored OpenPGP public key, as a quoted multi-line field
 *
 * Keys are never fetched from URLs during an import: an import must not depend on, or reveal the
 * customer list to, outside servers, and a URL vouches for nothing. Unknown columns are refused,
 * so a misspelt `pgp_key` does not silently drop every key.
 */

export const CSV_COLUMNS = ['organisation', 'name', 'email', 'products', 'pgp_key'] as const;
const REQUIRED = ['organisation', 'name', 'email', 'products'] as const;

/** One data row of the file, with the line it starts on (the header is line 1). */
export interface CsvRow {
  line: number;
  organisation: string;
  name: string;
  email: string;
  products: string[];
  pgpKey?: string;
}

/** Split CSV text into records of fields, each with the line number it starts on. */
export function parseCsvRecords(text: string): { line: number; fields: string[] }[] | { error: string } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') continue;
    else if (ch === '\n' || ch === '\r') {
      endRecord();
      line++;
      start = line;
    } else field += ch;
  }
  if (quoted) return { error: `line ${start}: a quoted field is not closed` };
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/**
 * Read the import file into rows, or list every problem (path `line <n>`, or `header`) so one
 * answer names every bad row. `productIds` are the program's products.
 */
export function readCustomerCsv(
  text: string,
  productIds: readonly string[],
): { rows: CsvRow[]; problems: FieldProblem[] } {
  const parsed = parseCsvRecords(text);
  if ('error' in parsed) return { rows: [], problems: [{ path: 'body', message: parsed.error }] };
  const [header, ...data] = parsed;
  if (!header) return { rows: [], problems: [{ path: 'body', message: 'the file is empty' }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const problems: FieldProblem[] = [];
  for (const n of names)
    if (!(CSV_COLUMNS as readonly string[]).includes(n))
      problems.push({ path: 'header', message: `unknown column "${n}"; expected ${CSV_COLUMNS.join(', ')}` });
  for (const r of REQUIRED)
    if (!names.includes(r)) problems.push({ path: 'header', message: `the column "${r}" is missing` });
  if (new Set(names).size !== names.length)
    problems.push({ path: 'header', message: 'a column is named twice' });
  if (problems.length > 0) return { rows: [], problems };
  if (data.length === 0) return { rows: [], problems: [{ path: 'body', message: 'the file has no rows' }] };

  const rows: CsvRow[] = [];
  const seen = new Map<string, number>();
  for (const rec of data) {
    const get = (col: string) => (rec.fields[names.indexOf(col)] ?? '').trim();
    const bad: string[] = [];
    if (rec.fields.length !== names.length)
      bad.push(`expected ${names.length} fields, found ${rec.fields.length}`);
    const organisation = get('organisation');
    const name = get('name');
    const email = get('email').toLowerCase();
    const products = get('products')
      .split(';')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const pgpKey = names.includes('pgp_key') ? get('pgp_key') : '';
    if (organisation === '' || organisation.length > 200) bad.push('organisation: 1–200 characters');
    if (name === '' || name.length > 200) bad.push('name: 1–200 characters');
    if (!EMAIL.test(email) || email.length > 254) bad.push('email: expected an email address');
    if (products.length === 0) bad.push('products: name at least one product id');
    for (const p of products)
      if (!productIds.includes(p)) bad.push(`products: "${p}" is not a product of this program`);
    const key = `${organisation.toLowerCase()}\n${email}`;
    const twice = seen.get(key);
    if (twice !== undefined) bad.push(`email: this contact is already on line ${twice}`);
    else seen.set(key, rec.line);
    if (bad.length > 0) problems.push({ path: `line ${rec.line}`, message: bad.join('; ') });
    else rows.push({ line: rec.line, organisation, name, email, products, ...(pgpKey ? { pgpKey } : {}) });
  }
  return { rows, problems };
}
