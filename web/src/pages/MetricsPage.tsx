import { PageTitle } from '../components/common.js';
export function MetricsPage() {
  return (
    <>
      <PageTitle title="MetricsPage" />
      <h1>MetricsPage</h1>
    </>
  );
}
