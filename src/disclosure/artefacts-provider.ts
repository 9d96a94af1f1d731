import type { AdvisoryArtefactRow } from '../db/index.js';
import type { Program } from '../programs/index.js';
import { CSAF_WHITE_PATH } from './artefacts.js';

/**
 * The CSAF provider's public files, built from the stored TLP:WHITE documents: provider
 * metadata, the directory distribution's `index.txt` and `changes.csv`, and the ROLIE feed. Pure:
 * the routes load the rows and keys and serve the text these functions return.
 *
 * The publisher of the provider metadata: the vendor when every program of the instance belongs
 * to one vendor (the usual single-vendor installation), otherwise the instance itself — category
 * `other`, named by VIGIL_CSAF_PUBLISHER or the host name, with the instance's URL as namespace.
 * Each document still names its own vendor as `document.publisher`.
 */

export const CSAF_PROVIDER_METADATA_PATH = '/.well-known/csaf/provider-metadata.json';
export const CSAF_ROLIE_WHITE_PATH = '/.well-known/csaf/feed-tlp-white.json';

export interface ServedDocument {
  /** Path inside the directory distribution: `<YYYY>/<file>.json`. */
  path: string;
  row: AdvisoryArtefactRow;
}

/** The TLP:WHITE documents to serve, newest change first (then by path, for a stable order). */
export function servedDocuments(current: AdvisoryArtefactRow[]): ServedDocument[] {
  return current
    .filter((r) => r.tlp === 'WHITE' && (r.kind === 'csaf_security_advisory' || r.kind === 'csaf_vex'))
    .map((row) => ({ path: `${row.year}/${row.name}`, row }))
    .sort((a, b) =>
      a.row.current_release_at === b.row.current_release_at
        ? a.path.localeCompare(b.path)
        : a.row.current_release_at < b.row.current_release_at
          ? 1
          : -1,
    );
}

export interface ProviderPublisher {
  category: 'vendor' | 'other';
  name: string;
  namespace: string;
}

export function providerPublisher(
  programs: Program[],
  publicUrl: string,
  configured?: string,
): ProviderPublisher {
  const vendors = new Map(programs.map((p) => [p.definition.vendor.name, p]));
  const only = vendors.size === 1 ? [...vendors.values()][0] : undefined;
  if (only) {
    const site = only.definition.vendor.website;
    return {
      category: 'vendor',
      name: only.definition.vendor.name,
      namespace: site ? new URL(site).origin : new URL(publicUrl).origin,
    };
  }
  return {
    category: 'other',
    name: configured ?? new URL(publicUrl).hostname,
    namespace: new URL(publicUrl).origin,
  };
}

const rfc3339 = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

export function providerMetadata(opts: {
  publicUrl: string;
  docs: ServedDocument[];
  publisher: ProviderPublisher;
  keys: { fingerprint: string; url: string }[];
  now: Date;
}) {
  const { publicUrl, docs } = opts;
  // Trusted provider (CSAF 7.2.2) needs every document hashed and signed; hashes always are.
  const signed = docs.every((d) => d.row.signature !== null);
  return {
    canonical_url: `${publicUrl}${CSAF_PROVIDER_METADATA_PATH}`,
    distributions: [
      {
        directory_url: `${publicUrl}${CSAF_WHITE_PATH}/`,
        rolie: {
          feeds: [
            {
              summary: 'TLP:WHITE security advisories',
              tlp_label: 'WHITE',
              url: `${publicUrl}${CSAF_ROLIE_WHITE_PATH}`,
            },
          ],
        },
      },
    ],
    last_updated: rfc3339(docs[0]?.row.current_release_at ?? opts.now.toISOString()),
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    public_openpgp_keys: opts.keys.map((k) => ({ fingerprint: k.fingerprint, url: k.url })),
    publisher: opts.publisher,
    role: signed ? 'csaf_trusted_provider' : 'csaf_provider',
  };
}

/** `index.txt`: every document path, one a line. */
export function indexTxt(docs: ServedDocument[]): string {
  return docs.map((d) => `${d.path}\n`).join('');
}

/** `changes.csv`: `"<path>","<time of last change>"`, newest first. */
export function changesCsv(docs: ServedDocument[]): string {
  return docs.map((d) => `"${d.path}","${rfc3339(d.row.current_release_at)}"\n`).join('');
}

/** A hash file beside a document: the hex digest, two spaces, the file name (as sha256sum writes it). */
export const hashFile = (hex: string, fileName: string) => `${hex}  ${fileName}\n`;

/** The ROLIE feed of the TLP:WHITE documents (CSAF 7.1.21). */
export function rolieFeed(opts: { publicUrl: string; docs: ServedDocument[]; now: Date }) {
  const base = `${opts.publicUrl}${CSAF_WHITE_PATH}`;
  return {
    feed: {
      id: `${new URL(opts.publicUrl).hostname}-csaf-feed-tlp-white`,
      title: 'CSAF feed (TLP:WHITE)',
      link: [{ rel: 'self', href: `${opts.publicUrl}${CSAF_ROLIE_WHITE_PATH}` }],
      category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
      updated: rfc3339(opts.docs[0]?.row.current_release_at ?? opts.now.toISOString()),
      entry: opts.docs.map((d) => {
        const url = `${base}/${d.path}`;
        const doc = JSON.parse(d.row.body) as { document: { tracking: { id: string } } };
        return {
          id: doc.document.tracking.id,
          title: d.row.title,
          link: [
            { rel: 'self', href: url },
            { rel: 'hash', href: `${url}.sha256` },
            { rel: 'hash', href: `${url}.sha512` },
            ...(d.row.signature !== null ? [{ rel: 'signature', href: `${url}.asc` }] : []),
          ],
          published: rfc3339(d.row.initial_release_at),
          updated: rfc3339(d.row.current_release_at),
          content: { type: 'application/json', src: url },
          format: {
            schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json',
            version: '2.0',
          },
        };
      }),
    },
  };
}
