import { Link } from 'react-router';
import { PageTitle } from '../components/common.js';

export function NotFoundPage() {
  return (
    <>
      <PageTitle title="Not found" />
      <h1>Nothing here</h1>
      <p>
        There is no console page at this address. <Link to="/">Go to the queue</Link>.
      </p>
    </>
  );
}
