/**
 * The workload shared by the intake benchmark and its large-upload server child: a valid set of
 * answers of a chosen size, and multipart framing that can wrap a buffer or a stream.
 */
import { randomBytes } from 'node:crypto';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from '../test/helpers/reports.js';

/** Multipart framing around the parts, so a body can be built whole or streamed. */
export function multipartFrame(fields: Record<string, string>, file: { name: string; size: number }) {
  const boundary = `----vigilbench${randomBytes(12).toString('hex')}`;
  const textParts = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const head = Buffer.from(
    `${textParts}--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${file.name}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    head,
    tail,
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + file.size + tail.length,
  };
}

const WORDS =
  'infusion pump firmware telemetry buffer overflow heap parser dicom gateway token session replay ' +
  'bluetooth pairing bypass unauthenticated endpoint injection crafted packet crash reboot dosage ' +
  'clinician workstation certificate validation downgrade encryption plaintext credentials exposure';

function filler(bytes: number): string {
  const words = WORDS.split(' ');
  let out = '';
  while (out.length < bytes) out += `${words[Math.floor(Math.random() * words.length)]} `;
  return out.slice(0, bytes).trimEnd();
}

/**
 * Valid answers for the program, with the free-text fields that have no length cap filled so
 * that all answers together come to about `total` bytes.
 */
export function sizedAnswers(program: Program, total: number): Record<string, string> {
  const answers = validAnswers(program, 'heap overflow in the telemetry parser');
  const stretchable = program.definition.form.fields
    .filter((f) => f.kind === 'textarea' && f.maxLength === undefined)
    .map((f) => f.id);
  if (stretchable.length === 0) throw new Error(`program ${program.slug} has no uncapped text field`);
  const current = Object.values(answers).reduce((n, v) => n + Buffer.byteLength(v), 0);
  const per = Math.max(0, Math.floor((total - current) / stretchable.length));
  for (const id of stretchable) answers[id] = `${answers[id] ?? ''} ${filler(per - 1)}`;
  return answers;
}

export const answerBytes = (a: Record<string, string>) =>
  Object.values(a).reduce((n, v) => n + Buffer.byteLength(v), 0);
