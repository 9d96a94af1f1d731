import type { Program } from '../../src/programs/index.js';

/**
 * A complete, valid set of answers for a program's form, built from its definition, with
 * `text` placed in the main description field so tests can trace it (e.g. a canary).
 */
export function validAnswers(
  program: Program,
  text: string,
  email = 'researcher@example.org',
): Record<string, string> {
  const d = program.definition;
  const out: Record<string, string> = {};
  for (const f of d.form.fields) {
    switch (f.kind) {
      case 'email':
        out[f.id] = email;
        break;
      case 'phone':
        out[f.id] = '+1 416 555 0100';
        break;
      case 'url':
        out[f.id] = 'https://example.org/advisory';
        break;
      case 'urls':
        out[f.id] = 'https://example.org/a\nhttps://example.org/b';
        break;
      case 'select':
      case 'multiselect':
        out[f.id] = f.options?.[0]?.value ?? '';
        break;
      case 'product':
        out[f.id] = d.scope.products[0]?.id ?? 'other';
        break;
      case 'yesno':
        out[f.id] = 'no';
        break;
      case 'checkbox':
        if (f.required) out[f.id] = 'on';
        break;
      case 'date':
        out[f.id] = '2026-11-20';
        break;
      default:
        out[f.id] =
          f.purpose === 'summary' || f.purpose === 'details' || f.purpose === 'title'
            ? `${f.label}: ${text}`
            : f.purpose === 'contact.name'
              ? 'Ada Researcher'
              : `Answer to ${f.label}`.slice(0, f.maxLength ?? 200);
    }
  }
  return out;
}

/** The description-like field of a program (where `validAnswers` puts the traced text). */
export function mainTextField(program: Program): string {
  const f = program.definition.form.fields.find(
    (x) => x.purpose === 'details' || x.purpose === 'summary' || x.purpose === 'title',
  );
  if (!f) throw new Error('program has no main text field');
  return f.id;
}

/** Build a multipart/form-data body by hand (the same bytes a browser without JavaScript sends). */
export function multipartBody(
  fields: Record<string, string | string[]>,
  files: { field?: string; name: string; type?: string; data: Buffer }[] = [],
): { body: Buffer; contentType: string } {
  const boundary = `----vigil${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`),
      );
    }
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'attachments'}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A `fetch` request that submits `answers` as a report over real HTTP: multipart with `file` as
 * its one attachment when given (the form's encoding), else the API's JSON.
 */
export function reportSubmission(
  answers: Record<string, string>,
  file?: { name: string; data: Buffer },
): RequestInit {
  if (file) {
    const { body, contentType } = multipartBody(answers, [file]);
    return { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) };
  }
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields: answers }),
  };
}

/**
 * `app.inject` options that submit `answers` with `files` to `slug` over the JSON API's intake,
 * multipart as the form sends them.
 */
export function multipartSubmission(
  slug: string,
  answers: Record<string, string | string[]>,
  files: { field?: string; name: string; type?: string; data: Buffer }[],
): { method: 'POST'; url: string; headers: Record<string, string>; payload: Buffer } {
  const { body, contentType } = multipartBody(answers, files);
  return {
    method: 'POST',
    url: `/api/v1/programs/${slug}/reports`,
    headers: { 'content-type': contentType },
    payload: body,
  };
}
