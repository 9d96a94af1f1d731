import { startAuthentication } from '@simplewebauthn/browser';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, setCsrfToken, unwrap } from '../api/client.js';
import type { ResponseBody, Session } from '../api/types.js';
import { ErrorMessage, Field, PageTitle } from '../components/common.js';
import { SESSION_KEY } from '../session.js';
import { authenticationBody, requestOptions } from '../webauthn.js';

type SecondFactor = ResponseBody<'/api/v1/auth/sign-in', 'post'>['secondFactor'];

/** Only a path inside the console is a place to return to after sign-in. */
export function safeNext(next: string | null): string {
  if (next && /^\/console(?:\/|$|\?)/.test(next) && !next.startsWith('//'))
    return next.slice('/console'.length) || '/';
  return '/';
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [step, setStep] = useState<'password' | 'second'>('password');
  const [method, setMethod] = useState<'totp' | 'recovery'>('totp');
  const [factors, setFactors] = useState<SecondFactor | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const signedIn = (s: Session) => {
    setCsrfToken(s.csrfToken);
    qc.setQueryData(SESSION_KEY, s);
    navigate(safeNext(params.get('next')), { replace: true });
  };

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const submitPassword = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const out = await unwrap(api.POST('/api/v1/auth/sign-in', { body: { email, password } }), {
        allow401: true,
      });
      setFactors(out.secondFactor);
      setMethod(out.secondFactor.totp ? 'totp' : 'recovery');
      setPassword('');
      setStep('second');
    });
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body = { code: code.trim() };
      signedIn(
        await unwrap(
          method === 'totp'
            ? api.POST('/api/v1/auth/sign-in/totp', { body })
            : api.POST('/api/v1/auth/sign-in/recovery', { body }),
          { allow401: true },
        ),
      );
    });
  };

  const signInWithPasskey = () =>
    run(async () => {
      const options = await unwrap(api.POST('/api/v1/auth/sign-in/passkey/options'), { allow401: true });
      const response = await startAuthentication({ optionsJSON: requestOptions(options) });
      signedIn(
        await unwrap(api.POST('/api/v1/auth/sign-in/passkey', { body: authenticationBody(response) }), {
          allow401: true,
        }),
      );
    });

  return (
    <>
      <PageTitle title="Sign in" />
      <header className="topbar plain">
        <span className="brand">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{' '}
          Vigil
        </span>
      </header>
      <main id="main" className="page narrow">
        <h1>Sign in to the staff console</h1>
        {step === 'password' ? (
          <form onSubmit={submitPassword} className="card stack" noValidate>
            <Field label="Email" id="signin-email">
              <input
                id="signin-email"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </Field>
            <Field label="Password" id="signin-password">
              <input
                id="signin-password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
            <ErrorMessage error={error} />
            <div className="actions">
              <button type="submit" disabled={busy}>
                Continue
              </button>
            </div>
          </form>
        ) : (
          <div className="card stack">
            <h2>Second factor</h2>
            <p className="muted">Signing in as {email}.</p>
            <form onSubmit={submitCode} className="stack" noValidate>
              {method === 'totp' ? (
                <Field
                  label="Authenticator code"
                  id="signin-totp"
                  hint="The 6-digit code from your authenticator app."
                >
                  <input
                    id="signin-totp"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    pattern="[0-9]{6}"
                    maxLength={6}
                    aria-describedby="signin-totp-hint"
                    value={code}
                    onChange={(e) => setCode(e.target.value)}
                  />
                </Field>
              ) : (
                <Field
                  label="Recovery code"
                  id="signin-recovery"
                  hint="One of the ten codes you saved; each works once."
                >
                  <input
                    id="signin-recovery"
                    autoComplete="off"
                    spellCheck={false}
                    aria-describedby="signin-recovery-hint"
                    value={code}
                    onChange={(e) => setCode(e.target.value)}
                  />
                </Field>
              )}
              <ErrorMessage error={error} />
              <div className="actions">
                <button type="submit" disabled={busy || code.trim() === ''}>
                  Sign in
                </button>
                {factors?.passkey ? (
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    onClick={() => void signInWithPasskey()}
                  >
                    Use a passkey
                  </button>
                ) : null}
                {method === 'totp' ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      setMethod('recovery');
                      setCode('');
                    }}
                  >
                    Use a recovery code
                  </button>
                ) : factors?.totp ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      setMethod('totp');
                      setCode('');
                    }}
                  >
                    Use an authenticator code
                  </button>
                ) : null}
              </div>
            </form>
            <button
              type="button"
              className="link"
              onClick={() => {
                setStep('password');
                setCode('');
                setError(null);
              }}
            >
              Start again with another account
            </button>
          </div>
        )}
      </main>
    </>
  );
}
