/** Where the mailbox is and how to log in, as read from `VIGIL_IMAP_URL`. */
export interface ImapTarget {
  secure: boolean;
  host: string;
  port: number;
  user: string;
  password: string;
  /** The mailbox to poll, as the server names it (with its own hierarchy delimiter). */
  mailbox: string;
  /** Move processed mail here instead of marking it with a keyword. */
  processedFolder?: string;
  /** Where poison messages go in move mode. */
  failedFolder: string;
  /** imapflow's `doSTARTTLS`: true = required, false = never, undefined = when offered. */
  startTls?: boolean;
}

const DEFAULT_FAILED_FOLDER = 'Vigil-Failed';

/**
 * Reads `imap[s]://user:password@host[:port]/MAILBOX?processed=FOLDER&failed=FOLDER&starttls=…`.
 * User and password are percent-encoded like any URL userinfo (`%40` for an `@` in the user name).
 * The path, percent-decoded and without its leading `/`, is the mailbox; none means `INBOX`. A
 * folder below another is written with the server's delimiter (`/INBOX.Security` on Dovecot's
 * default, `/INBOX%2FSecurity` where it is `/`). `processed` switches to move mode; `failed` names
 * the folder for poison messages in move mode (default `Vigil-Failed`); folders are created when
 * first needed. `imaps://` is TLS from the start (port 993); `imap://` (port 143) must upgrade with
 * STARTTLS unless the host is a loopback address, because the login and the unpublished reports
 * would otherwise cross the network in clear; `starttls=optional` allows cleartext anyway and
 * `starttls=never` forbids the upgrade.
 */
export function parseImapUrl(url: string): ImapTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('VIGIL_IMAP_URL is not a URL');
  }
  const secure = u.protocol === 'imaps:';
  if (!secure && u.protocol !== 'imap:') throw new Error('VIGIL_IMAP_URL must be an imap:// or imaps:// URL');
  if (u.hostname === '') throw new Error('VIGIL_IMAP_URL names no host');
  if (u.username === '') throw new Error('VIGIL_IMAP_URL names no user (imaps://user:password@host/)');
  const mailbox = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  const folder = (name: string) => {
    const v = u.searchParams.get(name);
    return v === null || v.trim() === '' ? undefined : v.trim();
  };
  const startTlsParam = u.searchParams.get('starttls');
  let startTls: boolean | undefined;
  if (secure || startTlsParam === 'never') startTls = false;
  else if (startTlsParam === 'optional') startTls = undefined;
  else if (startTlsParam === null || startTlsParam === 'required') {
    startTls = startTlsParam === 'required' || !isLoopback(u.hostname) ? true : undefined;
  } else throw new Error('VIGIL_IMAP_URL: starttls must be required, optional or never');
  return {
    secure,
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port === '' ? (secure ? 993 : 143) : Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    mailbox,
    processedFolder: folder('processed'),
    failedFolder: folder('failed') ?? DEFAULT_FAILED_FOLDER,
    startTls,
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
