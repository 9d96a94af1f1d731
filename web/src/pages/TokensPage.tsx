import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import { CopyButton, ErrorMessage, Field, Loading, PageTitle, Time } from '../components/common.js';
import { useProgramChoices } from '../hooks.js';

/** API tokens of the signed-in person: list, create (the secret shown once), revoke. */
export function TokensPage() {
  const qc = useQueryClient();
  const programs = useProgramChoices();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => unwrap(api.GET('/api/v1/tokens')),
  });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'read-write'>('read');
  const [limit, setLimit] = useState<string[]>([]);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tokens', {
          body: { name: name.trim(), scope, ...(limit.length ? { programs: limit } : {}) },
        }),
      ),
    onSuccess: (out) => {
      setSecret({ name: name.trim(), token: out.token });
      setName('');
      setLimit([]);
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSecret(null);
    create.mutate();
  };
  return (
    <>
      <PageTitle title="API tokens" />
      <h1>API tokens</h1>
      <p className="muted">
        Tokens let scripts use the API as you (<code>Authorization: Bearer vgl_…</code>). A token never has
        more access than you do.
      </p>
      {secret ? (
        <section className="card notice" aria-labelledby="secret-heading">
          <h2 id="secret-heading">Token “{secret.name}” created</h2>
          <p>Copy it now: it is shown only this once.</p>
          <code className="secret">{secret.token}</code>
          <div className="actions">
            <CopyButton text={secret.token} label="Copy token" />
            <button type="button" className="link" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        </section>
      ) : null}
      <form className="card stack" onSubmit={submit} aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">New token</h2>
        <div className="grid-2">
          <Field label="Token name" id="token-name" hint="What uses it, e.g. “ticket sync”.">
            <input
              id="token-name"
              required
              maxLength={100}
              aria-describedby="token-name-hint"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <Field label="Scope" id="token-scope">
            <select
              id="token-scope"
              value={scope}
              onChange={(e) => setScope(e.target.value as 'read' | 'read-write')}
            >
              <option value="read">read</option>
              <option value="read-write">read-write</option>
            </select>
          </Field>
          <Field label="Programs" id="token-programs" hint="None selected: every program you may see.">
            <select
              id="token-programs"
              multiple
              aria-describedby="token-programs-hint"
              value={limit}
              onChange={(e) => setLimit([...e.target.selectedOptions].map((o) => o.value))}
            >
              {programs.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <ErrorMessage error={create.error} />
        <div className="actions">
          <button type="submit" disabled={create.isPending || name.trim() === ''}>
            Create token
          </button>
        </div>
      </form>
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">Your tokens</h2>
        <ErrorMessage error={revoke.error} />
        {tokens.isPending ? (
          <Loading what="your tokens" />
        ) : tokens.isError ? (
          <ErrorMessage error={tokens.error} />
        ) : tokens.data.tokens.length === 0 ? (
          <p className="muted">You have no API tokens.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Programs</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.tokens.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">{t.name}</th>
                    <td>{t.scope}</td>
                    <td>{t.programs ? t.programs.join(', ') : 'all yours'}</td>
                    <td>
                      <Time iso={t.createdAt} />
                    </td>
                    <td>
                      {t.lastUsedAt ? <Time iso={t.lastUsedAt} /> : <span className="muted">never</span>}
                    </td>
                    <td>
                      {t.revokedAt ? (
                        <span className="muted">
                          revoked <Time iso={t.revokedAt} />
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="danger small"
                          aria-label={`Revoke token ${t.name}`}
                          disabled={revoke.isPending}
                          onClick={() => {
                            if (
                              window.confirm(
                                `Revoke the token “${t.name}”? Scripts using it stop working at once.`,
                              )
                            )
                              revoke.mutate(t.id);
                          }}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
