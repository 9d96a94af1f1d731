import { PageTitle } from '../components/common.js';
import { IntakePauseCard } from '../components/IntakePauseCard.js';
import { useProgramChoices } from '../hooks.js';

/** Program-wide settings staff change at run time: for now, pausing and resuming intake. */
export function ProgramsPage() {
  const programs = useProgramChoices();
  return (
    <>
      <PageTitle title="Programs" />
      <h1>Programs</h1>
      <p className="muted">
        Pausing a program closes its intake on every channel with a public message; nothing is stored while it
        is paused, so no deadline starts. Each change is audited.
      </p>
      {programs.length === 0 ? <p className="empty">You are not a member of any program.</p> : null}
      {programs.map((p) => (
        <IntakePauseCard key={p.slug} slug={p.slug} name={p.name} />
      ))}
    </>
  );
}
