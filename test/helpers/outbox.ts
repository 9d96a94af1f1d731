import type { Clock } from '../../src/core/clock.js';
import { createSealer, loadKeyring } from '../../src/crypto/index.js';
import { createOutboxWorker, type OutboxWorker } from '../../src/jobs/index.js';
import { createSmtpSender, type MailSender } from '../../src/mail/transport.js';
import type { SmtpPeer } from './smtp-peer.js';
import type { TestVigil } from './test-vigil.js';

/**
 * An outbox worker for `v` that sends to `peer`, wired as src/server.ts wires it: the sealer opens
 * what the app sealed (the keyring comes from the same data directory), and mail is signed by the
 * program key. Close `sender` when done.
 */
export async function startOutboxWorker(
  v: TestVigil,
  peer: SmtpPeer,
  clock: Clock,
): Promise<{ sender: MailSender; worker: OutboxWorker }> {
  const sealer = createSealer(
    await loadKeyring({ masterKey: v.config.masterKey, dataDir: v.config.dataDir }),
  );
  const sender = createSmtpSender({
    smtpUrl: peer.url,
    from: v.config.mailFrom,
    resolveSigningKey: (programId) => v.services.keys.signingKey(programId),
  });
  return { sender, worker: createOutboxWorker({ db: v.db, sealer, clock, sender }) };
}
