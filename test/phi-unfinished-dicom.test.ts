import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * A DICOM file the PHI guard cannot finish checking (sequences nested far past its bound) is held
 * on arrival like one with patient tags, on a new report and on a reporter's follow-up. Before the
 * walk was bounded the guard's recursion overflowed the stack: the API answered 500 and the
 * report was lost (and a mail with it was refused for the sender to retry forever).
 */

/** Explicit VR little endian, `levels` sequences of undefined length each holding one item of undefined length. */
function deeplyNestedDicom(levels: number): Buffer {
  const uid = '1.2.840.10008.1.2.1\0';
  const meta = Buffer.alloc(8 + uid.length);
  meta.writeUInt16LE(0x0002, 0);
  meta.writeUInt16LE(0x0010, 2);
  meta.write('UI', 4, 'latin1');
  meta.writeUInt16LE(uid.length, 6);
  meta.write(uid, 8, 'latin1');
  const open = Buffer.alloc(20);
  open.writeUInt16LE(0x0008, 0);
  open.writeUInt16LE(0x1140, 2);
  open.write('SQ', 4, 'latin1');
  open.writeUInt32LE(0xffffffff, 8);
  open.writeUInt16LE(0xfffe, 12);
  open.writeUInt16LE(0xe000, 14);
  open.writeUInt32LE(0xffffffff, 16);
  const close = Buffer.alloc(16);
  close.writeUInt16LE(0xfffe, 0);
  close.writeUInt16LE(0xe00d, 2);
  close.writeUInt16LE(0xfffe, 8);
  close.writeUInt16LE(0xe0dd, 10);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    meta,
    Buffer.alloc(open.length * levels, open),
    Buffer.alloc(close.length * levels, close),
  ]);
}

describe.each(dialects)('a DICOM file the guard cannot finish checking is held (%s)', (dialect) => {
  let v: TestVigil;
  let program: Program;
  const dicom = deeplyNestedDicom(50_000);

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    program = (await v.services.programs.list()).find(
      (p) => p.definition.form.attachments.allowed,
    ) as Program;
    expect(program).toBeDefined();
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const heldParts = (kind: string) =>
    v.db.kysely
      .selectFrom('phi_quarantine')
      .select(['part_ref', 'kinds', 'state'])
      .where('part_kind', '=', kind)
      .execute();

  it('on a new report through the API: 201, and the attachment is quarantined', async () => {
    const { body, contentType } = multipartBody(validAnswers(program, 'scan export'), [
      { name: 'IMG00001.dcm', type: 'application/dicom', data: dicom },
    ]);
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const attachment = await v.db.kysely.selectFrom('attachments').select('id').executeTakeFirstOrThrow();
    expect(await heldParts('attachment')).toEqual([
      { part_ref: attachment.id, kinds: JSON.stringify(['dicom-patient']), state: 'quarantined' },
    ]);
  });

  it('on a reporter follow-up from the private page: 303, and the attachment is quarantined', async () => {
    const receipt = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.slug}/reports`,
      payload: { fields: validAnswers(program, 'follow-up') },
    });
    expect(receipt.statusCode, receipt.body).toBe(201);
    const token = new URL(receipt.json().reporterUrl).pathname.split('/')[2] as string;
    const before = (await heldParts('attachment')).length;
    const { body, contentType } = multipartBody({ message: 'One more image from the workstation.' }, [
      { name: 'IMG00002.dcm', type: 'application/dicom', data: dicom },
    ]);
    const res = await v.app.inject({
      method: 'POST',
      url: `/r/${token}/messages`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(303);
    expect((await heldParts('attachment')).length).toBe(before + 1);
  });
});
