import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { TLP_LABELS } from '../advisory.js';
import { ApiError, api, textBody, unwrap } from '../api/client.js';
import type { TlpLabel } from '../api/types.js';
import { CustomerEditor } from '../components/CustomerEditor.js';
import { ErrorMessage, Field, Loading, PageTitle } from '../components/common.js';
import { useProgram } from '../hooks.js';

/**
 * A program's customers (organisations with contacts, subscribed to products; told when an
 * advisory on their products is published) and coordinators (ISACs, CERTs that receive encrypted
 * sharing packages). Admins and leads only; the API refuses anyone else with its own sentence.
 * An organisation's Edit opens its editor below the table (CustomerEditor).
 */
function ImportForm({ slug }: { slug: string }) {
  const [csv, setCsv] = useState('');
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programs/{slug}/customers/import', {
          params: { path: { slug } },
          ...textBody('text/csv', csv),
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['customers', slug] }),
  });
  const problems = run.error instanceof ApiError ? run.error.fields : [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} aria-labelledby="import-h">
      <h3 id="import-h">Import from CSV</h3>
      <p className="hint" id="import-hint">
        Columns: organisation, name, email, products (ids separated by “;”), optionally pgp_key. All rows or
        none: every bad line is named.
      </p>
      <Field label="CSV file" id="import-file">
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)}
        />
      </Field>
      <Field label="CSV text" id="import-text">
        <textarea
          id="import-text"
          className="mono"
          rows={6}
          value={csv}
          aria-describedby="import-hint"
          onChange={(e) => setCsv(e.target.value)}
        />
      </Field>
      {run.error ? (
        <div className="error" role="alert">
          <p>{run.error.message}</p>
          {problems.length ? (
            <ul aria-label="Problems by line">
              {problems.map((p) => (
                <li key={`${p.path}-${p.message}`}>
                  <strong>{p.path}</strong>: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {run.data ? (
        <p className="notice" role="status">
          Imported {run.data.rows} rows: {run.data.organisationsCreated} organisations and{' '}
          {run.data.contactsCreated} contacts added, {run.data.contactsUpdated} contacts updated.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={run.isPending || !csv.trim()}>
          Import
        </button>
      </div>
    </form>
  );
}

function AddOrganisation({ slug }: { slug: string }) {
  const program = useProgram(slug);
  const [name, setName] = useState('');
  const [products, setProducts] = useState<string[]>([]);
  const [contact, setContact] = useState({ name: '', email: '' });
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programs/{slug}/customers', {
          params: { path: { slug } },
          body: { name, products, contacts: contact.email.trim() ? [contact] : [] },
        }),
      ),
    onSuccess: () => {
      setName('');
      setProducts([]);
      setContact({ name: '', email: '' });
      void qc.invalidateQueries({ queryKey: ['customers', slug] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} aria-labelledby="add-org-h" noValidate>
      <h3 id="add-org-h">Add an organisation</h3>
      <Field label="Organisation" id="org-name">
        <input id="org-name" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <fieldset>
        <legend>Subscribed products</legend>
        {(program.data?.products ?? []).map((p) => (
          <label key={p.id} className="check">
            <input
              type="checkbox"
              checked={products.includes(p.id)}
              onChange={(e) =>
                setProducts((xs) => (e.target.checked ? [...xs, p.id] : xs.filter((x) => x !== p.id)))
              }
            />{' '}
            {p.name}
          </label>
        ))}
      </fieldset>
      <div className="grid-2">
        <Field label="Contact name" id="org-contact-name">
          <input
            id="org-contact-name"
            value={contact.name}
            onChange={(e) => setContact({ ...contact, name: e.target.value })}
          />
        </Field>
        <Field label="Contact email" id="org-contact-email">
          <input
            id="org-contact-email"
            type="email"
            value={contact.email}
            onChange={(e) => setContact({ ...contact, email: e.target.value })}
          />
        </Field>
      </div>
      <ErrorMessage error={run.error} />
      <div className="actions">
        <button type="submit" disabled={run.isPending}>
          Add organisation
        </button>
      </div>
    </form>
  );
}

function AddCoordinator({ slug }: { slug: string }) {
  const [form, setForm] = useState({ name: '', email: '', publicKey: '', defaultTlp: 'AMBER' as TlpLabel });
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/programs/{slug}/coordinators', { params: { path: { slug } }, body: form })),
    onSuccess: () => {
      setForm({ name: '', email: '', publicKey: '', defaultTlp: 'AMBER' });
      void qc.invalidateQueries({ queryKey: ['coordinators', slug] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} aria-labelledby="add-coord-h" noValidate>
      <h3 id="add-coord-h">Add a coordinator</h3>
      <div className="grid-2">
        <Field label="Coordinator name" id="coord-name">
          <input
            id="coord-name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </Field>
        <Field label="Coordinator email" id="coord-email">
          <input
            id="coord-email"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </Field>
      </div>
      <Field
        label="OpenPGP public key"
        id="coord-key"
        hint="Required: sharing packages are always encrypted."
      >
        <textarea
          id="coord-key"
          className="mono"
          rows={5}
          value={form.publicKey}
          aria-describedby="coord-key-hint"
          onChange={(e) => setForm({ ...form, publicKey: e.target.value })}
        />
      </Field>
      <Field label="Default TLP label" id="coord-tlp">
        <select
          id="coord-tlp"
          value={form.defaultTlp}
          onChange={(e) => setForm({ ...form, defaultTlp: e.target.value as TlpLabel })}
        >
          {TLP_LABELS.map((t) => (
            <option key={t} value={t}>
              TLP:{t}
            </option>
          ))}
        </select>
      </Field>
      <ErrorMessage error={run.error} />
      <div className="actions">
        <button type="submit" disabled={run.isPending}>
          Add coordinator
        </button>
      </div>
    </form>
  );
}

export function CustomersPage() {
  const { slug = '' } = useParams();
  const program = useProgram(slug);
  const customers = useQuery({
    queryKey: ['customers', slug],
    queryFn: () => unwrap(api.GET('/api/v1/programs/{slug}/customers', { params: { path: { slug } } })),
  });
  const coordinators = useQuery({
    queryKey: ['coordinators', slug],
    queryFn: () => unwrap(api.GET('/api/v1/programs/{slug}/coordinators', { params: { path: { slug } } })),
  });
  const [editing, setEditing] = useState<string | null>(null);
  const edited = customers.data?.organisations.find((o) => o.id === editing);
  const name = program.data?.name ?? slug;
  const productName = (id: string) => program.data?.products.find((p) => p.id === id)?.name ?? id;
  return (
    <>
      <PageTitle title={`Customers and coordinators · ${name}`} />
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/advisories">Advisories</Link> ›{' '}
        <span aria-current="page">{name}: customers and coordinators</span>
      </nav>
      <h1>Customers and coordinators of {name}</h1>
      <div className="case-grid">
        <div>
          <section className="card stack" aria-labelledby="customers-h">
            <h2 id="customers-h">Customers</h2>
            <p className="hint">Each contact gets one mail per advisory on a subscribed product.</p>
            {customers.isPending ? (
              <Loading what="the customers" />
            ) : customers.isError ? (
              <ErrorMessage error={customers.error} />
            ) : customers.data.organisations.length === 0 ? (
              <p className="muted">No customer yet.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">Customer organisations of {name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Organisation</th>
                      <th scope="col">Products</th>
                      <th scope="col">Contacts</th>
                      <th scope="col">
                        <span className="visually-hidden">Edit</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {customers.data.organisations.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">{o.name}</th>
                        <td>{o.products.map(productName).join(', ') || '—'}</td>
                        <td>
                          <ul className="plain">
                            {o.contacts.map((c) => (
                              <li key={c.id}>
                                {c.name} &lt;{c.email}&gt;
                                {c.keyFingerprint ? (
                                  <span className="muted"> · key {c.keyFingerprint.slice(-16)}</span>
                                ) : null}
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td>
                          <button
                            type="button"
                            className="secondary small"
                            aria-pressed={editing === o.id}
                            onClick={() => setEditing(editing === o.id ? null : o.id)}
                          >
                            Edit<span className="visually-hidden"> {o.name}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {edited ? (
              <CustomerEditor
                key={edited.id}
                slug={slug}
                org={edited}
                program={program.data}
                onClose={() => setEditing(null)}
              />
            ) : null}
            {customers.isError ? null : (
              <>
                <AddOrganisation slug={slug} />
                <ImportForm slug={slug} />
              </>
            )}
          </section>
        </div>
        <div>
          <section className="card stack" aria-labelledby="coordinators-h">
            <h2 id="coordinators-h">Coordinators</h2>
            {coordinators.isPending ? (
              <Loading what="the coordinators" />
            ) : coordinators.isError ? (
              <ErrorMessage error={coordinators.error} />
            ) : coordinators.data.coordinators.length === 0 ? (
              <p className="muted">No coordinator yet.</p>
            ) : (
              <ul className="plain">
                {coordinators.data.coordinators.map((c) => (
                  <li key={c.id}>
                    <strong>{c.name}</strong> &lt;{c.email}&gt;
                    <div className="muted">
                      TLP:{c.defaultTlp} by default · key {c.keyFingerprint.slice(-16)}
                    </div>
                  </li>
                ))}
              </ul>
            )}
            {coordinators.isError ? null : <AddCoordinator slug={slug} />}
          </section>
        </div>
      </div>
    </>
  );
}
