import { Link } from 'react-router';
import { formatDate } from '../format.js';
import { DUE_SOON_DAYS, useDueReviews } from '../policy.js';

/** Policy reviews overdue or due within 30 days, across the person's programs; nothing when none. */
export function DueReviews() {
  const { items } = useDueReviews();
  if (items.length === 0) return null;
  const overdue = items.some((i) => i.status === 'overdue');
  return (
    <section
      className={overdue ? 'due-reviews overdue' : 'due-reviews'}
      aria-labelledby="due-reviews-heading"
    >
      <h2 id="due-reviews-heading">
        Policy reviews {overdue ? 'overdue' : `due within ${DUE_SOON_DAYS} days`}
      </h2>
      <ul className="plain">
        {items.map(({ program, doc, status }) => (
          <li key={`${program.slug}/${doc.kind}`}>
            {status === 'overdue' ? (
              <span className="badge overdue">OVERDUE</span>
            ) : (
              <span className="badge due-soon">due soon</span>
            )}{' '}
            <Link to={`/policies/${encodeURIComponent(program.slug)}/${encodeURIComponent(doc.kind)}`}>
              {program.name}: {doc.title}
            </Link>{' '}
            <span className="muted">— review due {formatDate(doc.reviewDueAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
