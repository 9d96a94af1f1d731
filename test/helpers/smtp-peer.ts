import net from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** One message the peer accepted: the SMTP envelope, the raw bytes and the parsed mail. */
export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives; behaviour can change mid-test. */
export interface SmtpPeer {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Answer every new connection with 421 in place of a greeting. */
  refuseConnections: boolean;
  /** Reject every recipient with this reply (e.g. 550); the message is `<enhanced> <text>`. */
  rejectRcpt: { code: number; message: string } | undefined;
  /** Hold the reply to DATA until the returned function is called (to catch a send mid-flight). */
  holdData(): { reached: Promise<void>; release: () => void };
  close(): Promise<void>;
}

/** A port nothing listens on right now: an ephemeral one, bound and let go again. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts an SMTP peer on `port` (default: an ephemeral one). No TLS, no authentication needed. */
export async function startSmtpPeer(port = 0): Promise<SmtpPeer> {
  let hold: { reached: () => void; released: Promise<void> } | undefined;
  const peer: Omit<SmtpPeer, 'port' | 'url' | 'close'> = {
    received: [],
    refuseConnections: false,
    rejectRcpt: undefined,
    holdData() {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((r) => {
        reached = r;
      });
      const released = new Promise<void>((r) => {
        release = r;
      });
      hold = { reached, released };
      return { reached: reachedP, release };
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    onConnect(_session, callback) {
      if (!peer.refuseConnections) return callback();
      callback(Object.assign(new Error('Service not available, try later'), { responseCode: 421 }));
    },
    onRcptTo(_address: SMTPServerAddress, _session, callback) {
      const reject = peer.rejectRcpt;
      if (!reject) return callback();
      callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void (async () => {
          try {
            const parsed = await simpleParser(raw);
            const current = hold;
            if (current) {
              hold = undefined;
              current.reached();
              await current.released;
            }
            // Recorded before the 250 goes out, so a resolved send is always visible here.
            peer.received.push({
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcptTo: session.envelope.rcptTo.map((a) => a.address),
              raw,
              parsed,
            });
            callback();
          } catch (err) {
            callback(err as Error);
          }
        })();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as net.AddressInfo;
  return Object.assign(peer, {
    port: address.port,
    url: `smtp://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/**
 * Run the outbox worker until a run sends and fails nothing (at most ten runs, so a mail that
 * keeps failing cannot hang the test); returns what `peer` received meanwhile.
 */
export async function deliverQueued(
  v: { worker?: { runOnce(): Promise<{ sent: number; failed: number }> } | null },
  peer: SmtpPeer,
): Promise<ReceivedMail[]> {
  const before = peer.received.length;
  for (let i = 0; i < 10; i++) {
    const { sent, failed } = await (v.worker as NonNullable<typeof v.worker>).runOnce();
    if (sent === 0 && failed === 0) break;
  }
  return peer.received.slice(before);
}
