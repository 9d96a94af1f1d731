import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './smtp-peer.js';

/**
 * A real Dovecot IMAP server (Debian's `dovecot-imapd`) for tests: unprivileged where it can be,
 * on 127.0.0.1 and a free port, everything (config, sockets, state, log, mail) in one temporary
 * directory. One user with a plaintext password; mail arrives by IMAP APPEND.
 *
 * Dovecot refuses to run its login processes as root and refuses root as the mail user. Run as
 * root (as in CI), it therefore uses the system users the Debian package creates — `dovenull` for
 * login, `dovecot` for its internal processes — and `nobody` owns the mail. Run as anyone else,
 * every process and the mail belong to that user.
 */
export interface Dovecot {
  port: number;
  user: string;
  password: string;
  /** The Vigil URL for `mailbox` (default INBOX), with `query` appended as is. */
  url(mailbox?: string, query?: string): string;
  /** A logged-in client; the caller logs out. */
  client(): Promise<ImapFlow>;
  /** Delivers a raw message into `mailbox` (created when missing); resolves with its UID. */
  append(raw: string | Buffer, mailbox?: string, flags?: string[]): Promise<number>;
  /** Flags of every message in `mailbox`, by UID. */
  flags(mailbox?: string): Promise<Map<number, Set<string>>>;
  /** Stops the server, keeping the mail; `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes everything. */
  destroy(): Promise<void>;
  /** The server's log, for a failing test's message. */
  log(): Promise<string>;
}

const DOVECOT = '/usr/sbin/dovecot';

export async function startDovecot(): Promise<Dovecot> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-dovecot-'));
  // The login and auth processes run as other users: they must reach the sockets and the passwd file.
  await fs.chmod(dir, 0o755);
  const port = await freePort();
  const user = 'vigil';
  const password = 'imap-secret';
  const root = process.getuid?.() === 0;
  const mailOwner = root
    ? systemUser('nobody')
    : { name: os.userInfo().username, uid: os.userInfo().uid, gid: os.userInfo().gid };
  const loginUser = root ? systemUser('dovenull').name : mailOwner.name;
  const internalUser = root ? systemUser('dovecot').name : mailOwner.name;
  const mailDir = path.join(dir, 'mail');
  await fs.mkdir(mailDir);
  if (root) await fs.chown(mailDir, mailOwner.uid, mailOwner.gid);
  await fs.writeFile(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const conf = path.join(dir, 'dovecot.conf');
  await fs.writeFile(
    conf,
    [
      'protocols = imap',
      'listen = 127.0.0.1',
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      `info_log_path = ${dir}/dovecot.log`,
      'ssl = no',
      'disable_plaintext_auth = no',
      'login_trusted_networks = 127.0.0.0/8',
      'auth_mechanisms = plain login',
      `default_login_user = ${loginUser}`,
      `default_internal_user = ${internalUser}`,
      `default_internal_group = ${root ? internalUser : (groupName(mailOwner.gid) ?? mailOwner.name)}`,
      'first_valid_uid = 1',
      `mail_location = maildir:${mailDir}/%u/Maildir`,
      'passdb {',
      '  driver = passwd-file',
      `  args = scheme=PLAIN username_format=%u ${dir}/passwd`,
      '}',
      'userdb {',
      '  driver = static',
      `  args = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${mailDir}/%u`,
      '}',
      // chroot needs root; a test server has nothing to hide from its own login process.
      'service anvil {',
      '  chroot =',
      '}',
      'service imap-login {',
      '  chroot =',
      '  inet_listener imap {',
      '    address = 127.0.0.1',
      `    port = ${port}`,
      '  }',
      '  inet_listener imaps {',
      '    port = 0',
      '  }',
      '}',
      '',
    ].join('\n'),
  );

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  async function start(): Promise<void> {
    if (child) return;
    // A process group of its own, so stop() takes the sessions down too: Dovecot's master leaves
    // its imap processes serving open connections when it exits, which is no restart at all.
    const c = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    c.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    let gone = false;
    exited = new Promise((resolve) => {
      c.once('exit', () => {
        gone = true;
        resolve();
      });
    });
    child = c;
    // A test run that dies without destroy() must not leave a server behind.
    const reap = () => signalGroup(c.pid as number, 'SIGKILL');
    process.once('exit', reap);
    c.once('exit', () => process.off('exit', reap));
    const deadline = Date.now() + 15_000;
    while (!(await answers(port))) {
      if (gone || Date.now() > deadline) {
        child = undefined;
        c.kill('SIGKILL');
        throw new Error(`Dovecot did not start: ${stderr}\n${await readLog()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function stop(): Promise<void> {
    const c = child;
    if (!c) return;
    child = undefined;
    const group = c.pid as number;
    signalGroup(group, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    await exited;
    while (signalGroup(group, 0)) {
      if (Date.now() > deadline) signalGroup(group, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const readLog = () => fs.readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');

  async function client(): Promise<ImapFlow> {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user, pass: password },
      logger: false,
    });
    c.on('error', () => {});
    await c.connect();
    return c;
  }

  await start();
  return {
    port,
    user,
    password,
    url: (mailbox = 'INBOX', query = '') =>
      `imap://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(mailbox)}${query}`,
    client,
    async append(raw, mailbox = 'INBOX', flags = []) {
      const c = await client();
      try {
        if (mailbox !== 'INBOX') await c.mailboxCreate(mailbox).catch(() => {});
        const res = await c.append(mailbox, raw, flags);
        if (!res || res.uid === undefined) throw new Error('APPEND failed');
        return res.uid;
      } finally {
        await c.logout().catch(() => c.close());
      }
    },
    async flags(mailbox = 'INBOX') {
      const c = await client();
      const out = new Map<number, Set<string>>();
      try {
        const lock = await c.getMailboxLock(mailbox);
        try {
          if ((c.mailbox as { exists: number }).exists > 0) {
            for await (const m of c.fetch('1:*', { uid: true, flags: true }))
              out.set(m.uid, m.flags ?? new Set());
          }
        } finally {
          lock.release();
        }
      } finally {
        await c.logout().catch(() => c.close());
      }
      return out;
    },
    stop,
    start,
    async destroy() {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
    log: readLog,
  };
}

/** Signals every process of the group; false once none is left. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('data', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('close', () => resolve(false));
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

function systemUser(name: string): { name: string; uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`Dovecot needs the system user "${name}" (created by the dovecot-core package)`);
  const [, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

function groupName(gid: number): string | undefined {
  return readFileSync('/etc/group', 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => Number(f[2]) === gid)?.[0];
}
