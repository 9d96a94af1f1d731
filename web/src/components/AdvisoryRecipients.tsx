import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.js';

/**
 * Before the publish action: who among the customers this revision would notify has no OpenPGP
 * key. For TLP:AMBER and RED they get a notice without the content (where to ask for it), never
 * the advisory in clear; for CLEAR and GREEN they get it in clear, as before. The contacts are
 * named to the program's admins and leads only; others see how many.
 */
export function KeylessRecipientsWarning({ id, n }: { id: string; n: number }) {
  const q = useQuery({
    queryKey: ['advisory', id, 'recipients', n],
    queryFn: () =>
      unwrap(api.GET('/api/v1/advisories/{id}/revisions/{n}/recipients', { params: { path: { id, n } } })),
    retry: false,
  });
  const p = q.data;
  if (!p || !p.notifyCustomers || p.withoutKey === 0) return null;
  const who = `${p.withoutKey} of ${p.customers} customer address${p.customers === 1 ? '' : 'es'}`;
  return (
    <div className={p.restricted ? 'warning' : 'muted'}>
      <p>
        {p.restricted
          ? `${who} have no OpenPGP key. This revision is TLP:${p.tlp}, so they get only a notice that an advisory is available and to ask for it with a key, not its content.`
          : `${who} have no OpenPGP key and get this TLP:${p.tlp} advisory in clear.`}
      </p>
      {p.keylessContacts ? (
        <ul className="plain">
          {p.keylessContacts.map((c) => (
            <li key={c.email}>
              {c.organisation}: {c.name} &lt;{c.email}&gt;
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">The program's admins and leads can see which contacts these are.</p>
      )}
    </div>
  );
}
