import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, ForbiddenError, NotFoundError, newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { enqueueMail } from '../jobs/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import type { AdvisoryRelease, TlpLabel } from './advisory-model.js';
import { advisoryPath, historyOf, parseContent } from './advisory-read-model.js';
import * as advisories from './advisory-store.js';
import type { CoordinatorService } from './coordinators-service.js';
import { managesCustomers } from './customers-access.js';
import type { CnaIdentity } from './cve-record.js';
import * as deliveries from './deliveries-store.js';
import { customerRecipients } from './notifications.js';
import { isRestricted } from './notifications-text.js';
import { buildSharingPackage } from './sharing-package.js';

/**
 * Sharing an advisory revision with coordinators, and the record of who was told what: the case
 * team (`case.write`) shares an approved, scheduled or published revision; each coordinator
 * gets its own PGP/MIME mail, encrypted to its key and signed by the program, that must never go
 * out in clear; one log row per coordinator and one audit entry commit with the outbox rows.
 * The delivery list needs `case.contact`; its recipient addresses (customers', coordinators' and
 * the reporter's) are shown only to those who may list the program's customers and coordinators
 * (`managesCustomers`): the rest of the case team sees each mail's kind, stage and status, so it
 * knows how many were told and which failed, but not to whom.
 */

export interface DeliveryView {
  kind: 'customer' | 'reporter';
  /** null: withheld from a caller who does not manage the program's customers. */
  email: string | null;
  revision: number;
  stage: 'pre-notification' | 'publication';
  encrypted: boolean;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';
  queuedAt: string;
  sentAt: string | null;
}

export interface SharingView {
  coordinatorId: string;
  coordinator: string;
  /** null: withheld, as for deliveries. */
  email: string | null;
  revision: number;
  tlp: TlpLabel;
  status: DeliveryView['status'];
  sharedBy: string;
  sharedAt: string;
  sentAt: string | null;
}

/**
 * Who a revision's customer notification would reach, for staff to see before publishing: how
 * many addresses, and which have no key — for TLP:AMBER and RED those get a notice without the
 * content. The contacts are named only to those who manage the program's customers.
 */
export interface RecipientsPreview {
  revision: number;
  tlp: TlpLabel;
  /** Whether the program notifies customers at all (`disclosure.notifyCustomers`). */
  notifyCustomers: boolean;
  /** TLP:AMBER, AMBER+STRICT, RED: keyless contacts get a content-free notice. */
  restricted: boolean;
  addresses: 'shown' | 'withheld';
  customers: number;
  withoutKey: number;
  /** The contacts without a key; null when addresses are withheld. */
  keylessContacts: { organisation: string; name: string; email: string }[] | null;
}

const SHAREABLE = ['approved', 'scheduled', 'published'];
const statusOf = (s: string | null): DeliveryView['status'] =>
  s === 'pending' || s === 'sending' || s === 'sent' || s === 'failed' ? s : 'unknown';

const sharingViewOf = (x: deliveries.SharingWithStatus): SharingView => ({
  coordinatorId: x.coordinator_id,
  coordinator: x.coordinator_name,
  email: x.email,
  revision: Number(x.revision_number),
  tlp: x.tlp as TlpLabel,
  status: statusOf(x.status),
  sharedBy: x.shared_by,
  sharedAt: x.shared_at,
  sentAt: x.sent_at,
});

export function createSharingService(deps: {
  db: Db;
  clock: Clock;
  sealer: Sealer;
  access: Pick<Access, 'can' | 'roleIn'>;
  programs: Pick<ProgramService, 'list'>;
  coordinators: Pick<CoordinatorService, 'resolve'>;
  publicUrl: string;
  /** The program's CVE Numbering Authority identity, when known: packages then carry CVE records. */
  cnaOf?: (program: Program) => CnaIdentity | undefined;
}) {
  const { db, clock, access, sealer, publicUrl } = deps;
  const k = db.kysely;

  async function advisoryFor(caller: StaffCaller, publicId: string) {
    const row = await advisories.findAdvisory(k, publicId);
    const program = row ? (await deps.programs.list()).find((p) => p.id === row.program_id) : undefined;
    if (!row || !program || !(await access.can(caller, program, 'case.read')))
      throw new NotFoundError(`There is no advisory ${publicId}.`);
    return { row, program };
  }

  return {
    async share(
      caller: StaffCaller,
      publicId: string,
      number: number,
      input: { coordinatorIds: string[]; tlp?: TlpLabel },
    ): Promise<SharingView[]> {
      const { row, program } = await advisoryFor(caller, publicId);
      if (!(await access.can(caller, program, 'case.write')))
        throw new ForbiddenError(
          caller.scope === 'read'
            ? 'This API token is read-only; sharing needs a read-write token.'
            : `Your role in ${program.slug} does not allow you to share advisories.`,
        );
      const revisions = await advisories.listRevisions(k, row.id);
      const rev = revisions.find((r) => Number(r.number) === number);
      if (!rev) throw new NotFoundError(`Advisory ${publicId} has no revision ${number}.`);
      if (!SHAREABLE.includes(rev.state))
        throw new ConflictError(
          `Revision ${number} is ${rev.state.replace('_', ' ')}; only an approved, scheduled or published revision is shared.`,
        );
      const targets = await deps.coordinators.resolve(program, [...new Set(input.coordinatorIds)]);
      const now = clock.now();
      const nowIso = now.toISOString();
      const published = rev.state === 'published';
      const content = parseContent(rev.content);
      const history = historyOf(revisions);
      const release: AdvisoryRelease = {
        id: row.public_id,
        content,
        revision: String(number),
        initialReleaseDate: row.initial_release_at ?? rev.publish_not_before ?? nowIso,
        currentReleaseDate: rev.published_at ?? rev.publish_not_before ?? nowIso,
        history: history.some((h) => h.number === String(number))
          ? history
          : [
              ...history,
              { number: String(number), date: rev.publish_not_before ?? nowIso, summary: rev.summary },
            ],
        status: published ? 'final' : 'interim',
        publisher: {
          name: program.definition.vendor.name,
          namespace: program.definition.vendor.website ?? new URL(publicUrl).origin,
        },
        url: `${publicUrl}${advisoryPath(program.slug, row.public_id)}`,
        lang: program.definition.languages[0] ?? 'en',
      };
      const cna = deps.cnaOf?.(program);
      // Built before the transaction: document generation is CPU work, and a failure writes nothing.
      const packages = targets.map((c) => {
        const tlp = input.tlp ?? (published ? content.tlp : (c.default_tlp as TlpLabel));
        return {
          c,
          tlp,
          pkg: buildSharingPackage(program, release, {
            coordinator: c.name,
            tlp,
            published,
            ...(cna ? { cna } : {}),
            generatedAt: nowIso,
          }),
        };
      });
      const host = new URL(publicUrl).hostname;
      const logIds: string[] = [];
      await k.transaction().execute(async (trx) => {
        for (const { c, tlp, pkg } of packages) {
          const outboxId = await enqueueMail(
            trx,
            sealer,
            {
              to: c.email,
              subject: pkg.subject,
              text: pkg.text,
              attachments: pkg.attachments,
              messageId: `<${row.public_id.toLowerCase()}.r${number}.share.${newId().slice(0, 8)}@${host}>`,
              encryptTo: c.public_key,
              signAs: { programId: program.id },
              // Embargoed vulnerability details: never in clear, whatever happens to the key.
              requireEncryption: true,
            },
            { now },
          );
          const logId = newId();
          logIds.push(logId);
          await deliveries.insertSharing(trx, {
            id: logId,
            advisory_id: row.id,
            revision_id: rev.id,
            revision_number: number,
            coordinator_id: c.id,
            coordinator_name: c.name,
            email: c.email,
            tlp,
            outbox_id: outboxId,
            shared_by: actorOf(caller),
            shared_at: nowIso,
          });
        }
        await appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'advisory.shared',
            programId: program.id,
            detail: {
              advisory: publicId,
              revision: number,
              coordinators: packages.map((p) => ({ id: p.c.id, name: p.c.name, tlp: p.tlp })),
            },
          },
          now,
        );
      });
      return (await deliveries.listSharing(k, row.id))
        .filter((s) => logIds.includes(s.id))
        .map(sharingViewOf);
    },

    /** Who the customer notification of a revision would reach, and who of them has no key. */
    async recipients(caller: StaffCaller, publicId: string, number: number): Promise<RecipientsPreview> {
      const { row, program } = await advisoryFor(caller, publicId);
      const rev = await advisories.findRevision(k, row.id, number);
      if (!rev) throw new NotFoundError(`Advisory ${publicId} has no revision ${number}.`);
      const content = parseContent(rev.content);
      const shown = await managesCustomers(access, caller, program);
      const all = await customerRecipients(k, program.id, content);
      const keyless = all.filter((c) => !c.public_key);
      return {
        revision: number,
        tlp: content.tlp,
        notifyCustomers: program.definition.disclosure.notifyCustomers,
        restricted: isRestricted(content.tlp),
        addresses: shown ? 'shown' : 'withheld',
        customers: all.length,
        withoutKey: keyless.length,
        keylessContacts: shown
          ? keyless.map((c) => ({ organisation: c.org_name, name: c.name, email: c.email }))
          : null,
      };
    },

    /** Notifications and sharing packages of an advisory, with each mail's outbox status. */
    async deliveries(
      caller: StaffCaller,
      publicId: string,
    ): Promise<{ addresses: 'shown' | 'withheld'; deliveries: DeliveryView[]; sharing: SharingView[] }> {
      const { row, program } = await advisoryFor(caller, publicId);
      if (!(await access.can(caller, program, 'case.contact')))
        throw new ForbiddenError(
          `Your role in ${program.slug} does not show who was told of advisories (it includes the reporter).`,
        );
      const shown = await managesCustomers(access, caller, program);
      const d = await deliveries.listDeliveries(k, row.id);
      const s = await deliveries.listSharing(k, row.id);
      return {
        addresses: shown ? 'shown' : 'withheld',
        deliveries: d.map((x) => ({
          kind: x.recipient_kind as DeliveryView['kind'],
          email: shown ? x.email : null,
          revision: Number(x.revision_number),
          stage: x.stage as DeliveryView['stage'],
          encrypted: Number(x.encrypted) === 1,
          status: statusOf(x.status),
          queuedAt: x.created_at,
          sentAt: x.sent_at,
        })),
        sharing: s.map(sharingViewOf).map((x) => (shown ? x : { ...x, email: null })),
      };
    },
  };
}

export type SharingService = ReturnType<typeof createSharingService>;
