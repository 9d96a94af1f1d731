import { startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import { CopyButton, ErrorMessage, Field, Loading, PageTitle, Time } from '../components/common.js';
import { useSession } from '../session.js';
import { creationOptions, registrationBody } from '../webauthn.js';

/** The signed-in person's second factors: passkeys and recovery codes. */
export function AccountPage() {
  const session = useSession();
  const qc = useQueryClient();
  const factors = useQuery({ queryKey: ['factors'], queryFn: () => unwrap(api.GET('/api/v1/auth/factors')) });
  const [passkeyName, setPasskeyName] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['factors'] });

  const addPasskey = useMutation({
    mutationFn: async () => {
      const options = await unwrap(api.POST('/api/v1/auth/passkeys/options'));
      const response = await startRegistration({ optionsJSON: creationOptions(options) });
      return unwrap(
        api.POST('/api/v1/auth/passkeys', {
          body: { name: passkeyName.trim(), response: registrationBody(response) },
        }),
      );
    },
    onSuccess: () => {
      setPasskeyName('');
      refresh();
    },
  });
  const removePasskey = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/auth/passkeys/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const regenerate = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/recovery-codes')),
    onSuccess: (out) => {
      setCodes(out.recoveryCodes);
      refresh();
    },
  });
  const submitPasskey = (e: FormEvent) => {
    e.preventDefault();
    addPasskey.mutate();
  };
  const user = session.data?.user;
  return (
    <>
      <PageTitle title="Account" />
      <h1>Your account</h1>
      {user ? (
        <p>
          Signed in as <strong>{user.name}</strong> ({user.email})
          {user.role === 'admin' ? ', instance administrator' : ''}.
        </p>
      ) : null}
      {session.data?.memberships.length ? (
        <p className="muted">
          Programs: {session.data.memberships.map((m) => `${m.programName} (${m.role})`).join(', ')}
        </p>
      ) : null}
      {factors.isPending ? (
        <Loading what="your sign-in factors" />
      ) : factors.isError ? (
        <ErrorMessage error={factors.error} />
      ) : (
        <>
          <section className="card stack" aria-labelledby="passkeys-heading">
            <h2 id="passkeys-heading">Passkeys</h2>
            <p className="muted">
              Authenticator app (TOTP): {factors.data.totp ? 'set up' : 'not set up'}. Passkeys sign you in
              with a fingerprint, face or security key instead of a code.
            </p>
            {factors.data.passkeys.length === 0 ? (
              <p className="muted">No passkey yet.</p>
            ) : (
              <ul className="plain">
                {factors.data.passkeys.map((p) => (
                  <li key={p.id}>
                    <strong>{p.name}</strong>{' '}
                    <span className="muted">
                      added <Time iso={p.createdAt} />, last used{' '}
                      {p.lastUsedAt ? <Time iso={p.lastUsedAt} /> : 'never'}
                    </span>{' '}
                    <button
                      type="button"
                      className="danger small"
                      aria-label={`Remove passkey ${p.name}`}
                      disabled={removePasskey.isPending}
                      onClick={() => {
                        if (window.confirm(`Remove the passkey “${p.name}”?`)) removePasskey.mutate(p.id);
                      }}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <ErrorMessage error={removePasskey.error} />
            <form onSubmit={submitPasskey} className="stack">
              <Field label="Passkey name" id="passkey-name" hint="e.g. “work laptop” or “YubiKey”.">
                <input
                  id="passkey-name"
                  required
                  maxLength={100}
                  aria-describedby="passkey-name-hint"
                  value={passkeyName}
                  onChange={(e) => setPasskeyName(e.target.value)}
                />
              </Field>
              <ErrorMessage error={addPasskey.error} />
              <div className="actions">
                <button type="submit" disabled={addPasskey.isPending || passkeyName.trim() === ''}>
                  Add a passkey
                </button>
              </div>
            </form>
          </section>
          <section className="card stack" aria-labelledby="recovery-heading">
            <h2 id="recovery-heading">Recovery codes</h2>
            <p>
              {factors.data.recoveryCodesLeft} unused recovery code
              {factors.data.recoveryCodesLeft === 1 ? '' : 's'} left. New codes replace all the old ones.
            </p>
            {codes ? (
              <>
                <p className="notice">Your new recovery codes — shown only this once:</p>
                <ul className="codes" aria-label="Recovery codes">
                  {codes.map((c) => (
                    <li key={c}>
                      <code>{c}</code>
                    </li>
                  ))}
                </ul>
                <div className="actions">
                  <CopyButton text={codes.join('\n')} label="Copy the codes" />
                  <button type="button" className="link" onClick={() => setCodes(null)}>
                    I have saved them
                  </button>
                </div>
              </>
            ) : (
              <div className="actions">
                <button
                  type="button"
                  className="secondary"
                  disabled={regenerate.isPending}
                  onClick={() => {
                    if (window.confirm('Replace your recovery codes? The old ones stop working.'))
                      regenerate.mutate();
                  }}
                >
                  Generate new recovery codes
                </button>
              </div>
            )}
            <ErrorMessage error={regenerate.error} />
          </section>
        </>
      )}
    </>
  );
}
