import { useQuery, useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { CopyButton, ErrorMessage, Field, Loading, PageTitle } from '../components/common.js';
import { fetchSession, SESSION_KEY } from '../session.js';

/**
 * First-admin setup and enrolment: the link's token sits in the URL fragment (never sent to a
 * server in a Referer or a log) and goes to the API only in request bodies, never in a path; the
 * person picks a password, adds the TOTP secret to an authenticator, proves it with a code, and
 * is shown their recovery codes once.
 */
export function SetupPage() {
  const token = window.location.hash.replace(/^#/, '');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const link = useQuery({
    queryKey: ['setup', token],
    queryFn: () => unwrap(api.POST('/api/v1/auth/setup/open', { body: { token } }), { allow401: true }),
    enabled: token !== '',
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [qr, setQr] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);

  useEffect(() => {
    if (!link.data) return;
    QRCode.toDataURL(link.data.otpauthUrl, { margin: 1, width: 200, errorCorrectionLevel: 'M' }).then(
      setQr,
      () => setQr(null),
    );
  }, [link.data]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!link.data) return;
    setBusy(true);
    setError(null);
    unwrap(
      api.POST('/api/v1/auth/setup/complete', {
        body: {
          token,
          ...(link.data.kind === 'first-admin' ? { email } : {}),
          name,
          password,
          totpCode: code.trim(),
        },
      }),
      { allow401: true },
    )
      .then((out) => {
        setPassword('');
        setCodes(out.recoveryCodes);
        // Drop the token from the address bar and the history entry.
        window.history.replaceState(null, '', window.location.pathname);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };

  const done = async () => {
    qc.setQueryData(SESSION_KEY, await fetchSession());
    navigate('/', { replace: true });
  };

  let body: React.ReactNode;
  if (codes) {
    body = (
      <section className="card stack" aria-labelledby="codes-heading">
        <h2 id="codes-heading">Your recovery codes</h2>
        <p>
          Each code signs you in once if you lose your authenticator. Store them somewhere safe now:{' '}
          <strong>they are shown only this once.</strong>
        </p>
        <ul className="codes" aria-label="Recovery codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <div className="actions">
          <CopyButton text={codes.join('\n')} label="Copy the codes" />
          <button type="button" onClick={() => void done()}>
            I have saved them
          </button>
        </div>
      </section>
    );
  } else if (!token) {
    body = (
      <p className="error" role="alert">
        This address has no setup token. Open the whole link you were given (it ends with #…), or ask an
        administrator for a new one (<code>vigil user enrol-link --email …</code>).
      </p>
    );
  } else if (link.isPending) {
    body = <Loading what="the setup link" />;
  } else if (link.isError) {
    body = (
      <>
        <ErrorMessage error={link.error} />
        <p>
          The link may be used, expired or mistyped. An administrator can print a new one with{' '}
          <code>vigil user enrol-link --email …</code> (or <code>vigil setup-link</code> for the first admin).
        </p>
      </>
    );
  } else {
    const l = link.data;
    body = (
      <form onSubmit={submit} className="card stack" noValidate>
        <p>
          {l.kind === 'first-admin'
            ? 'Create the first administrator of this Vigil instance.'
            : `Set up your account${l.email ? ` for ${l.email}` : ''}.`}
        </p>
        {l.kind === 'first-admin' ? (
          <Field label="Email" id="setup-email">
            <input
              id="setup-email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
        ) : null}
        <Field
          label="Name"
          id="setup-name"
          hint="Shown to your team; reporters see only the contact person you name."
        >
          <input
            id="setup-name"
            autoComplete="name"
            required
            aria-describedby="setup-name-hint"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field label="Password" id="setup-password" hint="At least 12 characters. A passphrase is best.">
          <input
            id="setup-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            maxLength={256}
            aria-describedby="setup-password-hint"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <fieldset className="totp">
          <legend>Authenticator app</legend>
          <p>Scan the code with your authenticator app, or enter the secret by hand.</p>
          <div className="totp-row">
            {qr ? <img src={qr} width={200} height={200} alt="QR code of the authenticator secret" /> : null}
            <div>
              <p className="label-like">Secret (to type in by hand)</p>
              <code className="secret">{l.totpSecret}</code>
              <div>
                <CopyButton text={l.totpSecret} label="Copy the secret" />
              </div>
            </div>
          </div>
          <Field label="6-digit code from the app" id="setup-totp">
            <input
              id="setup-totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </Field>
        </fieldset>
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {l.kind === 'first-admin' ? 'Create administrator' : 'Set up account'}
          </button>
        </div>
      </form>
    );
  }

  return (
    <>
      <PageTitle title="Set up your account" />
      <header className="topbar plain">
        <span className="brand">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{' '}
          Vigil
        </span>
      </header>
      <main id="main" className="page narrow">
        <h1>Set up your account</h1>
        {body}
      </main>
    </>
  );
}
