import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { api, setCsrfToken, unwrap } from '../api/client.js';
import { useSession } from '../session.js';
import { ErrorMessage, Loading } from './common.js';
import { ShortcutHelp } from './ShortcutHelp.js';

/** The signed-in frame: header with navigation and sign-out, one <main> for the page. */
export function Shell() {
  const session = useSession();
  const location = useLocation();
  const qc = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/sign-out'), { allow401: true }),
    onSettled: () => {
      setCsrfToken(null);
      qc.clear();
      window.location.assign('/console/sign-in');
    },
  });

  if (session.isPending)
    return (
      <main id="main" className="page narrow">
        <Loading what="your session" />
      </main>
    );
  if (session.isError)
    return (
      <main id="main" className="page narrow">
        <h1>Vigil console</h1>
        <ErrorMessage error={session.error} />
      </main>
    );
  if (!session.data) {
    const next = location.pathname + location.search;
    return (
      <Navigate
        to={`/sign-in${next && next !== '/' ? `?next=${encodeURIComponent(`/console${next}`)}` : ''}`}
        replace
      />
    );
  }
  const user = session.data.user;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" end>
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{' '}
          Vigil
        </NavLink>
        <nav aria-label="Console">
          <ul>
            <li>
              <NavLink to="/" end>
                Queue
              </NavLink>
            </li>
            <li>
              <NavLink to="/policies">Policies</NavLink>
            </li>
            <li>
              <NavLink to="/advisories">Advisories</NavLink>
            </li>
            <li>
              <NavLink to="/regulatory">Regulatory</NavLink>
            </li>
            <li>
              <NavLink to="/metrics">Metrics</NavLink>
            </li>
            <li>
              <NavLink to="/programs" end>
                Programs
              </NavLink>
            </li>
            <li>
              <NavLink to="/tokens">API tokens</NavLink>
            </li>
            <li>
              <NavLink to="/account">Account</NavLink>
            </li>
          </ul>
        </nav>
        <div className="who">
          <ShortcutHelp />
          <span className="muted" title={user.email}>
            {user.name || user.email}
            {user.role === 'admin' ? ' (admin)' : ''}
          </span>
          <button type="button" className="secondary small" onClick={() => signOut.mutate()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
