import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import type { TestVigil } from './test-vigil.js';

/** Runs gpg in `home`; resolves with its exit code, stdout and stderr. */
export function gpg(
  home: string,
  args: string[],
  input?: string | Buffer,
): Promise<{ code: number; out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out: Buffer.concat(out), err }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** A GnuPG home with a fresh key for `uid`; returns the home and the armored public key. */
export async function gpgIdentity(uid: string, email: string): Promise<{ home: string; publicKey: string }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-gpg-'));
  const gen = await gpg(home, [
    '--passphrase',
    '',
    '--pinentry-mode',
    'loopback',
    '--quick-gen-key',
    uid,
    'future-default',
    'default',
    'never',
  ]);
  if (gen.code !== 0) throw new Error(gen.err);
  const publicKey = (await gpg(home, ['--armor', '--export', email])).out.toString('utf8');
  return { home, publicKey };
}

export async function removeGpgHome(home: string | undefined): Promise<void> {
  if (!home) return;
  await new Promise<void>((resolve) => {
    const kill = spawn('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
    kill.on('close', () => resolve());
    kill.on('error', () => resolve());
  });
  await fs.rm(home, { recursive: true, force: true });
}

/**
 * Lakeside with customer notification switched on (pre-notification as asked) and a phone
 * field on its form, so a reporter's name, address and phone can all be traced.
 */
export async function lakesideForOutreach(v: TestVigil, preNotify: boolean): Promise<void> {
  const def = YAML.parse(await v.services.programs.exportYaml('lakeside-health'));
  def.disclosure = { ...def.disclosure, notifyCustomers: true, preNotifyCustomers: preNotify };
  if (!def.form.fields.some((f: { id: string }) => f.id === 'phone'))
    def.form.fields.push({
      id: 'phone',
      kind: 'phone',
      label: 'Phone',
      contact: true,
      purpose: 'contact.phone',
    });
  await v.services.programs.importYaml(YAML.stringify(def), 'test');
}

/** The first armored OpenPGP message in a raw mail. */
export function armoredMessageOf(raw: Buffer): string {
  const m = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(raw.toString('utf8'));
  if (!m) throw new Error('no OpenPGP message in the mail');
  return m[0];
}
