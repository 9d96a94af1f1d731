import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { formatInstant, newId } from '../core/index.js';
import { type CreditStatus, creditStatuses, creditsOffered } from '../credit-consent/index.js';
import type { Sealer } from '../crypto/index.js';
import type { AdvisoryRevisionRow, AdvisoryRow, Database, ReportRow } from '../db/index.js';
import { createTranslator, staffTranslator, type Translate } from '../i18n/index.js';
import { enqueueMail } from '../jobs/index.js';
import { readRecipientKey } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { reportAad } from '../reports/index.js';
import type { AdvisoryContent } from './advisory-model.js';
import { advisoryPath, parseContent } from './advisory-read-model.js';
import { subscribedContacts } from './customers-store.js';
import { insertDelivery, notifiedFor, reportersToldOf } from './deliveries-store.js';
import { advisoryText, isRestricted, restrictedNoticeText } from './notifications-text.js';

/**
 * Who hears of an advisory revision, queued in the transaction that publishes (or schedules) it,
 * so the mails exist if and only if the change committed:
 *
 * - every contact of every customer organisation subscribed to an affected product, once per
 *   revision and address (an address at two organisations, or subscribed through two products,
 *   gets one mail), encrypted to the contact's key when there is one — when the program notifies
 *   customers at all (`disclosure.notifyCustomers`). With `disclosure.preNotifyCustomers` they
 *   hear of it when it is scheduled under embargo, and are not told again at publication —
 *   unless the content changed meanwhile (returned to draft and edited), which is news again;
 * - at publication, the reporter of each case the advisory was drafted from, once per advisory,
 *   in the case's language, with the link and the credit exactly as the advisory shows it.
 *
 * TLP:AMBER, AMBER+STRICT and RED content never goes out in clear: a contact with a key gets the
 * advisory encrypted (and if the key stops working before it is sent, nothing — the outbox refuses);
 * a contact without one gets a notice that names the advisory's id and label and how to ask for
 * it, and nothing of its content. TLP:CLEAR and GREEN go in clear to keyless contacts as before.
 *
 * Every mail is recorded in `advisory_deliveries` with its outbox row. Customer mails are built
 * from the advisory content alone, so the reporter's contact details cannot reach them; only the
 * reporter's own notice is addressed to the reporter.
 */

export interface NotificationDeps {
  sealer: Sealer;
  clock: Clock;
  publicUrl: string;
}

export type NotificationStage = 'pre-notification' | 'publication';

export interface NotificationInput {
  program: Program;
  advisory: AdvisoryRow;
  revision: AdvisoryRevisionRow;
  /** The cases the advisory was drafted from (whose reporters are told at publication). */
  cases: ReportRow[];
  /** `publication` (default) or `pre-notification` (the revision was scheduled under embargo). */
  stage?: NotificationStage;
  /** The instant of the change (default: the clock's now). */
  now?: Date;
}

const host = (publicUrl: string) => new URL(publicUrl).hostname;

/** The product ids an advisory speaks of. */
export function affectedProductIds(content: AdvisoryContent): string[] {
  return [...new Set(content.vulnerabilities.flatMap((v) => v.affected.map((p) => p.productId)))];
}

export type CustomerRecipient = Awaited<ReturnType<typeof subscribedContacts>>[number];

/**
 * The customer contacts an advisory's content reaches, one per address: the first contact by
 * organisation name, preferring one with a key.
 */
export async function customerRecipients(
  db: Kysely<Database>,
  programId: string,
  content: AdvisoryContent,
): Promise<CustomerRecipient[]> {
  const byEmail = new Map<string, CustomerRecipient>();
  for (const c of await subscribedContacts(db, programId, affectedProductIds(content))) {
    const seen = byEmail.get(c.email);
    if (!seen || (!seen.public_key && c.public_key)) byEmail.set(c.email, c);
  }
  return [...byEmail.values()];
}

/** Queue the notifications of one advisory revision; returns how many mails were queued. */
export async function queueAdvisoryNotifications(
  trx: Kysely<Database>,
  deps: NotificationDeps,
  input: NotificationInput,
): Promise<{ customers: number; reporters: number }> {
  const { program, advisory, revision } = input;
  const stage = input.stage ?? 'publication';
  const disclosure = program.definition.disclosure;
  const now = input.now ?? deps.clock.now();
  const content = parseContent(revision.content);
  const url = `${deps.publicUrl}${advisoryPath(program.slug, advisory.public_id)}`;
  const number = Number(revision.number);
  // What was announced: the same revision with other content (changed after a pre-notification) is news again.
  const contentSha256 = createHash('sha256').update(revision.content).digest('hex');
  const record = async (kind: 'customer' | 'reporter', email: string, outboxId: string, encrypted: boolean) =>
    insertDelivery(trx, {
      id: newId(),
      advisory_id: advisory.id,
      revision_id: revision.id,
      revision_number: number,
      recipient_kind: kind,
      email,
      stage,
      encrypted: encrypted ? 1 : 0,
      content_sha256: contentSha256,
      outbox_id: outboxId,
      created_at: now.toISOString(),
    });

  let customers = 0;
  const customersNow =
    disclosure.notifyCustomers && (stage === 'publication' || disclosure.preNotifyCustomers);
  if (customersNow) {
    const already = await notifiedFor(trx, revision.id, 'customer', contentSha256);
    const restricted = isRestricted(content.tlp);
    const vendorContacts = program.definition.vendor.contacts.flatMap((c) =>
      c.email ? [{ role: c.role, email: c.email }] : [],
    );
    const { t, lang } = staffTranslator(program.definition.languages);
    const vendor = program.definition.vendor.name;
    const body = advisoryText(t, {
      publicId: advisory.public_id,
      revision: number,
      content,
      tlp: content.tlp,
      ...(content.tlp === 'CLEAR' ? { url } : {}),
    });
    for (const c of await customerRecipients(trx, program.id, content)) {
      if (already.has(c.email)) continue;
      if (restricted && !c.public_key) {
        const notice = restrictedNoticeText({
          tlp: content.tlp,
          vendor,
          organisation: c.org_name,
          publicId: advisory.public_id,
          revision: number,
          stage,
          contacts: vendorContacts,
        });
        const id = await enqueueMail(
          trx,
          deps.sealer,
          {
            to: c.email,
            subject: notice.subject,
            text: notice.text,
            messageId: `<${advisory.public_id.toLowerCase()}.r${number}.${newId().slice(0, 8)}@${host(deps.publicUrl)}>`,
          },
          { now },
        );
        await record('customer', c.email, id, false);
        customers++;
        continue;
      }
      const lead = [
        t('notify.customer.intro', { vendor, organisation: c.org_name }),
        stage === 'pre-notification'
          ? t('notify.customer.embargo', {
              when: formatInstant(
                revision.publish_not_before ?? content.publishNotBefore ?? now,
                program.definition.calendar.timeZone,
                lang,
              ),
            })
          : content.tlp === 'CLEAR'
            ? t('notify.customer.published', { link: url })
            : t('notify.customer.publishedRestricted'),
      ];
      const id = await enqueueMail(
        trx,
        deps.sealer,
        {
          to: c.email,
          subject: t('notify.customer.subject', {
            tlp: content.tlp,
            vendor,
            id: advisory.public_id,
            title: content.title,
          }),
          // The TLP label is the first line, as TLP asks of every shared text.
          text: `TLP:${content.tlp}\n\n${lead.join('\n\n')}\n\n${body.replace(/^TLP:[^\n]*\n\n/, '')}`,
          messageId: `<${advisory.public_id.toLowerCase()}.r${number}.${newId().slice(0, 8)}@${host(deps.publicUrl)}>`,
          ...(c.public_key ? { encryptTo: c.public_key, signAs: { programId: program.id } } : {}),
          // A key that stopped working by send time must not let restricted content out in clear.
          ...(restricted ? { requireEncryption: true } : {}),
        },
        { now },
      );
      await record('customer', c.email, id, Boolean(c.public_key));
      customers++;
    }
  }

  let reporters = 0;
  if (stage === 'publication') {
    const told = await reportersToldOf(trx, advisory.id);
    // What each reporter chose about credit, as the record stands now: the notice says exactly that.
    const consents = await creditStatuses(trx, deps.sealer, program, input.cases);
    const fields = program.definition.form.fields;
    const emailField = fields.find((f) => f.purpose === 'contact.email');
    const keyField = fields.find((f) => f.purpose === 'contact.publicKey');
    for (const report of input.cases) {
      const contact = deps.sealer.openJson<Answers>(report.contact_sealed, reportAad(report.id, 'contact'));
      const raw = emailField ? contact[emailField.id] : undefined;
      if (typeof raw !== 'string' || raw.trim() === '') continue;
      const email = raw.trim();
      const key = email.toLowerCase();
      if (told.has(key)) continue;
      told.add(key);
      const t = createTranslator(report.language);
      // The credit exactly as the advisory shows it: the credits of its vulnerabilities drawn from this case.
      const credits = content.vulnerabilities
        .filter((v) => v.caseNumbers.includes(report.case_number))
        .flatMap((v) => v.credits.map((c) => c.text));
      const vars = {
        caseNumber: report.case_number,
        vendor: program.definition.vendor.name,
        id: advisory.public_id,
        title: content.title,
        link: url,
      };
      const encryptTo = keyField ? await readRecipientKey(contact[keyField.id], now) : undefined;
      const id = await enqueueMail(
        trx,
        deps.sealer,
        {
          to: email,
          subject: t('notify.reporter.subject', vars),
          text: [
            t('notify.reporter.body', vars),
            // A program that credits no one publicly says nothing of credit.
            ...(creditsOffered(program)
              ? [creditNotice(t, credits, consents.get(report.id) ?? { status: 'unanswered' })]
              : []),
          ].join('\n\n'),
          messageId: `<${report.case_number.toLowerCase()}.advisory.${newId().slice(0, 8)}@${host(deps.publicUrl)}>`,
          headers: { 'X-Vigil-Case': report.case_number },
          ...(encryptTo !== undefined ? { encryptTo, signAs: { programId: program.id } } : {}),
        },
        { reportId: report.id, now },
      );
      await record('reporter', key, id, encryptTo !== undefined);
      reporters++;
    }
  }

  if (customers + reporters > 0)
    await appendAudit(
      trx,
      {
        actor: 'system:notifications',
        action: 'notifications.queued',
        programId: program.id,
        // Counts only: the addresses are in advisory_deliveries, for those allowed to see them.
        detail: { advisory: advisory.public_id, revision: number, stage, customers, reporters },
      },
      now,
    );
  return { customers, reporters };
}

/**
 * The credit paragraph of a reporter's notice, true to their choice: credited (in the advisory's
 * words); not named because they declined; not named because they never said (and how to say so);
 * or not named although they consented (so they can tell the team it is missing).
 */
function creditNotice(t: Translate, credits: string[], consent: CreditStatus): string {
  if (credits.length > 0) return t('notify.reporter.credit', { credit: [...new Set(credits)].join('; ') });
  if (consent.status === 'declined') return t('notify.reporter.noCredit');
  if (consent.status === 'given') return t('notify.reporter.creditMissing', { credit: consent.text });
  return t('notify.reporter.creditUnanswered');
}
