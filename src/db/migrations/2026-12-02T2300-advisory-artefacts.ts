import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The machine-readable artefacts of a published advisory revision: its CSAF 2.0 documents
 * (security advisory, and VEX when the program asks for it) and one CVE JSON 5 record per CVE of
 * a CNA program. Each row holds the exact bytes that are served, their SHA-256 and SHA-512 and a
 * detached OpenPGP signature by the program's key, written in the transaction that publishes the
 * revision and never changed afterwards (the unique key refuses a second write). `tlp` is the
 * CSAF label (WHITE, GREEN, AMBER, RED): only WHITE rows are ever served publicly.
 *
 * `cve_publications` records each time a stored CVE record was sent to CVE Services, so the next
 * send of the same CVE is an update (PUT) rather than a creation.
 */
export function advisoryArtefacts(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('advisory_artefacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
        .addColumn('revision_id', 'text', (c) => c.notNull().references('advisory_revisions.id'))
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        // csaf_security_advisory | csaf_vex | cve_record
        .addColumn('kind', 'text', (c) => c.notNull())
        // The CSAF file name (`acme-sa-2026-0001.json`) or the CVE ID.
        .addColumn('name', 'text', (c) => c.notNull())
        // CSAF documents: year folder of the directory distribution (year of initial release).
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('tlp', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('sha512', 'text', (c) => c.notNull())
        // Detached armored signature; null when the program had no key that could sign.
        .addColumn('signature', 'text')
        .addColumn('signer_fingerprint', 'text')
        .addColumn('initial_release_at', 'text', (c) => c.notNull())
        .addColumn('current_release_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('advisory_artefacts_unique', ['advisory_id', 'revision_number', 'kind', 'name'])
        .execute();
      await db.schema
        .createIndex('advisory_artefacts_kind_idx')
        .on('advisory_artefacts')
        .columns(['kind', 'tlp', 'current_release_at'])
        .execute();

      await db.schema
        .createTable('cve_publications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('cve_id', 'text', (c) => c.notNull())
        .addColumn('artefact_id', 'text', (c) => c.notNull().references('advisory_artefacts.id'))
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('cve_publications_cve_idx')
        .on('cve_publications')
        .columns(['cve_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('cve_publications').execute();
      await db.schema.dropTable('advisory_artefacts').execute();
    },
  };
}
