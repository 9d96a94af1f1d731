import { Link } from 'react-router';
import type { QueuePage } from '../api/types.js';

/**
 * Quality signals of a case (computed by the server on arrival): a compact badge for queue rows
 * and a panel for the case page. Both take the `signals` of a queue item or case detail as they
 * come from the API; null (a case from before signals existed) is said in words. Signals inform
 * triage and order the "needs triage" lane; they never close or answer anything.
 */

/** The `signals` of a queue item or case detail (the same shape on both). */
export type CaseSignals = QueuePage['items'][number]['signals'];
type Item = NonNullable<CaseSignals>['items'][number];

/** A score band in words, so colour is never the only cue. */
function band(score: number): { label: string; tone: 'good' | 'neutral' | 'bad' } {
  if (score >= 70) return { label: 'strong', tone: 'good' };
  if (score >= 45) return { label: 'mixed', tone: 'neutral' };
  return { label: 'weak', tone: 'bad' };
}

const TONE_MARK: Record<Item['tone'], string> = { good: '+', bad: '−', neutral: '·' };

/**
 * The triage score as a small badge for a queue row: "74 strong", with every explanation in its
 * tooltip and accessible name. Cases without signals show a muted "no signals".
 */
export function SignalsBadge({ signals }: { signals: CaseSignals }) {
  if (!signals)
    return (
      <span className="badge signals-none" title="This case arrived before quality signals were computed.">
        no signals
      </span>
    );
  const b = band(signals.score);
  return (
    <span className={`badge signals signals-${b.tone}`} title={signals.summary}>
      <span className="visually-hidden">Triage score </span>
      {signals.score} <span className="signals-band">{b.label}</span>
      <span className="visually-hidden">: {signals.summary}</span>
    </span>
  );
}

/** Every signal of a case, explained, with the points it gave; for the case page. */
export function QualitySignalsPanel({ signals }: { signals: CaseSignals }) {
  return (
    <section className="card" aria-labelledby="signals-heading">
      <h2 id="signals-heading">Quality signals {signals ? <SignalsBadge signals={signals} /> : null}</h2>
      {!signals ? (
        <p className="muted">
          No quality signals: this case arrived before Vigil computed them. Judge it by its content.
        </p>
      ) : (
        <>
          <ul className="signals-list">
            {signals.items.map((i) => (
              <li key={i.kind} className={`signal signal-${i.tone}`}>
                <span className="signal-mark" aria-hidden="true">
                  {TONE_MARK[i.tone]}
                </span>
                <span className="signal-text">
                  {i.kind === 'similar' && signals.similar ? (
                    <>
                      similar to{' '}
                      <Link
                        to={`/cases/${encodeURIComponent(signals.similar.caseNumber)}`}
                        className="case-link"
                      >
                        {signals.similar.caseNumber}
                      </Link>{' '}
                      (score {signals.similar.score.toFixed(2)})
                    </>
                  ) : (
                    i.explanation
                  )}
                </span>
                <span className="signal-points muted">
                  {i.points > 0 ? `+${i.points}` : i.points === 0 ? '0' : `−${-i.points}`}
                </span>
              </li>
            ))}
          </ul>
          <p className="muted signals-note">
            Computed on arrival. Signals order the “needs triage” lane; they never close or answer a case.
            Standing counts this reporter’s earlier reports in this program; it is keyed by a hash, never by
            the address.
          </p>
        </>
      )}
    </section>
  );
}
