import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client.js';
import type { CustomerContact, CustomerOrganisation, Program } from '../api/types.js';
import { ErrorMessage } from './common.js';

/**
 * Editing one customer organisation: its name and product subscriptions, each contact's name,
 * address and OpenPGP key, new contacts, and removal of a contact or the whole organisation.
 * Every form saves through its own API call, and each call is all or nothing on the server, so
 * a refused save leaves the stored contact as it was. The API's message for a bad field appears
 * under that field; contact keys are never sent back by the API, only their fingerprints.
 */

const QUERY = (slug: string) => ['customers', slug] as const;

/** The API's field messages of a refused save, by path (`email`, `products.0` …). */
function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const f of error.fields) out[f.path] ??= f.message;
  return out;
}

/** A labelled control with its hint and the API's message, tied to it for assistive tech. */
function Described({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (a11y: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A removal asked for twice, in the page rather than in a browser dialog: the question names what
 * goes, and the second button does it.
 */
function ConfirmRemove({
  label,
  question,
  pending,
  onConfirm,
}: {
  label: string;
  question: string;
  pending: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" className="secondary" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <fieldset className="warning stack">
      <legend>{question}</legend>
      <div className="actions">
        <button type="button" className="danger" ref={yes} disabled={pending} onClick={onConfirm}>
          Yes, remove
        </button>
        <button type="button" className="secondary" onClick={() => setAsking(false)}>
          Keep
        </button>
      </div>
    </fieldset>
  );
}

/** Put the organisation the API answered into the cached list, so the table shows it at once. */
function useKeepOrganisation(slug: string) {
  const qc = useQueryClient();
  return (org: CustomerOrganisation) => {
    qc.setQueryData<{ organisations: CustomerOrganisation[] }>(QUERY(slug), (d) =>
      d ? { organisations: d.organisations.map((o) => (o.id === org.id ? org : o)) } : d,
    );
    void qc.invalidateQueries({ queryKey: QUERY(slug) });
  };
}

function OrganisationForm({
  slug,
  org,
  program,
}: {
  slug: string;
  org: CustomerOrganisation;
  program: Program | undefined;
}) {
  const [name, setName] = useState(org.name);
  const [products, setProducts] = useState(org.products);
  const [saved, setSaved] = useState(false);
  const keep = useKeepOrganisation(slug);
  const run = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/programs/{slug}/customers/{orgId}', {
          params: { path: { slug, orgId: org.id } },
          body: { name, products },
        }),
      ),
    onMutate: () => setSaved(false),
    onSuccess: (o) => {
      keep(o);
      setName(o.name);
      setProducts(o.products);
      setSaved(true);
    },
  });
  const errors = fieldErrors(run.error);
  const productErrors = Object.entries(errors).filter(([p]) => p.startsWith('products'));
  const id = `org-${org.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={`Organisation ${org.name}`}>
      <Described id={`${id}-name`} label="Organisation name" error={errors.name}>
        {(a) => (
          <input
            {...a}
            value={name}
            onChange={(e) => {
              setSaved(false);
              setName(e.target.value);
            }}
          />
        )}
      </Described>
      <fieldset aria-describedby={productErrors.length ? `${id}-products-error` : undefined}>
        <legend>Subscribed products</legend>
        <p className="hint">Every contact of the organisation is told of advisories on these products.</p>
        {(program?.products ?? []).map((p) => (
          <label key={p.id} className="check">
            <input
              type="checkbox"
              checked={products.includes(p.id)}
              onChange={(e) => {
                setSaved(false);
                setProducts((xs) => (e.target.checked ? [...xs, p.id] : xs.filter((x) => x !== p.id)));
              }}
            />{' '}
            {p.name}
          </label>
        ))}
        {productErrors.length ? (
          <p className="field-error" id={`${id}-products-error`}>
            {productErrors.map(([, m]) => m).join('; ')}
          </p>
        ) : null}
      </fieldset>
      <ErrorMessage error={run.error} />
      <div className="actions">
        <button type="submit" disabled={run.isPending}>
          Save organisation
        </button>
        {saved ? (
          <span className="notice" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}

function ContactForm({
  slug,
  orgId,
  contact,
  onRemoved,
}: {
  slug: string;
  orgId: string;
  contact: CustomerContact;
  onRemoved: (what: string) => void;
}) {
  const [name, setName] = useState(contact.name);
  const [email, setEmail] = useState(contact.email);
  const [key, setKey] = useState('');
  const [dropKey, setDropKey] = useState(false);
  const [saved, setSaved] = useState(false);
  const keep = useKeepOrganisation(slug);
  const qc = useQueryClient();
  const params = { path: { slug, orgId, contactId: contact.id } };
  // Only what changed is sent, so the audit entry names the fields that really changed.
  const changes = {
    ...(name !== contact.name ? { name } : {}),
    ...(email.trim() !== contact.email ? { email } : {}),
    ...(dropKey ? { publicKey: null } : key.trim() ? { publicKey: key } : {}),
  };
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/programs/{slug}/customers/{orgId}/contacts/{contactId}', {
          params,
          body: changes,
        }),
      ),
    onMutate: () => setSaved(false),
    onSuccess: (o) => {
      keep(o);
      const now = o.contacts.find((c) => c.id === contact.id);
      if (now) {
        setName(now.name);
        setEmail(now.email);
      }
      setKey('');
      setDropKey(false);
      setSaved(true);
    },
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(api.DELETE('/api/v1/programs/{slug}/customers/{orgId}/contacts/{contactId}', { params })),
    onSuccess: () => {
      // Gone from the table at the moment the notice says so, not a refetch later.
      qc.setQueryData<{ organisations: CustomerOrganisation[] }>(QUERY(slug), (d) =>
        d
          ? {
              organisations: d.organisations.map((o) =>
                o.id === orgId ? { ...o, contacts: o.contacts.filter((c) => c.id !== contact.id) } : o,
              ),
            }
          : d,
      );
      void qc.invalidateQueries({ queryKey: QUERY(slug) });
      onRemoved(`${contact.name} <${contact.email}>`);
    },
  });
  const errors = fieldErrors(save.error);
  const id = `contact-${contact.id}`;
  const edited = (f: () => void) => {
    setSaved(false);
    f();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>Contact {contact.name}</h4>
      <div className="grid-2">
        <Described id={`${id}-name`} label="Name" error={errors.name}>
          {(a) => <input {...a} value={name} onChange={(e) => edited(() => setName(e.target.value))} />}
        </Described>
        <Described id={`${id}-email`} label="Email" error={errors.email}>
          {(a) => (
            <input
              {...a}
              type="email"
              value={email}
              onChange={(e) => edited(() => setEmail(e.target.value))}
            />
          )}
        </Described>
      </div>
      <Described
        id={`${id}-key`}
        label="OpenPGP public key"
        error={errors.publicKey}
        hint={
          contact.keyFingerprint
            ? `Mail to this contact is encrypted to key ${contact.keyFingerprint}. Paste another key to replace it; leave empty to keep it.`
            : 'No key: mail to this contact goes unencrypted. Paste an armored public key to encrypt it.'
        }
      >
        {(a) => (
          <textarea
            {...a}
            className="mono"
            rows={4}
            value={key}
            disabled={dropKey}
            onChange={(e) => edited(() => setKey(e.target.value))}
          />
        )}
      </Described>
      {contact.keyFingerprint ? (
        <label className="check">
          <input
            type="checkbox"
            checked={dropKey}
            onChange={(e) => edited(() => setDropKey(e.target.checked))}
          />{' '}
          Remove the key (mail goes unencrypted)
        </label>
      ) : null}
      <ErrorMessage error={save.error ?? remove.error} />
      <div className="actions">
        <button type="submit" disabled={save.isPending || Object.keys(changes).length === 0}>
          Save contact
        </button>
        <ConfirmRemove
          label="Remove contact"
          question={`Remove ${contact.name} <${contact.email}>? They will no longer be told of advisories.`}
          pending={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
        {saved ? (
          <span className="notice" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}

function AddContact({ slug, orgId }: { slug: string; orgId: string }) {
  const [form, setForm] = useState({ name: '', email: '', publicKey: '' });
  const keep = useKeepOrganisation(slug);
  const run = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programs/{slug}/customers/{orgId}/contacts', {
          params: { path: { slug, orgId } },
          body: {
            name: form.name,
            email: form.email,
            ...(form.publicKey.trim() ? { publicKey: form.publicKey } : {}),
          },
        }),
      ),
    onSuccess: (o) => {
      keep(o);
      setForm({ name: '', email: '', publicKey: '' });
    },
  });
  const errors = fieldErrors(run.error);
  const id = `add-contact-${orgId}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>Add a contact</h4>
      <div className="grid-2">
        <Described id={`${id}-name`} label="Name" error={errors.name}>
          {(a) => (
            <input {...a} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          )}
        </Described>
        <Described id={`${id}-email`} label="Email" error={errors.email}>
          {(a) => (
            <input
              {...a}
              type="email"
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
            />
          )}
        </Described>
      </div>
      <Described
        id={`${id}-key`}
        label="OpenPGP public key (optional)"
        error={errors.publicKey}
        hint="With a key, advisory mail to this contact is encrypted."
      >
        {(a) => (
          <textarea
            {...a}
            className="mono"
            rows={3}
            value={form.publicKey}
            onChange={(e) => setForm({ ...form, publicKey: e.target.value })}
          />
        )}
      </Described>
      <ErrorMessage error={run.error} />
      <div className="actions">
        <button type="submit" disabled={run.isPending}>
          Add contact
        </button>
      </div>
    </form>
  );
}

/** The editor of one organisation, shown below the customers table while it is being edited. */
export function CustomerEditor({
  slug,
  org,
  program,
  onClose,
}: {
  slug: string;
  org: CustomerOrganisation;
  program: Program | undefined;
  onClose: () => void;
}) {
  const [notice, setNotice] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const qc = useQueryClient();
  // Whoever pressed Edit lands on the editor, not back at the top of the table.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per organisation opened
  useEffect(() => heading.current?.focus(), [org.id]);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/programs/{slug}/customers/{orgId}', {
          params: { path: { slug, orgId: org.id } },
        }),
      ),
    onSuccess: () => {
      qc.setQueryData<{ organisations: CustomerOrganisation[] }>(QUERY(slug), (d) =>
        d ? { organisations: d.organisations.filter((o) => o.id !== org.id) } : d,
      );
      void qc.invalidateQueries({ queryKey: QUERY(slug) });
      onClose();
    },
  });
  const hid = `edit-org-${org.id}-h`;
  return (
    <section className="stack action-form" aria-labelledby={hid}>
      <h3 id={hid} tabIndex={-1} ref={heading}>
        Edit {org.name}
      </h3>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <OrganisationForm key={org.id} slug={slug} org={org} program={program} />
      {org.contacts.length === 0 ? (
        <p className="muted">No contact: nobody here is told of advisories.</p>
      ) : null}
      {org.contacts.map((c) => (
        <ContactForm
          key={c.id}
          slug={slug}
          orgId={org.id}
          contact={c}
          onRemoved={(what) => setNotice(`Removed ${what}.`)}
        />
      ))}
      <AddContact slug={slug} orgId={org.id} />
      <ErrorMessage error={remove.error} />
      <div className="actions action-form">
        <button type="button" className="secondary" onClick={onClose}>
          Done
        </button>
        <ConfirmRemove
          label="Remove organisation"
          question={`Remove ${org.name} with all its contacts and subscriptions?`}
          pending={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
      </div>
    </section>
  );
}
