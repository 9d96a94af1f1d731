import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEAD_BYTES, openMailSpool, SpoolLimitError } from './mail-spool.js';

describe('mail spool', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-spool-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back what was written, with its size, hash and head, and keeps it encrypted on disk', async () => {
    const spool = await openMailSpool(dir);
    const data = Buffer.concat([Buffer.from('Subject: marker-in-plain-text\r\n\r\n'), randomBytes(300_000)]);
    const w = spool.create();
    for (let at = 0; at < data.length; at += 7_001) w.write(data.subarray(at, at + 7_001));
    const file = await w.finish();
    expect(file.size).toBe(data.length);
    expect(file.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(file.head.equals(data.subarray(0, HEAD_BYTES))).toBe(true);
    expect((await file.read()).equals(data)).toBe(true);
    const [name] = await spool.files();
    const stored = await readFile(join(dir, name as string));
    expect(stored.includes('marker-in-plain-text')).toBe(false);
    expect(stored.includes(data.subarray(40_000, 40_032))).toBe(false);
    await file.remove();
    expect(await spool.files()).toEqual([]);
  });

  it('refuses a file changed on disk instead of reading it', async () => {
    const spool = await openMailSpool(dir);
    const file = await spool.fromStream([randomBytes(200_000)]);
    const [name] = await spool.files();
    const path = join(dir, name as string);
    const stored = await readFile(path);
    stored[stored.length - 100] = (stored[stored.length - 100] as number) ^ 1;
    await writeFile(path, stored);
    await expect(file.read()).rejects.toThrow();
  });

  it('removes a discarded file and one over its limit', async () => {
    const spool = await openMailSpool(dir);
    const w = spool.create();
    w.write(randomBytes(1000));
    await w.discard();
    await expect(spool.fromStream([randomBytes(600), randomBytes(600)], 1000)).rejects.toBeInstanceOf(
      SpoolLimitError,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("sweeps on opening what a stopped process (or this one's earlier life) left, not a living process's files", async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    const names = [
      `${deadPid}-${randomBytes(16).toString('hex')}.spool`,
      `${process.pid}-${randomBytes(16).toString('hex')}.spool`,
      `${process.ppid}-${randomBytes(16).toString('hex')}.spool`,
      'not-a-spool-file',
    ];
    for (const n of names) await writeFile(join(dir, n), 'x');
    const spool = await openMailSpool(dir);
    expect(spool.swept).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([names[2], names[3]].sort());
  });
});
